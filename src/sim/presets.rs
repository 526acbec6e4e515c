//! Built-in scenarios, shipped as JSON files in the scenario format and listed by `ripple-sim --list-presets`.

use super::scenario::Scenario;

/// Name and JSON text of every preset, in the order the UI lists them.
pub const PRESETS: &[(&str, &str)] = &[
    ("happy-path", include_str!("presets/happy-path.json")),
    ("signup", include_str!("presets/signup.json")),
    ("hung-leaf", include_str!("presets/hung-leaf.json")),
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
