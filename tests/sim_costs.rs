//! The costs of events, each made to happen and counted on the ledger: poll batches, crash
//! detection, schema changes and the dual write, one documented behaviour per test.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{one_group, run};
use ripple::sim::trace::Reason;
use ripple::sim::{Report, SimTime, Simulation};
use serde_json::{Value, json};

fn lost(report: &Report, reason: Reason) -> u64 {
    report.event.world.effects.lost_by_reason[reason as usize]
}

/// One slow email instance that falls behind, then dies at 20 s and comes back at 21 s.
fn lagging_crash(commit: &str, max_poll_records: u32) -> Value {
    json!({
        "services": [
            { "name": "orders", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 2 }, "calls": ["email"] },
            { "name": "email", "workers": 32, "service_time_ms": { "kind": "constant", "value": 25 } }
        ],
        "event": {
            "partitions": 1, "consumers": 1, "commit": commit,
            "max_poll_records": max_poll_records, "session_timeout_ms": 1000
        },
        "faults": [
            { "at_ms": 20000, "action": "kill", "target": "email" },
            { "at_ms": 21000, "action": "restore", "target": "email" }
        ]
    })
}

#[test]
fn at_most_once_loses_the_rest_of_a_poll_not_one_event() {
    // 50/s against 40/s of capacity: the instance polls full batches and is behind at the crash.
    let batched = run(one_group(lagging_crash("before_processing", 500)));
    let single = run(one_group(lagging_crash("before_processing", 1)));
    let by_batch = lost(&batched, Reason::CommittedBeforeProcessing);
    let by_one = lost(&single, Reason::CommittedBeforeProcessing);
    assert_eq!(by_one, 1, "a poll of one loses the event in hand");
    assert!(
        by_batch > 50,
        "a poll of up to 500 loses what was left of it: {by_batch}"
    );
    assert_eq!(
        by_batch, batched.event.groups["email"].cut_from_polls,
        "every event cut from the poll was committed unread"
    );
    assert_eq!(batched.event.world.effects.duplicated, 0);
}

#[test]
fn after_processing_replays_the_processed_part_of_a_poll() {
    let batched = run(one_group(lagging_crash("after_processing", 500)));
    let single = run(one_group(lagging_crash("after_processing", 1)));
    assert_eq!(batched.event.world.effects.lost, 0);
    assert!(
        single.event.world.effects.duplicated <= 1,
        "committing each event replays at most the one in hand: {:?}",
        single.event.world.effects
    );
    assert!(
        batched.event.world.effects.duplicated > 10,
        "the batch is committed at its end, so its processed part runs again: {:?}",
        batched.event.world.effects
    );
}

/// Processed events of the email group at `at_ms`.
fn processed_at(scenario: Value, at_ms: u64) -> u64 {
    let mut sim = Simulation::new(one_group(scenario)).expect("valid");
    sim.run_until(SimTime::from_ms(at_ms));
    sim.report().event.groups["email"].processed
}

#[test]
fn a_crashed_consumer_stalls_until_its_session_times_out_and_a_graceful_leave_does_not() {
    let crash = |session_ms: f64| {
        json!({
            "event": { "session_timeout_ms": session_ms },
            "faults": [
                { "at_ms": 5000, "action": "kill", "target": "email" },
                { "at_ms": 6000, "action": "restore", "target": "email" }
            ]
        })
    };
    let leave = json!({
        "faults": [
            { "at_ms": 5000, "action": "scale", "target": "email", "instances": 0 },
            { "at_ms": 6000, "action": "scale", "target": "email", "instances": 2 }
        ]
    });
    // Restarted at 6 s, the new members wait for the old sessions (expiring at 25 s).
    let at_7 = processed_at(crash(20_000.0), 7_000);
    let at_24 = processed_at(crash(20_000.0), 24_000);
    assert_eq!(at_7, at_24, "nothing is read while the old sessions live");
    let at_30 = processed_at(crash(20_000.0), 30_000);
    assert!(
        at_30 > at_24 + 500,
        "read again after the expiry: {at_24} → {at_30}"
    );
    // A graceful leave rebalances at once: reading resumes a rebalance after the scale-up.
    let left_at_6 = processed_at(leave.clone(), 6_000);
    let left_at_9 = processed_at(leave, 9_000);
    assert!(left_at_9 > left_at_6 + 100, "{left_at_6} → {left_at_9}");
}

