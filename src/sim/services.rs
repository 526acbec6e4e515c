//! Synchronous calls, shared by both worlds: worker pools, bounded queues, timeouts, retries, breakers and faults.
//!
//! A job is one service's handling of one request. It takes a worker (or waits in
//! the queue), does its own work (the effect), then calls its children, holding
//! the worker until every call has answered, failed or timed out. In the event
//! world the entry publishes instead of calling, and consumer groups run their
//! service's jobs on their own instances, calling deeper services the same way.

use super::context::{Cx, Event, JobId, Poll, Reply};
use super::rng::{SimRng, streams};
use super::scenario::{Acks, ActionKind, CallMode};
use super::time::SimTime;
use super::topology::Topology;
use super::trace::{BreakerPosition, Reason, TraceKind, World};
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JobState {
    Travelling,
    Queued,
    Working,
    Calling,
    /// Held by a hung service: it keeps its worker and never answers.
    Stuck,
}

#[derive(Clone, Debug)]
pub(super) struct Job {
    pub request: u64,
    pub service: u8,
    pub kind: u8,
    pub state: JobState,
    pub reply: Reply,
    /// Children still to call, in call order (sequential callers pop from the front).
    pub pending_children: u16,
    /// Calls currently open, by callee index.
    pub open_slots: u16,
    /// The attempt number each open call is on.
    pub slot_attempt: [u8; super::ledger::MAX_SERVICES],
    pub failed: bool,
    /// Consumer jobs run on the consumer instance, not on the service's pool.
    pub on_instance: bool,
    pub holds_worker: bool,
}

/// A slab of jobs with generation-checked handles; `Clone` for snapshots.
#[derive(Clone, Debug, Default)]
pub(super) struct Jobs {
    slots: Vec<(u32, Option<Job>)>,
    free: Vec<u32>,
    live: usize,
}

impl Jobs {
    fn insert(&mut self, job: Job) -> JobId {
        self.live += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.0 = slot.0.wrapping_add(1);
            slot.1 = Some(job);
            return JobId {
                index,
                generation: slot.0,
            };
        }
        self.slots.push((0, Some(job)));
        JobId {
            index: self.slots.len() as u32 - 1,
            generation: 0,
        }
    }

    pub fn get(&self, id: JobId) -> Option<&Job> {
        match self.slots.get(id.index as usize) {
            Some((generation, Some(job))) if *generation == id.generation => Some(job),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, id: JobId) -> Option<&mut Job> {
        match self.slots.get_mut(id.index as usize) {
            Some((generation, Some(job))) if *generation == id.generation => Some(job),
            _ => None,
        }
    }

    fn remove(&mut self, id: JobId) -> Option<Job> {
        let slot = self.slots.get_mut(id.index as usize)?;
        if slot.0 != id.generation || slot.1.is_none() {
            return None;
        }
        self.live -= 1;
        self.free.push(id.index);
        slot.1.take()
    }

    /// Bytes held by the slab.
    pub fn approx_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<(u32, Option<Job>)>() + self.free.capacity() * 4
    }

    /// Jobs alive now.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Handles of live jobs at `service`, in slot order (deterministic).
    fn at_service(&self, service: u8) -> Vec<JobId> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(index, (generation, job))| match job {
                Some(job) if job.service == service => Some(JobId {
                    index: index as u32,
                    generation: *generation,
                }),
                _ => None,
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Up,
    Killed,
    Hung,
}

