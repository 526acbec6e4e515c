//! Fuzzing the decoders: random bytes and near-valid JSON, goals and URLs never panic, and every failure says what is wrong.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use ripple::live::embed::{Command, EmbedOptions};
use ripple::live::share::SharedView;
use ripple::sim::Scenario;
use ripple::sim::exercise::Exercise;
use ripple::sim::exercises::EXERCISES;
use ripple::sim::goal::Goal;
use ripple::sim::presets::PRESETS;

/// One small edit to a valid text: delete a span, insert junk, or swap a digit run for another number.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Number { nth: usize, value: String },
}

fn edit() -> impl Strategy<Value = Edit> {
    let junk = prop_oneof![
        Just("\"".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just("[]".to_string()),
        Just("null".to_string()),
        Just("-1".to_string()),
        Just("1e309".to_string()),
        Just("\"x\": 1,".to_string()),
        Just("%".to_string()),
        Just("&".to_string()),
        Just("=".to_string()),
        "[ -~]{1,6}".prop_map(|s| s),
        "\\PC{1,3}".prop_map(|s| s),
    ];
    let number = prop_oneof![
        Just("0".to_string()),
        Just("-0.5".to_string()),
        Just("1e30".to_string()),
        Just("18446744073709551616".to_string()),
        Just("4294967295".to_string()),
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), junk).prop_map(|(at, text)| Edit::Insert { at, text }),
        (any::<usize>(), number).prop_map(|(nth, value)| Edit::Number { nth, value }),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for edit in edits {
        match edit {
            Edit::Delete { at, len } => {
                let start = boundary(&text, *at);
                let end = boundary(&text, (start + len).min(text.len()));
                text.replace_range(start..end.max(start), "");
            }
            Edit::Insert { at, text: junk } => {
                let at = boundary(&text, *at);
                text.insert_str(at, junk);
            }
            Edit::Number { nth, value } => {
                let runs: Vec<(usize, usize)> = text
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_digit())
                    .map(|(i, _)| (i, i + 1))
                    .collect();
                if let Some(&(start, _)) = runs.get(nth % runs.len().max(1)) {
                    let end = text[start..]
                        .find(|c: char| !c.is_ascii_digit())
                        .map_or(text.len(), |e| start + e);
                    text.replace_range(start..end, value);
                }
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_any_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Scenario::from_json(&text) { prop_assert!(!e.message().is_empty()); }
        if let Err(e) = Exercise::from_json(&text) { prop_assert!(!e.message().is_empty()); }
        if let Err(e) = Exercise::settings_from_json(&text) { prop_assert!(!e.message().is_empty()); }
        if let Err(e) = Goal::parse(&text) { prop_assert!(!e.message().is_empty()); }
        if let Err(e) = SharedView::decode(&text) { prop_assert!(!e.message().is_empty() && !e.param.is_empty()); }
        if let Err(e) = EmbedOptions::decode(&text) { prop_assert!(!e.message().is_empty() && !e.param.is_empty()); }
        if let Some(Err(e)) = Command::from_json(&text) { prop_assert!(!e.message.is_empty() && !e.field.is_empty()); }
    }

    #[test]
    fn near_valid_embed_options_and_commands_are_read_or_refused_with_a_message(
        edits in proptest::collection::vec(edit(), 1..4), which in 0..4usize
    ) {
        let options = apply("?preset=killed-consumer&embed=1&panels=sync,charts&controls=play,timeline&autoplay=0&allow=http://127.0.0.1:9000", &edits);
        if let Err(e) = EmbedOptions::decode(&options) { prop_assert!(!e.message().is_empty() && !e.param.is_empty()); }
        let commands = [
            r#"{"type":"ripple:play"}"#,
            r#"{"type":"ripple:seek","t":12.5}"#,
            r#"{"type":"ripple:inject","action":{"action":"slow","target":"email","factor":4}}"#,
            r#"{"type":"ripple:inject","action":{"action":"configure","set":{"event.acks":"all"}}}"#,
        ];
        let command = apply(commands[which], &edits);
        if let Some(Err(e)) = Command::from_json(&command) {
            prop_assert!(!e.message.is_empty() && !e.field.is_empty(), "empty message for {command}");
        }
    }

    #[test]
    fn near_valid_scenarios_are_read_or_refused_with_a_message(
        preset in 0..PRESETS.len(), edits in proptest::collection::vec(edit(), 1..4)
    ) {
        let text = apply(PRESETS[preset].1, &edits);
        match Scenario::from_json(&text) {
            Ok(scenario) => prop_assert!(scenario.validate().is_ok()),
            Err(e) => prop_assert!(!e.message().is_empty(), "empty message for {text}"),
        }
    }

    #[test]
    fn near_valid_exercises_are_read_or_refused_with_a_message(
        exercise in 0..EXERCISES.len(), edits in proptest::collection::vec(edit(), 1..4)
    ) {
        let text = apply(EXERCISES[exercise].1, &edits);
        if let Err(e) = Exercise::from_json(&text) {
            prop_assert!(!e.message().is_empty(), "empty message for {text}");
        }
    }

    #[test]
    fn near_valid_goals_and_links_are_read_or_refused_with_a_message(
        edits in proptest::collection::vec(edit(), 1..4), which in 0..3usize
    ) {
        let goal = apply("event.effects.lost == 0 && sync.latency_ms.p99 < 1000.5 || event.max_lag >= 10", &edits);
        if let Err(e) = Goal::parse(&goal) { prop_assert!(!e.message().is_empty()); }
        let links = [
            "?preset=killed-consumer&t=12.5",
            "?preset=signup&seed=99&a=W3siYXRfbXMiOjIwMDAwLjEyMywiYWN0aW9uIjoia2lsbCIsInRhcmdldCI6ImFuYWx5dGljcyJ9XQ&t=25.000017&lang=ja",
            "?s=eyJzZXJ2aWNlcyI6W3sibmFtZSI6ImEifV19&t=1",
        ];
        let link = apply(links[which], &edits);
        match SharedView::decode(&link) {
            Ok(view) => { let _ = view.encode(); }
            Err(e) => prop_assert!(!e.message().is_empty() && !e.param.is_empty()),
        }
    }
}
