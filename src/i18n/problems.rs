//! The core's refusal messages ([`ProblemCode`]) in the reader's language.
//!
//! The texts are the `problem` section of `src/text/*.json`, the same the CLI prints in
//! English; a test checks every code has all three with the same placeholders. Values
//! (names, numbers, JSON literals, field lists) are the user's own words and stay as written.

use super::Locale;
use crate::sim::{Problem, ProblemCode};
use crate::template::fill_template;

/// The template for `code` in `locale`.
pub fn template(code: ProblemCode, locale: Locale) -> &'static str {
    crate::text::text(locale, "problem", code.name())
}

/// A problem in `locale`, filled with its values.
pub fn problem_text(problem: &Problem, locale: Locale) -> String {
    fill_template(template(problem.code(), locale), &problem.args())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::placeholders;

    #[test]
    fn every_problem_keeps_its_placeholders_in_every_language() {
        for &code in ProblemCode::ALL {
            let mut english = placeholders(code.english());
            english.sort_unstable();
            for locale in Locale::ALL {
                let text = template(code, locale);
                assert!(
                    !text.trim().is_empty(),
                    "{code:?} is empty in {}",
                    locale.tag()
                );
                let mut other = placeholders(text);
                other.sort_unstable();
                assert_eq!(english, other, "{code:?} in {}", locale.tag());
            }
        }
    }

    #[test]
    fn a_refused_scenario_reads_in_each_language_with_its_values() {
        let error =
            crate::sim::Scenario::from_json(r#"{"services": [{"name": "signup", "workers": 0}]}"#)
                .unwrap_err();
        assert_eq!(error.field, "services[0].workers");
        let zh = problem_text(&error.problem, Locale::ZhHant);
        let ja = problem_text(&error.problem, Locale::Ja);
        let max = crate::sim::scenario::limits::MAX_WORKERS;
        assert_eq!(zh, format!("必須介於 1 到 {max} 之間，目前是 0"));
        assert!(ja.contains(&format!("1〜{max}")), "{ja}");
        assert_eq!(problem_text(&error.problem, Locale::En), error.message());
    }

    #[test]
    fn common_mistakes_are_coded_not_left_in_serdes_english() {
        // The kinds of input a person gets wrong by hand: each must map to a coded
        // problem, so it is translated, rather than fall through as serde's text.
        let mistakes = [
            r#"{"services": [{"name": "a"}], "colour": 1}"#,
            r#"{"services": [{"name": "a", "workers": -3}]}"#,
            r#"{"services": [{"name": "a", "workers": "many"}]}"#,
            r#"{"services": [{"name": "a"}], "event": {"acks": "2"}}"#,
            r#"{"services": [{"name": "a"}], "event": {"idempotent": "yes"}}"#,
            r#"{"services": [{"name": "a"}], "workload": {"arrivals": {"kind": "poisson", "rate_per_s": "x"}}}"#,
            r#"{"services": [{"name": "a", "service_time_ms": {"kind": "gamma"}}]}"#,
            r#"{"services": [{"name": "a", "service_time_ms": {"kind": "exponential"}}]}"#,
            r#"{"services": {"name": "a"}}"#,
            r#"{"services": [{"name": "a"}], "event": {"consumers": "two"}}"#,
            r#"{"services": [{"name": "a"}], "faults": [{"at_ms": 1, "action": "explode"}]}"#,
            r#"{"services": [{"name": "a""#,
            r#"{"services": [{"name": "a"}]} extra"#,
            r#"{"services": [{"name": "a",}]}"#,
        ];
        for json in mistakes {
            let error = crate::sim::Scenario::from_json(json).unwrap_err();
            assert_ne!(
                error.problem.code(),
                ProblemCode::Unexplained,
                "{json} gave serde's own words: {error}"
            );
        }
    }
}
