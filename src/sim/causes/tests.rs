//! Causes from hand-made counters: the walk down the tree, merging into stories, and the bounds.

use super::counters::{ServiceTotals, WorldTotals};
use super::*;

fn fact(name: &str, caller: Option<u8>, workers: u32) -> ServiceFact {
    ServiceFact {
        name: name.to_string(),
        caller,
        workers,
        killed: false,
        hung: false,
        removed: false,
        slow_factor: 1.0,
    }
}

/// entry → mid → leaf, each with 10 workers.
fn chain_of_three() -> Vec<ServiceFact> {
    vec![
        fact("entry", None, 10),
        fact("mid", Some(0), 10),
        fact("leaf", Some(1), 10),
    ]
}

fn facts<'a>(delta: &'a WorldTotals, services: &'a [ServiceFact]) -> Facts<'a> {
    Facts {
        world: World::Sync,
        start_ms: 0.0,
        end_ms: 1_000.0,
        delta,
        services,
        faults: &[],
        groups: &[],
    }
}

#[test]
fn an_open_breaker_is_explained_by_what_tripped_it() {
    let mut delta = WorldTotals {
        services: vec![ServiceTotals::default(); 3],
        ..WorldTotals::default()
    };
    // Calls into mid failed fast; the attempts that did go through timed out, because
    // mid's workers were all waiting on leaf, which was busy with its own work.
    delta.services[1].gave_up[Failure::CircuitOpen as usize] = 40;
    delta.services[1].attempts_failed[Failure::CircuitOpen as usize] = 40;
    delta.services[1].attempts_failed[Failure::Timeout as usize] = 5;
    delta.services[1].waited_on_us = 9_000_000;
    delta.services[2].waited_on_us = 9_500_000;
    delta.services[2].working_us = 9_900_000;
    let services = chain_of_three();
    let causes = analyze(&facts(&delta, &services));
    let [cause] = causes.as_slice() else {
        panic!("{causes:?}")
    };
    assert_eq!(
        (cause.mechanism, cause.at_edge),
        (Mechanism::CircuitOpen, true)
    );
    assert_eq!(cause.chain, ["entry", "mid", "leaf"]);
    assert_eq!(
        (cause.root.as_str(), cause.root_state),
        ("leaf", RootState::Overloaded)
    );
    assert!((cause.share - 0.9).abs() < 1e-9, "{cause:?}");
}

#[test]
fn an_error_is_followed_to_the_callee_that_failed_not_blamed_on_the_messenger() {
    let mut delta = WorldTotals {
        services: vec![ServiceTotals::default(); 3],
        ..WorldTotals::default()
    };
    delta.services[1].gave_up[Failure::Error as usize] = 30;
    delta.services[2].gave_up[Failure::Refused as usize] = 30;
    let mut services = chain_of_three();
    services[2].killed = true;
    let causes = analyze(&facts(&delta, &services));
    assert_eq!(causes[0].chain, ["entry", "mid", "leaf"]);
    assert_eq!(causes[0].root_state, RootState::Killed);
    // Without the callee's failures, the errors are mid's own.
    delta.services[2].gave_up = [0; 7];
    delta.services[1].errors = 30;
    let causes = analyze(&facts(&delta, &services));
    assert_eq!(causes[0].chain, ["entry", "mid"]);
    assert_eq!(causes[0].root_state, RootState::ErrorRate);
}

fn story(at: f64, count: u64) -> Cause {
    Cause {
        at,
        window_ms: 1_000.0,
        mechanism: Mechanism::Timeout,
        at_edge: true,
        count,
        chain: vec!["a".into(), "b".into()],
        root: "b".into(),
        root_state: RootState::Hung,
        share: 0.5,
        workers: 4,
        retries: 0,
        since_ms: Some(at),
        factor: None,
        partition: None,
        offset: None,
    }
}

#[test]
fn windows_with_the_same_story_merge_and_a_gap_starts_a_new_one() {
    let mut causes = Causes::default();
    causes.add(World::Sync, vec![story(0.0, 3)]);
    causes.add(World::Sync, vec![story(1_000.0, 4)]);
    causes.add(World::Sync, vec![story(9_000.0, 5)]);
    let told: Vec<&Cause> = causes.of(World::Sync).collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert_eq!(
        (told[0].at, told[0].window_ms, told[0].count),
        (0.0, 2_000.0, 7)
    );
    assert_eq!(
        told[0].since_ms,
        Some(0.0),
        "the first window's start is kept"
    );
    assert_eq!(top(causes.of(World::Sync), 1)[0].count, 12);
}

#[test]
fn the_list_is_bounded_and_counts_what_it_dropped() {
    let mut causes = Causes::default();
    for i in 0..CAUSES_MAX + 5 {
        let mut cause = story(i as f64 * 10_000.0, 1);
        cause.root = format!("s{i}");
        causes.add(World::Event, vec![cause]);
    }
    assert_eq!(causes.of(World::Event).count(), CAUSES_MAX);
    assert_eq!(causes.dropped(World::Event), 5);
    assert_eq!(causes.of(World::Event).next().unwrap().root, "s5");
}
