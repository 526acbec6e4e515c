//! The Kafka-like log: brokers, partitions with replicas, producers with acks, leader failover and retention.
//!
//! A partition's entries are the leader's log; each replica's progress is an end
//! offset into it. Consumers read below the high watermark (what every in-sync
//! replica has). acks=0 does not wait, acks=1 waits for the leader's append, and
//! acks=all waits for the high watermark. A leader that dies takes the entries no
//! follower had copied with it; producers waiting for acks=all resend them.

use super::chunked::{ChunkRef, Chunked};
use super::engine::{Event, Simulation};
use super::scenario::{Acks, EventSettings};
use super::services::{JobId, JobState};
use super::time::SimTime;
use super::trace::{Reason, TraceKind, World};
use std::collections::VecDeque;

/// One event in a partition: 16 bytes, because a log holds up to millions of them
/// and time-travel snapshots share them chunk by chunk.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The request id, with [`POISON_BIT`] set when no consumer can parse it.
    request_and_poison: u64,
    appended_at: SimTime,
}

/// Request ids count up from 0 and never reach the top bit, so it carries the poison flag.
const POISON_BIT: u64 = 1 << 63;

impl Entry {
    fn new(request: u64, appended_at: SimTime, poison: bool) -> Entry {
        let flag = if poison { POISON_BIT } else { 0 };
        Entry {
            request_and_poison: request | flag,
            appended_at,
        }
    }

    pub fn request(&self) -> u64 {
        self.request_and_poison & !POISON_BIT
    }

    pub fn appended_at(&self) -> SimTime {
        self.appended_at
    }

    /// No consumer can parse it.
    pub fn poison(&self) -> bool {
        self.request_and_poison & POISON_BIT != 0
    }
}

/// Events per shared chunk of a partition (4 KiB).
const ENTRIES_PER_CHUNK: usize = 256;

/// A producer waiting on this partition: for a leader, or for replication (acks=all).
#[derive(Clone, Copy, Debug)]
struct Waiting {
    job: JobId,
    request: u64,
    offset: u64,
}

#[derive(Clone, Debug)]
pub struct Partition {
    /// Broker ids holding a replica; the first alive in-sync one leads after an election.
    pub replicas: Vec<u8>,
    pub leader: Option<u8>,
    pub electing: bool,
    /// Offset of `entries[0]`; everything before was deleted by retention.
    pub start: u64,
    pub entries: Chunked<Entry, ENTRIES_PER_CHUNK>,
    /// How far each replica (same order as `replicas`) has copied the log.
    pub replica_end: Vec<u64>,
    pub in_sync: Vec<bool>,
    pub high_watermark: u64,
    awaiting_replication: VecDeque<Waiting>,
    awaiting_leader: Vec<Waiting>,
}

impl Partition {
    pub fn end(&self) -> u64 {
        self.start + self.entries.len() as u64
    }

    pub fn entry(&self, offset: u64) -> Option<&Entry> {
        offset
            .checked_sub(self.start)
            .and_then(|i| self.entries.get(i as usize))
    }

    fn replica_index(&self, broker: u8) -> Option<usize> {
        self.replicas.iter().position(|&b| b == broker)
    }
}

/// Brokers and partitions of the one topic.
#[derive(Clone, Debug)]
pub struct Log {
    pub brokers_up: Vec<bool>,
    pub partitions: Vec<Partition>,
    /// Events parked in the dead-letter queue, newest last (bounded); `dlq_total` counts all.
    pub dlq: VecDeque<(u64, u8)>,
    pub dlq_total: u64,
    pub published: u64,
    /// Events deleted because the log held `event.max_log_events` (Kafka's retention.bytes).
    pub deleted_by_size_cap: u64,
}

/// Dead-letter entries kept for display.
const DLQ_KEEP: usize = 1_024;

