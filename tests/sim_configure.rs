//! The `configure` action: live settings change mid-run, from that moment on, in both worlds.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::one_group;
use ripple::sim::scenario::{Fault, read_value};
use ripple::sim::trace::TraceKind;
use ripple::sim::{Scenario, SimTime, Simulation};
use serde_json::json;

/// A `configure` fault as files write it.
fn configure(at_ms: f64, set: serde_json::Value) -> Fault {
    read_value(json!({ "at_ms": at_ms, "action": "configure", "set": set })).unwrap()
}

fn run_to(scenario: Scenario, ms: u64) -> Simulation {
    let mut sim = Simulation::new(scenario).unwrap();
    sim.run_until(SimTime::from_ms(ms));
    sim
}

#[test]
fn a_rate_change_takes_effect_at_its_time_and_not_before() {
    let base = one_group(json!({}));
    let mut changed = base.clone();
    changed.faults.push(configure(
        10_000.0,
        json!({ "workload.arrivals.rate_per_s": 500 }),
    ));
    // Before the change, the two runs are the same run.
    let (a, b) = (
        run_to(base.clone(), 10_000),
        run_to(changed.clone(), 10_000),
    );
    assert_eq!(a.report().sync.requests, b.report().sync.requests);
    let before = b.report().sync.requests;
    let after = run_to(changed, 20_000).report().sync.requests - before;
    // 50/s then 500/s: ten times as many requests in the second ten seconds, within 20%.
    let ratio = after as f64 / before as f64;
    assert!(
        (8.0..12.0).contains(&ratio),
        "requests before {before}, after {after}"
    );
}

#[test]
fn switching_to_auto_commit_mid_run_commits_on_its_interval_once() {
    let mut scenario = one_group(json!({
        "event": { "commit": "after_processing", "auto_commit_interval_ms": 1000 }
    }));
    scenario
        .faults
        .push(configure(5_000.0, json!({ "event.commit": "auto" })));
    // Toggling back and forth must not queue a second ticker.
    scenario.faults.push(configure(
        6_000.0,
        json!({ "event.commit": "after_processing" }),
    ));
    scenario
        .faults
        .push(configure(6_000.5, json!({ "event.commit": "auto" })));
    let sim = run_to(scenario, 20_000);
    let (events, _) = sim.trace().since(0);
    let commits_after_10s: Vec<u64> = events
        .filter(|e| e.time_us >= 10_000_000)
        .filter_map(|e| match e.kind {
            TraceKind::Committed { partition: 0, .. } => Some(e.time_us),
            _ => None,
        })
        .collect();
    // Auto-commit commits partition 0 at most once per tick: about ten ticks in ten seconds.
    assert!(
        (8..=11).contains(&commits_after_10s.len()),
        "commits of partition 0 after 10 s at {commits_after_10s:?}"
    );
    let gaps_ok = commits_after_10s.windows(2).all(|w| w[1] - w[0] >= 999_000);
    assert!(
        gaps_ok,
        "one ticker, one commit a second: {commits_after_10s:?}"
    );
}

#[test]
fn an_injected_configure_equals_the_same_configure_in_the_scenario() {
    let base = one_group(json!({}));
    let action = configure(
        7_000.0,
        json!({ "event.acks": "all", "sync.timeout_ms": 50 }),
    );
    let mut live = Simulation::new(base.clone()).unwrap();
    live.run_until(SimTime::from_ms(7_000));
    live.inject(action.action.clone()).unwrap();
    live.run_until(SimTime::from_ms(15_000));
    let mut scripted = base;
    scripted.faults.push(action);
    let scripted = run_to(scripted, 15_000);
    assert_eq!(live.trace().hash_hex(), scripted.trace().hash_hex());
    assert_eq!(
        scripted.scenario().event.acks,
        ripple::sim::scenario::Acks::All
    );
    assert_eq!(scripted.scenario().sync.timeout_ms, 50.0);
}

#[test]
fn settings_fixed_at_the_start_or_bad_values_are_refused_by_name() {
    let cases = [
        (
            json!({ "event.partitions": 8 }),
            "faults[0].set.event.partitions",
        ),
        (json!({ "event.acks": "most" }), "faults[0].set.event.acks"),
        (
            json!({ "sync.timeout_ms": -5 }),
            "faults[0].set.sync.timeout_ms",
        ),
        (json!({ "sync.nonsense": 1 }), "faults[0].set.sync.nonsense"),
        (json!({}), "faults[0].set"),
    ];
    for (set, field) in cases {
        let fault = json!({ "at_ms": 1_000.0, "action": "configure", "set": set });
        let mut scenario = serde_json::to_value(one_group(json!({}))).unwrap();
        scenario["faults"] = json!([fault]);
        let error = Scenario::from_json(&scenario.to_string()).unwrap_err();
        assert_eq!(error.field, field, "{set}: {error}");
        // A value that reads but is out of range is refused by a live inject too, and the
        // run is unchanged; one that does not read never becomes an action.
        let Ok(fault) = read_value::<Fault>(fault) else {
            continue;
        };
        let mut sim = Simulation::new(one_group(json!({}))).unwrap();
        sim.run_until(SimTime::from_ms(1_000));
        assert!(sim.inject(fault.action).is_err());
        assert!(sim.scenario().faults.is_empty());
    }
}
