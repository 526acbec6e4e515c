//! The engine: the run that owns the parts, advanced by `step` and `run_until`.
//!
//! Both worlds receive every arrival and every fault at the same simulated time. The run
//! owns four parts — each world's services (`services/`), the log (`log.rs`) and the
//! consumer groups (`consumers/`) — and routes each event to the part that owns it
//! (`dispatch`); `wiring.rs` passes on what a part reports, and `faults.rs` applies actions.

use super::chunked::ChunkRef;
use super::consumers::{Group, Groups};
use super::context::{Cx, Event, Streams};
use super::episodes::{Episode, Episodes};
use super::ledger::Ledger;
use super::log::Log;
use super::metrics::{TimeSeries, merge_max};
use super::queue::EventQueue;
use super::rng::{SimRng, streams};
use super::scenario::{Action, Arrivals, Fault, Scenario, ScenarioError};
use super::services::WorldState;
use super::time::SimTime;
use super::topology::Topology;
use super::trace::{Reason, Trace, TraceKind, World};
use super::why::WhyState;

/// How often gauges are sampled into the time series and settled requests are folded.
pub(super) const HOUSEKEEPING_US: u64 = 100_000;
/// Width of a metrics bucket before any decimation.
const BUCKET_US: u64 = 1_000_000;
/// Buckets kept before neighbours merge.
const MAX_BUCKETS: usize = 1_024;
/// Trace events kept for the UI to read.
pub const TRACE_CAPACITY: usize = 65_536;
/// Trace events a [`Simulation::snapshot`] keeps: enough for the dots and journeys just before it.
pub const SNAPSHOT_TRACE_KEEP: usize = 2_048;

/// The whole simulated system: both worlds, the log, the ledger, metrics and trace.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub(super) cx: Cx,
    pub(super) end: SimTime,
    pub(super) events_simulated: u64,
    pub(super) worlds: [WorldState; 2],
    pub(super) log: Log,
    pub(super) groups: Groups,
    /// Fault indices in firing order.
    pub(super) fault_order: Vec<usize>,
    pub(super) max_lag: u64,
    /// Each group's highest lag so far, by service index: where a sweep's lag knee is read.
    pub(super) max_lag_by_service: Vec<u64>,
    pub(super) episodes: Episodes,
    /// Causes and what they are computed from between windows (`why.rs`).
    pub(super) why: WhyState,
}

impl Simulation {
    /// Builds a run from a scenario; the scenario is validated first.
    pub fn new(scenario: Scenario) -> Result<Simulation, ScenarioError> {
        Simulation::with_trace_capacity(scenario, TRACE_CAPACITY)
    }