/// Orders publishes to email and analytics; a breaking version is deployed at 5 s.
fn breaking(patch: Value) -> Report {
    let mut scenario = json!({
        "services": [
            { "name": "orders", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 2 }, "calls": ["email", "analytics"] },
            { "name": "email", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 10 } },
            { "name": "analytics", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 5 } }
        ],
        "faults": [
            { "at_ms": 2000, "action": "upgrade", "target": "analytics" },
            { "at_ms": 5000, "action": "deploy_event_version", "compatibility": "breaking" }
        ]
    });
    let mut patch = patch;
    // Faults in the patch come after the deploy, not instead of it.
    if let Some(Value::Array(more)) = patch.as_object_mut().and_then(|p| p.remove("faults")) {
        scenario["faults"].as_array_mut().unwrap().extend(more);
    }
    common::merge(&mut scenario, patch);
    run(one_group(scenario))
}

#[test]
fn a_breaking_version_without_a_registry_is_a_poison_event_for_old_readers() {
    let parked = breaking(json!({ "event": { "dlq": true } }));
    let email = &parked.event.groups["email"];
    // Each is tried three times with backoff before it is parked, so the group falls behind.
    assert!(email.unreadable > 100, "{email:?}");
    let parked_lost = lost(&parked, Reason::Schema);
    assert!(
        parked_lost <= email.unreadable && parked_lost + 2 >= email.unreadable,
        "every unreadable event but those in hand is parked and lost to the schema: {parked_lost} vs {email:?}"
    );
    assert_eq!(parked.event.world.failed, 0, "the user was told success");
    assert!(parked.inconsistent_requests.event >= parked_lost);
    assert_eq!(
        parked.event.groups["analytics"].unreadable, 0,
        "(upgraded before the deploy)"
    );
    assert_eq!(
        parked.sync.effects.lost_by_reason[Reason::Schema as usize],
        parked.sync.failed,
        "in the sync world email refuses the new request at once"
    );

    let blocked = breaking(json!({ "event": { "dlq": false } }));
    let email = &blocked.event.groups["email"];
    assert_eq!(lost(&blocked, Reason::Schema), 0);
    assert!(
        email.unprocessed > 1_000,
        "each partition is stuck on its first new event: {email:?}"
    );
}

#[test]
fn an_upgrade_unblocks_a_partition_stuck_on_a_new_version() {
    let report = breaking(json!({
        "faults": [{ "at_ms": 15000, "action": "upgrade", "target": "email" }]
    }));
    let email = &report.event.groups["email"];
    assert!(email.unreadable > 0 && email.unprocessed < 20, "{email:?}");
    assert_eq!(report.event.world.effects.lost, 0);
    assert!(
        report.sync.failed > 0,
        "sync calls failed until the upgrade"
    );
}

#[test]
fn a_registry_refuses_a_breaking_version_at_the_producer() {
    let report = breaking(json!({ "event": { "schema_registry": true } }));
    assert_eq!(report.event.groups["email"].unreadable, 0);
    assert!(
        report.event.world.failed > 1_000,
        "the user hears the failure at once, as in the sync world"
    );
    assert_eq!(report.event.world.failed, report.sync.failed);
    assert_eq!(report.inconsistent_requests.event, 0);
    let compatible = breaking(json!({
        "event": { "schema_registry": true },
        "faults": [{ "at_ms": 6000, "action": "deploy_event_version", "compatibility": "compatible" }]
    }));
    assert!(
        compatible.event.world.failed > 0,
        "a compatible version after a breaking one still breaks old readers"
    );
}

