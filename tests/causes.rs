//! Why did it fail: the causes computed for each preset whose lesson is a chain, and a property over random trees.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use ripple::sim::causes::{Cause, Mechanism, RootState, top};
use ripple::sim::presets::preset;
use ripple::sim::trace::World;
use ripple::sim::{Scenario, Simulation};
use serde_json::{Value, json};

fn run(name: &str) -> Simulation {
    let mut sim = Simulation::new(preset(name).expect("shipped preset")).unwrap();
    sim.run_to_end();
    sim
}

/// The run's largest story in `world`.
fn top_cause(sim: &Simulation, world: World) -> Cause {
    let all = top(sim.causes().of(world), 1);
    all.into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {world:?} cause in {}", sim.scenario().name))
}

fn names(chain: &[&str]) -> Vec<String> {
    chain.iter().map(|s| s.to_string()).collect()
}

#[test]
fn hung_leaf_logins_are_rejected_at_signup_because_of_template() {
    let sim = run("hung-leaf");
    let cause = top_cause(&sim, World::Sync);
    assert_eq!(cause.mechanism, Mechanism::QueueFull, "{cause:?}");
    assert!(!cause.at_edge, "sign-up's own queue was full: {cause:?}");
    assert_eq!(cause.chain, names(&["signup", "email", "template"]));
    assert_eq!(
        (cause.root.as_str(), cause.root_state),
        ("template", RootState::Hung)
    );
    assert_eq!(cause.since_ms, Some(15_000.0));
    assert!(
        cause.share > 0.9,
        "sign-up's workers were all waiting on email: {cause:?}"
    );
    let report = sim.report();
    let logins_failed = report.sync.by_kind["login"].failed;
    assert!(
        cause.count > 0 && cause.count <= report.sync.failed,
        "{cause:?}"
    );
    assert!(
        logins_failed > 0 && cause.count >= logins_failed / 2,
        "{cause:?} vs {logins_failed} logins failed"
    );
    let event = top_cause(&sim, World::Event);
    assert_eq!(event.mechanism, Mechanism::WaitingOnCallee, "{event:?}");
    assert_eq!(event.chain, names(&["email", "template"]));
}

#[test]
fn retry_storm_is_blamed_on_the_retries_themselves() {
    let sim = run("retry-storm");
    let cause = top_cause(&sim, World::Sync);
    assert_eq!(
        (cause.root.as_str(), cause.root_state),
        ("payments", RootState::RetryStorm),
        "{cause:?}"
    );
    assert_eq!(cause.chain, names(&["checkout", "payments"]));
    assert!(
        cause.retries > cause.count / 2,
        "the calls failed with their retries spent: {cause:?}"
    );
    // While payments was slowed (10 s to 20 s) the slowdown is the root, not the retries.
    let during = sim
        .causes()
        .of(World::Sync)
        .find(|c| c.overlaps(12_000.0, 12_000.0))
        .unwrap();
    assert_eq!(during.root_state, RootState::Slowed, "{during:?}");
    assert_eq!(during.factor, Some(3.0));
}

#[test]
fn a_poison_event_is_named_with_its_partition_and_offset() {
    let sim = run("poison-event");
    assert_eq!(
        sim.causes().of(World::Sync).count(),
        0,
        "the sync world has nothing to explain"
    );
    let cause = top_cause(&sim, World::Event);
    assert_eq!(cause.mechanism, Mechanism::BlockedPartition, "{cause:?}");
    let (partition, offset) = (cause.partition.unwrap(), cause.offset.unwrap());
    let entry = sim.log_state().partitions()[usize::from(partition)].entry(offset);
    assert!(
        entry.is_some_and(|e| e.poison()),
        "partition {partition} offset {offset} holds the poison event"
    );
}

#[test]
fn a_killed_consumer_is_refused_in_one_world_and_lags_in_the_other() {
    let sim = run("killed-consumer");
    let sync = top_cause(&sim, World::Sync);
    assert_eq!(
        (sync.mechanism, sync.at_edge),
        (Mechanism::Refused, true),
        "{sync:?}"
    );
    assert_eq!(sync.chain, names(&["signup", "analytics"]));
    assert_eq!(
        (sync.root.as_str(), sync.root_state),
        ("analytics", RootState::Killed)
    );
    assert_eq!(
        (sync.at, sync.end_ms()),
        (20_000.0, 35_000.0),
        "the span is the outage: {sync:?}"
    );
    let event = top_cause(&sim, World::Event);
    assert_eq!(event.mechanism, Mechanism::SessionTimeout, "{event:?}");
    assert_eq!(
        (event.at, event.end_ms()),
        (35_000.0, 65_000.0),
        "restarted at 35 s, stalled until the old sessions expired: {event:?}"
    );
    let down = sim
        .causes()
        .of(World::Event)
        .find(|c| c.mechanism == Mechanism::ConsumerDown)
        .expect("the outage itself");
    assert_eq!(
        (down.root.as_str(), down.root_state),
        ("analytics", RootState::Killed)
    );
    assert!(
        down.count > 400,
        "15 s of signups at 40/s piled up: {down:?}"
    );
}

