//! Workshop exercises: a starting scenario, the settings a learner may change, a goal over the report, and hints.
//!
//! An exercise file is JSON written by an instructor:
//!
//! ```json
//! { "name": "no-loss-no-duplicates",
//!   "title": { "en": "…", "zh-Hant": "…", "ja": "…" },
//!   "brief": "…",
//!   "scenario": "at-least-once",
//!   "allowed": ["event.commit", "event.idempotent"],
//!   "goal": "event.effects.lost == 0 && event.effects.duplicated == 0",
//!   "hints": ["…"] }
//! ```
//!
//! `scenario` is a preset name or a whole scenario object. Texts are a string or
//! a map from language tag to text; English is required and is the fallback.
//! Settings are a flat map from a dotted path to a JSON value, for example
//! `{"event.idempotent": true}`; a path may pick a service by name, as in
//! `services.email.workers`. The browser and `ripple-sim --check` both judge an
//! attempt with [`Exercise::check`], so they always agree.

use super::engine::Simulation;
use super::goal::{ConditionResult, Goal};
use super::presets;
use super::problem::Problem;
use super::report::Report;
use super::scenario::{Scenario, ScenarioError, error, json_node_mut, read_value};
use crate::text::Lang;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Most settings an exercise may open up, and most hints it may give.
pub const MAX_ALLOWED: usize = 32;
pub const MAX_HINTS: usize = 10;
/// Longest exercise file read, so a pasted blob cannot stall the page.
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// A text in several languages; English is always present.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LocalText {
    by_tag: BTreeMap<String, String>,
}

impl LocalText {
    /// The text in `lang`, or the English text: the same fallback as every other text.
    pub fn get(&self, lang: Lang) -> &str {
        self.by_tag
            .get(lang.tag())
            .or_else(|| self.by_tag.get(Lang::En.tag()))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Whether the text is written in `lang` (not just falling back).
    pub fn has(&self, lang: Lang) -> bool {
        self.by_tag
            .get(lang.tag())
            .is_some_and(|t| !t.trim().is_empty())
    }

    fn from_value(value: &Value, field: &str) -> Result<LocalText, ScenarioError> {
        match value {
            Value::String(text) => Ok(LocalText {
                by_tag: BTreeMap::from([("en".to_string(), text.clone())]),
            }),
            Value::Object(map) => {
                let mut by_tag = BTreeMap::new();
                for (tag, text) in map {
                    let Value::String(text) = text else {
                        return Err(error(
                            format!("{field}.{tag}"),
                            Problem::ExpectedText {
                                got: text.to_string(),
                            },
                        ));
                    };
                    by_tag.insert(tag.clone(), text.clone());
                }
                if !by_tag.contains_key("en") {
                    return Err(error(field, Problem::NeedsEnglishText {}));
                }
                Ok(LocalText { by_tag })
            }
            _ => Err(error(field, Problem::TextOrTranslations {})),
        }
    }
}

/// The file as written, before the scenario is resolved and the goal parsed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseFile {
    name: String,
    title: Value,
    #[serde(default)]
    brief: Option<Value>,
    scenario: Value,
    allowed: Vec<String>,
    goal: String,
    #[serde(default)]
    hints: Vec<Value>,
}

/// A loaded exercise.
#[derive(Clone, Debug)]
pub struct Exercise {
    pub name: String,
    pub title: LocalText,
    pub brief: LocalText,
    /// The starting scenario, before the learner's settings.
    pub scenario: Scenario,
    /// Dotted setting paths the learner may change.
    pub allowed: Vec<String>,
    pub goal: Goal,
    pub hints: Vec<LocalText>,
    /// The file as read, so the exercise can be exported in the same format.
    pub source: Value,
}

/// The learner's changes: dotted path → JSON value.
pub type Settings = BTreeMap<String, Value>;

/// Pass or fail, and every condition with the values it saw.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub passed: bool,
    pub conditions: Vec<ConditionResult>,
    pub report: Report,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", if self.passed { "PASS" } else { "FAIL" })?;
        for condition in &self.conditions {
            writeln!(f, "  {condition}")?;
        }
        Ok(())
    }
}

