//! Golden trace: the first events of the default preset and its whole-run hash, kept in tests/golden/.
//!
//! A change to the engine that alters any simulated behaviour changes these. When
//! that is intended, regenerate with `RIPPLE_BLESS=1 cargo test --test golden`
//! and review the diff of tests/golden/ like any other change.
#![cfg(not(target_arch = "wasm32"))]

use ripple::sim::{Simulation, presets};

const HEAD_EVENTS: usize = 60;

fn golden_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn the_default_preset_replays_its_golden_trace() {
    let mut sim =
        Simulation::with_trace_capacity(presets::preset("signup").expect("preset"), 1_000)
            .expect("valid");
    sim.run_until(ripple::sim::SimTime::from_ms(200));
    let (events, _) = sim.trace().since(0);
    let head: Vec<String> = events
        .take(HEAD_EVENTS)
        .map(|e| serde_json::to_string(e).expect("event serialises"))
        .collect();
    sim.run_to_end();
    let actual = format!("{}\nhash {}\n", head.join("\n"), sim.report().trace_hash);
    let path = golden_path("signup.trace.jsonl");
    if std::env::var_os("RIPPLE_BLESS").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
    }
    let expected =
        std::fs::read_to_string(&path).expect("golden file exists (bless it with RIPPLE_BLESS=1)");
    assert_eq!(
        actual, expected,
        "the default preset no longer replays its golden trace"
    );
}
