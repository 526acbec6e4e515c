//! Fault episodes: from a kill, hang or slow until both worlds have settled after the restore, with what each world suffered.
//!
//! The explainer's live annotations ("analytics was down 15.0 s: the sync world
//! failed 312 …") and the report's `episodes` are read from here. Everything is
//! taken from the ledger and the groups' lag at the core's 100 ms housekeeping
//! ticks, so the numbers do not depend on how fast anyone watched the run.

use super::ledger::WorldSummary;
use super::scenario::ActionKind;
use serde::Serialize;
use std::collections::VecDeque;

/// Episodes kept; the oldest settled ones go first.
pub const EPISODES_MAX: usize = 64;
/// Lag that counts as normal flow rather than backlog: a busy group always has a
/// few events between the log's end and its last commit.
pub const LAG_SLACK: u64 = 10;

/// One world's damage during an episode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Requests answered with failure.
    pub failed: u64,
    pub lost: u64,
    pub duplicated: u64,
}

impl Tally {
    pub(super) fn of(summary: &WorldSummary) -> Tally {
        Tally {
            failed: summary.failed,
            lost: summary.effects.lost,
            duplicated: summary.effects.duplicated,
        }
    }

    fn since(self, start: Tally) -> Tally {
        Tally {
            failed: self.failed.saturating_sub(start.failed),
            lost: self.lost.saturating_sub(start.lost),
            duplicated: self.duplicated.saturating_sub(start.duplicated),
        }
    }
}

/// A fault on one target, from its start until both worlds settled after the restore.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Episode {
    /// A service name or `broker-N`.
    pub target: String,
    /// `kill`, `hang` or `slow`.
    pub action: ActionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    pub started_ms: f64,
    pub restored_ms: Option<f64>,
    /// When the watched lag was back to where it was before the fault.
    pub drained_ms: Option<f64>,
    /// When both worlds had settled: restored, lag drained, and the sync world's
    /// slowest retry chain for a request from the episode had time to end.
    pub settled_ms: Option<f64>,
    /// Largest lag of the watched groups (the target's own group; every group for a broker).
    pub lag_peak: u64,
    pub sync: Tally,
    pub event: Tally,
    #[serde(skip)]
    pub(super) start: [Tally; 2],
    #[serde(skip)]
    pub(super) lag_before: u64,
    /// The target's consumer group, if it has one; `None` watches every group.
    #[serde(skip)]
    pub(super) group: Option<usize>,
}

impl Episode {
    pub fn is_settled(&self) -> bool {
        self.settled_ms.is_some()
    }

    /// How long the fault lasted, or has lasted by `now_ms`.
    pub fn duration_ms(&self, now_ms: f64) -> f64 {
        self.restored_ms.unwrap_or(now_ms) - self.started_ms
    }

    /// Whether the watched lag ever rose above where it was before the fault.
    pub fn lagged(&self) -> bool {
        self.lag_peak > self.lag_before.max(LAG_SLACK)
    }
}

/// Every episode of a run, bounded.
#[derive(Clone, Debug, Default)]
pub struct Episodes {
    list: VecDeque<Episode>,
}

impl Episodes {
    pub fn iter(&self) -> impl Iterator<Item = &Episode> {
        self.list.iter()
    }

    fn open_for(&mut self, target: &str) -> Option<&mut Episode> {
        self.list
            .iter_mut()
            .rev()
            .find(|e| e.target == target && e.restored_ms.is_none())
    }

    /// A fault began, unless one is already running on the same target (a kill
    /// during a slowdown is one episode, as the user sees it).
    pub(super) fn begin(&mut self, episode: Episode) {
        if self.open_for(&episode.target).is_some() {
            return;
        }
        if self.list.len() == EPISODES_MAX {
            let oldest_settled = self.list.iter().position(Episode::is_settled).unwrap_or(0);
            self.list.remove(oldest_settled);
        }
        self.list.push_back(episode);
    }

    pub(super) fn restore(&mut self, target: &str, now_ms: f64) {
        if let Some(episode) = self.open_for(target) {
            episode.restored_ms = Some(now_ms);
        }
    }

    pub(super) fn any_unsettled(&self) -> bool {
        self.list.iter().any(|e| !e.is_settled())
    }

    /// A housekeeping tick: follow the lag, and settle the episodes that are over.
    /// `lag_of(None)` is the largest lag of any group.
    pub(super) fn tick(
        &mut self,
        now_ms: f64,
        settle_after_restore_ms: f64,
        lag_of: impl Fn(Option<usize>) -> u64,
        tallies: impl Fn() -> [Tally; 2],
    ) {
        let mut now_tallies = None;
        for episode in self.list.iter_mut().filter(|e| !e.is_settled()) {
            let lag = lag_of(episode.group);
            episode.lag_peak = episode.lag_peak.max(lag);
            let Some(restored_ms) = episode.restored_ms else {
                continue;
            };
            if episode.drained_ms.is_none() && lag <= episode.lag_before.max(LAG_SLACK) {
                episode.drained_ms = Some(now_ms);
            }
            let sync_done = now_ms >= restored_ms + settle_after_restore_ms;
            if episode.drained_ms.is_some() && sync_done {
                let [sync, event] = *now_tallies.get_or_insert_with(&tallies);
                episode.sync = sync.since(episode.start[0]);
                episode.event = event.since(episode.start[1]);
                episode.settled_ms = Some(now_ms);
            }
        }
    }

    /// The episodes with the damage so far filled in for those still running.
    pub(super) fn as_of(&self, tallies: [Tally; 2]) -> Vec<Episode> {
        self.list
            .iter()
            .map(|e| {
                let mut e = e.clone();
                if !e.is_settled() {
                    e.sync = tallies[0].since(e.start[0]);
                    e.event = tallies[1].since(e.start[1]);
                }
                e
            })
            .collect()
    }
}
