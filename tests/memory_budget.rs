//! The memory budget: time travel's snapshots stay within their bytes however long and hard a run
//! plays, thinning never changes what a seek shows, and every reached cap is reported.

use ripple::live::caps::{Cap, reached};
use ripple::live::timeline::{SNAPSHOT_BUDGET_BYTES, Timeline};
use ripple::live::{Intent, Live};
use ripple::sim::presets::preset;
use ripple::sim::scenario::{Action, Arrivals, Target};
use ripple::sim::{Scenario, SimTime, Simulation};

/// The default topology at `rate_per_s`, with worker pools of 64, for 24 hours.
fn loaded(rate_per_s: f64) -> Scenario {
    let mut scenario = preset("happy-path").unwrap();
    scenario.duration_ms = 24 * 3_600_000;
    scenario.workload.arrivals = Arrivals::Poisson { rate_per_s };
    for service in &mut scenario.services {
        service.workers = 64;
    }
    scenario
}

#[test]
fn the_snapshot_budget_holds_over_an_hour_at_5000_requests_per_second_with_8_branches() {
    let mut live = Live::new(loaded(5_000.0)).unwrap();
    let mut peak = 0;
    // Eight branches of 7.5 simulated minutes each: an hour of play. Each new branch
    // is made by acting one minute in the past of the one before.
    for branch in 0..8u64 {
        let start_us = live.player.sim().now().as_us();
        for step in 1..=45 {
            live.apply(Intent::Seek {
                t_us: start_us + step * 10_000_000,
            })
            .unwrap();
            peak = peak.max(live.timeline.snapshot_bytes());
            assert!(
                live.timeline.snapshot_bytes() <= SNAPSHOT_BUDGET_BYTES,
                "branch {branch}, step {step}: {} bytes",
                live.timeline.snapshot_bytes()
            );
        }
        let now_us = live.player.sim().now().as_us();
        live.apply(Intent::Seek {
            t_us: now_us - 60_000_000,
        })
        .unwrap();
        let analytics = Target::named("analytics");
        let action = if branch % 2 == 0 {
            Action::Kill(analytics)
        } else {
            Action::Restore(analytics)
        };
        live.apply(Intent::Act(action)).unwrap();
    }
    assert_eq!(live.timeline.branches().len(), 8);
    assert!(
        peak > SNAPSHOT_BUDGET_BYTES / 2,
        "the budget was put to use: peak {peak}"
    );
    assert!(live.timeline.thinned_for_budget() > 0);
    assert!(
        reached(&live)
            .iter()
            .any(|c| matches!(c, Cap::Snapshots { .. })),
        "the thinning is reported"
    );
}

#[test]
fn a_seek_after_thinning_equals_a_straight_run() {
    let scenario = loaded(2_000.0);
    let mut sim = Simulation::new(scenario.clone()).unwrap();
    // A budget of 16 MiB forces thinning within the first minute at this load.
    const BUDGET_BYTES: usize = 16 << 20;
    let mut timeline = Timeline::with_budget(&sim, BUDGET_BYTES);
    for tenth in 1..=1_800 {
        sim.run_until(SimTime::from_ms(tenth * 100));
        timeline.record(&sim);
    }
    assert!(
        timeline.thinned_for_budget() > 0,
        "the budget thinned the snapshots"
    );
    assert!(timeline.snapshot_bytes() <= BUDGET_BYTES);
    for t_ms in [1_234, 47_000, 95_550, 133_333, 179_900] {
        let point = timeline.restore_point(t_ms * 1_000);
        assert!(point.pending.is_empty());
        let mut restored = point.sim;
        restored.run_until(SimTime::from_ms(t_ms));
        let mut straight = Simulation::new(scenario.clone()).unwrap();
        straight.run_until(SimTime::from_ms(t_ms));
        assert_eq!(
            restored.trace().hash(),
            straight.trace().hash(),
            "seek to {t_ms} ms (seed {})",
            scenario.seed
        );
        assert_eq!(restored.report(), straight.report(), "seek to {t_ms} ms");
    }
}

#[test]
fn reached_caps_are_reported_with_what_they_dropped() {
    // Consumers at 5,000 requests/s fall far behind: the log's size cap deletes what
    // they have not read (and those effects are lost, reason retention).
    let mut live = Live::new(loaded(5_000.0)).unwrap();
    live.player.run_to(SimTime::from_ms(60_000));
    let report = live.player.sim().report();
    let deleted = report.caps.log_deleted_by_size_cap;
    assert!(deleted > 0, "{:?}", report.caps);
    assert_eq!(
        reached(&live),
        vec![Cap::LogSize {
            kept: 200_000,
            deleted
        }]
    );
    // The simulation stays in proportion to the caps, not to the run's length.
    let bytes = live.player.sim().approx_bytes();
    assert!(bytes < 40 << 20, "the run holds {bytes} bytes");

    // With the log's cap at its limit, the ledger's window fills with requests whose
    // events still wait to be read: past it, the oldest are closed as they stand.
    let mut scenario = loaded(5_000.0);
    scenario.event.max_log_events = 2_000_000;
    let mut live = Live::new(scenario).unwrap();
    live.player.run_to(SimTime::from_ms(60_000));
    let report = live.player.sim().report();
    let folded = report.caps.requests_closed_unsettled;
    assert!(folded > 0, "{:?}", report.caps);
    assert_eq!(
        reached(&live),
        vec![Cap::OpenRequests {
            kept: 250_000,
            folded
        }]
    );
}
