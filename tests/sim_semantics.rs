//! The event world's delivery semantics, checked through the ledger, one documented Kafka behaviour per test.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{crash_loop, one_group, run};
use serde_json::json;

/// Crash loops restart the consumer every 2 s: a short session timeout lets each restart
/// rejoin before the next crash, so these tests see the commit modes and not the stall.
const SESSION_MS: f64 = 300.0;

#[test]
fn commit_before_processing_loses_on_crash_and_never_duplicates() {
    let report = run(one_group(json!({
        "event": { "session_timeout_ms": SESSION_MS, "commit": "before_processing" },
        "faults": crash_loop("email", 5000.0, 500.0, 2000.0, 10)
    })));
    let effects = &report.event.world.effects;
    assert!(
        effects.lost > 0,
        "at-most-once must lose the events in flight at a crash: {effects:?}"
    );
    assert_eq!(
        effects.lost,
        effects.lost_by_reason[ripple::sim::trace::Reason::CommittedBeforeProcessing as usize]
    );
    assert_eq!(effects.duplicated, 0, "at-most-once never processes twice");
}

#[test]
fn auto_commit_duplicates_on_crash_and_loses_nothing() {
    let report = run(one_group(json!({
        "event": { "session_timeout_ms": SESSION_MS, "commit": "auto", "auto_commit_interval_ms": 5000 },
        "faults": crash_loop("email", 5000.0, 500.0, 2000.0, 10)
    })));
    let effects = &report.event.world.effects;
    assert!(
        effects.duplicated > 0,
        "a crash replays everything since the last auto-commit: {effects:?}"
    );
    assert_eq!(effects.lost, 0);
    assert!(report.event.groups["email"].redeliveries > 0);
}

#[test]
fn after_processing_commit_duplicates_only_the_event_in_flight() {
    let auto = run(one_group(
        json!({ "event": { "session_timeout_ms": SESSION_MS, "commit": "auto" }, "faults": crash_loop("email", 5000.0, 500.0, 2000.0, 10) }),
    ));
    let after = run(one_group(json!({
        "event": { "session_timeout_ms": SESSION_MS, "commit": "after_processing" },
        "faults": crash_loop("email", 5000.0, 500.0, 2000.0, 10)
    })));
    assert_eq!(after.event.world.effects.lost, 0);
    assert!(
        after.event.world.effects.duplicated < auto.event.world.effects.duplicated,
        "committing each event replays less than a 5 s auto-commit: {} vs {}",
        after.event.world.effects.duplicated,
        auto.event.world.effects.duplicated
    );
}

#[test]
fn idempotent_consumers_remove_the_duplicates() {
    let report = run(one_group(json!({
        "event": { "session_timeout_ms": SESSION_MS, "commit": "auto", "idempotent": true },
        "faults": crash_loop("email", 5000.0, 500.0, 2000.0, 10)
    })));
    let effects = &report.event.world.effects;
    assert_eq!(effects.duplicated, 0, "{effects:?}");
    assert_eq!(effects.lost, 0);
    assert!(
        report.event.groups["email"].redeliveries > 0,
        "events were redelivered, and deduplicated"
    );
}

#[test]
fn retention_shorter_than_downtime_loses_with_reason_retention() {
    let report = run(one_group(json!({
        "event": { "retention_ms": 2000 },
        "faults": [
            { "at_ms": 5000, "action": "kill", "target": "email" },
            { "at_ms": 15000, "action": "restore", "target": "email" }
        ]
    })));
    let effects = &report.event.world.effects;
    let by_retention = effects.lost_by_reason[ripple::sim::trace::Reason::Retention as usize];
    // Down 10 s with 2 s retention: about 8 s of 50/s events expire unread.
    assert!(
        by_retention > 250,
        "lost to retention: {by_retention}, {effects:?}"
    );
    let kept = run(one_group(json!({
        "faults": [
            { "at_ms": 5000, "action": "kill", "target": "email" },
            { "at_ms": 15000, "action": "restore", "target": "email" }
        ]
    })));
    assert_eq!(
        kept.event.world.effects.lost, 0,
        "default retention (7 days) keeps everything"
    );
}

