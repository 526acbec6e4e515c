//! Why did it fail: cause chains computed from counters the core keeps as it runs, in both worlds.
//!
//! Every second of simulated time closes a window. The sync world's failures are followed
//! from the entry down the call tree: by the edge where calls failed for good, then by what
//! the callee's workers spent their time on (their own work, hung, or waiting on one of
//! their callees), to a root: a killed, hung or slowed service, an overloaded one, or a
//! retry storm feeding itself. The event world's groups whose lag grows are told what they
//! were waiting on, from the groups' state sampled at every housekeeping tick. Windows with
//! the same cause merge, so a 30 s outage is one cause, not thirty.
//!
//! This module must not know any part: it reads counters (`counters.rs`), the group samples
//! (`lag.rs`) and plain facts the engine hands it, and returns data. Words are the UI's.

mod analyze;
pub mod counters;
pub mod lag;

pub use analyze::{Facts, FaultFact, ServiceFact, analyze};
pub use counters::{CauseCounters, Failure, WorldTotals};

use crate::sim::trace::World;
use serde::Serialize;
use std::collections::VecDeque;

/// How long one analysis window is.
pub const WINDOW_MS: u64 = 1_000;
/// Causes kept per world; the oldest go first (and are counted in `dropped`).
pub const CAUSES_MAX: usize = 128;
/// Windows with the same cause merge if no more than this separates them.
const MERGE_GAP_MS: f64 = 2_000.0;

/// How requests failed, or what a group waited on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// The head service's queue was full.
    QueueFull,
    /// The next service was down or removed: connection refused.
    Refused,
    /// The head's calls to the next service timed out.
    Timeout,
    /// The breaker on the edge failed calls without trying.
    CircuitOpen,
    /// The next service answered with errors.
    ErrorRate,
    /// The next service crashed or restarted with the work in progress.
    Crash,
    /// No failures, but requests waited in the head's queue.
    Queued,
    /// The event world's producer found no leader for the partition.
    NoLeader,
    /// Events written to a leader that crashed before a follower copied them.
    LostOnBrokerCrash,
    /// A group's lag grew while none of its instances ran.
    ConsumerDown,
    /// A group's instances were waiting on a service they call synchronously.
    WaitingOnCallee,
    /// An event the group cannot process blocks one partition.
    BlockedPartition,
    /// The group was rebalancing.
    Rebalance,
    /// The group's service had restarted, but its crashed members still held the
    /// partitions until their sessions timed out.
    SessionTimeout,
    /// Partitions the group reads had no leader.
    LeaderElection,
    /// Every instance was busy with its own work: too few for the arrival rate.
    TooFewInstances,
    /// Retention deletes (or is about to delete) events the group has not read.
    Retention,
    /// The next service could not read the version of the request: a breaking change it was
    /// not upgraded for.
    SchemaMismatch,
    /// A schema registry refused the version the event world's producer writes.
    SchemaRefused,
}

impl Mechanism {
    /// Whether this is a group's lag cause (its count is events of lag, not requests).
    pub fn is_lag(self) -> bool {
        matches!(
            self,
            Mechanism::ConsumerDown
                | Mechanism::WaitingOnCallee
                | Mechanism::BlockedPartition
                | Mechanism::Rebalance
                | Mechanism::SessionTimeout
                | Mechanism::LeaderElection
                | Mechanism::TooFewInstances
                | Mechanism::Retention
        )
    }
}

/// What is wrong with the service (or broker) where a chain ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootState {
    Killed,
    Removed,
    Hung,
    Slowed,
    /// More work than its workers could do, with no fault on it.
    Overloaded,
    /// Overloaded by the retries of its own callers.
    RetryStorm,
    /// It fails part of its work by itself.
    ErrorRate,
    /// A broker that was down.
    BrokerDown,
    /// The head says it all (a poison event, a rebalance, too few instances, retention).
    Itself,
}