#[test]
fn a_broker_crash_with_acks_zero_loses_events_on_the_broker() {
    let sim = run("acks-zero-broker-crash");
    assert_eq!(sim.causes().of(World::Sync).count(), 0);
    let cause = top_cause(&sim, World::Event);
    assert_eq!(cause.mechanism, Mechanism::LostOnBrokerCrash, "{cause:?}");
    assert_eq!(
        (cause.root.as_str(), cause.root_state),
        ("broker-0", RootState::BrokerDown)
    );
    assert_eq!(
        cause.count,
        sim.report()
            .event
            .world
            .effects
            .lost
            .min(cause.count)
            .max(1)
    );
}

#[test]
fn scale_out_lags_for_too_few_instances_until_it_scales() {
    let sim = run("scale-out");
    let cause = top_cause(&sim, World::Event);
    assert_eq!(cause.mechanism, Mechanism::TooFewInstances, "{cause:?}");
    assert_eq!(cause.chain, names(&["email"]));
    assert!(
        cause.end_ms() <= 21_000.0,
        "nine instances keep up: {cause:?}"
    );
    let later = sim
        .causes()
        .of(World::Event)
        .filter(|c| c.at >= 25_000.0 && c.count > 50);
    assert_eq!(
        later.count(),
        0,
        "{:?}",
        sim.causes().of(World::Event).collect::<Vec<_>>()
    );
}

/// A random tree of 2 to 7 services at a low load, with long timeouts and no retries.
fn quiet_tree(count: usize, parents: &[usize], modes: &[bool], seed: u64) -> Value {
    let names: Vec<String> = (0..count).map(|i| format!("s{i}")).collect();
    let mut calls: Vec<Vec<String>> = vec![Vec::new(); count];
    let mut level = vec![1usize; count];
    for child in 1..count {
        let open: Vec<usize> = (0..child).filter(|&p| level[p] < 5).collect();
        let parent = open[parents[child - 1] % open.len()];
        calls[parent].push(names[child].clone());
        level[child] = level[parent] + 1;
    }
    let services: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "name": names[i], "workers": 4, "queue_capacity": 8,
                "service_time_ms": { "kind": "exponential", "mean": 5 },
                "calls": calls[i],
                "call_mode": if modes[i] { "sequential" } else { "parallel" }
            })
        })
        .collect();
    json!({
        "seed": seed, "duration_ms": 8000,
        "workload": { "arrivals": { "kind": "poisson", "rate_per_s": 30 } },
        "services": services,
        "sync": { "timeout_ms": 60000 },
        "event": { "partitions": 6, "consumers": 6 },
        "faults": []
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Tolerance: none. With long timeouts every failure is a full queue behind the hung
    /// service, so every failure chain must end there, whatever the tree and the seed.
    #[test]
    fn every_failure_chain_ends_at_the_hung_service(
        count in 2usize..=7,
        parents in prop::collection::vec(0usize..6, 6),
        modes in prop::collection::vec(any::<bool>(), 7),
        hung in 0usize..7,
        seed in any::<u64>(),
    ) {
        let hung = hung % count;
        let mut value = quiet_tree(count, &parents, &modes, seed);
        value["faults"] = json!([{ "at_ms": 1000, "action": "hang", "target": format!("s{hung}") }]);
        let mut sim = Simulation::new(Scenario::from_json(&value.to_string()).unwrap()).unwrap();
        sim.run_to_end();
        let failures: Vec<&Cause> = sim.causes().of(World::Sync).filter(|c| c.mechanism != Mechanism::Queued).collect();
        prop_assert!(!failures.is_empty() || sim.report().sync.failed == 0, "failures with no cause (seed {seed})");
        for cause in failures {
            prop_assert_eq!(&cause.root, &format!("s{hung}"), "seed {}: {:?}", seed, cause);
            prop_assert_eq!(cause.root_state, RootState::Hung, "seed {}: {:?}", seed, cause);
            prop_assert_eq!(cause.chain.last(), Some(&cause.root), "seed {}: {:?}", seed, cause);
        }
    }

    #[test]
    fn a_quiet_tree_without_faults_has_nothing_to_explain(
        count in 2usize..=7,
        parents in prop::collection::vec(0usize..6, 6),
        modes in prop::collection::vec(any::<bool>(), 7),
        seed in any::<u64>(),
    ) {
        let value = quiet_tree(count, &parents, &modes, seed);
        let mut sim = Simulation::new(Scenario::from_json(&value.to_string()).unwrap()).unwrap();
        sim.run_to_end();
        for world in World::BOTH {
            let causes: Vec<&Cause> = sim.causes().of(world).collect();
            prop_assert!(causes.is_empty(), "seed {}: {:?}", seed, causes);
        }
    }
}

#[test]
fn a_breaking_version_is_blamed_on_the_reader_that_was_not_upgraded() {
    let sim = run("breaking-change");
    let sync = top_cause(&sim, World::Sync);
    assert_eq!(sync.mechanism, Mechanism::SchemaMismatch, "{sync:?}");
    assert_eq!(sync.chain, names(&["signup", "email"]));
    assert_eq!((sync.at, sync.end_ms()), (20_000.0, 40_000.0), "{sync:?}");
    assert_eq!(sync.count, sim.report().sync.failed);
    let event = top_cause(&sim, World::Event);
    assert_eq!(event.mechanism, Mechanism::BlockedPartition, "{event:?}");
    assert_eq!(event.chain, names(&["email"]));

    let registry = run("schema-registry");
    let refused = top_cause(&registry, World::Event);
    assert_eq!(refused.mechanism, Mechanism::SchemaRefused, "{refused:?}");
    assert_eq!(refused.count, registry.report().event.world.failed);
}
