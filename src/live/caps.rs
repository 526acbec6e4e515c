//! Caps the user can see: which memory bound a run has reached, and what it cost, so nothing is dropped silently.
//!
//! Every collection that grows with load has a bound. When one is reached the
//! page says so in plain words: the log's size cap (Kafka's `retention.bytes`),
//! the ledger's window of open requests, and time travel's snapshot budget.
//! This module must not know about the browser: it reads the run and the timeline.

use super::Live;
use crate::sim::ledger::MAX_OPEN_REQUESTS;

/// One bound the run has reached, with what it dropped or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    /// The log keeps the newest `kept` events; `deleted` older ones are gone.
    LogSize { kept: u32, deleted: u64 },
    /// The ledger follows at most `kept` open requests; `folded` were closed unsettled.
    OpenRequests { kept: usize, folded: u64 },
    /// Time travel's snapshots hold at most `budget_mib`; they were spaced out `thinned` times.
    Snapshots { budget_mib: usize, thinned: u64 },
}

/// The caps reached so far on the current branch, in a fixed order.
pub fn reached(live: &Live) -> Vec<Cap> {
    let sim = live.player.sim();
    let deleted = sim.log_state().deleted_by_size_cap();
    let folded = sim.ledger().folded_unsettled();
    let thinned = live.timeline.thinned_for_budget();
    let mut caps = Vec::new();
    if deleted > 0 {
        let kept = sim.scenario().event.max_log_events;
        caps.push(Cap::LogSize { kept, deleted });
    }
    if folded > 0 {
        let kept = MAX_OPEN_REQUESTS;
        caps.push(Cap::OpenRequests { kept, folded });
    }
    if thinned > 0 {
        let budget_mib = live.timeline.budget_bytes() >> 20;
        caps.push(Cap::Snapshots {
            budget_mib,
            thinned,
        });
    }
    caps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    #[test]
    fn a_quiet_run_reaches_no_cap_and_a_small_log_reports_its_deletions() {
        let mut live = Live::new(preset("happy-path").unwrap()).unwrap();
        live.player.run_to(SimTime::from_ms(10_000));
        assert_eq!(reached(&live), vec![]);

        let mut scenario = preset("happy-path").unwrap();
        scenario.event.max_log_events = 60;
        let mut live = Live::new(scenario).unwrap();
        live.player.run_to(SimTime::from_ms(10_000));
        match reached(&live).as_slice() {
            [Cap::LogSize { kept: 60, deleted }] => assert!(*deleted > 100, "{deleted}"),
            other => panic!("expected the log cap alone, got {other:?}"),
        }
    }
}
