//! Files and share links written before the typed actions still open, read back byte for byte,
//! and run to the same trace: the format is the same format.
//!
//! `fixtures/today-*` were written by the code as it stood on 2026-12-01, with every kind of
//! action (a service and a broker killed, hung, slowed, restored; services added at two
//! levels; a group scaled; a service removed; live settings changed, a whole object among
//! them), and the trace hashes that code ran them to.
#![cfg(not(target_arch = "wasm32"))]

use ripple::live::share::SharedView;
use ripple::sim::scenario::ActionKind;
use ripple::sim::{Scenario, Simulation};

const SCENARIO: &str = include_str!("fixtures/today-scenario.json");
const LINKS: &str = include_str!("fixtures/today-links.txt");

/// The fixture's lines after its comments: scenario hash, preset link, whole link, its hash.
fn link_lines() -> Vec<&'static str> {
    LINKS.lines().filter(|l| !l.starts_with('#')).collect()
}

fn hash_of_run(scenario: Scenario) -> String {
    let mut sim = Simulation::new(scenario).expect("today's scenario is valid");
    sim.run_to_end();
    sim.trace().hash_hex()
}

#[test]
fn an_exported_file_opens_writes_back_the_same_text_and_runs_the_same() {
    let scenario = Scenario::from_json(SCENARIO).expect("today's file opens");
    let kinds: Vec<ActionKind> = scenario.faults.iter().map(|f| f.action.kind()).collect();
    for kind in [
        ActionKind::Kill,
        ActionKind::Hang,
        ActionKind::Slow,
        ActionKind::Restore,
        ActionKind::AddService,
        ActionKind::RemoveService,
        ActionKind::Scale,
        ActionKind::Configure,
    ] {
        assert!(kinds.contains(&kind), "the fixture has a {kind:?}");
    }
    assert_eq!(scenario.to_json(), SCENARIO, "exported as it was");
    assert_eq!(hash_of_run(scenario), link_lines()[0], "the same run");
}

#[test]
fn share_links_open_encode_back_the_same_and_replay_the_same_run() {
    let lines = link_lines();
    for link in [lines[1], lines[2]] {
        let view = SharedView::decode(link).expect("today's link opens");
        assert_eq!(view.encode(), link, "the link is written as it was");
    }
    // The whole-scenario link, its actions replayed on its base, runs as it did.
    let view = SharedView::decode(lines[2]).unwrap();
    let mut scenario = view.base_scenario().expect("a base");
    scenario.faults.extend(view.actions.iter().cloned());
    scenario.duration_ms = 20_000;
    assert_eq!(hash_of_run(scenario), lines[3]);
}
