//! Breakers, faults on services, and the producer: what stops calls, and what the event world's entry does with its work.

use super::{BreakerState, Health, JobState, ServiceNews, WorldState};
use crate::sim::context::{Cx, Event, JobId, Reply};
use crate::sim::ids::PartitionId;
use crate::sim::ledger::MAX_SERVICES;
use crate::sim::scenario::{Acks, ActionKind, PublishMode};
use crate::sim::time::SimTime;
use crate::sim::trace::{Reason, TraceKind, World};

impl WorldState {
    // ----- circuit breakers -----

    pub(super) fn breaker_allows(&mut self, cx: &mut Cx, callee: usize) -> bool {
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

    pub(super) fn breaker_success(&mut self, cx: &mut Cx, callee: usize) {
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

    pub(super) fn breaker_failure(&mut self, cx: &mut Cx, callee: usize) {
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

    pub(super) fn trace_breaker(&mut self, cx: &mut Cx, callee: usize) {
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
    pub(in crate::sim) fn apply_fault(
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
    pub(in crate::sim) fn crash_jobs_at(&mut self, cx: &mut Cx, service: usize) {
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
            cx.counters.world(world).service(service).crashed += 1;
            let (request, never_called, reply) = (job.request, job.pending_children, job.reply);
            for child in 0..MAX_SERVICES {
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
    pub(in crate::sim) fn publish(&mut self, cx: &mut Cx, job: JobId) {
        let Some(request) = self.jobs.get(job).map(|j| j.request) else {
            return;
        };
        if cx.registry_refuses() {
            // The serializer asks the registry first: the user hears the failure at once.
            cx.counters.world(World::Event).schema_refused += 1;
            self.finish_job(cx, job, false, Reason::Schema);
            return;
        }
        let version = cx.schemas.version();
        let user = match cx.ledger.record_mut(request) {
            Some(record) => {
                record.version = version;
                record.user
            }
            None => 0,
        };
        // The partition count is a shape fixed at the start, so the settings say it.
        let partition = (u64::from(user) % u64::from(cx.scenario.event.partitions)) as u16;
        if cx.scenario.event.publish == PublishMode::Outbox {
            // The row is committed with the entry's own write: the user hears "done" now,
            // and the relay publishes it later.
            self.news.push(ServiceNews::Outboxed { request, partition });
            self.finish_job(cx, job, true, Reason::Error);
            return;
        }
        let latency = cx.latency();
        self.set_state(cx, job, JobState::Calling);
        cx.ledger.job_started(World::Event, request);
        cx.queue.push(
            cx.now + latency,
            Event::ProduceArrives {
                job,
                partition: PartitionId(partition),
                request,
                epoch: cx.producer_epoch,
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

    pub(in crate::sim) fn on_produce_ack(
        &mut self,
        cx: &mut Cx,
        job: JobId,
        partition: u16,
        offset: u64,
    ) {
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

    pub(in crate::sim) fn on_producer_timeout(&mut self, cx: &mut Cx, job: JobId) {
        let waiting = self
            .jobs
            .get(job)
            .is_some_and(|j| j.state == JobState::Calling);
        if waiting {
            cx.counters.world(World::Event).producer_failed += 1;
            self.finish_job(cx, job, false, Reason::ProducerTimeout);
        }
    }
}
