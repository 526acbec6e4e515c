//! What is wrong with a piece of input, as a message code plus its values.
//!
//! Every refusal in the core (scenarios, exercises, goals, links, embed options) is a
//! [`Problem`]. The CLI prints its English text; the browser looks the same code up in
//! the translation catalog (`i18n::problems`) and fills it with the same values, so an
//! error reads in the reader's language without the core knowing any language but
//! English. Values are the user's own words or JSON literals, so they are never translated.

use crate::template::fill_template;
use std::fmt;

macro_rules! problems {
    ($($code:ident { $($arg:ident),* } => $english:literal,)*) => {
        /// One refusal: a code and the values its message needs.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Problem {
            $($code { $($arg: String),* },)*
        }

        /// The message a [`Problem`] has, without its values.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ProblemCode {
            $($code,)*
        }

        impl ProblemCode {
            /// Every code, so tests can check that each is translated.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$code,)*];

            /// The English template, with a `{placeholder}` per value.
            pub fn english(self) -> &'static str {
                match self {
                    $(ProblemCode::$code => $english,)*
                }
            }

            /// A problem with this code whose every value is its own placeholder name,
            /// so tests can check templates against the values a problem carries.
            pub fn sample(self) -> Problem {
                match self {
                    $(ProblemCode::$code => Problem::$code { $($arg: stringify!($arg).to_string()),* },)*
                }
            }
        }

        impl Problem {
            pub fn code(&self) -> ProblemCode {
                match self {
                    $(Problem::$code { .. } => ProblemCode::$code,)*
                }
            }

            /// The values, by placeholder name.
            pub fn args(&self) -> Vec<(&'static str, &str)> {
                match self {
                    $(Problem::$code { $($arg),* } => vec![$((stringify!($arg), $arg.as_str())),*],)*
                }
            }
        }
    };
}

problems! {
    // Values and sizes.
    Range { min, max, got } => "must be from {min} to {max}, got {got}",
    RangeBelowBrokers { min, max, got } => "must be from {min} to {max}, got {got} (it cannot exceed event.brokers)",
    AtLeast { min, got } => "must be at least {min}, got {got}",
    AboveZero { got } => "must be above 0, got {got}",
    NotBelow { other, min, got } => "must not be below {other} ({min}), got {got}",
    Above { other, min, got } => "must be above {other} ({min}), got {got}",
    TooMany { max, got } => "may hold at most {max} entries, got {got}",
    TooLong { max } => "is longer than {max} characters",
    FileTooLarge { max } => "is larger than {max} bytes",
    NotEmpty {} => "must not be empty",
    BadName { name } => "`{name}` must be 1 to 32 letters, digits, - or _, and not start with broker-",
    UsedTwice { name } => "`{name}` is used twice",
    // Topology.
    NeedsEntry {} => "needs at least the entry service",
    NoSuchService { name } => "no service is named `{name}`",
    EntryInTouches {} => "the entry service handles every request; list only the services it calls",
    NoKindWeight {} => "at least one kind needs a weight above 0",
    CallCycle { name } => "`{name}` would make a call cycle",
    CallListedTwice { name } => "`{name}` is listed twice",
    AlreadyCalled { name, caller } => "`{name}` is already called by `{caller}`; services form a tree",
    Unreachable { name } => "`{name}` is not called by any service reachable from the entry",
    CallsFormCycle {} => "the calls form a cycle",
    TooDeep { name, max } => "`{name}` is deeper than {max} levels, the entry's included",
    // Faults and actions.
    NotATarget { target, last_broker } => "`{target}` is neither a service nor a broker (broker-0 to broker-{last_broker})",
    BrokerCannotHang {} => "brokers can be killed and restored, not hung",
    NotAGroup { target } => "`{target}` is not a consumer group (a service the entry calls)",
    CallerNotAService { target } => "the caller `{target}` is not a service",
    AlreadyExists { name } => "`{name}` already exists",
    AddedServiceHasCalls {} => "an added service starts as a leaf with no calls",
    ConfigureNeedsSettings {} => "`configure` needs a `set` object naming each setting and its new value",
    NotRemovable { target } => "`{target}` is not a removable service",
    NoSuchSetting {} => "the scenario has no such setting",
    NoSuchBranch { id } => "there is no branch {id}",
    // Exercises.
    NotAScenarioSetting { path } => "`{path}` is not a setting of this scenario",
    NotAllowedSetting { allowed } => "is not a setting this exercise lets you change (it allows {allowed})",
    NeedsEnglishText {} => "needs an `en` text, the fallback for other languages",
    TextOrTranslations {} => "must be a string, or a map from language tag to string",
    SettingsObject {} => "settings must be one JSON object from setting to value",
    NoSuchPreset { name, presets } => "no preset is called `{name}` (presets: {presets})",
    PresetOrScenario {} => "must be a preset name or a scenario object",
    // Goals.
    GoalExpectedJoin { column, found } => "expected `&&`, `||` or the end of the goal at character {column}, found `{found}`",
    GoalExpectedOperator { column, found } => "expected one of == != < <= > >= at character {column}, found `{found}`",
    GoalExpectedNumber { column, found } => "expected a number at character {column}, found `{found}`",
    GoalExpectedMetric { column, found } => "expected a metric path such as `sync.failed` at character {column}, found `{found}`",
    GoalExpectedOperand { column, found } => "expected a metric path or a number at character {column}, found `{found}`",
    GoalEndsEarly { column } => "the goal ends too early, at character {column}: a comparison is incomplete",
    NotAMetric { path, step, known } => "`{path}` is not a report metric: the report has no `{step}`; it has {known}",
    NotAMetricInside { path, place, step, known } => "`{path}` is not a report metric: `{place}` has no `{step}`; it has {known}",
    MetricNotFinite { path } => "`{path}` is not a finite number",
    MetricIsGroup { path } => "`{path}` is a group of metrics, not a number; name one inside it",
    // Links, embed options and typed values.
    BadPercentEscape {} => "a `%` is not followed by two hex digits",
    NotUtf8 {} => "is not UTF-8 text",
    NotBase64 {} => "is not URL-safe base64",
    NotAWholeNumber { got, max } => "`{got}` is not a whole number from 0 to {max}",
    NotANumber { got } => "`{got}` is not a number",
    NotSeconds { got } => "`{got}` is not a time in seconds, such as 12.5",
    NotOneOrZero { got } => "`{got}` is not 1 or 0",
    NamesNothing { known } => "names nothing (use {known})",
    NotOneOf { got, known } => "`{got}` is not one of {known}",
    NotAnOrigin { got } => "`{got}` is not an origin such as https://docs.example.com",
    ActionMissing {} => "is missing: give an action such as kill, with its target",
    NotACommand { got } => "`{got}` is not a command (play, pause, seek, inject, state)",
    // Files in the browser.
    NotText {} => "cannot be read as text",
    NotSaved {} => "could not be saved by the browser",
    // JSON as serde reads it.
    JsonSyntax { line, column } => "is not valid JSON: look near line {line}, column {column}",
    JsonEndsEarly { line, column } => "the JSON ends too early, at line {line}, column {column}",
    JsonTrailing { line, column } => "unexpected text after the JSON document, at line {line}, column {column}",
    UnknownField { name, known } => "unknown field `{name}`; the fields here are {known}",
    UnknownVariant { name, known } => "`{name}` is not allowed here; use one of {known}",
    MissingField { name } => "the field `{name}` is missing",
    DuplicateField { name } => "the field `{name}` is given twice",
    ExpectedWholeNumber { got } => "must be a whole number of the right size, got {got}",
    ExpectedNumber { got } => "must be a number, got {got}",
    ExpectedText { got } => "must be a string, got {got}",
    ExpectedBool { got } => "must be true or false, got {got}",
    ExpectedList { got } => "must be a list, got {got}",
    ExpectedObject { got } => "must be an object, got {got}",
    NoAcceptedForm {} => "does not match any accepted form of this field",
    Unexplained { detail } => "{detail}",
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fill_template(self.code().english(), &self.args()))
    }
}