/// One service's runtime in one world.
#[derive(Clone, Debug)]
pub(super) struct ServiceRuntime {
    pub health: Health,
    pub slow_factor: f64,
    pub removed: bool,
    pub workers: u32,
    pub queue_capacity: u32,
    pub busy: u32,
    pub queue: VecDeque<JobId>,
    pub epoch: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum BreakerState {
    Closed,
    Open { until: SimTime },
    HalfOpen { trial_in_flight: bool },
}

/// The circuit breaker on the edge into one callee (its caller is unique in a tree).
#[derive(Clone, Debug)]
pub(super) struct Breaker {
    pub state: BreakerState,
    pub consecutive_failures: u32,
}

impl Breaker {
    /// The numeric state for the trace: 0 closed, 1 open, 2 half-open.
    pub fn position(&self) -> BreakerPosition {
        match self.state {
            BreakerState::Closed => BreakerPosition::Closed,
            BreakerState::Open { .. } => BreakerPosition::Open,
            BreakerState::HalfOpen { .. } => BreakerPosition::HalfOpen,
        }
    }
}

/// One world's services, jobs, deployed code and breakers.
#[derive(Clone, Debug)]
pub(super) struct WorldState {
    world: World,
    services: Vec<ServiceRuntime>,
    jobs: Jobs,
    /// The calls each service's deployed code makes (changes only by redeploying).
    deployed_calls: Vec<Vec<u8>>,
    breakers: Vec<Breaker>,
    service_rngs: Vec<SimRng>,
    retry_rng: SimRng,
    /// What the engine must pass on, in order: consumers whose job tree finished.
    news: Vec<ServiceNews>,
}

/// What the rest of the run must hear of a world's services; drained by the engine.
#[derive(Clone, Copy, Debug)]
pub(super) enum ServiceNews {
    /// A consumer instance's job tree has finished.
    ConsumerDone { poll: Poll, ok: bool },
}

impl WorldState {
    /// Bytes of this world's state: the job slab and the services' queues dominate.
    pub(super) fn approx_bytes(&self) -> usize {
        let queues: usize = self.services.iter().map(|s| s.queue.capacity() * 8).sum();
        let per_service = size_of::<ServiceRuntime>() + size_of::<Breaker>() + 64;
        size_of::<WorldState>()
            + self.jobs.approx_bytes()
            + queues
            + self.services.len() * per_service
    }
}

fn runtime_for(topology: &Topology, service: usize) -> ServiceRuntime {
    let spec = &topology.specs[service];
    ServiceRuntime {
        health: Health::Up,
        slow_factor: 1.0,
        removed: false,
        workers: spec.workers,
        queue_capacity: spec.queue_capacity,
        busy: 0,
        queue: VecDeque::new(),
        epoch: 0,
    }
}

impl WorldState {
    pub(super) fn health(&self, service: usize) -> Health {
        self.services[service].health
    }

    /// Whether `caller`'s deployed code calls `callee`.
    pub(super) fn calls(&self, caller: usize, callee: usize) -> bool {
        self.deployed_calls[caller].contains(&(callee as u8))
    }

    /// Calls to a removed service are refused until its caller is redeployed without them.
    pub(super) fn remove_service(&mut self, service: usize) {
        self.services[service].removed = true;
    }

    /// `caller` is redeployed with (or without) its call to `callee`.
    pub(super) fn on_redeployed(&mut self, caller: u8, callee: u8, add: bool) {
        let calls = &mut self.deployed_calls[caller as usize];
        if add {
            if !calls.contains(&callee) {
                calls.push(callee);
            }
        } else {
            calls.retain(|&c| c != callee);
        }
    }

    /// Jobs in flight, and each service's busy workers and queue length, for the gauges.
    pub(super) fn gauges(&self) -> (u64, Vec<u32>, Vec<u32>) {
        let busy = self.services.iter().map(|s| s.busy).collect();
        let queued = self.services.iter().map(|s| s.queue.len() as u32).collect();
        (self.jobs.live() as u64, busy, queued)
    }

    pub(super) fn drain_news(&mut self) -> Vec<ServiceNews> {
        std::mem::take(&mut self.news)
    }

    /// Whether `job` is still waiting on a call (for a producer: on its ack).
    pub(super) fn is_calling(&self, job: JobId) -> bool {
        self.jobs
            .get(job)
            .is_some_and(|j| j.state == JobState::Calling)
    }

    pub fn new(world: World, topology: &Topology, seed: u64) -> WorldState {
        let count = topology.len();
        let deployed_calls = (0..count)
            .map(|s| {
                topology.specs[s]
                    .calls
                    .iter()
                    .map(|name| topology.index_of(name).expect("validated topology") as u8)
                    .collect()
            })
            .collect();
        WorldState {
            world,
            services: (0..count).map(|s| runtime_for(topology, s)).collect(),
            jobs: Jobs::default(),
            deployed_calls,
            breakers: (0..count)
                .map(|_| Breaker {
                    state: BreakerState::Closed,
                    consecutive_failures: 0,
                })
                .collect(),
            service_rngs: (0..count)
                .map(|s| SimRng::fork(seed, streams::service(world, s)))
                .collect(),
            retry_rng: SimRng::fork(seed, streams::retries(world)),
            news: Vec::new(),
        }
    }