impl Exercise {
    /// Reads and checks an exercise file: its scenario is valid, its goal parses and
    /// names only metrics the report has, and every allowed setting exists.
    pub fn from_json(text: &str) -> Result<Exercise, ScenarioError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(error(
                "",
                Problem::FileTooLarge {
                    max: MAX_FILE_BYTES.to_string(),
                },
            ));
        }
        let source: Value =
            serde_json::from_str(text).map_err(|err| error("", Problem::from_json_error(&err)))?;
        let file: ExerciseFile = read_value(source.clone())?;
        if file.name.trim().is_empty() {
            return Err(error("name", Problem::NotEmpty {}));
        }
        let scenario = resolve_scenario(&file.scenario)?;
        if file.allowed.len() > MAX_ALLOWED {
            return Err(error(
                "allowed",
                Problem::too_many(MAX_ALLOWED, file.allowed.len()),
            ));
        }
        if file.hints.len() > MAX_HINTS {
            return Err(error(
                "hints",
                Problem::too_many(MAX_HINTS, file.hints.len()),
            ));
        }
        let mut scenario_json = scenario.settings_json();
        for (index, path) in file.allowed.iter().enumerate() {
            // A fault's time or a deploy's compatibility may be moved; the timeline's shape not.
            let in_timeline = path.starts_with("faults");
            let fault_field = path.ends_with(".at_ms") || path.ends_with(".compatibility");
            let settable = (!in_timeline || fault_field && path.split('.').count() == 3)
                && !matches!(path.as_str(), "name" | "seed" | "expect" | "description");
            if !settable || json_node_mut(&mut scenario_json, path).is_none() {
                return Err(error(
                    format!("allowed[{index}]"),
                    Problem::NotAScenarioSetting { path: path.clone() },
                ));
            }
        }
        let goal = Goal::parse(&file.goal).map_err(|e| error("goal", e.problem))?;
        let empty_report = Simulation::new(scenario.clone())
            .map_err(|e| e.within("scenario", "."))?
            .report()
            .metrics_json();
        goal.check_paths(&empty_report)
            .map_err(|e| error("goal", e.problem))?;
        let hints = file
            .hints
            .iter()
            .enumerate()
            .map(|(i, hint)| LocalText::from_value(hint, &format!("hints[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let brief = match &file.brief {
            Some(brief) => LocalText::from_value(brief, "brief")?,
            None => LocalText::default(),
        };
        Ok(Exercise {
            source,
            name: file.name,
            title: LocalText::from_value(&file.title, "title")?,
            brief,
            scenario,
            allowed: file.allowed,
            goal,
            hints,
        })
    }

    /// The exercise file again, pretty-printed: `from_json` reads it back to the same exercise.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.source).unwrap_or_default()
    }

    /// Reads a settings file: one JSON object from setting path to value.
    pub fn settings_from_json(text: &str) -> Result<Settings, ScenarioError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(error(
                "",
                Problem::FileTooLarge {
                    max: MAX_FILE_BYTES.to_string(),
                },
            ));
        }
        let value: Value =
            serde_json::from_str(text).map_err(|err| error("", Problem::from_json_error(&err)))?;
        match value {
            Value::Object(map) => Ok(map.into_iter().collect()),
            _ => Err(error("", Problem::SettingsObject {})),
        }
    }

    /// The starting value of each allowed setting, for the UI's controls.
    pub fn current_values(&self, settings: &Settings) -> Vec<(String, Value)> {
        let mut json = self.scenario.settings_json();
        self.allowed
            .iter()
            .map(|path| {
                let value = settings
                    .get(path)
                    .cloned()
                    .or_else(|| json_node_mut(&mut json, path).map(|v| v.clone()))
                    .unwrap_or(Value::Null);
                (path.clone(), value)
            })
            .collect()
    }

    /// The scenario with the learner's settings applied, validated as any scenario is.
    pub fn scenario_with(&self, settings: &Settings) -> Result<Scenario, ScenarioError> {
        self.scenario
            .with_values(settings, |path| {
                self.allowed
                    .iter()
                    .any(|a| a == path)
                    .then_some(())
                    .ok_or_else(|| Problem::NotAllowedSetting {
                        allowed: self.allowed.join(", "),
                    })
            })
            .map_err(|e| e.within("settings", "."))
    }

    /// Runs the scenario with `settings` to its end and judges the goal.
    pub fn check(&self, settings: &Settings) -> Result<Verdict, ScenarioError> {
        let scenario = self.scenario_with(settings)?;
        let mut sim = Simulation::new(scenario).map_err(|e| e.within("settings", "."))?;
        sim.run_to_end();
        let report = sim.report();
        let outcome = self
            .goal
            .evaluate(&report.metrics_json())
            .map_err(|e| error("goal", e.problem))?;
        Ok(Verdict {
            passed: outcome.passed,
            conditions: outcome.conditions,
            report,
        })
    }
}

