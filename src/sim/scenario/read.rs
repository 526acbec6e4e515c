//! Reading scenario JSON with errors that name their field, and the error type itself.

use super::super::problem::Problem;
use serde::Serialize;
use std::fmt;

/// A problem with a scenario: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The path of the field, e.g. `services[1].workers`; empty for the document itself.
    pub field: String,
    pub problem: Problem,
}

impl ScenarioError {
    /// What is wrong, in English (the browser translates [`ScenarioError::problem`]).
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    /// The same error with its field path under `prefix`, joined by `separator`
    /// (`.` inside a JSON document, `: ` after a file or URL parameter name).
    pub fn within(self, prefix: &str, separator: &str) -> ScenarioError {
        let field = if self.field.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}{separator}{}", self.field)
        };
        error(field, self.problem)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}

impl std::error::Error for ScenarioError {}

pub(crate) fn error(field: impl Into<String>, problem: Problem) -> ScenarioError {
    ScenarioError {
        field: field.into(),
        problem,
    }
}

/// Renders serde's path (`services.1.workers`) the way users write it (`services[1].workers`).
fn display_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// A unit enum's name as the scenario format writes it (`"all"`, `"after_processing"`), so
/// controls show the same words the JSON uses without a second list of them.
pub fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => other.map(|v| v.to_string()).unwrap_or_default(),
    }
}

/// A number as the scenario format writes it: a whole number as a JSON integer (counts such
/// as retries must be), anything else as a float, so a field reads `20`, not `20.0`.
pub fn json_number(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        serde_json::json!(value as i64)
    } else {
        serde_json::json!(value)
    }
}

/// Reads JSON text into `T`, naming the field that is wrong.
///
/// Every typed read in the crate goes through [`read_value`], so each type's
/// deserializer is compiled once, over `serde_json::Value`, instead of once per kind
/// of input (text, bytes, value) with and without path tracking: in the browser that
/// halved what serde costs in download size. Syntax errors keep their line and column.
pub fn read_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ScenarioError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|err| error("", Problem::from_json_error(&err)))?;
    read_value(value)
}

/// Reads a JSON value into `T`, naming the field that is wrong (see [`read_json`]).
pub fn read_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, ScenarioError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        error(
            display_path(err.path()),
            Problem::from_json_error(err.inner()),
        )
    })
}