    /// Grows every per-service table for a newly added service.
    pub fn add_service(&mut self, topology: &Topology, service: usize, seed: u64) {
        self.services.push(runtime_for(topology, service));
        self.deployed_calls.push(Vec::new());
        self.breakers.push(Breaker {
            state: BreakerState::Closed,
            consecutive_failures: 0,
        });
        self.service_rngs
            .push(SimRng::fork(seed, streams::service(self.world, service)));
    }
}

impl WorldState {
    /// Creates a job and counts it against its request.
    pub(super) fn create_job(
        &mut self,
        cx: &mut Cx,
        request: u64,
        service: usize,
        kind: u8,
        reply: Reply,
    ) -> JobId {
        let world = self.world;
        let job = Job {
            request,
            service: service as u8,
            kind,
            state: JobState::Travelling,
            reply,
            pending_children: 0,
            open_slots: 0,
            slot_attempt: [0; super::ledger::MAX_SERVICES],
            failed: false,
            on_instance: matches!(reply, Reply::Consumer { .. }),
            holds_worker: false,
        };
        cx.ledger.job_started(world, request);
        self.jobs.insert(job)
    }

    fn free_job(&mut self, cx: &mut Cx, id: JobId) -> Option<Job> {
        let world = self.world;
        let job = self.jobs.remove(id)?;
        cx.ledger.job_ended(world, job.request);
        Some(job)
    }

    /// The user's request reaches the entry service.
    pub(super) fn admit_user_request(&mut self, cx: &mut Cx, request: u64, kind: u8) {
        let job = self.create_job(cx, request, 0, kind, Reply::User);
        self.on_call_arrives(cx, job);
    }

    /// A job reaches its service: refused, rejected, queued or started.
    pub(super) fn on_call_arrives(&mut self, cx: &mut Cx, id: JobId) {
        let world = self.world;
        let Some(job) = self.jobs.get(id) else {
            return;
        };
        let (service, request, on_instance) = (job.service as usize, job.request, job.on_instance);
        let runtime = &self.services[service];
        if runtime.health == Health::Killed || runtime.removed {
            self.finish_job(cx, id, false, Reason::Refused);
            return;
        }
        if on_instance {
            self.start_job(cx, id);
            return;
        }
        if runtime.busy < runtime.workers {
            self.start_job(cx, id);
        } else if (runtime.queue.len() as u32) < runtime.queue_capacity {
            self.services[service].queue.push_back(id);
            if let Some(job) = self.jobs.get_mut(id) {
                job.state = JobState::Queued;
            }
        } else {
            cx.record(
                world,
                TraceKind::Rejected {
                    request,
                    service: service as u8,
                },
            );
            self.finish_job(cx, id, false, Reason::Rejected);
        }
    }

    fn start_job(&mut self, cx: &mut Cx, id: JobId) {
        let world = self.world;
        let Some(job) = self.jobs.get_mut(id) else {
            return;
        };
        let service = job.service as usize;
        let request = job.request;
        if !job.on_instance {
            job.holds_worker = true;
            self.services[service].busy += 1;
        }
        let runtime = &self.services[service];
        if runtime.health == Health::Hung {
            job.state = JobState::Stuck;
        } else {
            job.state = JobState::Working;
            let factor = runtime.slow_factor;
            let duration =
                cx.topology.samplers[service].sample(&mut self.service_rngs[service], factor);
            cx.queue
                .push(cx.now + duration, Event::WorkDone { world, job: id });
        }
        cx.record(
            world,
            TraceKind::WorkStarted {
                request,
                service: service as u8,
            },
        );
    }

