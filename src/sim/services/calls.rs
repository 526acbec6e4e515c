//! A world's calls: jobs arrive, queue, work, call their callees with timeouts and retries, and answer.

use super::{Health, Job, JobState, ServiceNews, WorldState};
use crate::sim::causes::Failure;
use crate::sim::context::{Cx, Event, JobId, Reply};
use crate::sim::ids::ServiceId;
use crate::sim::ledger::MAX_SERVICES;
use crate::sim::scenario::CallMode;
use crate::sim::time::SimTime;
use crate::sim::trace::{Reason, TraceKind, World};

impl WorldState {
    /// Creates a job and counts it against its request.
    #[inline]
    pub(in crate::sim) fn create_job(
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
            slot_attempt: [0; MAX_SERVICES],
            failed: false,
            on_instance: matches!(reply, Reply::Consumer { .. }),
            holds_worker: false,
        };
        cx.ledger.job_started(world, request);
        self.jobs.insert(job)
    }

    pub(super) fn free_job(&mut self, cx: &mut Cx, id: JobId) -> Option<Job> {
        let world = self.world;
        let job = self.jobs.remove(id)?;
        cx.ledger.job_ended(world, job.request);
        if matches!(job.state, JobState::Working | JobState::Stuck) || job.open_slots != 0 {
            forget_job_time(cx, world, &job);
        }
        Some(job)
    }

    /// The user's request reaches the entry service.
    pub(in crate::sim) fn admit_user_request(&mut self, cx: &mut Cx, request: u64, kind: u8) {
        let job = self.create_job(cx, request, 0, kind, Reply::User);
        self.on_call_arrives(cx, job);
    }

    /// A job reaches its service: refused, rejected, queued or started.
    pub(in crate::sim) fn on_call_arrives(&mut self, cx: &mut Cx, id: JobId) {
        let world = self.world;
        let Some(job) = self.jobs.get(id) else {
            return;
        };
        let (service, request, on_instance) = (job.service as usize, job.request, job.on_instance);
        let runtime = &self.services[service];
        if runtime.health == Health::Killed || runtime.removed {
            cx.counters.world(world).service(service).refused += 1;
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
            self.set_state(cx, id, JobState::Queued);
            cx.counters.world(world).service(service).queued += 1;
        } else {
            cx.counters.world(world).service(service).rejected += 1;
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

    pub(super) fn start_job(&mut self, cx: &mut Cx, id: JobId) {
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
            self.set_state(cx, id, JobState::Stuck);
        } else {
            let factor = runtime.slow_factor;
            self.set_state(cx, id, JobState::Working);
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
    pub(in crate::sim) fn on_work_done(&mut self, cx: &mut Cx, id: JobId) {
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
            self.set_state(cx, id, JobState::Stuck);
            return;
        }
        let error_rate = cx.topology.specs[service].error_rate;
        let ok = !self.service_rngs[service].chance(error_rate);
        if !ok {
            cx.counters.world(world).service(service).errors += 1;
        }
        let done = TraceKind::WorkDone {
            request,
            service: service as u8,
            ok,
        };
        cx.record(world, done);
        if !ok {
            self.finish_job(cx, id, false, Reason::Error);
            return;
        }
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
        self.call_children(cx, id, kind);
    }

    /// The job's own work is done: it calls the deployed callees its request's kind touches.
    fn call_children(&mut self, cx: &mut Cx, id: JobId, kind: u8) {
        self.set_state(cx, id, JobState::Calling);
        let Some(job) = self.jobs.get_mut(id) else {
            return;
        };
        let service = job.service as usize;
        let touches = cx.topology.kind_touches[kind as usize];
        let children: u16 = self.deployed_calls[service]
            .iter()
            .filter(|&&c| touches & (1 << c) != 0)
            .fold(0, |mask, &c| mask | (1 << c));
        job.pending_children = children;
        if children == 0 {
            self.finish_job(cx, id, true, Reason::Error);
            return;
        }
        match cx.topology.specs[service].call_mode {
            CallMode::Parallel => {
                for callee in 0..MAX_SERVICES {
                    if children & (1 << callee) != 0 {
                        self.take_child(cx, id, callee);
                        self.issue_call(cx, id, callee, 0);
                    }
                }
            }
            CallMode::Sequential => self.call_next_child(cx, id),
        }
    }

    pub(super) fn take_child(&mut self, cx: &mut Cx, id: JobId, callee: usize) {
        if let Some(job) = self.jobs.get_mut(id) {
            job.pending_children &= !(1 << callee);
            job.open_slots |= 1 << callee;
            let now_us = cx.now.as_us();
            let counters = cx.counters.world(self.world).service(callee);
            counters.waited_on.enter(now_us);
        }
    }

    pub(super) fn call_next_child(&mut self, cx: &mut Cx, id: JobId) {
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
        self.take_child(cx, id, callee);
        self.issue_call(cx, id, callee, 0);
    }

    /// Sends attempt `attempt` of `parent`'s call to `callee`, unless the breaker is open.
    pub(in crate::sim) fn issue_call(
        &mut self,
        cx: &mut Cx,
        parent: JobId,
        callee: usize,
        attempt: u8,
    ) {
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
        if from == 0 && !cx.schemas.can_read(callee, cx.schemas.version()) {
            // A breaking API change the callee was not upgraded for: it answers 400 at once.
            self.call_failed(cx, parent, callee, attempt, Reason::Schema);
            return;
        }
        let counters = cx.counters.world(world).service(callee);
        counters.calls += 1;
        counters.retries += u64::from(attempt > 0);
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
        // One timeout length for every call: each expires after the one before.
        cx.queue.push_in_order(
            cx.now + timeout,
            Event::CallTimeout {
                world,
                parent,
                callee: ServiceId::of(callee),
                attempt,
            },
        );
    }

    /// Whether `parent` is still waiting for this attempt of this call.
    pub(super) fn awaiting(&self, parent: JobId, callee: usize, attempt: u8) -> bool {
        self.jobs.get(parent).is_some_and(|job| {
            job.state == JobState::Calling
                && job.open_slots & (1 << callee) != 0
                && job.slot_attempt[callee] == attempt
                && self.services[job.service as usize].health != Health::Hung
        })
    }

    pub(in crate::sim) fn on_response(
        &mut self,
        cx: &mut Cx,
        parent: JobId,
        callee: usize,
        attempt: u8,
        ok: bool,
        reason: Reason,
    ) {
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

    pub(in crate::sim) fn on_call_timeout(
        &mut self,
        cx: &mut Cx,
        parent: JobId,
        callee: usize,
        attempt: u8,
    ) {
        if self.awaiting(parent, callee, attempt) {
            self.call_failed(cx, parent, callee, attempt, Reason::Timeout);
        }
    }

    /// One attempt failed: retry with backoff, or give up (fallback, or fail the caller).
    pub(super) fn call_failed(
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
        let failure = Failure::of(reason) as usize;
        cx.counters.world(world).service(callee).attempts_failed[failure] += 1;
        cx.record(
            world,
            TraceKind::CallFailed {
                request,
                from,
                to: callee as u8,
                reason,
            },
        );
        if u32::from(attempt) < cx.scenario.sync.retry.max_retries {
            self.schedule_retry(cx, parent, callee, attempt + 1);
            return;
        }
        cx.counters.world(world).service(callee).gave_up[failure] += 1;
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
            for other in 0..MAX_SERVICES {
                if skipped & (1 << other) != 0 {
                    cx.mark_subtree_lost(world, request, other, Reason::NotCalled);
                }
            }
        }
        self.close_slot(cx, parent, callee);
    }

    /// Sends attempt `next` after the backoff (with jitter, if set).
    fn schedule_retry(&mut self, cx: &mut Cx, parent: JobId, callee: usize, next: u8) {
        let retry = &cx.scenario.sync.retry;
        let capped = retry.wait_ms(u32::from(next), 0.0);
        let wait_ms = if retry.jitter {
            capped * self.retry_rng.unit()
        } else {
            capped
        };
        if let Some(job) = self.jobs.get_mut(parent) {
            job.slot_attempt[callee] = next;
        }
        let world = self.world;
        cx.queue.push(
            cx.now + SimTime::from_ms_f64(wait_ms),
            Event::Retry {
                world,
                parent,
                callee: ServiceId::of(callee),
                attempt: next,
            },
        );
    }

    pub(super) fn close_slot(&mut self, cx: &mut Cx, parent: JobId, callee: usize) {
        let Some(job) = self.jobs.get_mut(parent) else {
            return;
        };
        if job.open_slots & (1 << callee) != 0 {
            job.open_slots &= !(1 << callee);
            let now_us = cx.now.as_us();
            let counters = cx.counters.world(self.world).service(callee);
            counters.waited_on.leave(now_us);
        }
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
    pub(in crate::sim) fn finish_job(&mut self, cx: &mut Cx, id: JobId, ok: bool, reason: Reason) {
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
                // An event world entry that dies while publishing has committed its own
                // write: whether the event got out is the log's to tell (the dual write).
                let publishing = world == World::Event && job.state == JobState::Calling;
                let left_to_the_log = publishing && reason == Reason::Crash;
                if !ok && !left_to_the_log {
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
                    callee: ServiceId(job.service),
                    attempt,
                    ok,
                    reason,
                };
                cx.queue.push(cx.now + latency, event);
            }
            Reply::Consumer(poll) => self.news.push(ServiceNews::ConsumerDone { poll, ok }),
        }
    }

    pub(super) fn release_worker(&mut self, cx: &mut Cx, service: usize) {
        let runtime = &mut self.services[service];
        runtime.busy = runtime.busy.saturating_sub(1);
        while let Some(next) = self.services[service].queue.pop_front() {
            if self.jobs.get(next).is_some() {
                self.start_job(cx, next);
                break;
            }
        }
    }
}

/// A job that ends mid-state (a crash, an error after its work) leaves its time integrals.
#[cold]
fn forget_job_time(cx: &mut Cx, world: World, job: &Job) {
    let now_us = cx.now.as_us();
    let counters = cx.counters.world(world);
    match job.state {
        JobState::Working => counters
            .service(usize::from(job.service))
            .working
            .leave(now_us),
        JobState::Stuck => counters
            .service(usize::from(job.service))
            .stuck
            .leave(now_us),
        _ => {}
    }
    for callee in 0..MAX_SERVICES {
        if job.open_slots & (1 << callee) != 0 {
            counters.service(callee).waited_on.leave(now_us);
        }
    }
}