/// One cause over a span of simulated time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cause {
    /// When the span started, and how long it is.
    pub at: f64,
    pub window_ms: f64,
    pub mechanism: Mechanism,
    /// Whether the failure was on the call from `chain[0]` to `chain[1]` (a timeout, say),
    /// rather than at `chain[0]` itself (its own full queue).
    pub at_edge: bool,
    /// Requests (or calls) that failed or queued, events lost, or events of lag gained.
    pub count: u64,
    /// Service names from where the damage showed to the root; a broker root is not in it.
    pub chain: Vec<String>,
    /// The service or `broker-N` where the chain ends.
    pub root: String,
    pub root_state: RootState,
    /// The share of the head's worker (or instance) time spent on the chain's first link.
    pub share: f64,
    /// Workers (or instances) at the head.
    pub workers: u32,
    /// Retries sent along the first edge: when above zero, the calls failed with retries exhausted.
    pub retries: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// For a blocked partition: where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Cause {
    /// When the span ended.
    pub fn end_ms(&self) -> f64 {
        self.at + self.window_ms
    }

    /// Causes with the same key are the same story, told over a longer span.
    fn same_story(&self, other: &Cause) -> bool {
        self.mechanism == other.mechanism
            && self.at_edge == other.at_edge
            && self.chain == other.chain
            && self.root == other.root
            && self.root_state == other.root_state
            && self.partition == other.partition
    }

    /// Folds `later` into this cause: counts add, the share is weighed by time.
    fn absorb(&mut self, later: &Cause) {
        let (mine, theirs) = (self.window_ms, later.window_ms);
        let end = later.end_ms().max(self.end_ms());
        self.at = self.at.min(later.at);
        self.window_ms = end - self.at;
        if mine + theirs > 0.0 {
            self.share = (self.share * mine + later.share * theirs) / (mine + theirs);
        }
        self.count += later.count;
        self.retries += later.retries;
        self.workers = later.workers;
        self.offset = later.offset.or(self.offset);
        self.since_ms = self.since_ms.or(later.since_ms);
        self.factor = later.factor.or(self.factor);
    }

    /// Whether the span overlaps `[from_ms, to_ms]`.
    pub fn overlaps(&self, from_ms: f64, to_ms: f64) -> bool {
        self.at <= to_ms && self.end_ms() >= from_ms
    }
}

/// Every cause of a run, per world, bounded.
#[derive(Clone, Debug, Default)]
pub struct Causes {
    worlds: [VecDeque<Cause>; 2],
    dropped: [u64; 2],
}

impl Causes {
    /// A window's causes, merged into the story they continue.
    pub fn add(&mut self, world: World, fresh: Vec<Cause>) {
        let list = &mut self.worlds[world.index()];
        for cause in fresh {
            let recent = list
                .iter_mut()
                .rev()
                .take(8)
                .find(|c| c.same_story(&cause) && c.end_ms() + MERGE_GAP_MS >= cause.at);
            if let Some(story) = recent {
                story.absorb(&cause);
                continue;
            }
            if list.len() == CAUSES_MAX {
                list.pop_front();
                self.dropped[world.index()] += 1;
            }
            list.push_back(cause);
        }
    }

    pub fn of(&self, world: World) -> impl DoubleEndedIterator<Item = &Cause> {
        self.worlds[world.index()].iter()
    }

    /// Causes that fell off the front of the list.
    pub fn dropped(&self, world: World) -> u64 {
        self.dropped[world.index()]
    }

    pub fn approx_bytes(&self) -> usize {
        let per = size_of::<Cause>() + 64;
        self.worlds.iter().map(|l| l.capacity() * per).sum()
    }
}

/// The same stories over a span, summed, largest first: for an episode or a whole run.
pub fn top<'a>(causes: impl Iterator<Item = &'a Cause>, keep: usize) -> Vec<Cause> {
    let mut stories: Vec<Cause> = Vec::new();
    for cause in causes {
        match stories.iter_mut().find(|s| s.same_story(cause)) {
            Some(story) => story.absorb(cause),
            None => stories.push(cause.clone()),
        }
    }
    // Failures before lag, then by count; the sort is stable, so ties keep time order.
    stories.sort_by_key(|c| (c.mechanism.is_lag(), std::cmp::Reverse(c.count)));
    stories.truncate(keep);
    stories
}

#[cfg(test)]
mod tests;
