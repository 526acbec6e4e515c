//! The vocabulary the parts share: the context they are handed, the events they schedule,
//! and the handles that travel in those events (jobs, replies, consumer instances).
//!
//! This module knows no part. The parts (`services`, `log`, `consumers`) import it and
//! not each other's behaviour; `engine` and `wiring` own the parts and route between them.

use super::causes::CauseCounters;
use super::ids::{GroupId, PartitionId, ServiceId};
use super::ledger::Ledger;
use super::metrics::TimeSeries;
use super::queue::EventQueue;
use super::rng::SimRng;
use super::scenario::Scenario;
use super::schema::Schemas;
use super::time::SimTime;
use super::topology::Topology;
use super::trace::{Reason, Trace, TraceKind, World};

/// A handle to a job: a slot index plus the slot's generation, so stale events are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobId {
    pub(super) index: u32,
    pub(super) generation: u32,
}

/// Where a job's answer goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reply {
    /// The user who sent the request.
    User,
    /// A caller's job, for its call to this job's service.
    Parent { job: JobId, attempt: u8 },
    /// A consumer instance processing an event.
    Consumer(Poll),
}

/// Everything that can happen. Small and `Copy`, so the queue stays fast.
#[derive(Clone, Copy, Debug)]
pub(super) enum Event {
    Arrival,
    Fault(u32),
    Housekeeping,
    CallArrives {
        world: World,
        job: JobId,
    },
    WorkDone {
        world: World,
        job: JobId,
    },
    Response {
        world: World,
        parent: JobId,
        callee: ServiceId,
        attempt: u8,
        ok: bool,
        reason: Reason,
    },
    CallTimeout {
        world: World,
        parent: JobId,
        callee: ServiceId,
        attempt: u8,
    },
    Retry {
        world: World,
        parent: JobId,
        callee: ServiceId,
        attempt: u8,
    },
    Redeployed {
        world: World,
        caller: ServiceId,
        callee: ServiceId,
        add: bool,
    },
    ProduceArrives {
        job: JobId,
        partition: PartitionId,
        request: u64,
        /// The entry's life that sent it (see `Cx::producer_epoch`).
        epoch: u32,
    },
    /// The outbox relay looks for rows to publish.
    OutboxPoll,
    ProduceAck {
        job: JobId,
        partition: PartitionId,
        offset: u64,
    },
    ProducerTimeout {
        job: JobId,
    },
    Replicate {
        partition: PartitionId,
        upto: u64,
    },
    LeaderElection {
        partition: PartitionId,
    },
    /// An instance looks for its next event.
    Poll(Poll),
    RebalanceDone {
        group: GroupId,
        generation: u32,
    },
    AutoCommit {
        group: GroupId,
    },
    /// The members that crashed `crashes` crashes ago time out of the group.
    SessionsExpired {
        group: GroupId,
        crashes: u32,
    },
    /// An instance retries the event that failed.
    Reprocess(Poll),
}

/// Per-component random streams, forked from the seed in a fixed order.
#[derive(Clone, Debug)]
pub(super) struct Streams {
    pub arrivals: SimRng,
    pub kinds: SimRng,
    pub users: SimRng,
    pub poison: SimRng,
}

/// What every part reads and writes while it handles an event: the settings, the clock, the
/// queue, the topology, the ledger, the trace, the metrics and the shared random streams.
///
/// The parts (the sync and event worlds' services, the log, the consumer groups) own the
/// rest of the run and are handed this context; what one part needs of another reaches it
/// through a scheduled event or a return value.
#[derive(Clone, Debug)]
pub(super) struct Cx {
    pub(super) scenario: Scenario,
    pub(super) now: SimTime,
    pub(super) queue: EventQueue<Event>,
    pub(super) topology: Topology,
    pub(super) ledger: Ledger,
    pub(super) trace: Trace,
    pub(super) series: TimeSeries,
    pub(super) streams: Streams,
    /// What causes are computed from, kept as the run goes (see `causes`).
    pub(super) counters: CauseCounters,
    /// The version the entry writes, and what each reader can read.
    pub(super) schemas: Schemas,
    /// The event world's entry process's life: bumped when it is killed or restarted, so
    /// a send still in the dead process's producer buffer is known to be gone.
    pub(super) producer_epoch: u32,
}

impl Cx {
    /// Everything but the trace, which a snapshot trims instead of copying whole.
    pub(super) fn clone_without_trace(&self) -> Cx {
        Cx {
            scenario: self.scenario.clone(),
            now: self.now,
            queue: self.queue.clone(),
            topology: self.topology.clone(),
            ledger: self.ledger.clone(),
            trace: Trace::new(0),
            series: self.series.clone(),
            streams: self.streams.clone(),
            counters: self.counters.clone(),
            schemas: self.schemas.clone(),
            producer_epoch: self.producer_epoch,
        }
    }

