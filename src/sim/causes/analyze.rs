//! One window's analysis: from counters, samples and facts to causes, for one world.

use super::counters::{Failure, ServiceTotals, WorldTotals};
use super::lag::{GroupState, GroupWindow};
use super::{Cause, Mechanism, RootState};
use crate::sim::scenario::{ActionKind, Target};
use crate::sim::trace::World;

/// A service as the engine saw it when the window closed.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceFact {
    pub name: String,
    pub caller: Option<u8>,
    /// Workers in the sync pool (for a group in the event world: its instances).
    pub workers: u32,
    pub killed: bool,
    pub hung: bool,
    pub removed: bool,
    pub slow_factor: f64,
}

/// A fault that was on during the window (from the run's episodes).
#[derive(Clone, Debug, PartialEq)]
pub struct FaultFact {
    /// A service name or `broker-N`.
    pub target: String,
    pub action: ActionKind,
    pub factor: Option<f64>,
    pub started_ms: f64,
}

/// Everything one window's analysis reads.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub world: World,
    pub start_ms: f64,
    pub end_ms: f64,
    pub delta: &'a WorldTotals,
    pub services: &'a [ServiceFact],
    pub faults: &'a [FaultFact],
    /// The event world's groups: their closed windows, by service.
    pub groups: &'a [(usize, GroupWindow)],
}

/// Candidates below this share of a window's failures are not told.
const MIN_SHARE_OF_FAILURES: f64 = 0.2;
/// Causes told per world per window.
const MAX_PER_WINDOW: usize = 2;
/// A service counts as saturated when its workers were this busy.
const SATURATED: f64 = 0.9;
/// Jobs that must have queued in a window before a slowdown is told.
const MIN_QUEUED: u64 = 10;
/// A group's instances must have been all busy this share of a window to be too few.
const MIN_BUSY_SHARE: f64 = 0.5;
/// Lag gained in a window before a group's lag counts as growing.
const MIN_LAG_GROWTH: u64 = 10;

/// The causes of one window in one world, most damaging first.
pub fn analyze(facts: &Facts) -> Vec<Cause> {
    let mut causes = failure_causes(facts);
    if causes.is_empty() && facts.world == World::Sync {
        causes.extend(slowdown_cause(facts));
    }
    if facts.world == World::Event {
        causes.extend(broker_causes(facts));
        causes.extend(lag_causes(facts));
    }
    causes
}

/// Where a window's failures showed first.
#[derive(Clone, Copy, Debug)]
enum Head {
    /// At the entry itself: its queue, its process, its own work.
    Own(Mechanism),
    /// On the entry's call to a callee, by how those calls finally failed.
    Edge(usize),
}

fn failure_causes(facts: &Facts) -> Vec<Cause> {
    let entry = facts.delta.service(0);
    let mut candidates: Vec<(u64, Head)> = [
        (entry.rejected, Head::Own(Mechanism::QueueFull)),
        (entry.refused, Head::Own(Mechanism::Refused)),
        (entry.errors, Head::Own(Mechanism::ErrorRate)),
        (entry.crashed, Head::Own(Mechanism::Crash)),
    ]
    .into_iter()
    .chain(children(facts, 0).map(|c| (facts.delta.service(c).gave_up_total(), Head::Edge(c))))
    .filter(|&(count, _)| count > 0)
    .collect();
    let total: u64 = candidates.iter().map(|(count, _)| count).sum();
    candidates.sort_by_key(|&(count, _)| std::cmp::Reverse(count));
    candidates
        .into_iter()
        .filter(|&(count, _)| count as f64 >= total as f64 * MIN_SHARE_OF_FAILURES)
        .take(MAX_PER_WINDOW)
        .map(|(count, head)| head_cause(facts, count, head))
        .collect()
}

fn head_cause(facts: &Facts, count: u64, head: Head) -> Cause {
    let mut walk = Walk::new(facts, 0);
    let (mechanism, edge, root) = match head {
        Head::Own(Mechanism::QueueFull) => (Mechanism::QueueFull, false, walk.busy(0)),
        Head::Own(mechanism) => (mechanism, false, walk.state_of(0)),
        Head::Edge(callee) => {
            let failure = dominant_failure(&facts.delta.service(callee).gave_up);
            walk.chain.push(callee);
            let root = walk.explain(callee, failure);
            (mechanism_of(failure), true, root)
        }
    };
    let retries = match head {
        Head::Edge(callee) => facts.delta.service(callee).retries,
        Head::Own(_) => 0,
    };
    let mut cause = walk.cause(mechanism, count, root);
    cause.retries = retries;
    cause.share = walk.first_link_share();
    cause.at_edge = edge;
    cause
}

