//! What is wrong with a piece of input, as a message code plus its values.
//!
//! Every refusal in the core (scenarios, exercises, goals, links, embed options) is a
//! [`Problem`]. Its texts live in `src/text/*.json`, section `problem`, keyed by code: the
//! CLI prints the English one; the browser looks the same code up in the reader's language
//! and fills it with the same values, so an
//! error reads in the reader's language without the core knowing any language but
//! English. Values are the user's own words or JSON literals, so they are never translated.

use crate::template::fill_template;
use std::fmt;

macro_rules! problems {
    ($($code:ident { $($arg:ident),* },)*) => {
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

            /// The code's name, which is its key in the text files' `problem` section.
            pub fn name(self) -> &'static str {
                match self {
                    $(ProblemCode::$code => stringify!($code),)*
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
    Range { min, max, got },
    RangeBelowBrokers { min, max, got },
    AtLeast { min, got },
    AboveZero { got },
    NotBelow { other, min, got },
    Above { other, min, got },
    TooMany { max, got },
    TooLong { max },
    FileTooLarge { max },
    NotEmpty {},
    BadName { name },
    UsedTwice { name },
    // Topology.
    NeedsEntry {},
    NoSuchService { name },
    EntryInTouches {},
    NoKindWeight {},
    CallCycle { name },
    CallListedTwice { name },
    AlreadyCalled { name, caller },
    Unreachable { name },
    CallsFormCycle {},
    TooDeep { name, max },
    // Faults and actions.
    NotATarget { target, last_broker },
    BrokerCannotHang {},
    NotAGroup { target },
    CallerNotAService { target },
    AlreadyExists { name },
    AddedServiceHasCalls {},
    ConfigureNeedsSettings {},
    NotRemovable { target },
    NoSuchSetting {},
    NoSuchBranch { id },
    // Exercises.
    NotAScenarioSetting { path },
    NotAllowedSetting { allowed },
    NeedsEnglishText {},
    TextOrTranslations {},
    SettingsObject {},
    NoSuchPreset { name, presets },
    PresetOrScenario {},
    // Goals.
    GoalExpectedJoin { column, found },
    GoalExpectedOperator { column, found },
    GoalExpectedNumber { column, found },
    GoalExpectedMetric { column, found },
    GoalExpectedOperand { column, found },
    GoalEndsEarly { column },
    NotAMetric { path, step, known },
    NotAMetricInside { path, place, step, known },
    MetricNotFinite { path },
    MetricIsGroup { path },
    // Links, embed options and typed values.
    BadPercentEscape {},
    NotUtf8 {},
    NotBase64 {},
    NotAWholeNumber { got, max },
    NotANumber { got },
    NotSeconds { got },
    NotOneOrZero { got },
    NamesNothing { known },
    NotOneOf { got, known },
    NotAnOrigin { got },
    ActionMissing {},
    NotACommand { got },
    NotASweepRange { got },
    // Files in the browser.
    NotText {},
    NotSaved {},
    TextNotLoaded { language, reason },
    TextNotSwitched { language, reason },
    // JSON as serde reads it.
    JsonSyntax { line, column },
    JsonEndsEarly { line, column },
    JsonTrailing { line, column },
    UnknownField { name, known },
    UnknownVariant { name, known },
    MissingField { name },
    DuplicateField { name },
    ExpectedWholeNumber { got },
    ExpectedNumber { got },
    ExpectedText { got },
    ExpectedBool { got },
    ExpectedList { got },
    ExpectedObject { got },
    NoAcceptedForm {},
    Unexplained { detail },
}

impl ProblemCode {
    /// The English template, with a `{placeholder}` per value (`src/text/en.json`).
    pub fn english(self) -> &'static str {
        crate::text::text(crate::text::Lang::En, "problem", self.name())
    }
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