    /// With a schema registry, whether it refuses the version written now: some group
    /// subscribed to the topic cannot read it.
    pub(super) fn registry_refuses(&self) -> bool {
        let version = self.schemas.version();
        self.scenario.event.schema_registry
            && (1..self.topology.len()).any(|s| {
                self.topology.is_group(s)
                    && self.topology.is_present(s)
                    && !self.schemas.can_read(s, version)
            })
    }

    #[inline]
    pub(super) fn record(&mut self, world: World, kind: TraceKind) {
        self.trace.record(self.now, world, kind);
    }

    #[inline]
    pub(super) fn latency(&self) -> SimTime {
        SimTime::from_ms_f64(self.scenario.network_latency_ms)
    }

    #[inline]
    pub(super) fn effect_done(&mut self, world: World, request: u64, service: usize) {
        if let Some((count, consistent_after_us)) =
            self.ledger.effect_done(world, request, service, self.now)
        {
            let bucket = &mut self.series.at(self.now.as_us()).worlds[world.index()];
            match count {
                1 => bucket.effects_done += 1,
                2 => bucket.effects_duplicated += 1,
                _ => {}
            }
            if let Some(wait_us) = consistent_after_us {
                bucket.consistency.record(wait_us);
            }
        }
    }

    pub(super) fn mark_effect_lost(
        &mut self,
        world: World,
        request: u64,
        service: usize,
        reason: Reason,
    ) {
        if self.ledger.mark_lost(world, request, service, reason) {
            self.series.at(self.now.as_us()).worlds[world.index()].effects_lost += 1;
            match reason {
                Reason::BrokerCrash | Reason::NoLeader => {
                    self.counters.world(world).lost_on_broker += 1;
                }
                Reason::Retention => self.counters.world(world).lost_to_retention += 1,
                _ => {}
            }
            self.record(
                world,
                TraceKind::Lost {
                    request,
                    service: service as u8,
                    reason,
                },
            );
        }
    }

    /// Marks every expected, undone effect in `service`'s subtree as lost.
    pub(super) fn mark_subtree_lost(
        &mut self,
        world: World,
        request: u64,
        service: usize,
        reason: Reason,
    ) {
        let mask = self.topology.subtree_mask(service);
        for s in 0..self.topology.len() {
            if mask & (1 << s) != 0 {
                self.mark_effect_lost(world, request, s, reason);
            }
        }
    }

    #[inline]
    pub(super) fn respond_to_user(&mut self, world: World, request: u64, ok: bool) {
        let arrival = self
            .ledger
            .record(request)
            .map(|r| r.arrival)
            .unwrap_or(self.now);
        let latency_us = self.now.saturating_since(arrival).as_us();
        if let Some(consistent_now) = self.ledger.respond(world, request, ok, latency_us) {
            let bucket = &mut self.series.at(self.now.as_us()).worlds[world.index()];
            if ok {
                bucket.succeeded += 1;
                bucket.latency.record(latency_us);
                if consistent_now {
                    bucket.consistency.record(0);
                }
            } else {
                bucket.failed += 1;
                self.counters.world(world).user_failed += 1;
            }
            self.record(
                world,
                TraceKind::Responded {
                    request,
                    ok,
                    latency_us,
                },
            );
        }
    }
}

/// An instance of a group, in the life an event was meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Poll {
    pub group: GroupId,
    pub instance: u8,
    pub incarnation: u32,
}

impl Poll {
    /// The group's service, which is also its index among the groups.
    pub fn service(self) -> usize {
        self.group.index()
    }

    /// The instance's index in its group.
    pub fn index(self) -> usize {
        usize::from(self.instance)
    }
}

/// What a part reports to the engine, in order. Its buffer is handed back after each
/// drain, so reporting allocates nothing once a run is warm.
#[derive(Clone, Debug)]
pub(super) struct Outbox<T> {
    items: Vec<T>,
}

impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Outbox { items: Vec::new() }
    }
}

impl<T> Outbox<T> {
    #[inline]
    pub(super) fn push(&mut self, item: T) {
        self.items.push(item);
    }

    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The reports so far; give the buffer back with [`Outbox::give_back`] when done.
    #[inline]
    pub(super) fn take(&mut self) -> Vec<T> {
        std::mem::take(&mut self.items)
    }

    /// Reuses a drained buffer's capacity, unless new reports arrived meanwhile.
    #[inline]
    pub(super) fn give_back(&mut self, mut buffer: Vec<T>) {
        buffer.clear();
        if self.items.is_empty() {
            self.items = buffer;
        }
    }
}
