//! Goals over a run's report, such as `event.effects.lost == 0 && sync.failed > 0`: parsed, checked, explained.
//!
//! Instructors write goals in exercise files and presets state their key claim
//! with them, so the language is small and its errors point at the exact spot.
//! A goal is comparisons joined by `&&` (all must hold) and `||` (any group
//! holds); `&&` binds tighter, as in Rust. Each side of a comparison is a number
//! or a dotted path into the JSON report that `ripple-sim` prints, for example
//! `event.groups.email.idle` or `effects_by_service.analytics.event.lost`.

use super::problem::Problem;
use serde_json::Value;
use std::fmt;

/// Longest goal accepted, so a pasted file cannot make the parser work without bound.
pub const MAX_GOAL_CHARS: usize = 2_000;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    const ALL: [(&'static str, Op); 6] = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];

    pub fn symbol(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(s, _)| *s)
            .unwrap_or("?")
    }

    fn holds(self, left: f64, right: f64) -> bool {
        // Report figures are counts or rounded milliseconds; equality within a
        // millionth keeps `0.1 + 0.2 == 0.3`-style surprises out of verdicts.
        let close = (left - right).abs() <= 1e-6 * left.abs().max(right.abs()).max(1.0);
        match self {
            Op::Eq => close,
            Op::Ne => !close,
            Op::Lt => left < right && !close,
            Op::Le => left < right || close,
            Op::Gt => left > right && !close,
            Op::Ge => left > right || close,
        }
    }
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Number(f64),
    /// A dotted path into the report, e.g. `sync.latency_ms.p99`.
    Metric(String),
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Number(n) => write!(f, "{n}"),
            Operand::Metric(path) => write!(f, "{path}"),
        }
    }
}

/// `left op right`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub left: Operand,
    pub op: Op,
    pub right: Operand,
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.left, self.op.symbol(), self.right)
    }
}

/// A parsed goal: any of the groups holds when all of its comparisons hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub any_of: Vec<Vec<Comparison>>,
}

/// Why a goal could not be read or checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalError {
    pub problem: Problem,
}

impl GoalError {
    /// What is wrong, in English (the browser translates [`GoalError::problem`]).
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl fmt::Display for GoalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for GoalError {}

fn goal_error(problem: Problem) -> GoalError {
    GoalError { problem }
}

/// One comparison's outcome, with the values it saw.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionResult {
    pub comparison: Comparison,
    pub left_value: f64,
    pub right_value: f64,
    pub holds: bool,
}

impl fmt::Display for ConditionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.holds { "holds" } else { "FAILS" };
        write!(f, "{mark}: {}", self.comparison)?;
        let mut values = Vec::new();
        for (operand, value) in [
            (&self.comparison.left, self.left_value),
            (&self.comparison.right, self.right_value),
        ] {
            if let Operand::Metric(path) = operand {
                values.push(format!("{path} is {}", show_number(value)));
            }
        }
        if !values.is_empty() {
            write!(f, " ({})", values.join(", "))?;
        }
        Ok(())
    }
}

/// Numbers as people write them: no `.0` on whole numbers.
pub fn show_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{:.3}", value)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// A goal checked against one report.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalOutcome {
    pub passed: bool,
    /// Every comparison, group by group, in the order written.
    pub conditions: Vec<ConditionResult>,
}

impl GoalOutcome {
    /// The comparisons that did not hold (the ones a learner needs to fix).
    pub fn failed(&self) -> impl Iterator<Item = &ConditionResult> {
        self.conditions.iter().filter(|c| !c.holds)
    }
}

impl Goal {
    /// Parses a goal, naming the character where reading stopped.
    pub fn parse(text: &str) -> Result<Goal, GoalError> {
        if text.chars().count() > MAX_GOAL_CHARS {
            return Err(goal_error(Problem::TooLong {
                max: MAX_GOAL_CHARS.to_string(),
            }));
        }
        let mut parser = Parser { text, at: 0 };
        let mut any_of = vec![vec![parser.comparison()?]];
        loop {
            parser.skip_space();
            if parser.done() {
                break;
            }
            if parser.eat("&&") || parser.eat_word("and") {
                let group = any_of.last_mut().expect("one group at least");
                group.push(parser.comparison()?);
            } else if parser.eat("||") || parser.eat_word("or") {
                any_of.push(vec![parser.comparison()?]);
            } else {
                return Err(parser.error(Expected::Join));
            }
        }
        Ok(Goal { any_of })
    }