    /// A job's own work is finished: maybe an error; otherwise the effect, then its calls.
    pub(super) fn on_work_done(&mut self, cx: &mut Cx, id: JobId) {
        let world = self.world;
        let Some(job) = self.jobs.get_mut(id) else {
            return;
        };
        if job.state != JobState::Working {
            return;
        }
        let service = job.service as usize;
        let request = job.request;
        let kind = job.kind;
        if self.services[service].health == Health::Hung {
            job.state = JobState::Stuck;
            return;
        }
        let error_rate = cx.topology.specs[service].error_rate;
        if self.service_rngs[service].chance(error_rate) {
            cx.record(
                world,
                TraceKind::WorkDone {
                    request,
                    service: service as u8,
                    ok: false,
                },
            );
            self.finish_job(cx, id, false, Reason::Error);
            return;
        }
        cx.record(
            world,
            TraceKind::WorkDone {
                request,
                service: service as u8,
                ok: true,
            },
        );
        if service != 0 {
            let deduplicated = world == World::Event
                && cx.scenario.event.idempotent
                && cx.ledger.already_applied(world, request, service);
            if !deduplicated {
                cx.effect_done(world, request, service);
            }
        }
        if world == World::Event && service == 0 {
            self.publish(cx, id);
            return;
        }
        let touches = cx.topology.kind_touches[kind as usize];
        let children: u16 = self.deployed_calls[service]
            .iter()
            .filter(|&&c| touches & (1 << c) != 0)
            .fold(0, |mask, &c| mask | (1 << c));
        let mode = cx.topology.specs[service].call_mode;
        let Some(job) = self.jobs.get_mut(id) else {
            return;
        };
        job.state = JobState::Calling;
        job.pending_children = children;
        if children == 0 {
            self.finish_job(cx, id, true, Reason::Error);
            return;
        }
        match mode {
            CallMode::Parallel => {
                for callee in 0..super::ledger::MAX_SERVICES {
                    if children & (1 << callee) != 0 {
                        self.take_child(id, callee);
                        self.issue_call(cx, id, callee, 0);
                    }
                }
            }
            CallMode::Sequential => self.call_next_child(cx, id),
        }
    }

    fn take_child(&mut self, id: JobId, callee: usize) {
        if let Some(job) = self.jobs.get_mut(id) {
            job.pending_children &= !(1 << callee);
            job.open_slots |= 1 << callee;
        }
    }

    fn call_next_child(&mut self, cx: &mut Cx, id: JobId) {
        let Some(job) = self.jobs.get(id) else {
            return;
        };
        let pending = job.pending_children;
        if pending == 0 {
            let ok = !job.failed;
            self.finish_job(cx, id, ok, Reason::Error);
            return;
        }
        let callee = pending.trailing_zeros() as usize;
        self.take_child(id, callee);
        self.issue_call(cx, id, callee, 0);
    }

    /// Sends attempt `attempt` of `parent`'s call to `callee`, unless the breaker is open.
    pub(super) fn issue_call(&mut self, cx: &mut Cx, parent: JobId, callee: usize, attempt: u8) {
        let world = self.world;
        let Some(job) = self.jobs.get(parent) else {
            return;
        };
        if job.open_slots & (1 << callee) == 0 || job.slot_attempt[callee] != attempt {
            return;
        }
        let (request, kind, from) = (job.request, job.kind, job.service);
        if !self.breaker_allows(cx, callee) {
            self.call_failed(cx, parent, callee, attempt, Reason::CircuitOpen);
            return;
        }
        let child = self.create_job(
            cx,
            request,
            callee,
            kind,
            Reply::Parent {
                job: parent,
                attempt,
            },
        );
        cx.record(
            world,
            TraceKind::CallSent {
                request,
                from,
                to: callee as u8,
                attempt,
            },
        );
        let latency = cx.latency();
        cx.queue
            .push(cx.now + latency, Event::CallArrives { world, job: child });
        let timeout = SimTime::from_ms_f64(cx.scenario.sync.timeout_ms);
        let callee = callee as u8;
        cx.queue.push(
            cx.now + timeout,
            Event::CallTimeout {
                world,
                parent,
                callee,
                attempt,
            },
        );
    }

    /// Whether `parent` is still waiting for this attempt of this call.
    fn awaiting(&self, parent: JobId, callee: usize, attempt: u8) -> bool {
        self.jobs.get(parent).is_some_and(|job| {
            job.state == JobState::Calling
                && job.open_slots & (1 << callee) != 0
                && job.slot_attempt[callee] == attempt
                && self.services[job.service as usize].health != Health::Hung
        })
    }