#[test]
fn a_new_group_replaying_from_earliest_meets_versions_from_before_its_day() {
    let report = breaking(json!({
        "event": { "dlq": true },
        "faults": [
            { "at_ms": 10000, "action": "add_service", "target": "orders", "start_from": "earliest",
              "service": { "name": "audit", "workers": 8, "service_time_ms": { "kind": "constant", "value": 1 } } }
        ]
    }));
    let audit = &report.event.groups["audit"];
    // Built against version 2, it cannot read the version 1 events of the first 5 s.
    assert!(
        (200..300).contains(&audit.unreadable),
        "about 5 s of 50/s: {audit:?}"
    );
    assert!(audit.processed > audit.unreadable, "{audit:?}");
}

/// The entry dies and restarts three times under 400 requests a second.
fn entry_crashes(publish: &str) -> Report {
    let mut faults = Vec::new();
    for at in [8000, 14000, 20000] {
        faults.push(json!({ "at_ms": at, "action": "kill", "target": "orders" }));
        faults.push(json!({ "at_ms": at + 500, "action": "restore", "target": "orders" }));
    }
    run(one_group(json!({
        "network_latency_ms": 5,
        "workload": { "arrivals": { "kind": "poisson", "rate_per_s": 400 } },
        "services": [
            { "name": "orders", "workers": 64, "service_time_ms": { "kind": "exponential", "mean": 2 }, "calls": ["email"] },
            { "name": "email", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 1 } }
        ],
        "event": { "publish": publish, "acks": "1", "consumers": 4 },
        "faults": faults
    })))
}

#[test]
fn the_dual_write_loses_or_contradicts_under_an_entry_crash_and_the_outbox_does_not() {
    let dual = entry_crashes("dual_write");
    assert!(
        lost(&dual, Reason::DualWrite) > 0,
        "events still in the producer's buffer died with it: {:?}",
        dual.event.world.effects
    );
    assert!(
        dual.inconsistent_requests.event > 0,
        "users told failure whose event was out"
    );
    let outbox = entry_crashes("outbox");
    // Requests refused while the entry was down were told so; none told "done" is lost.
    assert_eq!(lost(&outbox, Reason::DualWrite), 0);
    assert_eq!(
        outbox.event.world.effects.lost,
        outbox.sync.effects.lost_by_reason[Reason::Refused as usize]
            .max(lost(&outbox, Reason::Refused))
            + lost(&outbox, Reason::Crash),
        "{:?}",
        outbox.event.world.effects
    );
    assert_eq!(outbox.inconsistent_requests.event, 0);
    let relay_ms = outbox.event.world.time_to_consistency_ms.p50;
    assert!(
        relay_ms >= 40.0,
        "the relay's poll (100 ms) shows in time to consistency: {relay_ms}"
    );
    assert!(
        dual.event.world.time_to_consistency_ms.p50 < relay_ms,
        "{} vs {relay_ms}",
        dual.event.world.time_to_consistency_ms.p50
    );
    // The sync world calls after its own write: a crash mid-way leaves partial work too.
    assert!(dual.inconsistent_requests.sync > 0 || dual.sync.effects.lost > 0);
}

#[test]
fn a_rebalance_waits_for_polls_in_hand_and_happens_once() {
    // One slow instance, far behind, holds big polls; a second joins at 5 s. The rebalance
    // waits for the poll in hand, which is committed when done: nothing is read twice, even
    // long after the rebalance's deadline (Kafka's max.poll.interval.ms, 5 min) has passed.
    let report = run(one_group(json!({
        "duration_ms": 400_000,
        "workload": { "arrivals": { "kind": "poisson", "rate_per_s": 20 } },
        "services": [
            { "name": "orders", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 2 }, "calls": ["email"] },
            { "name": "email", "workers": 32, "service_time_ms": { "kind": "constant", "value": 60 } }
        ],
        "event": { "partitions": 2, "consumers": 1, "commit": "after_processing" },
        "faults": [{ "at_ms": 5000, "action": "scale", "target": "email", "instances": 2 }]
    })));
    let email = &report.event.groups["email"];
    assert_eq!(email.redeliveries, 0, "{email:?}");
    assert_eq!(report.event.world.effects.duplicated, 0);
    assert_eq!(email.active, 2);
}