/// A preset name, or a scenario written inline.
fn resolve_scenario(value: &Value) -> Result<Scenario, ScenarioError> {
    match value {
        Value::String(name) => presets::preset(name).ok_or_else(|| {
            let known: Vec<&str> = presets::PRESETS.iter().map(|(n, _)| *n).collect();
            error(
                "scenario",
                Problem::NoSuchPreset {
                    name: name.clone(),
                    presets: known.join(", "),
                },
            )
        }),
        Value::Object(_) => {
            Scenario::from_json(&value.to_string()).map_err(|e| e.within("scenario", "."))
        }
        _ => Err(error("scenario", Problem::PresetOrScenario {})),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exercise(patch: Value) -> Result<Exercise, ScenarioError> {
        let mut file = json!({
            "name": "dupes",
            "title": { "en": "No duplicates", "ja": "重複なし" },
            "scenario": "at-least-once",
            "allowed": ["event.idempotent", "event.commit", "services.analytics.workers"],
            "goal": "event.effects.duplicated == 0",
            "hints": ["Idempotence deduplicates by event id."]
        });
        for (key, value) in patch.as_object().unwrap() {
            file[key] = value.clone();
        }
        Exercise::from_json(&file.to_string())
    }

    #[test]
    fn the_starting_settings_fail_and_the_fix_passes() {
        let exercise = exercise(json!({})).unwrap();
        let verdict = exercise.check(&Settings::new()).unwrap();
        assert!(!verdict.passed);
        assert!(
            verdict
                .to_string()
                .contains("FAILS: event.effects.duplicated == 0")
        );
        let fix = Settings::from([("event.idempotent".to_string(), json!(true))]);
        assert!(exercise.check(&fix).unwrap().passed);
    }

    #[test]
    fn an_exported_exercise_reads_back_the_same() {
        for (name, _) in crate::sim::exercises::EXERCISES {
            let exercise = crate::sim::exercises::exercise(name).unwrap();
            let again = Exercise::from_json(&exercise.to_json()).unwrap();
            assert_eq!(again.name, exercise.name);
            assert_eq!(again.scenario, exercise.scenario);
            assert_eq!(again.allowed, exercise.allowed);
            assert_eq!(again.title, exercise.title);
            assert_eq!(again.hints, exercise.hints);
        }
    }

    #[test]
    fn texts_fall_back_to_english() {
        let exercise = exercise(json!({})).unwrap();
        assert_eq!(exercise.title.get(Lang::Ja), "重複なし");
        assert_eq!(exercise.title.get(Lang::ZhHant), "No duplicates");
        assert!(!exercise.title.has(Lang::ZhHant));
        assert_eq!(
            exercise.hints[0].get(Lang::Ja),
            "Idempotence deduplicates by event id."
        );
    }

    #[test]
    fn services_are_picked_by_name() {
        let exercise = exercise(json!({})).unwrap();
        let settings = Settings::from([("services.analytics.workers".to_string(), json!(3))]);
        let scenario = exercise.scenario_with(&settings).unwrap();
        assert_eq!(scenario.services[3].workers, 3);
    }

    #[test]
    fn bad_files_name_the_field() {
        let field = |patch: Value| exercise(patch).unwrap_err().field;
        assert_eq!(field(json!({ "scenario": "nope" })), "scenario");
        assert_eq!(
            field(json!({ "scenario": { "services": [] } })),
            "scenario.services"
        );
        assert_eq!(
            field(json!({ "allowed": ["event.acks", "event.ackz"] })),
            "allowed[1]"
        );
        assert_eq!(field(json!({ "allowed": ["faults"] })), "allowed[0]");
        assert_eq!(field(json!({ "goal": "event.effects.lots == 0" })), "goal");
        assert_eq!(field(json!({ "goal": "event.effects.lost =" })), "goal");
        assert_eq!(field(json!({ "title": { "ja": "x" } })), "title");
        assert_eq!(field(json!({ "hints": [3] })), "hints[0]");
        assert_eq!(field(json!({ "extra": 1 })), "extra");
        assert!(Exercise::from_json("{").is_err());
        assert!(Exercise::from_json("[]").is_err());
    }

    #[test]
    fn settings_outside_the_allowed_list_or_invalid_are_refused_by_name() {
        let exercise = exercise(json!({})).unwrap();
        let refused = |key: &str, value: Value| {
            exercise
                .check(&Settings::from([(key.to_string(), value)]))
                .unwrap_err()
        };
        let err = refused("event.acks", json!("0"));
        assert_eq!(err.field, "settings.event.acks");
        assert!(err.message().contains("event.idempotent"), "{err}");
        let err = refused("event.commit", json!("sometimes"));
        assert_eq!(err.field, "settings.event.commit", "{err}");
        let err = refused("services.analytics.workers", json!(-1));
        assert!(err.field.starts_with("settings.services"), "{err}");
        assert!(Exercise::settings_from_json("[1]").is_err());
    }
}