fn mechanism_of(failure: Failure) -> Mechanism {
    match failure {
        Failure::Refused => Mechanism::Refused,
        Failure::Rejected => Mechanism::QueueFull,
        Failure::Timeout => Mechanism::Timeout,
        Failure::Error => Mechanism::ErrorRate,
        Failure::Crash => Mechanism::Crash,
        Failure::CircuitOpen => Mechanism::CircuitOpen,
        Failure::Schema => Mechanism::SchemaMismatch,
    }
}

/// The failure with the largest count; the first in [`Failure::ALL`] order on ties.
fn dominant_failure(counts: &[u64; 7]) -> Failure {
    Failure::ALL
        .into_iter()
        .rev()
        .max_by_key(|f| counts[*f as usize])
        .unwrap_or(Failure::Error)
}

fn children<'a>(facts: &'a Facts, service: usize) -> impl Iterator<Item = usize> + 'a {
    let parent = service as u8;
    (0..facts.services.len()).filter(move |&s| facts.services[s].caller == Some(parent))
}

/// No failures, but a saturated service made requests queue: the one nearest the entry.
fn slowdown_cause(facts: &Facts) -> Option<Cause> {
    let window_us = (facts.end_ms - facts.start_ms) * 1_000.0;
    let saturated = |s: usize| {
        let t = facts.delta.service(s);
        let busy_us = (t.working_us + t.stuck_us + waits_below(facts, s)) as f64;
        let capacity_us = f64::from(facts.services[s].workers.max(1)) * window_us;
        t.queued >= MIN_QUEUED && busy_us >= capacity_us * SATURATED
    };
    let service = (0..facts.services.len())
        .filter(|&s| saturated(s))
        .min_by_key(|&s| depth(facts, s))?;
    let mut walk = Walk::new(facts, service);
    let root = walk.busy(service);
    let mut cause = walk.cause(Mechanism::Queued, facts.delta.service(service).queued, root);
    cause.share = walk.first_link_share();
    Some(cause)
}

fn waits_below(facts: &Facts, service: usize) -> u64 {
    children(facts, service)
        .map(|c| facts.delta.service(c).waited_on_us)
        .sum()
}

fn depth(facts: &Facts, mut service: usize) -> usize {
    let mut depth = 0;
    while let Some(caller) = facts.services.get(service).and_then(|s| s.caller) {
        service = usize::from(caller);
        depth += 1;
    }
    depth
}

/// The event world's log: requests the producer gave up on, events a crashed leader lost.
fn broker_causes(facts: &Facts) -> Vec<Cause> {
    let mut causes = Vec::new();
    if facts.delta.schema_refused > 0 {
        let walk = Walk::new(facts, 0);
        let refused = facts.delta.schema_refused;
        causes.push(walk.cause(Mechanism::SchemaRefused, refused, (0, RootState::Itself)));
    }
    for (count, mechanism) in [
        (facts.delta.producer_failed, Mechanism::NoLeader),
        (facts.delta.lost_on_broker, Mechanism::LostOnBrokerCrash),
    ] {
        if count == 0 {
            continue;
        }
        let walk = Walk::new(facts, 0);
        let mut cause = walk.cause(mechanism, count, (usize::MAX, RootState::BrokerDown));
        name_broker_root(facts, &mut cause);
        causes.push(cause);
    }
    causes
}

/// For each group whose lag grew: what it was waiting on.
fn lag_causes(facts: &Facts) -> Vec<Cause> {
    let mut causes = Vec::new();
    for &(service, window) in facts.groups {
        if window.ticks_total() == 0 || service >= facts.services.len() {
            continue;
        }
        if window.retention_risk > 0 {
            let walk = Walk::new(facts, service);
            let mut cause = walk.cause(
                Mechanism::Retention,
                facts.delta.lost_to_retention,
                (service, RootState::Itself),
            );
            cause.share = f64::from(window.retention_risk) / f64::from(window.ticks_total());
            causes.push(cause);
        }
        if window.growth() >= MIN_LAG_GROWTH {
            causes.extend(group_cause(facts, service, &window));
        }
    }
    causes
}