impl Log {
    pub fn new(settings: &EventSettings) -> Log {
        let brokers = settings.brokers as usize;
        let partitions = (0..settings.partitions as usize)
            .map(|p| {
                let replicas: Vec<u8> = (0..settings.replication_factor as usize)
                    .map(|r| ((p + r) % brokers) as u8)
                    .collect();
                Partition {
                    leader: replicas.first().copied(),
                    electing: false,
                    start: 0,
                    entries: Chunked::default(),
                    replica_end: vec![0; replicas.len()],
                    in_sync: vec![true; replicas.len()],
                    high_watermark: 0,
                    awaiting_replication: VecDeque::new(),
                    awaiting_leader: Vec::new(),
                    replicas,
                }
            })
            .collect();
        Log {
            brokers_up: vec![true; brokers],
            partitions,
            dlq: VecDeque::new(),
            dlq_total: 0,
            published: 0,
            deleted_by_size_cap: 0,
        }
    }

    pub fn park(&mut self, request: u64, group: u8) {
        self.dlq_total += 1;
        if self.dlq.len() == DLQ_KEEP {
            self.dlq.pop_front();
        }
        self.dlq.push_back((request, group));
    }
}

impl Log {
    /// Bytes of this copy on its own, shared chunks included in full.
    pub fn approx_bytes(&self) -> usize {
        let waiting = size_of::<Waiting>();
        let partitions = self.partitions.iter().map(|p| {
            size_of::<Partition>()
                + p.entries.approx_bytes()
                + (p.awaiting_replication.capacity() + p.awaiting_leader.capacity()) * waiting
                + p.replicas.capacity() * 11
        });
        size_of::<Log>() + partitions.sum::<usize>() + self.dlq.capacity() * 16
    }

    pub fn for_each_chunk(&self, mut visit: impl FnMut(ChunkRef)) {
        for partition in &self.partitions {
            partition.entries.for_each_chunk(&mut visit);
        }
    }
}

impl Simulation {
    /// The partition of a request's event: its user id modulo the partition count.
    pub(super) fn partition_of(&self, request: u64) -> u16 {
        let user = self.cx.ledger.record(request).map(|r| r.user).unwrap_or(0);
        (u64::from(user) % self.log.partitions.len() as u64) as u16
    }

    /// The entry service has done its work and sends the event to the partition leader.
    pub(super) fn publish(&mut self, job: JobId) {
        let Some(request) = self.worlds[World::Event.index()]
            .jobs
            .get(job)
            .map(|j| j.request)
        else {
            return;
        };
        let partition = self.partition_of(request);
        let latency = self.cx.latency();
        if let Some(j) = self.worlds[World::Event.index()].jobs.get_mut(job) {
            j.state = JobState::Calling;
        }
        self.cx.ledger.job_started(World::Event, request);
        self.cx.queue.push(
            self.cx.now + latency,
            Event::ProduceArrives {
                job,
                partition,
                request,
            },
        );
        if self.cx.scenario.event.acks == Acks::Zero {
            // Fire and forget: the user is told "done" before the write lands anywhere.
            self.finish_job(World::Event, job, true, Reason::Error);
        } else {
            let timeout = SimTime::from_ms_f64(self.cx.scenario.event.producer_timeout_ms);
            self.cx
                .queue
                .push(self.cx.now + timeout, Event::ProducerTimeout { job });
        }
    }

    pub(super) fn on_produce_arrives(&mut self, job: JobId, partition: u16, request: u64) {
        self.cx.ledger.job_ended(World::Event, request);
        let p = partition as usize;
        let leader_up = self.log.partitions[p]
            .leader
            .is_some_and(|b| self.log.brokers_up[b as usize]);
        if !leader_up {
            if self.cx.scenario.event.acks == Acks::Zero {
                self.cx
                    .mark_subtree_lost(World::Event, request, 0, Reason::NoLeader);
            } else {
                self.cx.ledger.job_started(World::Event, request);
                self.log.partitions[p].awaiting_leader.push(Waiting {
                    job,
                    request,
                    offset: 0,
                });
            }
            return;
        }
        self.append(partition, job, request);
    }