impl Problem {
    /// `must be from min to max, got value`, with the numbers as the user wrote them.
    pub fn range(
        min: impl fmt::Display,
        max: impl fmt::Display,
        got: impl fmt::Display,
    ) -> Problem {
        Problem::Range {
            min: min.to_string(),
            max: max.to_string(),
            got: got.to_string(),
        }
    }

    /// `N entries at most`, for any bounded list.
    pub fn too_many(max: usize, got: usize) -> Problem {
        Problem::TooMany {
            max: max.to_string(),
            got: got.to_string(),
        }
    }

    /// A serde_json error as a problem: syntax by position, data errors by kind.
    pub fn from_json_error(error: &serde_json::Error) -> Problem {
        use serde_json::error::Category;
        let line = error.line().to_string();
        let column = error.column().to_string();
        let message = error.to_string();
        match error.classify() {
            Category::Eof => Problem::JsonEndsEarly { line, column },
            Category::Syntax if message.starts_with("trailing characters") => {
                Problem::JsonTrailing { line, column }
            }
            Category::Syntax => Problem::JsonSyntax { line, column },
            Category::Data | Category::Io => Problem::from_serde_message(&message),
        }
    }

    /// Reads serde's data-error messages, which follow fixed forms such as
    /// "unknown field `x`, expected one of `a`, `b`" (serde's `de::Error` defaults).
    pub fn from_serde_message(raw: &str) -> Problem {
        let message = raw.rfind(" at line ").map_or(raw, |at| &raw[..at]);
        let quoted = backquoted(message);
        let first = quoted.first().cloned().unwrap_or_default();
        let rest = || {
            if quoted.len() > 1 {
                quoted[1..]
                    .iter()
                    .map(|q| format!("`{q}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                "–".to_string()
            }
        };
        if message.starts_with("unknown field") {
            return Problem::UnknownField {
                name: first,
                known: rest(),
            };
        }
        if message.starts_with("unknown variant") {
            return Problem::UnknownVariant {
                name: first,
                known: rest(),
            };
        }
        if message.starts_with("missing field") {
            return Problem::MissingField { name: first };
        }
        if message.starts_with("duplicate field") {
            return Problem::DuplicateField { name: first };
        }
        if message.starts_with("data did not match any variant") {
            return Problem::NoAcceptedForm {};
        }
        let typed = message
            .strip_prefix("invalid type: ")
            .or_else(|| message.strip_prefix("invalid value: "));
        if let Some(typed) = typed
            && let Some((got, expected)) = typed.split_once(", expected ")
        {
            return expected_kind(expected, json_literal(got)).unwrap_or(Problem::Unexplained {
                detail: message.to_string(),
            });
        }
        Problem::Unexplained {
            detail: message.to_string(),
        }
    }
}

/// The texts between backquotes, in order.
fn backquoted(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// serde's description of a value (`string "x"`, `integer `5``, `map`) as a JSON literal.
fn json_literal(got: &str) -> String {
    let quoted = backquoted(got);
    if let Some(value) = quoted.first() {
        return value.clone();
    }
    if let Some(text) = got.strip_prefix("string ") {
        return text.to_string();
    }
    match got {
        "map" => "{…}".to_string(),
        "sequence" => "[…]".to_string(),
        "unit value" | "null" => "null".to_string(),
        other => other.to_string(),
    }
}

/// The kind serde expected, from its `expected …` wording, as the matching problem.
fn expected_kind(expected: &str, got: String) -> Option<Problem> {
    let expected = expected.trim();
    let integer = [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize",
    ];
    Some(if integer.contains(&expected) {
        Problem::ExpectedWholeNumber { got }
    } else if expected == "f64" || expected == "f32" {
        Problem::ExpectedNumber { got }
    } else if expected.contains("string") {
        Problem::ExpectedText { got }
    } else if expected.contains("boolean") {
        Problem::ExpectedBool { got }
    } else if expected.contains("sequence") {
        Problem::ExpectedList { got }
    } else if expected.starts_with("struct")
        || expected.contains("map")
        || expected.contains("enum")
    {
        Problem::ExpectedObject { got }
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::placeholders;

    fn problem_for(json: &str) -> Problem {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Sample {
            count: u32,
            #[serde(default)]
            ratio: f64,
            #[serde(default)]
            name: String,
            #[serde(default)]
            on: bool,
            #[serde(default)]
            items: Vec<u32>,
            #[serde(default)]
            mode: Option<Mode>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "snake_case")]
        enum Mode {
            Fast,
            Slow,
        }
        let error = serde_json::from_str::<Sample>(json).expect_err(json);
        Problem::from_json_error(&error)
    }

    #[test]
    fn serde_errors_become_coded_problems() {
        let cases = [
            (r#"{"count": 1, "cuont": 2}"#, ProblemCode::UnknownField),
            (
                r#"{"count": 1, "mode": "medium"}"#,
                ProblemCode::UnknownVariant,
            ),
            (r#"{}"#, ProblemCode::MissingField),
            (r#"{"count": 1, "count": 2}"#, ProblemCode::DuplicateField),
            (r#"{"count": -1}"#, ProblemCode::ExpectedWholeNumber),
            (r#"{"count": "7"}"#, ProblemCode::ExpectedWholeNumber),
            (r#"{"count": 1, "ratio": "x"}"#, ProblemCode::ExpectedNumber),
            (r#"{"count": 1, "name": 5}"#, ProblemCode::ExpectedText),
            (r#"{"count": 1, "on": 1}"#, ProblemCode::ExpectedBool),
            (r#"{"count": 1, "items": {}}"#, ProblemCode::ExpectedList),
            (r#""count""#, ProblemCode::ExpectedObject),
            (r#"{"count": 1,"#, ProblemCode::JsonEndsEarly),
            (r#"{"count": 1} x"#, ProblemCode::JsonTrailing),
            (r#"{"count": 1,}"#, ProblemCode::JsonSyntax),
        ];
        for (json, code) in cases {
            let problem = problem_for(json);
            assert_eq!(problem.code(), code, "{json} gave {problem}");
        }
    }

    #[test]
    fn coded_problems_keep_the_users_words() {
        let unknown = problem_for(r#"{"count": 1, "cuont": 2}"#);
        assert!(unknown.to_string().contains("`cuont`"), "{unknown}");
        assert!(unknown.to_string().contains("`count`"), "{unknown}");
        let wrong = problem_for(r#"{"count": "seven"}"#);
        assert_eq!(
            wrong.to_string(),
            "must be a whole number of the right size, got \"seven\""
        );
        let syntax = problem_for("{\n  \"count\": 1,\n  }");
        assert_eq!(
            syntax,
            Problem::JsonSyntax {
                line: "3".into(),
                column: "3".into()
            }
        );
    }

    #[test]
    fn every_template_names_exactly_its_values() {
        // A template naming a value the problem lacks would show `{name}` to the user;
        // a value no template names would be silently dropped.
        for &code in ProblemCode::ALL {
            let mut named = placeholders(code.english());
            named.sort_unstable();
            let sample = code.sample();
            let mut values: Vec<&str> = sample.args().iter().map(|(name, _)| *name).collect();
            values.sort_unstable();
            assert_eq!(named, values, "{code:?}");
        }
    }
}
