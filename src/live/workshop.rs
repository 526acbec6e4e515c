//! A workshop exercise being attempted: the learner's settings, the hints shown, the verdict.
//!
//! Plain data with the rules of an attempt, so the page only draws it: a refused setting
//! changes nothing, a changed one clears the old verdict, and hints stop at the last one.

use crate::sim::exercise::{Exercise, Settings};
use crate::sim::goal::ConditionResult;
use crate::sim::{Scenario, ScenarioError};

/// A workshop exercise being attempted.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub exercise: Exercise,
    pub settings: Settings,
    pub hints_shown: usize,
    pub verdict: Option<VerdictView>,
}

/// A verdict as the workshop panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct VerdictView {
    pub passed: bool,
    pub conditions: Vec<ConditionResult>,
}

impl Attempt {
    /// The exercise as given: no settings changed, no hint shown, no verdict.
    pub fn new(exercise: Exercise) -> Attempt {
        Attempt {
            exercise,
            settings: Settings::new(),
            hints_shown: 0,
            verdict: None,
        }
    }

    /// Changes one allowed setting and returns the scenario to replay; a refused value is
    /// named in the error and changes nothing.
    pub fn set(&mut self, path: &str, value: serde_json::Value) -> Result<Scenario, ScenarioError> {
        let mut settings = self.settings.clone();
        settings.insert(path.to_string(), value);
        let scenario = self.exercise.scenario_with(&settings)?;
        self.settings = settings;
        self.verdict = None;
        Ok(scenario)
    }

    /// Runs the exercise headless with the learner's settings and keeps the verdict.
    pub fn check(&mut self) -> Result<(), ScenarioError> {
        let verdict = self.exercise.check(&self.settings)?;
        self.verdict = Some(VerdictView {
            passed: verdict.passed,
            conditions: verdict.conditions,
        });
        Ok(())
    }

    /// Shows one more hint, up to the last.
    pub fn show_hint(&mut self) {
        self.hints_shown = (self.hints_shown + 1).min(self.exercise.hints.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::exercises::EXERCISES;
    use serde_json::json;

    fn first() -> Attempt {
        let (_, text) = EXERCISES[0];
        Attempt::new(Exercise::from_json(text).expect("a shipped exercise"))
    }

    #[test]
    fn a_refused_setting_changes_nothing_and_a_good_one_clears_the_verdict() {
        let mut attempt = first();
        attempt.check().expect("the exercise runs");
        assert!(attempt.verdict.is_some());
        let path = attempt.exercise.allowed[0].clone();
        assert!(attempt.set(&path, json!("not a value")).is_err());
        assert!(attempt.settings.is_empty(), "nothing stored");
        assert!(attempt.verdict.is_some(), "the verdict stays");
        let current = attempt.exercise.current_values(&attempt.settings)[0]
            .1
            .clone();
        attempt
            .set(&path, current)
            .expect("its own value is allowed");
        assert_eq!(attempt.settings.len(), 1);
        assert!(attempt.verdict.is_none(), "a change clears the old verdict");
    }

    #[test]
    fn hints_stop_at_the_last() {
        let mut attempt = first();
        for _ in 0..10 {
            attempt.show_hint();
        }
        assert_eq!(attempt.hints_shown, attempt.exercise.hints.len());
    }
}