    /// Every metric path the goal reads.
    pub fn metrics(&self) -> impl Iterator<Item = &str> {
        self.any_of.iter().flatten().flat_map(|c| {
            [&c.left, &c.right].into_iter().filter_map(|o| match o {
                Operand::Metric(path) => Some(path.as_str()),
                Operand::Number(_) => None,
            })
        })
    }

    /// Checks that every path names a number in `report` (a report's JSON), so a typo
    /// is reported when the goal is loaded rather than when a learner runs it.
    pub fn check_paths(&self, report: &Value) -> Result<(), GoalError> {
        for path in self.metrics() {
            lookup(report, path)?;
        }
        Ok(())
    }

    /// Evaluates the goal against a report's JSON.
    pub fn evaluate(&self, report: &Value) -> Result<GoalOutcome, GoalError> {
        let mut conditions = Vec::new();
        let mut passed = false;
        for group in &self.any_of {
            let mut group_holds = true;
            for comparison in group {
                let left_value = value_of(report, &comparison.left)?;
                let right_value = value_of(report, &comparison.right)?;
                let holds = comparison.op.holds(left_value, right_value);
                group_holds &= holds;
                conditions.push(ConditionResult {
                    comparison: comparison.clone(),
                    left_value,
                    right_value,
                    holds,
                });
            }
            passed |= group_holds;
        }
        Ok(GoalOutcome { passed, conditions })
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<String> = self
            .any_of
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(" && ")
            })
            .collect();
        f.write_str(&groups.join(" || "))
    }
}

fn value_of(report: &Value, operand: &Operand) -> Result<f64, GoalError> {
    match operand {
        Operand::Number(n) => Ok(*n),
        Operand::Metric(path) => lookup(report, path),
    }
}