    pub(super) fn on_response(
        &mut self,
        cx: &mut Cx,
        parent: JobId,
        callee: u8,
        attempt: u8,
        ok: bool,
        reason: Reason,
    ) {
        let callee = callee as usize;
        if !self.awaiting(parent, callee, attempt) {
            return;
        }
        if ok {
            self.breaker_success(cx, callee);
            self.close_slot(cx, parent, callee);
        } else {
            self.call_failed(cx, parent, callee, attempt, reason);
        }
    }

    pub(super) fn on_call_timeout(&mut self, cx: &mut Cx, parent: JobId, callee: u8, attempt: u8) {
        let callee = callee as usize;
        if self.awaiting(parent, callee, attempt) {
            self.call_failed(cx, parent, callee, attempt, Reason::Timeout);
        }
    }

    /// One attempt failed: retry with backoff, or give up (fallback, or fail the caller).
    fn call_failed(
        &mut self,
        cx: &mut Cx,
        parent: JobId,
        callee: usize,
        attempt: u8,
        reason: Reason,
    ) {
        let world = self.world;
        if reason != Reason::CircuitOpen {
            self.breaker_failure(cx, callee);
        }
        let Some(job) = self.jobs.get(parent) else {
            return;
        };
        let (request, from) = (job.request, job.service);
        cx.record(
            world,
            TraceKind::CallFailed {
                request,
                from,
                to: callee as u8,
                reason,
            },
        );
        let retry = cx.scenario.sync.retry.clone();
        if u32::from(attempt) < retry.max_retries {
            let next = attempt + 1;
            let capped = retry.wait_ms(u32::from(next), 0.0);
            let wait_ms = if retry.jitter {
                capped * self.retry_rng.unit()
            } else {
                capped
            };
            if let Some(job) = self.jobs.get_mut(parent) {
                job.slot_attempt[callee] = next;
            }
            let callee = callee as u8;
            cx.queue.push(
                cx.now + SimTime::from_ms_f64(wait_ms),
                Event::Retry {
                    world,
                    parent,
                    callee,
                    attempt: next,
                },
            );
            return;
        }
        cx.mark_subtree_lost(world, request, callee, reason);
        if cx.scenario.sync.fallback {
            self.close_slot(cx, parent, callee);
            return;
        }
        let mode = cx.topology.specs[from as usize].call_mode;
        let Some(job) = self.jobs.get_mut(parent) else {
            return;
        };
        job.failed = true;
        if mode == CallMode::Sequential {
            let skipped = job.pending_children;
            job.pending_children = 0;
            for other in 0..super::ledger::MAX_SERVICES {
                if skipped & (1 << other) != 0 {
                    cx.mark_subtree_lost(world, request, other, Reason::NotCalled);
                }
            }
        }
        self.close_slot(cx, parent, callee);
    }

    fn close_slot(&mut self, cx: &mut Cx, parent: JobId, callee: usize) {
        let Some(job) = self.jobs.get_mut(parent) else {
            return;
        };
        job.open_slots &= !(1 << callee);
        if job.open_slots != 0 {
            return;
        }
        let ok = !job.failed;
        let service = job.service as usize;
        match cx.topology.specs[service].call_mode {
            CallMode::Sequential => self.call_next_child(cx, parent),
            CallMode::Parallel => self.finish_job(cx, parent, ok, Reason::Error),
        }
    }

    /// The job answers: its worker is freed, the next queued job starts, and the reply goes out.
    pub(super) fn finish_job(&mut self, cx: &mut Cx, id: JobId, ok: bool, reason: Reason) {
        let world = self.world;
        let Some(job) = self.free_job(cx, id) else {
            return;
        };
        let service = job.service as usize;
        if job.holds_worker {
            self.release_worker(cx, service);
        }
        match job.reply {
            Reply::User => {
                if !ok {
                    // The request failed at the entry: whatever it had not yet set off is lost.
                    cx.mark_subtree_lost(world, job.request, 0, reason);
                }
                cx.respond_to_user(world, job.request, ok)
            }
            Reply::Parent {
                job: parent,
                attempt,
            } => {
                let caller = self.jobs.get(parent).map(|p| p.service).unwrap_or(0);
                cx.record(
                    world,
                    TraceKind::Replied {
                        request: job.request,
                        from: job.service,
                        to: caller,
                        ok,
                    },
                );
                let latency = cx.latency();
                let event = Event::Response {
                    world,
                    parent,
                    callee: job.service,
                    attempt,
                    ok,
                    reason,
                };
                cx.queue.push(cx.now + latency, event);
            }
            Reply::Consumer {
                group,
                instance,
                incarnation,
            } => {
                let poll = Poll {
                    service: group as usize,
                    index: instance as usize,
                    incarnation,
                };
                self.news.push(ServiceNews::ConsumerDone { poll, ok });
            }
        }
    }

