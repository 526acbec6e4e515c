//! An exercise verdict in words: the headline and one line per condition, shared by the
//! workshop panel and `ripple-sim --check --lang`.

use super::{Key, Locale, format_number};
use crate::sim::goal::{ConditionResult, Operand, show_number};

/// "Passed: every condition holds." or "Not yet: N condition(s) do not hold."
pub fn verdict_headline(locale: Locale, conditions: &[ConditionResult]) -> String {
    let failed = conditions.iter().filter(|c| !c.holds).count();
    if failed == 0 {
        locale.text(Key::WorkshopPassed).to_string()
    } else {
        locale.fill(Key::WorkshopFailed, &[("count", &failed.to_string())])
    }
}

/// "fails: event.effects.lost == 0 (event.effects.lost is 12)": the comparison as written,
/// and the value each metric had.
pub fn condition_line(locale: Locale, condition: &ConditionResult) -> String {
    let values: Vec<String> = [
        (&condition.comparison.left, condition.left_value),
        (&condition.comparison.right, condition.right_value),
    ]
    .into_iter()
    .filter_map(|(operand, value)| match operand {
        Operand::Metric(path) => {
            let shown = if value.fract() == 0.0 {
                format_number(locale, value, 0)
            } else {
                show_number(value)
            };
            Some(locale.fill(Key::ConditionValue, &[("metric", path), ("value", &shown)]))
        }
        Operand::Number(_) => None,
    })
    .collect();
    let mark = locale.text(if condition.holds {
        Key::ConditionHolds
    } else {
        Key::ConditionFails
    });
    if values.is_empty() {
        format!("{mark}: {}", condition.comparison)
    } else {
        format!("{mark}: {} ({})", condition.comparison, values.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::goal::Goal;
    use serde_json::json;

    #[test]
    fn a_verdict_reads_in_each_language_with_the_values_seen() {
        let report = json!({"event": {"effects": {"lost": 12, "duplicated": 0}}});
        let outcome = Goal::parse("event.effects.lost == 0 && event.effects.duplicated == 0")
            .unwrap()
            .evaluate(&report)
            .unwrap();
        assert_eq!(
            verdict_headline(Locale::En, &outcome.conditions),
            "Not yet: 1 condition(s) do not hold."
        );
        assert_eq!(
            condition_line(Locale::Ja, &outcome.conditions[0]),
            "不成立: event.effects.lost == 0 (event.effects.lost は 12)"
        );
        assert_eq!(
            verdict_headline(Locale::ZhHant, &outcome.conditions[1..]),
            "通過：所有條件都成立。"
        );
    }
}