/// The number at a dotted path; a missing step names the keys that do exist there.
pub fn lookup(report: &Value, path: &str) -> Result<f64, GoalError> {
    let mut here = report;
    let mut walked = String::new();
    for step in path.split('.') {
        let next = match here {
            Value::Object(map) => map.get(step),
            _ => None,
        };
        let Some(next) = next else {
            let known: Vec<&str> = match here {
                Value::Object(map) => map.keys().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            let (path, step, known) = (path.to_string(), step.to_string(), known.join(", "));
            return Err(goal_error(if walked.is_empty() {
                Problem::NotAMetric { path, step, known }
            } else {
                Problem::NotAMetricInside {
                    path,
                    place: walked,
                    step,
                    known,
                }
            }));
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(step);
        here = next;
    }
    match here {
        Value::Number(n) => n.as_f64().ok_or_else(|| {
            goal_error(Problem::MetricNotFinite {
                path: path.to_string(),
            })
        }),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        _ => Err(goal_error(Problem::MetricIsGroup {
            path: path.to_string(),
        })),
    }
}

/// What the parser was looking for when it stopped.
enum Expected {
    Join,
    Operator,
    Number,
    Metric,
    Operand,
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn done(&self) -> bool {
        self.rest().is_empty()
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        self.skip_space();
        // `strip_prefix` rather than slicing by `word.len()`: the text may hold
        // multi-byte characters right where the word would end.
        let whole_word = self
            .rest()
            .strip_prefix(word)
            .is_some_and(|after| after.chars().next().is_none_or(char::is_whitespace));
        if whole_word {
            self.at += word.len();
        }
        whole_word
    }

    /// What was expected where reading stopped, with the character and what is there.
    fn error(&self, expected: Expected) -> GoalError {
        let column = (self.text[..self.at].chars().count() + 1).to_string();
        let found: String = self.rest().chars().take(12).collect();
        if found.is_empty() {
            return goal_error(Problem::GoalEndsEarly { column });
        }
        goal_error(match expected {
            Expected::Join => Problem::GoalExpectedJoin { column, found },
            Expected::Operator => Problem::GoalExpectedOperator { column, found },
            Expected::Number => Problem::GoalExpectedNumber { column, found },
            Expected::Metric => Problem::GoalExpectedMetric { column, found },
            Expected::Operand => Problem::GoalExpectedOperand { column, found },
        })
    }

    fn comparison(&mut self) -> Result<Comparison, GoalError> {
        let left = self.operand()?;
        self.skip_space();
        let op = Op::ALL
            .iter()
            .find(|(symbol, _)| self.rest().starts_with(symbol))
            .map(|&(symbol, op)| (symbol, op));
        let Some((symbol, op)) = op else {
            return Err(self.error(Expected::Operator));
        };
        self.at += symbol.len();
        let right = self.operand()?;
        Ok(Comparison { left, op, right })
    }

    fn operand(&mut self) -> Result<Operand, GoalError> {
        self.skip_space();
        let rest = self.rest();
        let first = rest.chars().next();
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "._-+".contains(c)))
            .unwrap_or(rest.len());
        let word = &rest[..length];
        match first {
            Some(c) if c.is_ascii_digit() || c == '-' || c == '.' => {
                let value: f64 = word
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| self.error(Expected::Number))?;
                self.at += length;
                Ok(Operand::Number(value))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let valid = word.split('.').all(|step| {
                    !step.is_empty()
                        && step
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                });
                if !valid {
                    return Err(self.error(Expected::Metric));
                }
                let path = word.to_string();
                self.at += length;
                Ok(Operand::Metric(path))
            }
            _ => Err(self.error(Expected::Operand)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({
            "sync": { "failed": 12, "effects": { "lost": 5, "duplicated": 0 } },
            "event": { "failed": 0, "effects": { "lost": 0, "duplicated": 3 }, "max_lag": 598,
                       "groups": { "email": { "idle": 2 } } },
            "note": "text"
        })
    }

    fn check(goal: &str) -> GoalOutcome {
        Goal::parse(goal).unwrap().evaluate(&report()).unwrap()
    }

    #[test]
    fn comparisons_read_numbers_and_paths() {
        assert!(check("sync.failed > 0").passed);
        assert!(check("event.effects.lost == 0 && sync.effects.lost > event.effects.lost").passed);
        assert!(check("event.groups.email.idle >= 2").passed);
        assert!(!check("event.effects.duplicated == 0").passed);
        assert!(check("1 < 2").passed);
    }

    #[test]
    fn and_binds_tighter_than_or() {
        // false && true || true  ==  (false && true) || true
        assert!(check("sync.failed == 0 && event.failed == 0 || event.max_lag > 500").passed);
        // true || false && false  ==  true || (false && false)
        assert!(check("event.max_lag > 500 or sync.failed == 0 and event.failed == 1").passed);
        assert!(!check("sync.failed == 0 || event.failed == 1").passed);
    }

    #[test]
    fn a_failed_verdict_names_the_condition_and_its_value() {
        let outcome = check("event.effects.lost == 0 && event.effects.duplicated == 0");
        let failed: Vec<String> = outcome.failed().map(|c| c.to_string()).collect();
        assert_eq!(
            failed,
            ["FAILS: event.effects.duplicated == 0 (event.effects.duplicated is 3)"]
        );
    }

    #[test]
    fn parse_errors_point_at_the_character() {
        let err = Goal::parse("sync.failed = 0").unwrap_err();
        assert!(err.message().contains("character 13"), "{err}");
        let err = Goal::parse("sync.failed > ").unwrap_err();
        assert!(err.message().contains("ends too early"), "{err}");
        let err = Goal::parse("sync.failed > 0 extra").unwrap_err();
        assert!(err.message().contains("`&&`"), "{err}");
        assert!(Goal::parse("").is_err());
        assert!(Goal::parse(&"a".repeat(MAX_GOAL_CHARS + 1)).is_err());
    }

    #[test]
    fn unknown_paths_name_what_exists() {
        let goal = Goal::parse("event.effects.lots == 0").unwrap();
        let err = goal.check_paths(&report()).unwrap_err();
        assert!(err.message().contains("no `lots`"), "{err}");
        assert!(err.message().contains("duplicated"), "{err}");
        let err = Goal::parse("event.effects > 0")
            .unwrap()
            .evaluate(&report())
            .unwrap_err();
        assert!(err.message().contains("group of metrics"), "{err}");
        assert!(
            Goal::parse("note == 1")
                .unwrap()
                .evaluate(&report())
                .is_err()
        );
    }

    #[test]
    fn words_are_read_safely_next_to_multi_byte_characters() {
        // Found by tests/fuzz_decoders.rs: `&` followed by a three-byte character.
        assert!(Goal::parse("sync.failed > 0 &\u{fffd}:& x > 1").is_err());
        assert!(Goal::parse("sync.failed > 0 a\u{e9}").is_err());
        assert!(Goal::parse("sync.failed > 0 an\u{e9} x > 1").is_err());
    }

    #[test]
    fn goals_print_as_written() {
        let text = "event.effects.lost == 0 && event.max_lag < 100 || sync.failed >= 3";
        assert_eq!(Goal::parse(text).unwrap().to_string(), text);
    }
}