    /// Like [`Simulation::new`], keeping `capacity` trace events for readers (0 keeps none).
    pub fn with_trace_capacity(
        scenario: Scenario,
        capacity: usize,
    ) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        let seed = scenario.seed;
        let topology = Topology::new(&scenario);
        // Stream numbers: 1-9 shared components, 100+ per world and service (see WorldState::new).
        let streams = Streams {
            arrivals: SimRng::fork(seed, streams::ARRIVALS),
            kinds: SimRng::fork(seed, streams::KINDS),
            users: SimRng::fork(seed, streams::USERS),
            poison: SimRng::fork(seed, streams::POISON),
        };
        let worlds = [
            WorldState::new(World::Sync, &topology, seed),
            WorldState::new(World::Event, &topology, seed),
        ];
        let log = Log::new(&scenario.event);
        let fault_order = scenario.faults_in_time_order();
        let mut sim = Simulation {
            end: SimTime::from_ms(scenario.duration_ms),
            events_simulated: 0,
            worlds,
            log,
            groups: Groups::default(),
            fault_order,
            max_lag: 0,
            max_lag_by_service: Vec::new(),
            episodes: Episodes::default(),
            why: WhyState::default(),
            cx: Cx {
                now: SimTime::ZERO,
                queue: EventQueue::default(),
                ledger: Ledger::default(),
                trace: Trace::new(capacity),
                series: TimeSeries::new(BUCKET_US, MAX_BUCKETS),
                streams,
                counters: Default::default(),
                schemas: Default::default(),
                producer_epoch: 0,
                topology,
                scenario,
            },
        };
        let partitions = sim.log.partitions().len();
        sim.groups.start(&mut sim.cx, partitions);
        for (position, &index) in sim.fault_order.iter().enumerate() {
            let at = SimTime::from_ms_f64(sim.cx.scenario.faults[index].at_ms);
            sim.cx.queue.push(at, Event::Fault(position as u32));
        }
        sim.schedule_first_arrival();
        sim.cx
            .queue
            .push(SimTime(HOUSEKEEPING_US), Event::Housekeeping);
        Ok(sim)
    }

    pub fn now(&self) -> SimTime {
        self.cx.now
    }

    /// A copy for time travel: the whole state, but only the newest
    /// [`SNAPSHOT_TRACE_KEEP`] trace events, so dozens of snapshots stay small.
    /// Runs continued from a snapshot and from the original are identical.
    pub fn snapshot(&self) -> Simulation {
        Simulation {
            cx: Cx {
                trace: self.cx.trace.trimmed(SNAPSHOT_TRACE_KEEP),
                ..self.cx.clone_without_trace()
            },
            end: self.end,
            events_simulated: self.events_simulated,
            worlds: self.worlds.clone(),
            log: self.log.clone(),
            groups: self.groups.clone(),
            fault_order: self.fault_order.clone(),
            max_lag: self.max_lag,
            max_lag_by_service: self.max_lag_by_service.clone(),
            episodes: self.episodes.clone(),
            why: self.why.clone(),
        }
    }

    /// A cheap estimate of the bytes this run holds, shared chunks included in full.
    pub fn approx_bytes(&self) -> usize {
        let groups = self.groups.approx_bytes();
        let worlds: usize = self.worlds.iter().map(WorldState::approx_bytes).sum();
        size_of::<Simulation>()
            + self.cx.ledger.approx_bytes()
            + self.log.approx_bytes()
            + self.cx.series.approx_bytes()
            + self.cx.queue.approx_bytes()
            + worlds
            + groups
            + self.cx.trace.approx_bytes()
            + self.cx.scenario.faults.capacity() * size_of::<Fault>()
            + self.episodes.iter().count() * size_of::<Episode>()
            + self.why.approx_bytes()
            + self.cx.counters.approx_bytes()
    }

    /// The bytes that are this copy's alone: everything but the chunks it may share with
    /// other copies (the ledger's open requests, the log's events and the metric buckets).
    pub fn own_bytes(&self) -> usize {
        let mut chunked = 0;
        self.for_each_chunk(|c| chunked += c.bytes);
        self.approx_bytes().saturating_sub(chunked)
    }

    /// Calls `visit` with every chunk this run may share with its copies.
    pub fn for_each_chunk(&self, mut visit: impl FnMut(ChunkRef)) {
        self.cx.ledger.for_each_chunk(&mut visit);
        self.log.for_each_chunk(&mut visit);
        self.cx.series.for_each_chunk(&mut visit);
    }

    /// The end of the scenario's duration; the engine runs past it if asked.
    pub fn end(&self) -> SimTime {
        self.end
    }

    pub fn scenario(&self) -> &Scenario {
        &self.cx.scenario
    }

    pub fn events_simulated(&self) -> u64 {
        self.events_simulated
    }

    pub fn trace(&self) -> &Trace {
        &self.cx.trace
    }

    pub fn ledger(&self) -> &Ledger {
        &self.cx.ledger
    }

    pub fn series(&self) -> &TimeSeries {
        &self.cx.series
    }

    /// A consumer group's state, by service index (None for services that are not groups).
    pub fn group_state(&self, service: usize) -> Option<&Group> {
        self.groups.get(service)
    }

    /// Event versions: what the entry writes and what each reader reads.
    pub fn schemas(&self) -> &super::schema::Schemas {
        &self.cx.schemas
    }

    pub fn log_state(&self) -> &Log {
        &self.log
    }

    pub fn topology(&self) -> &Topology {
        &self.cx.topology
    }

    /// When the next event is due, if any: lets a player bound the work done per frame.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.cx.queue.peek_time()
    }

    /// Runs the next event; returns false when nothing is left to do.
    pub fn step(&mut self) -> bool {
        let Some((time, event)) = self.cx.queue.pop() else {
            return false;
        };
        debug_assert!(time >= self.cx.now, "time never runs backwards");
        self.cx.now = time;
        self.events_simulated += 1;
        self.dispatch(event);
        true
    }

    /// Runs every event before time `until`, then sets the clock to `until`.
    ///
    /// Events at exactly `until` wait for the next call, so an action injected now is
    /// applied before them, just as a scenario fault at this time would be.
    pub fn run_until(&mut self, until: SimTime) {
        while self.cx.queue.peek_time().is_some_and(|t| t < until) {
            self.step();
        }
        self.cx.now = self.cx.now.max(until);
    }

    /// Runs to the end of the scenario's duration.
    pub fn run_to_end(&mut self) {
        self.run_until(self.end);
    }

    /// Applies an action to both worlds now, as the UI does when someone clicks.
    pub fn inject(&mut self, action: Action) -> Result<(), ScenarioError> {
        let action = action.at(self.cx.now.as_ms_f64());
        let mut check = self.cx.scenario.clone();
        check.faults.push(action.clone());
        check.validate()?;
        self.cx.scenario.faults.push(action);
        let index = self.cx.scenario.faults.len() - 1;
        self.apply_fault(index);
        Ok(())
    }

    /// Routes each event to the part that owns it.
    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Arrival => self.on_arrival(),
            Event::Fault(position) => {
                let index = self.fault_order[position as usize];
                self.apply_fault(index);
            }
            Event::Housekeeping => self.on_housekeeping(),
            Event::CallArrives { world, .. }
            | Event::WorkDone { world, .. }
            | Event::Response { world, .. }
            | Event::CallTimeout { world, .. }
            | Event::Retry { world, .. }
            | Event::Redeployed { world, .. } => self.in_world(world, |w, cx| w.handle(cx, event)),
            Event::ProduceAck { .. } | Event::ProducerTimeout { .. } => {
                self.in_world(World::Event, |w, cx| w.handle(cx, event));
            }
            Event::ProduceArrives { .. } | Event::Replicate { .. } | Event::OutboxPoll => {
                self.log.handle(&mut self.cx, event);
                self.hear_log();
            }
            Event::LeaderElection { partition } => self.on_leader_election(partition),
            Event::Poll { .. }
            | Event::Reprocess { .. }
            | Event::RebalanceDone { .. }
            | Event::AutoCommit { .. }
            | Event::SessionsExpired { .. } => self.in_groups(event),
        }
    }

    // ----- arrivals -----

    fn schedule_first_arrival(&mut self) {
        if let Some(gap) = self.next_interarrival(SimTime::ZERO) {
            self.cx.queue.push(gap, Event::Arrival);
        }
    }

    /// Time from `from` to the next arrival, or None when the rate is zero.
    fn next_interarrival(&mut self, from: SimTime) -> Option<SimTime> {
        let rng = &mut self.cx.streams.arrivals;
        let exponential = |rng: &mut SimRng, rate_per_s: f64| -> f64 {
            -(1.0 - rng.unit()).ln() / rate_per_s * 1_000.0
        };
        match self.cx.scenario.workload.arrivals {
            Arrivals::Poisson { rate_per_s } if rate_per_s > 0.0 => {
                Some(from + SimTime::from_ms_f64(exponential(rng, rate_per_s)).max(SimTime(1)))
            }
            Arrivals::Constant { rate_per_s } if rate_per_s > 0.0 => {
                Some(from + SimTime::from_ms_f64(1_000.0 / rate_per_s).max(SimTime(1)))
            }
            Arrivals::Bursty {
                rate_per_s,
                burst_rate_per_s,
                every_ms,
                burst_ms,
            } => {
                // A piecewise-constant Poisson process: draw at the current phase's rate,
                // and redraw from the phase boundary if the draw crosses it (memorylessness).
                let mut at_ms = from.as_ms_f64();
                for _ in 0..64 {
                    let phase_ms = at_ms % every_ms;
                    let (rate, phase_end_ms) = if phase_ms < burst_ms {
                        (burst_rate_per_s, at_ms - phase_ms + burst_ms)
                    } else {
                        (rate_per_s, at_ms - phase_ms + every_ms)
                    };
                    if rate > 0.0 {
                        let candidate = at_ms + exponential(rng, rate);
                        if candidate < phase_end_ms {
                            return Some(SimTime::from_ms_f64(candidate).max(from + SimTime(1)));
                        }
                    }
                    at_ms = phase_end_ms;
                }
                Some(SimTime::from_ms_f64(at_ms))
            }
            _ => None,
        }
    }

    fn on_arrival(&mut self) {
        let kind = self.cx.topology.pick_kind(self.cx.streams.kinds.unit());
        let user = self
            .cx
            .streams
            .users
            .below(u64::from(self.cx.scenario.workload.users)) as u32;
        let expected = self.cx.topology.kind_touches[kind as usize] & self.cx.topology.present & !1;
        let request = self.cx.ledger.open(self.cx.now, kind, expected, user);
        for world in World::BOTH {
            self.cx.record(world, TraceKind::Arrival { request, kind });
            self.cx.series.at(self.cx.now.as_us()).worlds[world.index()].arrivals += 1;
            self.mark_undeployed(world, request, expected);
            self.in_world(world, |w, cx| w.admit_user_request(cx, request, kind));
        }
        if let Some(next) = self.next_interarrival(self.cx.now) {
            self.cx.queue.push(next, Event::Arrival);
        }
    }

    /// Effects whose path from the entry is not deployed (or subscribed) yet are lost at once.
    fn mark_undeployed(&mut self, world: World, request: u64, expected: u16) {
        for service in 1..self.cx.topology.len() {
            if expected & (1 << service) != 0 && !self.path_deployed(world, service) {
                self.cx
                    .mark_effect_lost(world, request, service, Reason::NotDeployed);
            }
        }
    }

    /// Whether requests can reach `service` in `world` right now.
    fn path_deployed(&self, world: World, service: usize) -> bool {
        let mut at = service;
        while let Some(parent) = self.cx.topology.caller[at] {
            let parent = parent as usize;
            let linked = if world == World::Event && parent == 0 {
                self.groups.get(at).is_some_and(|g| g.subscribed)
            } else {
                self.worlds[world.index()].calls(parent, at)
            };
            if !linked {
                return false;
            }
            at = parent;
        }
        true
    }

    // ----- housekeeping -----

    fn on_housekeeping(&mut self) {
        self.sample_gauges();
        if self.cx.now.as_us() % 1_000_000 < HOUSEKEEPING_US {
            self.log.apply_retention(&self.cx);
            self.hear_log();
            self.fold_settled_requests();
        }
        let next = self.cx.now + SimTime(HOUSEKEEPING_US);
        // Keep ticking while anything else is scheduled; an idle run may end.
        if !self.cx.queue.is_empty() {
            self.cx.queue.push(next, Event::Housekeeping);
        }
    }

    fn sample_gauges(&mut self) {
        self.tick_episodes();
        self.sample_groups();
        let lags: Vec<(usize, u64)> = (0..self.groups.len())
            .filter_map(|g| self.group_lag(g).map(|lag| (g, lag)))
            .collect();
        let now_us = self.cx.now.as_us();
        for world in World::BOTH {
            let (in_flight, busy, queued) = self.worlds[world.index()].gauges();
            let bucket = &mut self.cx.series.at(now_us).worlds[world.index()];
            bucket.in_flight_max = bucket.in_flight_max.max(in_flight);
            merge_max(&mut bucket.busy_max, &busy);
            merge_max(&mut bucket.queue_max, &queued);
        }
        let bucket = self.cx.series.at(now_us);
        for (group, lag) in lags {
            if bucket.lag_max.len() <= group {
                bucket.lag_max.resize(group + 1, 0);
            }
            bucket.lag_max[group] = bucket.lag_max[group].max(lag);
            self.max_lag = self.max_lag.max(lag);
            if self.max_lag_by_service.len() <= group {
                self.max_lag_by_service.resize(group + 1, 0);
            }
            self.max_lag_by_service[group] = self.max_lag_by_service[group].max(lag);
        }
    }

    /// A request settles when both worlds have answered the user, have no work
    /// left for it, and every subscribed group has committed past its event.
    fn fold_settled_requests(&mut self) {
        let groups = &self.groups;
        let log = &self.log;
        self.cx.ledger.fold_settled(|_, record| {
            let answered = record
                .fates
                .iter()
                .all(|f| f.outcome != super::ledger::Outcome::Pending && f.outstanding == 0);
            if !answered {
                return false;
            }
            match record.event_position() {
                None => true,
                Some((partition, offset)) => {
                    let subscribed = groups.services().filter_map(|s| groups.get(s));
                    // Committed and processed: before processing, a poll commits ahead
                    // of the work, which is still to come (or to be lost in a crash).
                    let p = partition as usize;
                    subscribed.filter(|g| g.subscribed).all(|g| {
                        g.committed[p].min(g.completed[p]) > offset
                            || log.partitions()[p].start > offset
                    })
                }
            }
        });
    }
}