    fn release_worker(&mut self, cx: &mut Cx, service: usize) {
        let runtime = &mut self.services[service];
        runtime.busy = runtime.busy.saturating_sub(1);
        while let Some(next) = self.services[service].queue.pop_front() {
            if self.jobs.get(next).is_some() {
                self.start_job(cx, next);
                break;
            }
        }
    }

    // ----- circuit breakers -----

    fn breaker_allows(&mut self, cx: &mut Cx, callee: usize) -> bool {
        if !cx.scenario.sync.circuit_breaker.enabled {
            return true;
        }
        let now = cx.now;
        let breaker = &mut self.breakers[callee];
        let allowed = match breaker.state {
            BreakerState::Closed => true,
            BreakerState::Open { until } if now >= until => {
                breaker.state = BreakerState::HalfOpen {
                    trial_in_flight: true,
                };
                true
            }
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen {
                trial_in_flight: true,
            } => false,
            BreakerState::HalfOpen {
                trial_in_flight: false,
            } => {
                breaker.state = BreakerState::HalfOpen {
                    trial_in_flight: true,
                };
                true
            }
        };
        if matches!(self.breakers[callee].state, BreakerState::HalfOpen { .. }) && allowed {
            self.trace_breaker(cx, callee);
        }
        allowed
    }

    fn breaker_success(&mut self, cx: &mut Cx, callee: usize) {
        if !cx.scenario.sync.circuit_breaker.enabled {
            return;
        }
        let breaker = &mut self.breakers[callee];
        let changed = breaker.state != BreakerState::Closed;
        breaker.state = BreakerState::Closed;
        breaker.consecutive_failures = 0;
        if changed {
            self.trace_breaker(cx, callee);
        }
    }

    fn breaker_failure(&mut self, cx: &mut Cx, callee: usize) {
        let settings = cx.scenario.sync.circuit_breaker.clone();
        if !settings.enabled {
            return;
        }
        let until = cx.now + SimTime::from_ms_f64(settings.open_ms);
        let breaker = &mut self.breakers[callee];
        breaker.consecutive_failures += 1;
        let opens = match breaker.state {
            BreakerState::Closed => breaker.consecutive_failures >= settings.failure_threshold,
            BreakerState::HalfOpen { .. } => true,
            BreakerState::Open { .. } => false,
        };
        if opens {
            breaker.state = BreakerState::Open { until };
            self.trace_breaker(cx, callee);
        }
    }

    fn trace_breaker(&mut self, cx: &mut Cx, callee: usize) {
        let world = self.world;
        let from = cx.topology.caller[callee].unwrap_or(0);
        let state = self.breakers[callee].position();
        cx.record(
            world,
            TraceKind::BreakerChanged {
                from,
                to: callee as u8,
                state,
            },
        );
    }

    // ----- faults on services -----

    /// Kills, hangs, slows or restores `service`; its consumer group, if any, the engine
    /// crashes and revives around this.
    pub(super) fn apply_fault(
        &mut self,
        cx: &mut Cx,
        service: usize,
        action: ActionKind,
        factor: f64,
    ) {
        match action {
            ActionKind::Kill => {
                self.services[service].health = Health::Killed;
                self.crash_jobs_at(cx, service);
            }
            ActionKind::Hang => self.services[service].health = Health::Hung,
            ActionKind::Slow => self.services[service].slow_factor = factor,
            ActionKind::Restore => {
                if self.services[service].health == Health::Hung {
                    self.crash_jobs_at(cx, service);
                }
                let runtime = &mut self.services[service];
                runtime.health = Health::Up;
                runtime.slow_factor = 1.0;
            }
            _ => {}
        }
    }

