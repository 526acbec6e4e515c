//! Synchronous calls, shared by both worlds: worker pools, bounded queues, timeouts, retries, breakers and faults.
//!
//! A job is one service's handling of one request. It takes a worker (or waits in
//! the queue), does its own work (the effect), then calls its children, holding
//! the worker until every call has answered, failed or timed out. In the event
//! world the entry publishes instead of calling, and consumer groups run their
//! service's jobs on their own instances, calling deeper services the same way.

use super::context::{Cx, Event, JobId, Outbox, Poll, Reply};
use super::ids::ServiceId;
use super::rng::{SimRng, streams};
use super::time::SimTime;
use super::topology::Topology;
use super::trace::{BreakerPosition, World};
use std::collections::VecDeque;

mod calls;
mod resilience;

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
    news: Outbox<ServiceNews>,
}

/// What the rest of the run must hear of a world's services; drained by the engine.
#[derive(Clone, Copy, Debug)]
pub(super) enum ServiceNews {
    /// A consumer instance's job tree has finished.
    ConsumerDone { poll: Poll, ok: bool },
    /// The event world's entry committed an outbox row with its own write.
    Outboxed { request: u64, partition: u16 },
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
    pub(super) fn on_redeployed(&mut self, caller: ServiceId, callee: ServiceId, add: bool) {
        let (calls, callee) = (&mut self.deployed_calls[caller.index()], callee.0);
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

    /// What this part has reported since the engine last listened.
    #[inline]
    pub(super) fn news(&mut self) -> &mut Outbox<ServiceNews> {
        &mut self.news
    }

    /// Handles one of this world's events; the engine routes only those here.
    #[inline]
    pub(super) fn handle(&mut self, cx: &mut Cx, event: Event) {
        match event {
            Event::CallArrives { job, .. } => self.on_call_arrives(cx, job),
            Event::WorkDone { job, .. } => self.on_work_done(cx, job),
            Event::Response {
                parent,
                callee,
                attempt,
                ok,
                reason,
                ..
            } => self.on_response(cx, parent, callee.index(), attempt, ok, reason),
            Event::CallTimeout {
                parent,
                callee,
                attempt,
                ..
            } => self.on_call_timeout(cx, parent, callee.index(), attempt),
            Event::Retry {
                parent,
                callee,
                attempt,
                ..
            } => self.issue_call(cx, parent, callee.index(), attempt),
            Event::Redeployed {
                caller,
                callee,
                add,
                ..
            } => self.on_redeployed(caller, callee, add),
            Event::ProduceAck {
                job,
                partition,
                offset,
            } => self.on_produce_ack(cx, job, partition.0, offset),
            Event::ProducerTimeout { job } => self.on_producer_timeout(cx, job),
            // The log's and the groups' events never reach a world.
            _ => {}
        }
    }

    /// Moves a job to `state`, keeping the time integrals of what each service's jobs are doing.
    #[inline]
    pub(super) fn set_state(&mut self, cx: &mut Cx, id: JobId, state: JobState) {
        let Some(job) = self.jobs.get_mut(id) else {
            return;
        };
        let (from, service) = (job.state, job.service as usize);
        job.state = state;
        let now_us = cx.now.as_us();
        let counters = cx.counters.world(self.world).service(service);
        match from {
            JobState::Working => counters.working.leave(now_us),
            JobState::Stuck => counters.stuck.leave(now_us),
            _ => {}
        }
        match state {
            JobState::Working => counters.working.enter(now_us),
            JobState::Stuck => counters.stuck.enter(now_us),
            _ => {}
        }
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
            news: Outbox::default(),
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
