//! The two worlds compared: a cascade on one side and lag on the other, same faults, same ledger.
#![cfg(not(target_arch = "wasm32"))]

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
        report.event.groups["cache"].unprocessed < 20,
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
        report.event.groups["analytics"].unprocessed < 10,
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

#[test]
fn bursty_arrivals_average_to_their_phases() {
    // 1 s bursts at 200/s every 4 s, 20/s otherwise: (200 + 3 × 20) / 4 = 65/s on average.
    let scenario = preset_with(
        "signup",
        json!({
            "duration_ms": 400000, "faults": [],
            "workload": { "arrivals": { "kind": "bursty", "rate_per_s": 20, "burst_rate_per_s": 200, "every_ms": 4000, "burst_ms": 1000 } }
        }),
    );
    let mut sim = Simulation::with_trace_capacity(scenario, 0).expect("valid");
    sim.run_to_end();
    let rate = sim.report().sync.requests as f64 / 400.0;
    // 26,000 expected arrivals: a 3 % band is over 5 standard deviations.
    assert!(
        (rate - 65.0).abs() / 65.0 < 0.03,
        "mean rate {rate}/s, expected 65/s"
    );
    let buckets = sim.series().buckets();
    let burst = buckets[0].worlds[0].arrivals;
    let quiet = buckets[2].worlds[0].arrivals;
    assert!(
        burst > 3 * quiet,
        "the first second is a burst: {burst} vs {quiet}"
    );
}

#[test]
fn time_buckets_add_up_to_the_report() {
    let mut sim = Simulation::new(presets::preset("signup").expect("preset")).expect("valid");
    sim.run_to_end();
    let report = sim.report();
    for (world, summary) in [(0, &report.sync), (1, &report.event.world)] {
        let buckets = sim.series().buckets();
        let arrivals: u64 = buckets.iter().map(|b| b.worlds[world].arrivals).sum();
        let failed: u64 = buckets.iter().map(|b| b.worlds[world].failed).sum();
        let succeeded: u64 = buckets.iter().map(|b| b.worlds[world].succeeded).sum();
        assert_eq!(arrivals, summary.requests);
        assert_eq!(failed, summary.failed);
        assert_eq!(succeeded, summary.succeeded);
    }
    // The analytics outage shows in the sync world's failures second by second.
    let sync_failures_during_outage: u64 = sim.series().buckets()[21..35]
        .iter()
        .map(|b| b.worlds[0].failed)
        .sum();
    assert!(sync_failures_during_outage > 100);
    let lag_peak = sim
        .series()
        .buckets()
        .iter()
        .filter_map(|b| b.lag_max.get(3))
        .max()
        .copied()
        .unwrap_or(0);
    assert!(
        lag_peak > 300,
        "analytics lag per bucket peaks during the outage: {lag_peak}"
    );
}

#[test]
fn an_injected_action_acts_like_a_timeline_fault_and_bad_ones_change_nothing() {
    let kill =
        |target: &str| ripple::sim::Action::Kill(ripple::sim::scenario::Target::named(target));
    let quiet = preset_with("signup", json!({ "faults": [], "duration_ms": 30000 }));
    let mut live = Simulation::new(quiet.clone()).expect("valid");
    live.run_until(ripple::sim::SimTime::from_ms(10_000));
    let before = live.report();
    let error = live
        .inject(kill("ghost"))
        .expect_err("an unknown target is refused");
    assert_eq!(error.field, format!("faults[{}].target", 0));
    assert_eq!(live.report(), before, "a refused action changes nothing");
    live.inject(kill("analytics"))
        .expect("a known target is accepted");
    live.run_to_end();

    let planned = preset_with(
        "signup",
        json!({ "duration_ms": 30000, "faults": [{ "at_ms": 10000, "action": "kill", "target": "analytics" }] }),
    );
    let mut timeline = Simulation::new(planned).expect("valid");
    timeline.run_to_end();
    assert_eq!(
        live.report().trace_hash,
        timeline.report().trace_hash,
        "injecting at 10 s = a fault at 10 s"
    );
    assert!(live.report().sync.failed > 100);
}

/// Tolerance: the group restarts at 35 s, but reads again only once the crashed members'
/// sessions expire (45 s after the kill) and it has rebalanced (1 s); the histogram's
/// resolution is about 3 %: the longest wait is that stall plus at most 2.5 s.
#[test]
fn time_to_consistency_is_the_lag_in_time_in_the_event_world_and_zero_in_the_sync_world() {
    let mut sim = Simulation::new(presets::preset("killed-consumer").unwrap()).unwrap();
    sim.run_to_end();
    let report = sim.report();
    let sync = &report.sync.time_to_consistency_ms;
    assert_eq!(
        (sync.p50, sync.p99, sync.max),
        (0.0, 0.0, 0.0),
        "answered after the work, or lost"
    );
    let event = &report.event.world.time_to_consistency_ms;
    // analytics was killed at 20 s and read again from 66 s: an event published at 20 s waited it all.
    assert!(event.max >= 45_000.0 && event.max <= 48_500.0, "{event:?}");
    assert!(
        event.p50 < 50.0,
        "most requests never met the outage: {event:?}"
    );
    assert!(
        event.pending <= 5,
        "the lag drained; only what is in flight at the end waits: {event:?}"
    );
}