    fn append(&mut self, partition: u16, job: JobId, request: u64) {
        let p = partition as usize;
        let poison = self
            .cx
            .streams
            .poison
            .chance(self.cx.scenario.event.poison_rate);
        let now = self.cx.now;
        let part = &mut self.log.partitions[p];
        let offset = part.end();
        part.entries.push_back(Entry::new(request, now, poison));
        let leader = part.leader.and_then(|b| part.replica_index(b)).unwrap_or(0);
        part.replica_end[leader] = part.end();
        self.log.published += 1;
        if let Some(record) = self.cx.ledger.record_mut(request) {
            record.set_event_position(Some((partition, offset)));
        }
        self.cx.record(
            World::Event,
            TraceKind::Appended {
                request,
                partition,
                offset,
            },
        );
        let end = self.log.partitions[p].end();
        if self.log.partitions[p].replicas.len() > 1 {
            let delay = SimTime::from_ms_f64(self.cx.scenario.event.replication_delay_ms);
            self.cx.queue.push(
                now + delay,
                Event::Replicate {
                    partition,
                    upto: end,
                },
            );
        }
        match self.cx.scenario.event.acks {
            Acks::Zero => {}
            Acks::One => self.send_ack(job, partition, offset),
            Acks::All => {
                self.cx.ledger.job_started(World::Event, request);
                self.log.partitions[p]
                    .awaiting_replication
                    .push_back(Waiting {
                        job,
                        request,
                        offset,
                    });
            }
        }
        self.advance_high_watermark(partition);
        self.enforce_size_cap(partition);
    }

    fn send_ack(&mut self, job: JobId, partition: u16, offset: u64) {
        let latency = self.cx.latency();
        self.cx.queue.push(
            self.cx.now + latency,
            Event::ProduceAck {
                job,
                partition,
                offset,
            },
        );
    }

    pub(super) fn on_produce_ack(&mut self, job: JobId, partition: u16, offset: u64) {
        let state = &self.worlds[World::Event.index()];
        let Some(j) = state.jobs.get(job) else { return };
        if j.state != JobState::Calling {
            return;
        }
        let request = j.request;
        self.cx.record(
            World::Event,
            TraceKind::Acked {
                request,
                partition,
                offset,
            },
        );
        self.finish_job(World::Event, job, true, Reason::Error);
    }

    pub(super) fn on_producer_timeout(&mut self, job: JobId) {
        let waiting = self.worlds[World::Event.index()]
            .jobs
            .get(job)
            .is_some_and(|j| j.state == JobState::Calling);
        if waiting {
            self.finish_job(World::Event, job, false, Reason::ProducerTimeout);
        }
    }

    pub(super) fn on_replicate(&mut self, partition: u16, upto: u64) {
        let p = partition as usize;
        let Log {
            brokers_up,
            partitions,
            ..
        } = &mut self.log;
        let part = &mut partitions[p];
        let end = part.end();
        for r in 0..part.replicas.len() {
            if Some(part.replicas[r]) == part.leader || !brokers_up[part.replicas[r] as usize] {
                continue;
            }
            part.replica_end[r] = part.replica_end[r].max(upto.min(end));
            if part.replica_end[r] >= end {
                part.in_sync[r] = true;
            }
        }
        self.advance_high_watermark(partition);
    }

    /// The high watermark is the least end among the leader and its alive in-sync followers.
    pub(super) fn advance_high_watermark(&mut self, partition: u16) {
        let p = partition as usize;
        let part = &self.log.partitions[p];
        let Some(leader) = part.leader.filter(|&b| self.log.brokers_up[b as usize]) else {
            return;
        };
        let mut hw = part.end();
        for r in 0..part.replicas.len() {
            let alive = self.log.brokers_up[part.replicas[r] as usize];
            if part.replicas[r] == leader || (alive && part.in_sync[r]) {
                hw = hw.min(part.replica_end[r]);
            }
        }
        let part = &mut self.log.partitions[p];
        if hw <= part.high_watermark {
            return;
        }
        part.high_watermark = hw;
        let mut acked = Vec::new();
        while part
            .awaiting_replication
            .front()
            .is_some_and(|w| w.offset < hw)
        {
            acked.push(
                part.awaiting_replication
                    .pop_front()
                    .expect("checked front"),
            );
        }
        for waiting in acked {
            self.cx.ledger.job_ended(World::Event, waiting.request);
            self.send_ack(waiting.job, partition, waiting.offset);
        }
        self.wake_consumers(partition);
    }

