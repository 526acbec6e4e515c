//! Every preset runs headless and its key claim (the `expect` goal in its JSON) holds.
#![cfg(not(target_arch = "wasm32"))]

use ripple::sim::goal::Goal;
use ripple::sim::{Simulation, presets};

#[test]
fn every_preset_states_a_claim_and_the_run_bears_it_out() {
    let mut failures = Vec::new();
    for (name, _) in presets::PRESETS {
        let scenario = presets::preset(name).expect("preset parses");
        assert!(!scenario.expect.is_empty(), "preset {name} states no claim");
        let goal = Goal::parse(&scenario.expect).expect("claim parses");
        let seed = scenario.seed;
        let mut sim = Simulation::new(scenario).expect("valid preset");
        sim.run_to_end();
        let report = sim.report().metrics_json();
        let outcome = goal
            .evaluate(&report)
            .unwrap_or_else(|e| panic!("preset {name}: {e}"));
        if !outcome.passed {
            let failed: Vec<String> = outcome.failed().map(|c| c.to_string()).collect();
            failures.push(format!("{name} (seed {seed}): {}", failed.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "claims that do not hold:\n{}",
        failures.join("\n")
    );
}

#[test]
fn at_least_twelve_presets_ship_and_the_cli_lists_them_all() {
    assert!(presets::PRESETS.len() >= 12, "{}", presets::PRESETS.len());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ripple-sim"))
        .arg("--list-presets")
        .output()
        .expect("ripple-sim runs");
    let listed = String::from_utf8_lossy(&output.stdout);
    for (name, _) in presets::PRESETS {
        assert!(
            listed.lines().any(|l| l.starts_with(name)),
            "{name} missing from:\n{listed}"
        );
    }
}

/// Sync successes and failures answered in `[from_ms, to_ms)`, from the core's time buckets.
fn sync_answers(sim: &Simulation, from_ms: u64, to_ms: u64) -> (u64, u64) {
    let width_us = sim.series().width_us();
    sim.series()
        .buckets()
        .iter()
        .filter(|b| b.start_us >= from_ms * 1000 && b.start_us + width_us <= to_ms * 1000)
        .fold((0, 0), |(ok, failed), b| {
            (ok + b.worlds[0].succeeded, failed + b.worlds[0].failed)
        })
}

#[test]
fn the_retry_storm_outlives_its_trigger_until_retries_are_tamed() {
    // Metastable: payments is slow from 10 s to 20 s only, yet retries keep the sync
    // world failing long after. Without retries the same slowdown heals.
    let storm = presets::preset("retry-storm").expect("preset");
    let mut sim = Simulation::new(storm.clone()).expect("valid");
    sim.run_to_end();
    let (before_ok, before_failed) = sync_answers(&sim, 0, 10_000);
    let (after_ok, after_failed) = sync_answers(&sim, 30_000, 60_000);
    assert!(
        before_failed * 50 < before_ok,
        "healthy before: {before_ok} ok, {before_failed} failed"
    );
    assert!(
        after_failed > after_ok,
        "still failing 10 s after the trigger: {after_ok} ok, {after_failed} failed"
    );

    let mut calm = storm;
    calm.sync.retry.max_retries = 0;
    let mut sim = Simulation::new(calm).expect("valid");
    sim.run_to_end();
    let (after_ok, after_failed) = sync_answers(&sim, 30_000, 60_000);
    assert!(
        after_failed * 20 < after_ok,
        "without retries it heals: {after_ok} ok, {after_failed} failed"
    );
}

#[test]
fn one_partition_keeps_a_total_order_and_six_do_not() {
    let mut ordering = presets::preset("ordering").expect("preset");
    ordering.duration_ms = 20_000;
    let out_of_order = |partitions: u32| {
        let mut scenario = ordering.clone();
        scenario.event.partitions = partitions;
        let mut sim = Simulation::new(scenario).expect("valid");
        sim.run_to_end();
        sim.report().event.groups["analytics"].out_of_order
    };
    assert_eq!(out_of_order(1), 0);
    assert!(out_of_order(6) > 20);
}

#[test]
fn a_fault_episode_carries_the_damage_each_world_took_and_when_the_lag_drained() {
    let mut sim = Simulation::new(presets::preset("killed-consumer").unwrap()).unwrap();
    sim.run_to_end();
    let report = sim.report();
    let [episode] = report.episodes.as_slice() else {
        panic!("one kill/restore, one episode: {:?}", report.episodes)
    };
    assert_eq!(episode.target, "analytics");
    assert_eq!(
        (episode.started_ms, episode.restored_ms),
        (20_000.0, Some(35_000.0))
    );
    // Every failure of this run happened because of the kill.
    assert_eq!(episode.sync.failed, report.sync.failed);
    assert_eq!(episode.sync.lost, report.sync.effects.lost);
    assert_eq!((episode.event.failed, episode.event.lost), (0, 0));
    assert_eq!(episode.lag_peak, report.event.max_lag);
    let drained = episode.drained_ms.expect("the lag drains");
    // Restored at 35 s; the old members' sessions expire at 65 s, then it rebalances and drains.
    assert!((65_000.0..75_000.0).contains(&drained), "{drained}");
    assert!(episode.settled_ms.unwrap() >= drained);
}
