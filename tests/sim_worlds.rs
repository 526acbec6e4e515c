//! The two worlds compared: a cascade on one side and lag on the other, same faults, same ledger.

mod common;

use common::merge;
use ripple::sim::{Scenario, Simulation, presets};
use serde_json::json;

fn preset_with(name: &str, patch: serde_json::Value) -> Scenario {
    let mut value =
        serde_json::to_value(presets::preset(name).expect("preset exists")).expect("serialises");
    merge(&mut value, patch);
    Scenario::from_json(&value.to_string()).expect("valid patched preset")
}

#[test]
fn a_hung_leaf_cascades_in_the_sync_world_and_only_lags_in_the_event_world() {
    // template hangs at 5 s and never comes back; 10 s timeouts, no retries.
    let scenario = preset_with(
        "hung-leaf",
        json!({ "duration_ms": 40000, "faults": [{ "at_ms": 5000, "action": "hang", "target": "template" }] }),
    );
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.run_to_end();
    let report = sim.report();
    let sync = &report.sync;
    assert!(
        sync.failed * 2 > sync.requests,
        "most sync requests fail: {} of {}",
        sync.failed,
        sync.requests
    );
    let logins = &sync.by_kind["login"];
    assert!(
        logins.failed * 2 > logins.requests,
        "logins never call template, yet most fail: {} of {}",
        logins.failed,
        logins.requests
    );
    assert_eq!(
        report.event.world.failed, 0,
        "no user-facing failure in the event world"
    );
    assert_eq!(report.event.world.by_kind["login"].failed, 0);
    assert!(
        report.event.groups["email"].lag > 500,
        "the email group stalls: {:?}",
        report.event.groups["email"]
    );
    assert!(
        report.event.groups["cache"].lag < 20,
        "other groups keep up: {:?}",
        report.event.groups["cache"]
    );
}

#[test]
fn after_a_consumer_restarts_its_lag_drains_and_nothing_is_lost() {
    let mut sim = Simulation::new(presets::preset("signup").expect("preset")).expect("valid");
    sim.run_until(ripple::sim::SimTime::from_ms(34_000));
    let lag_while_down = sim.group_lag(3).expect("analytics is a group");
    sim.run_to_end();
    let report = sim.report();
    assert!(
        lag_while_down > 300,
        "analytics down 14 s at 40/s: lag {lag_while_down}"
    );
    assert!(
        report.event.groups["analytics"].lag < 10,
        "drained after restore: {:?}",
        report.event.groups["analytics"]
    );
    assert_eq!(
        report.effects_by_service["analytics"].event.lost, 0,
        "replayed, not lost"
    );
    assert!(
        report.effects_by_service["analytics"].sync.lost > 100,
        "the sync world lost analytics records"
    );
    assert_eq!(report.event.world.failed, 0);
    assert!(report.sync.failed > 100);
}
