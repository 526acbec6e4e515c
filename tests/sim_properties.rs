//! Properties over random valid scenarios and fault timelines: the ledger balances, nothing panics, runs repeat exactly.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use ripple::sim::{Scenario, SimTime, Simulation};
use serde_json::{Value, json};

/// A random tree of up to 6 services with random settings for both worlds and a random fault timeline.
fn scenario_strategy() -> impl Strategy<Value = Scenario> {
    let services = 2usize..=6;
    (
        services,
        any::<u64>(),
        prop::collection::vec(0usize..5, 5),
        prop::collection::vec((1u32..6, 0u32..20, 1.0f64..30.0, 0.0f64..0.1, any::<bool>()), 6),
        (0usize..3, 0usize..3, any::<bool>(), 1u32..5, 1u32..4, 0u32..3, any::<bool>(), 0.0f64..0.01),
        prop::collection::vec((0.0f64..3000.0, 0usize..7, 0usize..8), 0..8),
        (10.0f64..300.0, 100.0f64..2000.0),
        // Polls, sessions, the registry, the publish mode and the outbox relay's poll.
        (1u32..600, 100.0f64..3000.0, any::<bool>(), any::<bool>(), 1.0f64..300.0),
    )
        .prop_map(|(count, seed, parents, specs, event, faults, (rate, timeout), costs)| {
            let names: Vec<String> = (0..count).map(|i| format!("s{i}")).collect();
            let mut calls: Vec<Vec<String>> = vec![Vec::new(); count];
            let mut level = vec![1usize; count];
            for child in 1..count {
                // Any earlier service above the core's deepest level (5) may call it.
                let open: Vec<usize> = (0..child).filter(|&p| level[p] < 5).collect();
                let parent = open[parents[child - 1] % open.len()];
                calls[parent].push(names[child].clone());
                level[child] = level[parent] + 1;
            }
            let services: Vec<Value> = (0..count)
                .map(|i| {
                    let (workers, queue, mean, error_rate, sequential) = specs[i];
                    json!({
                        "name": names[i], "workers": workers, "queue_capacity": queue,
                        "service_time_ms": { "kind": "exponential", "mean": mean },
                        "calls": calls[i], "error_rate": error_rate,
                        "call_mode": if sequential { "sequential" } else { "parallel" }
                    })
                })
                .collect();
            let (acks, commit, idempotent, partitions, consumers, retries, dlq, poison) = event;
            let actions = ["kill", "hang", "slow", "restore", "deploy_event_version", "deploy_event_version", "upgrade"];
            let groups: Vec<String> = calls[0].clone();
            let fault_list: Vec<Value> = faults
                .iter()
                .map(|&(at, action, target)| match actions[action] {
                    "deploy_event_version" => {
                        let compatibility = if target % 2 == 0 { "breaking" } else { "compatible" };
                        json!({ "at_ms": at, "action": "deploy_event_version", "compatibility": compatibility })
                    }
                    "upgrade" => json!({ "at_ms": at, "action": "upgrade", "target": groups[target % groups.len()] }),
                    _ => {
                        let target = if target >= count { format!("broker-{}", target % 3) } else { names[target].clone() };
                        let action = if target.starts_with("broker-") && actions[action] != "restore" { "kill" } else { actions[action] };
                        json!({ "at_ms": at, "action": action, "target": target, "factor": 3.0 })
                    }
                })
                .collect();
            let (max_poll_records, session_timeout_ms, schema_registry, outbox, outbox_poll_ms) = costs;
            let publish = if outbox { "outbox" } else { "dual_write" };
            let acks = ["0", "1", "all"][acks];
            let commit = ["before_processing", "after_processing", "auto"][commit];
            let value = json!({
                "seed": seed, "duration_ms": 3000,
                "workload": { "arrivals": { "kind": "poisson", "rate_per_s": rate } },
                "services": services,
                "sync": { "timeout_ms": timeout, "retry": { "max_retries": retries },
                          "circuit_breaker": { "enabled": retries > 0 } },
                "event": {
                    "acks": acks, "commit": commit,
                    "idempotent": idempotent, "partitions": partitions, "consumers": consumers,
                    "dlq": dlq, "poison_rate": poison, "retention_ms": 1500, "auto_commit_interval_ms": 500,
                    "max_poll_records": max_poll_records, "session_timeout_ms": session_timeout_ms,
                    "schema_registry": schema_registry, "publish": publish, "outbox_poll_ms": outbox_poll_ms
                },
                "faults": fault_list
            });
            Scenario::from_json(&value.to_string()).expect("the generator makes valid scenarios")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_balances_in_both_worlds(scenario in scenario_strategy()) {
        let mut sim = Simulation::with_trace_capacity(scenario.clone(), 0).expect("valid");
        // Check mid-run as well as at the end: the invariant holds at every moment.
        sim.run_until(SimTime::from_ms(1_500));
        for report in [sim.report(), { sim.run_to_end(); sim.report() }] {
            for (world, effects) in [("sync", &report.sync.effects), ("event", &report.event.world.effects)] {
                prop_assert!(effects.balances(), "seed {}: {world} ledger does not balance: {effects:?}", scenario.seed);
                let by_reason: u64 = effects.lost_by_reason.iter().sum();
                prop_assert_eq!(by_reason, effects.lost);
            }
            for (name, service) in &report.effects_by_service {
                prop_assert!(service.sync.balances() && service.event.balances(), "seed {}: {name}", scenario.seed);
            }
            prop_assert_eq!(report.sync.requests, report.event.world.requests, "both worlds see the same arrivals");
            prop_assert!(report.sync.succeeded + report.sync.failed <= report.sync.requests);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_trace_hash(scenario in scenario_strategy()) {
        let hash = |s: Scenario| { let mut sim = Simulation::with_trace_capacity(s, 0).expect("valid"); sim.run_to_end(); sim.report().trace_hash };
        prop_assert_eq!(hash(scenario.clone()), hash(scenario.clone()), "seed {}", scenario.seed);
    }

    #[test]
    fn a_cloned_snapshot_continues_exactly_like_the_original(scenario in scenario_strategy()) {
        let mut original = Simulation::with_trace_capacity(scenario.clone(), 0).expect("valid");
        original.run_until(SimTime::from_ms(1_000));
        let mut snapshot = original.clone();
        original.run_to_end();
        snapshot.run_to_end();
        prop_assert_eq!(original.report(), snapshot.report(), "seed {}", scenario.seed);
    }
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let mut a = ripple::sim::presets::preset("signup").expect("preset");
    a.duration_ms = 5_000;
    let mut b = a.clone();
    b.seed += 1;
    let hash = |s: Scenario| {
        let mut sim = Simulation::new(s).expect("valid");
        sim.run_to_end();
        sim.report().trace_hash
    };
    assert_ne!(hash(a), hash(b));
}