    /// A crash or restart: everything the service was doing is dropped, and callers see a reset.
    pub(super) fn crash_jobs_at(&mut self, cx: &mut Cx, service: usize) {
        let world = self.world;
        let runtime = &mut self.services[service];
        runtime.epoch += 1;
        runtime.busy = 0;
        runtime.queue.clear();
        let victims = self.jobs.at_service(service as u8);
        for id in victims {
            let Some(job) = self.jobs.get(id) else {
                continue;
            };
            if job.state == JobState::Travelling {
                continue;
            }
            let (request, never_called, reply) = (job.request, job.pending_children, job.reply);
            for child in 0..super::ledger::MAX_SERVICES {
                if never_called & (1 << child) != 0 {
                    cx.mark_subtree_lost(world, request, child, Reason::Crash);
                }
            }
            if let Some(job) = self.jobs.get_mut(id) {
                // The worker pool was reset above; finishing must not release it again.
                job.holds_worker = false;
            }
            if matches!(reply, Reply::Consumer { .. }) {
                // Consumer instances are crashed by the group itself; nobody awaits this answer.
                self.free_job(cx, id);
            } else {
                self.finish_job(cx, id, false, Reason::Crash);
            }
        }
    }
}

// ----- the producer: the event world's entry service publishing to the log -----

impl WorldState {
    /// The entry service has done its work and sends the event to the partition leader.
    pub(super) fn publish(&mut self, cx: &mut Cx, job: JobId) {
        let Some(request) = self.jobs.get(job).map(|j| j.request) else {
            return;
        };
        let user = cx.ledger.record(request).map_or(0, |r| r.user);
        // The partition count is a shape fixed at the start, so the settings say it.
        let partition = (u64::from(user) % u64::from(cx.scenario.event.partitions)) as u16;
        let latency = cx.latency();
        if let Some(j) = self.jobs.get_mut(job) {
            j.state = JobState::Calling;
        }
        cx.ledger.job_started(World::Event, request);
        cx.queue.push(
            cx.now + latency,
            Event::ProduceArrives {
                job,
                partition,
                request,
            },
        );
        if cx.scenario.event.acks == Acks::Zero {
            // Fire and forget: the user is told "done" before the write lands anywhere.
            self.finish_job(cx, job, true, Reason::Error);
        } else {
            let timeout = SimTime::from_ms_f64(cx.scenario.event.producer_timeout_ms);
            cx.queue
                .push(cx.now + timeout, Event::ProducerTimeout { job });
        }
    }

    pub(super) fn on_produce_ack(&mut self, cx: &mut Cx, job: JobId, partition: u16, offset: u64) {
        let Some(j) = self.jobs.get(job) else { return };
        if j.state != JobState::Calling {
            return;
        }
        let request = j.request;
        cx.record(
            World::Event,
            TraceKind::Acked {
                request,
                partition,
                offset,
            },
        );
        self.finish_job(cx, job, true, Reason::Error);
    }

    pub(super) fn on_producer_timeout(&mut self, cx: &mut Cx, job: JobId) {
        let waiting = self
            .jobs
            .get(job)
            .is_some_and(|j| j.state == JobState::Calling);
        if waiting {
            self.finish_job(cx, job, false, Reason::ProducerTimeout);
        }
    }
}

/// What one service looks like in one world right now: plain data for the UI.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceView {
    pub health: Health,
    /// Service-time multiplier (1.0 unless slowed).
    pub slow_factor: f64,
    pub removed: bool,
    pub workers: u32,
    pub busy: u32,
    pub queued: u32,
    pub queue_capacity: u32,
    /// The breaker on the edge into this service.
    pub breaker: BreakerPosition,
    /// The callees this service's deployed code calls, by index.
    pub deployed_calls: Vec<u8>,
}

impl WorldState {
    /// One service's state, or None for an unknown index.
    pub fn view(&self, service: usize) -> Option<ServiceView> {
        let runtime = self.services.get(service)?;
        Some(ServiceView {
            health: runtime.health,
            slow_factor: runtime.slow_factor,
            removed: runtime.removed,
            workers: runtime.workers,
            busy: runtime.busy,
            queued: runtime.queue.len() as u32,
            queue_capacity: runtime.queue_capacity,
            breaker: self.breakers[service].position(),
            deployed_calls: self.deployed_calls[service].clone(),
        })
    }
}