#[test]
fn acks_zero_loses_on_a_leader_crash_while_acks_all_with_three_replicas_does_not() {
    let broker_crash = json!([
        { "at_ms": 10000, "action": "kill", "target": "broker-0" },
        { "at_ms": 20000, "action": "restore", "target": "broker-0" }
    ]);
    let fire_and_forget = run(one_group(json!({
        "event": { "acks": "0", "replication_factor": 3 }, "faults": broker_crash.clone()
    })));
    assert!(
        fire_and_forget.event.world.effects.lost > 0,
        "{:?}",
        fire_and_forget.event.world.effects
    );
    assert_eq!(
        fire_and_forget.event.world.failed, 0,
        "acks=0 never tells the user anything went wrong"
    );
    assert!(
        fire_and_forget.inconsistent_requests.event > 0,
        "told success, effect lost"
    );

    let durable = run(one_group(json!({
        "event": { "acks": "all", "replication_factor": 3 }, "faults": broker_crash
    })));
    assert_eq!(
        durable.event.world.effects.lost, 0,
        "{:?}",
        durable.event.world.effects
    );
}

#[test]
fn instances_beyond_the_partition_count_sit_idle() {
    let report = run(one_group(
        json!({ "event": { "partitions": 3, "consumers": 5 }, "duration_ms": 5000 }),
    ));
    let group = &report.event.groups["email"];
    assert_eq!((group.instances, group.active, group.idle), (5, 3, 2));
}

#[test]
fn a_poison_event_blocks_its_partition_without_a_dlq_and_is_parked_with_one() {
    let poison = |dlq: bool| {
        run(one_group(json!({
            "seed": 5,
            "event": { "poison_rate": 0.002, "dlq": dlq, "max_processing_attempts": 3 }
        })))
    };
    let blocked = poison(false);
    assert_eq!(blocked.event.dlq, 0);
    assert!(
        blocked.event.groups["email"].lag > 100,
        "a stuck partition piles up lag: {:?}",
        blocked.event.groups
    );
    assert!(blocked.event.world.effects.pending > 100);

    let parked = poison(true);
    assert!(parked.event.dlq > 0);
    let dead =
        parked.event.world.effects.lost_by_reason[ripple::sim::trace::Reason::DeadLetter as usize];
    assert_eq!(
        dead, parked.event.dlq,
        "each parked event is one lost effect, reason dead_letter"
    );
    assert!(
        parked.event.groups["email"].unprocessed < 20,
        "the partition keeps flowing: {:?}",
        parked.event.groups
    );
}

#[test]
fn a_group_added_from_earliest_processes_history_and_latest_does_not() {
    let add_audit = |start: &str| {
        run(one_group(json!({
            "duration_ms": 20000,
            "faults": [{
                "at_ms": 10000, "action": "add_service", "target": "orders", "start_from": start,
                "service": { "name": "audit", "effect": "audit logged", "service_time_ms": { "kind": "constant", "value": 1 } }
            }]
        })))
    };
    let earliest = add_audit("earliest");
    let latest = add_audit("latest");
    let audit_earliest = &earliest.effects_by_service["audit"];
    let audit_latest = &latest.effects_by_service["audit"];
    // About 500 requests arrive before the group exists.
    assert!(
        audit_earliest.executions.event > audit_latest.executions.event + 400,
        "earliest replays history: {} vs {}",
        audit_earliest.executions.event,
        audit_latest.executions.event
    );
    assert_eq!(
        audit_earliest.event.lost, 0,
        "no producer change was needed"
    );
    // The sync world needs the caller redeployed (10 s by default): requests meanwhile never get the effect.
    let not_deployed =
        audit_earliest.sync.lost_by_reason[ripple::sim::trace::Reason::NotDeployed as usize];
    assert!(
        not_deployed > 400,
        "sync world lost to the redeploy: {not_deployed}"
    );
}
