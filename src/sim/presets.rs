//! Built-in scenarios, shipped as JSON files in the scenario format and listed by `ripple-sim --list-presets`.

use super::scenario::Scenario;

/// Name and JSON text of every preset, in the order the UI lists them.
pub const PRESETS: &[(&str, &str)] = &[
    ("happy-path", include_str!("presets/happy-path.json")),
    (
        "killed-consumer",
        include_str!("presets/killed-consumer.json"),
    ),
    ("hung-leaf", include_str!("presets/hung-leaf.json")),
    ("slow-callee", include_str!("presets/slow-callee.json")),
    ("add-consumer", include_str!("presets/add-consumer.json")),
    ("retry-storm", include_str!("presets/retry-storm.json")),
    ("at-most-once", include_str!("presets/at-most-once.json")),
    ("at-least-once", include_str!("presets/at-least-once.json")),
    (
        "retention-too-short",
        include_str!("presets/retention-too-short.json"),
    ),
    (
        "acks-zero-broker-crash",
        include_str!("presets/acks-zero-broker-crash.json"),
    ),
    ("poison-event", include_str!("presets/poison-event.json")),
    ("scale-out", include_str!("presets/scale-out.json")),
    ("ordering", include_str!("presets/ordering.json")),
    (
        "rebuild-from-earliest",
        include_str!("presets/rebuild-from-earliest.json"),
    ),
    ("quiet-system", include_str!("presets/quiet-system.json")),
    ("lost-batch", include_str!("presets/lost-batch.json")),
    (
        "breaking-change",
        include_str!("presets/breaking-change.json"),
    ),
    (
        "schema-registry",
        include_str!("presets/schema-registry.json"),
    ),
    ("dual-write", include_str!("presets/dual-write.json")),
    (
        "consistency-under-load",
        include_str!("presets/consistency-under-load.json"),
    ),
    ("signup", include_str!("presets/signup.json")),
];

/// The preset called `name`, parsed.
pub fn preset(name: &str) -> Option<Scenario> {
    PRESETS
        .iter()
        .find(|(preset, _)| *preset == name)
        .map(|(_, json)| {
            Scenario::from_json(json).expect("presets are valid; a test checks every one")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_is_named_after_its_file() {
        for (name, json) in PRESETS {
            let scenario =
                Scenario::from_json(json).unwrap_or_else(|e| panic!("preset {name}: {e}"));
            assert_eq!(&scenario.name, name);
        }
    }
}