    pub(super) fn kill_broker(&mut self, broker: usize) {
        if !self.log.brokers_up[broker] {
            return;
        }
        self.log.brokers_up[broker] = false;
        let failover = SimTime::from_ms_f64(self.cx.scenario.event.failover_ms);
        for p in 0..self.log.partitions.len() {
            let part = &mut self.log.partitions[p];
            let Some(r) = part.replica_index(broker as u8) else {
                continue;
            };
            part.in_sync[r] = false;
            if part.leader == Some(broker as u8) {
                part.leader = None;
                if !part.electing {
                    part.electing = true;
                    self.cx.queue.push(
                        self.cx.now + failover,
                        Event::LeaderElection {
                            partition: p as u16,
                        },
                    );
                }
                self.cx.record(
                    World::Event,
                    TraceKind::LeaderChanged {
                        partition: p as u16,
                        broker: -1,
                    },
                );
            } else {
                self.advance_high_watermark(p as u16);
            }
        }
    }

    pub(super) fn restore_broker(&mut self, broker: usize) {
        if self.log.brokers_up[broker] {
            return;
        }
        self.log.brokers_up[broker] = true;
        let delay = SimTime::from_ms_f64(self.cx.scenario.event.replication_delay_ms);
        for p in 0..self.log.partitions.len() {
            let part = &mut self.log.partitions[p];
            let Some(r) = part.replica_index(broker as u8) else {
                continue;
            };
            let end = part.end();
            part.replica_end[r] = part.replica_end[r].min(end);
            if part.leader.is_none() {
                if !part.electing {
                    part.electing = true;
                    self.cx.queue.push(
                        self.cx.now,
                        Event::LeaderElection {
                            partition: p as u16,
                        },
                    );
                }
            } else {
                // A returning follower copies what it missed, then rejoins the in-sync set.
                self.cx.queue.push(
                    self.cx.now + delay,
                    Event::Replicate {
                        partition: p as u16,
                        upto: end,
                    },
                );
            }
        }
    }

    /// Elects the alive replica with the most data; without one (no unclean election), waits.
    pub(super) fn on_leader_election(&mut self, partition: u16) {
        let p = partition as usize;
        let part = &self.log.partitions[p];
        let alive_in_sync: Vec<usize> = (0..part.replicas.len())
            .filter(|&r| {
                self.log.brokers_up[part.replicas[r] as usize]
                    && (part.in_sync[r] || part.replicas.len() == 1)
            })
            .collect();
        // A sole replica that was leader keeps its data on disk: it may come back as leader.
        let candidate = alive_in_sync.iter().copied().max_by(|&a, &b| {
            part.replica_end[a]
                .cmp(&part.replica_end[b])
                .then(b.cmp(&a))
        });
        let Some(winner) = candidate else {
            self.log.partitions[p].electing = false;
            return;
        };
        let part = &mut self.log.partitions[p];
        part.electing = false;
        part.leader = Some(part.replicas[winner]);
        part.in_sync[winner] = true;
        let new_end = part.replica_end[winner].max(part.start);
        let old_end = part.end();
        let broker = part.replicas[winner] as i8;
        self.cx
            .record(World::Event, TraceKind::LeaderChanged { partition, broker });
        if new_end < old_end {
            self.truncate(partition, new_end);
        }
        let part = &mut self.log.partitions[p];
        for r in 0..part.replicas.len() {
            part.replica_end[r] = part.replica_end[r].min(new_end);
        }
        part.high_watermark = part.high_watermark.min(new_end);
        let resend: Vec<Waiting> = std::mem::take(&mut part.awaiting_leader);
        for waiting in resend {
            self.cx.ledger.job_ended(World::Event, waiting.request);
            let still_waiting = self.worlds[World::Event.index()]
                .jobs
                .get(waiting.job)
                .is_some_and(|j| j.state == JobState::Calling);
            if still_waiting || self.cx.scenario.event.acks == Acks::Zero {
                self.append(partition, waiting.job, waiting.request);
            }
        }
        self.advance_high_watermark(partition);
        self.wake_consumers(partition);
    }