fn group_cause(facts: &Facts, service: usize, window: &GroupWindow) -> Option<Cause> {
    let state = window.dominant()?;
    if state == GroupState::AllBusy && window.share(state) < MIN_BUSY_SHARE {
        // A burst that a group absorbs is flow, not a cause.
        return None;
    }
    let mut walk = Walk::new(facts, service);
    let count = window.growth();
    let (mechanism, root) = match state {
        GroupState::Down => (Mechanism::ConsumerDown, walk.state_of(service)),
        GroupState::Rebalancing => (Mechanism::Rebalance, (service, RootState::Itself)),
        GroupState::SessionsPending => (Mechanism::SessionTimeout, (service, RootState::Itself)),
        GroupState::NoLeader => (
            Mechanism::LeaderElection,
            (usize::MAX, RootState::BrokerDown),
        ),
        GroupState::Blocked { .. } => (Mechanism::BlockedPartition, (service, RootState::Itself)),
        GroupState::AllBusy | GroupState::Flowing => {
            let t = facts.delta.service(service);
            let callee =
                children(facts, service).max_by_key(|&c| facts.delta.service(c).waited_on_us);
            match callee {
                Some(c) if facts.delta.service(c).waited_on_us > t.working_us => {
                    walk.chain.push(c);
                    (Mechanism::WaitingOnCallee, walk.busy(c))
                }
                _ => {
                    // Too few for the load; a fault on the group's own service is still told.
                    let (_, state) = walk.state_of(service);
                    let faulted = matches!(
                        state,
                        RootState::Slowed | RootState::Hung | RootState::Killed
                    );
                    let state = if faulted { state } else { RootState::Itself };
                    (Mechanism::TooFewInstances, (service, state))
                }
            }
        }
    };
    let mut cause = walk.cause(mechanism, count, root);
    cause.workers = window.instances;
    cause.share = match mechanism {
        Mechanism::WaitingOnCallee => walk.first_link_share_of(window.instances),
        _ => window.share(state),
    };
    if let GroupState::Blocked { partition, offset } = state {
        (cause.partition, cause.offset) = (Some(partition), Some(offset));
    }
    if root.1 == RootState::BrokerDown {
        name_broker_root(facts, &mut cause);
    }
    Some(cause)
}

/// A broker root is the broker whose fault was on during the window, and since when.
fn name_broker_root(facts: &Facts, cause: &mut Cause) {
    let broker = facts
        .faults
        .iter()
        .find(|f| matches!(Target::named(&f.target), Target::Broker(_)));
    cause.root = broker.map_or_else(|| "broker".to_string(), |f| f.target.clone());
    cause.since_ms = broker.map(|f| f.started_ms);
}

/// A walk down the tree from the head, building the chain.
struct Walk<'a> {
    facts: &'a Facts<'a>,
    chain: Vec<usize>,
    /// What the head's workers spent on the first link, in job-microseconds.
    first_link_us: Option<u64>,
}

