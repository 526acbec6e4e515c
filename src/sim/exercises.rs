//! Built-in workshop exercises, shipped as JSON files in the exercise format and listed by `ripple-sim --list-exercises`.

use super::exercise::Exercise;

/// Name and JSON text of every shipped exercise, in the order the UI lists them.
pub const EXERCISES: &[(&str, &str)] = &[
    (
        "survive-dead-analytics",
        include_str!("exercises/survive-dead-analytics.json"),
    ),
    (
        "stop-retry-storm",
        include_str!("exercises/stop-retry-storm.json"),
    ),
    (
        "no-loss-no-duplicates",
        include_str!("exercises/no-loss-no-duplicates.json"),
    ),
    (
        "survive-broker-crash",
        include_str!("exercises/survive-broker-crash.json"),
    ),
    (
        "keep-up-by-scaling",
        include_str!("exercises/keep-up-by-scaling.json"),
    ),
    (
        "p99-under-hung-leaf",
        include_str!("exercises/p99-under-hung-leaf.json"),
    ),
    (
        "consistency-under-bound",
        include_str!("exercises/consistency-under-bound.json"),
    ),
    (
        "ship-a-breaking-change",
        include_str!("exercises/ship-a-breaking-change.json"),
    ),
];

/// The JSON text of the shipped exercise called `name`.
pub fn source(name: &str) -> Option<&'static str> {
    EXERCISES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, json)| *json)
}

/// The shipped exercise called `name`, loaded.
pub fn exercise(name: &str) -> Option<Exercise> {
    source(name).map(|json| {
        Exercise::from_json(json).expect("shipped exercises are valid; a test checks every one")
    })
}