    /// Drops entries from `new_end` on: they lived only on the dead leader.
    fn truncate(&mut self, partition: u16, new_end: u64) {
        let p = partition as usize;
        let acks_all = self.cx.scenario.event.acks == Acks::All;
        let part = &mut self.log.partitions[p];
        let count = part.end() - new_end;
        let mut lost = Vec::new();
        while part.end() > new_end {
            let entry = part.entries.pop_back().expect("end > new_end");
            lost.push(entry.request());
        }
        // acks=all producers never got an ack for these: they resend to the new leader.
        let mut resend = Vec::new();
        part.awaiting_replication.retain(|w| {
            if w.offset >= new_end {
                resend.push(*w);
                false
            } else {
                true
            }
        });
        self.cx.record(
            World::Event,
            TraceKind::Truncated {
                partition,
                from_offset: new_end,
                count,
            },
        );
        for waiting in &resend {
            self.log.partitions[p].awaiting_leader.push(Waiting {
                offset: 0,
                ..*waiting
            });
        }
        for request in lost {
            let resent = acks_all && resend.iter().any(|w| w.request == request);
            if let Some(record) = self.cx.ledger.record_mut(request) {
                record.set_event_position(None);
            }
            if !resent {
                self.cx
                    .mark_subtree_lost(World::Event, request, 0, Reason::BrokerCrash);
            }
        }
    }

    /// Time-based retention; the size cap is applied on every append.
    pub(super) fn apply_retention(&mut self) {
        let retention = SimTime::from_ms_f64(self.cx.scenario.event.retention_ms);
        let Some(horizon) = self
            .cx
            .now
            .as_us()
            .checked_sub(retention.as_us())
            .map(SimTime)
        else {
            return;
        };
        for p in 0..self.log.partitions.len() {
            while self.log.partitions[p]
                .entries
                .front()
                .is_some_and(|e| e.appended_at() < horizon)
            {
                self.delete_oldest(p as u16);
            }
        }
    }

    fn enforce_size_cap(&mut self, partition: u16) {
        let cap =
            (self.cx.scenario.event.max_log_events as usize / self.log.partitions.len()).max(1);
        while self.log.partitions[partition as usize].entries.len() > cap {
            self.log.deleted_by_size_cap += 1;
            self.delete_oldest(partition);
        }
    }

    /// Deletes the oldest entry; groups that had not read it lose it.
    fn delete_oldest(&mut self, partition: u16) {
        let p = partition as usize;
        let part = &mut self.log.partitions[p];
        let Some(entry) = part.entries.pop_front() else {
            return;
        };
        let offset = part.start;
        part.start += 1;
        part.high_watermark = part.high_watermark.max(part.start);
        for r in 0..part.replica_end.len() {
            part.replica_end[r] = part.replica_end[r].max(part.start);
        }
        let behind: Vec<usize> = self
            .groups
            .iter()
            .enumerate()
            .filter_map(|(service, g)| {
                g.as_ref()
                    .filter(|g| g.subscribed && g.committed[p] <= offset)
                    .map(|_| service)
            })
            .collect();
        for service in behind {
            self.cx
                .mark_subtree_lost(World::Event, entry.request(), service, Reason::Retention);
        }
    }
}