impl<'a> Walk<'a> {
    fn new(facts: &'a Facts<'a>, head: usize) -> Walk<'a> {
        Walk {
            facts,
            chain: vec![head],
            first_link_us: None,
        }
    }

    fn totals(&self, service: usize) -> ServiceTotals {
        self.facts.delta.service(service)
    }

    /// Why calls into `service` failed as `failure`: (root, its state).
    fn explain(&mut self, service: usize, failure: Failure) -> (usize, RootState) {
        let t = self.totals(service);
        match failure {
            Failure::Refused | Failure::Crash => self.state_of(service),
            // The callee was not upgraded for the version its caller now writes.
            Failure::Schema => (service, RootState::Itself),
            Failure::Rejected | Failure::Timeout => self.busy(service),
            Failure::CircuitOpen => {
                let mut tried = t.attempts_failed;
                tried[Failure::CircuitOpen as usize] = 0;
                if tried.iter().all(|&n| n == 0) {
                    return self.busy(service);
                }
                self.explain(service, dominant_failure(&tried))
            }
            Failure::Error => {
                let worst = children(self.facts, service)
                    .max_by_key(|&c| self.totals(c).gave_up_total())
                    .filter(|&c| self.totals(c).gave_up_total() > t.errors);
                match worst {
                    Some(child) if self.chain.len() < 16 => {
                        self.chain.push(child);
                        let failure = dominant_failure(&self.totals(child).gave_up);
                        self.explain(child, failure)
                    }
                    _ => (service, RootState::ErrorRate),
                }
            }
        }
    }

    /// Why `service` was slow or saturated: what its workers spent their time on.
    fn busy(&mut self, service: usize) -> (usize, RootState) {
        let t = self.totals(service);
        let down = self.facts.services[service].killed || self.facts.services[service].removed;
        let callee = children(self.facts, service).max_by_key(|&c| self.totals(c).waited_on_us);
        let wait_us = callee.map_or(0, |c| self.totals(c).waited_on_us);
        let first = self.chain.len() == 1;
        if down && t.working_us + t.stuck_us + wait_us == 0 {
            return self.state_of(service);
        }
        // A hung service's jobs never hear their callees' answers: it is the root, whatever
        // its jobs were waiting on when it hung.
        let hung = self.state_of(service).1 == RootState::Hung;
        if hung || (t.stuck_us > 0 && t.stuck_us >= t.working_us && t.stuck_us >= wait_us) {
            self.note_first(first, t.stuck_us);
            return (service, RootState::Hung);
        }
        match callee {
            Some(child) if wait_us > t.working_us && self.chain.len() < 16 => {
                self.note_first(first, wait_us);
                self.chain.push(child);
                self.busy(child)
            }
            _ => {
                self.note_first(first, t.working_us);
                self.state_of(service)
            }
        }
    }

    fn note_first(&mut self, first: bool, us: u64) {
        if first {
            self.first_link_us = Some(us);
        }
    }

    /// What is wrong with `service` itself.
    fn state_of(&self, service: usize) -> (usize, RootState) {
        let fact = &self.facts.services[service];
        let fault = self.fault_on(service).map(|f| f.action);
        let state = match fault {
            Some(ActionKind::Kill) => RootState::Killed,
            Some(ActionKind::Hang) => RootState::Hung,
            Some(ActionKind::Slow) => RootState::Slowed,
            _ if fact.removed => RootState::Removed,
            _ if fact.killed => RootState::Killed,
            _ if fact.hung => RootState::Hung,
            _ if fact.slow_factor > 1.0 => RootState::Slowed,
            _ => {
                let t = self.totals(service);
                if t.retries > 0 && t.retries * 4 >= t.calls {
                    RootState::RetryStorm
                } else if t.errors > 0 && t.errors * 10 >= t.calls.max(1) {
                    RootState::ErrorRate
                } else {
                    RootState::Overloaded
                }
            }
        };
        (service, state)
    }

    fn fault_on(&self, service: usize) -> Option<&FaultFact> {
        let name = &self.facts.services[service].name;
        self.facts.faults.iter().rev().find(|f| &f.target == name)
    }

    fn first_link_share(&self) -> f64 {
        let workers = self.facts.services[self.chain[0]].workers;
        self.first_link_share_of(workers)
    }

    fn first_link_share_of(&self, workers: u32) -> f64 {
        let window_us = (self.facts.end_ms - self.facts.start_ms) * 1_000.0;
        let capacity_us = f64::from(workers.max(1)) * window_us;
        let us = match (self.first_link_us, self.chain.get(1)) {
            (Some(us), _) => us,
            (None, Some(&next)) => self.totals(next).waited_on_us,
            (None, None) => 0,
        };
        if capacity_us <= 0.0 {
            return 0.0;
        }
        (us as f64 / capacity_us).clamp(0.0, 1.0)
    }

    fn cause(&self, mechanism: Mechanism, count: u64, root: (usize, RootState)) -> Cause {
        let names = &self.facts.services;
        let (root_service, root_state) = root;
        let fault = (root_service < names.len())
            .then(|| self.fault_on(root_service))
            .flatten();
        Cause {
            at: self.facts.start_ms,
            window_ms: self.facts.end_ms - self.facts.start_ms,
            mechanism,
            count,
            chain: self.chain.iter().map(|&s| names[s].name.clone()).collect(),
            root: names
                .get(root_service)
                .map_or_else(String::new, |s| s.name.clone()),
            root_state,
            share: 0.0,
            workers: names[self.chain[0]].workers,
            retries: 0,
            since_ms: fault.map(|f| f.started_ms),
            factor: fault.and_then(|f| f.factor).or_else(|| {
                let slow = names.get(root_service).map_or(1.0, |s| s.slow_factor);
                (root_state == RootState::Slowed && slow > 1.0).then_some(slow)
            }),
            partition: None,
            offset: None,
            at_edge: false,
        }
    }
}
