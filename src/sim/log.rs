//! The Kafka-like log: brokers, partitions with replicas, producers with acks, leader failover and retention.
//!
//! A partition's entries are the leader's log; each replica's progress is an end
//! offset into it. Consumers read below the high watermark (what every in-sync
//! replica has). acks=0 does not wait, acks=1 waits for the leader's append, and
//! acks=all waits for the high watermark. A leader that dies takes the entries no
//! follower had copied with it; producers waiting for acks=all resend them.

use super::chunked::{ChunkRef, Chunked};
use super::context::{Cx, Event, JobId, Outbox};
use super::ids::PartitionId;
use super::scenario::{Acks, EventSettings};
use super::time::SimTime;
use super::trace::{Reason, TraceKind, World};
use std::collections::VecDeque;

/// One event in a partition: 16 bytes, because a log holds up to millions of them
/// and time-travel snapshots share them chunk by chunk.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The request id, with [`POISON_BIT`] set when no consumer can parse it and the event's
    /// version in the 7 bits below it, so an entry stays 16 bytes.
    request_and_poison: u64,
    appended_at: SimTime,
}

/// Request ids count up from 0 and never reach bit 56 (a run at the top rate for a whole
/// day makes fewer than 2^33), so the top byte carries the poison flag and the version.
const POISON_BIT: u64 = 1 << 63;
const VERSION_SHIFT: u32 = 56;
const REQUEST_MASK: u64 = (1 << VERSION_SHIFT) - 1;

impl Entry {
    fn new(request: u64, appended_at: SimTime, poison: bool, version: u8) -> Entry {
        let flag = if poison { POISON_BIT } else { 0 };
        let version = u64::from(version & 0x7f) << VERSION_SHIFT;
        Entry {
            request_and_poison: (request & REQUEST_MASK) | version | flag,
            appended_at,
        }
    }

    pub fn request(&self) -> u64 {
        self.request_and_poison & REQUEST_MASK
    }

    /// The version of the event, as the entry wrote it.
    pub fn version(&self) -> u8 {
        ((self.request_and_poison & !POISON_BIT) >> VERSION_SHIFT) as u8
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

/// Brokers and partitions of the one topic: a part of the run that owns its state.
#[derive(Clone, Debug)]
pub struct Log {
    brokers_up: Vec<bool>,
    partitions: Vec<Partition>,
    /// Events parked in the dead-letter queue, newest last (bounded); `dlq_total` counts all.
    dlq: VecDeque<(u64, u8)>,
    dlq_total: u64,
    published: u64,
    /// Events deleted because the log held `event.max_log_events` (Kafka's retention.bytes).
    deleted_by_size_cap: u64,
    news: Outbox<LogNews>,
    /// Outbox rows the entry committed with its own write, not yet published: (request,
    /// partition), oldest first. The relay polls them every `event.outbox_poll_ms`.
    outbox: VecDeque<(u64, u16)>,
    relay_armed: bool,
}

/// Outbox rows held at most, like the open requests; a write past it fails its transaction.
pub const MAX_OUTBOX_ROWS: usize = 250_000;

/// The relay has no producer job waiting: acks sent to it are ignored.
const RELAY: JobId = JobId {
    index: u32::MAX,
    generation: u32::MAX,
};

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
            news: Outbox::default(),
            outbox: VecDeque::new(),
            relay_armed: false,
        }
    }

    /// The entry committed a row in its outbox table with its own write; false when the
    /// table is full and the transaction fails.
    pub(super) fn outbox_write(&mut self, cx: &mut Cx, request: u64, partition: u16) -> bool {
        if self.outbox.len() >= MAX_OUTBOX_ROWS {
            return false;
        }
        self.outbox.push_back((request, partition));
        self.arm_relay(cx);
        true
    }

    /// Rows not yet published.
    pub fn outbox_rows(&self) -> usize {
        self.outbox.len()
    }

    fn arm_relay(&mut self, cx: &mut Cx) {
        if !self.relay_armed && !self.outbox.is_empty() {
            self.relay_armed = true;
            let poll = SimTime::from_ms_f64(cx.scenario.event.outbox_poll_ms);
            cx.queue.push(cx.now + poll, Event::OutboxPoll);
        }
    }

    /// The relay publishes every row whose partition has a leader; the rest wait for the
    /// next poll, so a row is never dropped.
    fn on_outbox_poll(&mut self, cx: &mut Cx) {
        self.relay_armed = false;
        let rows = std::mem::take(&mut self.outbox);
        for (request, partition) in rows {
            if self.leader_up(partition as usize) {
                self.append(cx, partition, RELAY, request);
            } else {
                self.outbox.push_back((request, partition));
            }
        }
        self.arm_relay(cx);
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
        let outbox = self.outbox.capacity() * 16;
        size_of::<Log>() + partitions.sum::<usize>() + self.dlq.capacity() * 16 + outbox
    }

    pub fn for_each_chunk(&self, mut visit: impl FnMut(ChunkRef)) {
        for partition in &self.partitions {
            partition.entries.for_each_chunk(&mut visit);
        }
    }
}

/// What the rest of the run must hear of the log, in the order it happened; the engine
/// drains it after each call into the log ([`Log::news`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LogNews {
    /// The high watermark of a partition rose: consumers can read more.
    Visible(PartitionId),
    /// The oldest entry of a partition was deleted (retention or the size cap).
    Deleted {
        partition: PartitionId,
        offset: u64,
        request: u64,
    },
}

impl Log {
    pub fn brokers_up(&self) -> &[bool] {
        &self.brokers_up
    }

    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }

    /// Whether partition `p` has a leader on a broker that is up.
    pub fn leader_up(&self, p: usize) -> bool {
        self.partitions[p]
            .leader
            .is_some_and(|b| self.brokers_up[b as usize])
    }

    pub fn dlq_total(&self) -> u64 {
        self.dlq_total
    }

    pub fn published(&self) -> u64 {
        self.published
    }

    pub fn deleted_by_size_cap(&self) -> u64 {
        self.deleted_by_size_cap
    }

    /// What this part has reported since the engine last listened.
    #[inline]
    pub(super) fn news(&mut self) -> &mut Outbox<LogNews> {
        &mut self.news
    }

    /// Handles one of the log's events; the engine routes only those here.
    #[inline]
    pub(super) fn handle(&mut self, cx: &mut Cx, event: Event) {
        match event {
            Event::ProduceArrives {
                job,
                partition,
                request,
                epoch,
            } => self.on_produce_arrives(cx, job, partition.0, request, epoch),
            Event::OutboxPoll => self.on_outbox_poll(cx),
            Event::Replicate { partition, upto } => self.on_replicate(cx, partition.0, upto),
            // Elections need the producers' state, so the engine calls them directly.
            _ => {}
        }
    }

    /// Producers still waiting for partition `partition` to have a leader.
    pub(super) fn awaiting_leader(
        &self,
        partition: PartitionId,
    ) -> impl Iterator<Item = JobId> + '_ {
        let waiting = &self.partitions[partition.index()].awaiting_leader;
        waiting.iter().map(|w| w.job)
    }

    /// `epoch` is the entry's life when it sent the event; the entry's current life is in
    /// the context. A send from an earlier life was still in the dead process's buffer.
    fn on_produce_arrives(
        &mut self,
        cx: &mut Cx,
        job: JobId,
        partition: u16,
        request: u64,
        epoch: u32,
    ) {
        cx.ledger.job_ended(World::Event, request);
        if epoch != cx.producer_epoch {
            // Dual write: the entry's own write committed, its event never left.
            cx.mark_subtree_lost(World::Event, request, 0, Reason::DualWrite);
            return;
        }
        let p = partition as usize;
        if !self.leader_up(p) {
            if cx.scenario.event.acks == Acks::Zero {
                cx.mark_subtree_lost(World::Event, request, 0, Reason::NoLeader);
            } else {
                cx.ledger.job_started(World::Event, request);
                self.partitions[p].awaiting_leader.push(Waiting {
                    job,
                    request,
                    offset: 0,
                });
            }
            return;
        }
        self.append(cx, partition, job, request);
    }

    fn append(&mut self, cx: &mut Cx, partition: u16, job: JobId, request: u64) {
        let p = partition as usize;
        let poison = cx.streams.poison.chance(cx.scenario.event.poison_rate);
        let now = cx.now;
        let part = &mut self.partitions[p];
        let offset = part.end();
        let version = cx.ledger.record(request).map_or(1, |r| r.version);
        part.entries
            .push_back(Entry::new(request, now, poison, version));
        let leader = part.leader.and_then(|b| part.replica_index(b)).unwrap_or(0);
        part.replica_end[leader] = part.end();
        let (end, replicated) = (part.end(), part.replicas.len() > 1);
        self.published += 1;
        if let Some(record) = cx.ledger.record_mut(request) {
            record.set_event_position(Some((partition, offset)));
        }
        let appended = TraceKind::Appended {
            request,
            partition,
            offset,
        };
        cx.record(World::Event, appended);
        if replicated {
            let delay = SimTime::from_ms_f64(cx.scenario.event.replication_delay_ms);
            let replicate = Event::Replicate {
                partition: PartitionId(partition),
                upto: end,
            };
            cx.queue.push(now + delay, replicate);
        }
        match cx.scenario.event.acks {
            Acks::Zero => {}
            Acks::One => send_ack(cx, job, partition, offset),
            Acks::All => {
                cx.ledger.job_started(World::Event, request);
                let waiting = Waiting {
                    job,
                    request,
                    offset,
                };
                self.partitions[p].awaiting_replication.push_back(waiting);
            }
        }
        self.advance_high_watermark(cx, partition);
        self.enforce_size_cap(cx, partition);
    }

    fn on_replicate(&mut self, cx: &mut Cx, partition: u16, upto: u64) {
        let part = &mut self.partitions[partition as usize];
        let end = part.end();
        for r in 0..part.replicas.len() {
            let up = self.brokers_up[part.replicas[r] as usize];
            if Some(part.replicas[r]) == part.leader || !up {
                continue;
            }
            part.replica_end[r] = part.replica_end[r].max(upto.min(end));
            if part.replica_end[r] >= end {
                part.in_sync[r] = true;
            }
        }
        self.advance_high_watermark(cx, partition);
    }

    /// The high watermark is the least end among the leader and its alive in-sync followers.
    fn advance_high_watermark(&mut self, cx: &mut Cx, partition: u16) {
        let p = partition as usize;
        let part = &self.partitions[p];
        let Some(leader) = part.leader.filter(|&b| self.brokers_up[b as usize]) else {
            return;
        };
        let mut hw = part.end();
        for r in 0..part.replicas.len() {
            let alive = self.brokers_up[part.replicas[r] as usize];
            if part.replicas[r] == leader || (alive && part.in_sync[r]) {
                hw = hw.min(part.replica_end[r]);
            }
        }
        let part = &mut self.partitions[p];
        if hw <= part.high_watermark {
            return;
        }
        part.high_watermark = hw;
        while part
            .awaiting_replication
            .front()
            .is_some_and(|w| w.offset < hw)
        {
            let waiting = part
                .awaiting_replication
                .pop_front()
                .expect("checked front");
            cx.ledger.job_ended(World::Event, waiting.request);
            send_ack(cx, waiting.job, partition, waiting.offset);
        }
        self.news.push(LogNews::Visible(PartitionId(partition)));
    }

    pub(super) fn kill_broker(&mut self, cx: &mut Cx, broker: usize) {
        if !self.brokers_up[broker] {
            return;
        }
        self.brokers_up[broker] = false;
        let failover = SimTime::from_ms_f64(cx.scenario.event.failover_ms);
        for p in 0..self.partitions.len() {
            let part = &mut self.partitions[p];
            let Some(r) = part.replica_index(broker as u8) else {
                continue;
            };
            part.in_sync[r] = false;
            if part.leader != Some(broker as u8) {
                self.advance_high_watermark(cx, p as u16);
                continue;
            }
            part.leader = None;
            let partition = p as u16;
            if !part.electing {
                part.electing = true;
                cx.queue.push(cx.now + failover, election(partition));
            }
            let changed = TraceKind::LeaderChanged {
                partition,
                broker: -1,
            };
            cx.record(World::Event, changed);
        }
    }

    pub(super) fn restore_broker(&mut self, cx: &mut Cx, broker: usize) {
        if self.brokers_up[broker] {
            return;
        }
        self.brokers_up[broker] = true;
        let delay = SimTime::from_ms_f64(cx.scenario.event.replication_delay_ms);
        for (p, part) in self.partitions.iter_mut().enumerate() {
            let Some(r) = part.replica_index(broker as u8) else {
                continue;
            };
            let (partition, end) = (p as u16, part.end());
            part.replica_end[r] = part.replica_end[r].min(end);
            if part.leader.is_some() {
                // A returning follower copies what it missed, then rejoins the in-sync set.
                let replicate = Event::Replicate {
                    partition: PartitionId(partition),
                    upto: end,
                };
                cx.queue.push(cx.now + delay, replicate);
            } else if !part.electing {
                part.electing = true;
                cx.queue.push(cx.now, election(partition));
            }
        }
    }

    /// Elects the alive replica with the most data; without one (no unclean election), waits.
    /// `calling` are the producers waiting for a leader that still wait for their ack.
    pub(super) fn on_leader_election(
        &mut self,
        cx: &mut Cx,
        partition: PartitionId,
        calling: &[JobId],
    ) {
        let partition = partition.0;
        let p = partition as usize;
        let part = &self.partitions[p];
        let alive_in_sync = (0..part.replicas.len()).filter(|&r| {
            self.brokers_up[part.replicas[r] as usize]
                && (part.in_sync[r] || part.replicas.len() == 1)
        });
        // A sole replica that was leader keeps its data on disk: it may come back as leader.
        let candidate = alive_in_sync.max_by(|&a, &b| {
            part.replica_end[a]
                .cmp(&part.replica_end[b])
                .then(b.cmp(&a))
        });
        let part = &mut self.partitions[p];
        part.electing = false;
        let Some(winner) = candidate else {
            return;
        };
        part.leader = Some(part.replicas[winner]);
        part.in_sync[winner] = true;
        let new_end = part.replica_end[winner].max(part.start);
        let old_end = part.end();
        let broker = part.replicas[winner] as i8;
        cx.record(World::Event, TraceKind::LeaderChanged { partition, broker });
        if new_end < old_end {
            self.truncate(cx, partition, new_end);
        }
        let part = &mut self.partitions[p];
        for end in &mut part.replica_end {
            *end = (*end).min(new_end);
        }
        part.high_watermark = part.high_watermark.min(new_end);
        let resend: Vec<Waiting> = std::mem::take(&mut part.awaiting_leader);
        for waiting in resend {
            cx.ledger.job_ended(World::Event, waiting.request);
            if calling.contains(&waiting.job) || cx.scenario.event.acks == Acks::Zero {
                self.append(cx, partition, waiting.job, waiting.request);
            } else {
                // Its producer gave up (already counted) or died with the event unsent.
                let lost = Reason::DualWrite;
                cx.mark_subtree_lost(World::Event, waiting.request, 0, lost);
            }
        }
        self.advance_high_watermark(cx, partition);
        self.news.push(LogNews::Visible(PartitionId(partition)));
    }

    /// Drops entries from `new_end` on: they lived only on the dead leader.
    fn truncate(&mut self, cx: &mut Cx, partition: u16, new_end: u64) {
        let acks_all = cx.scenario.event.acks == Acks::All;
        let part = &mut self.partitions[partition as usize];
        let count = part.end() - new_end;
        let mut lost = Vec::new();
        while part.end() > new_end {
            let entry = part.entries.pop_back().expect("end > new_end");
            lost.push(entry.request());
        }
        // acks=all producers never got an ack for these: they resend to the new leader.
        let mut resend = Vec::new();
        part.awaiting_replication.retain(|w| {
            let gone = w.offset >= new_end;
            if gone {
                resend.push(*w);
            }
            !gone
        });
        let truncated = TraceKind::Truncated {
            partition,
            from_offset: new_end,
            count,
        };
        cx.record(World::Event, truncated);
        let again = resend.iter().map(|w| Waiting { offset: 0, ..*w });
        part.awaiting_leader.extend(again);
        for request in lost {
            let resent = acks_all && resend.iter().any(|w| w.request == request);
            if let Some(record) = cx.ledger.record_mut(request) {
                record.set_event_position(None);
            }
            if !resent {
                cx.mark_subtree_lost(World::Event, request, 0, Reason::BrokerCrash);
            }
        }
    }

    /// Time-based retention; the size cap is applied on every append.
    pub(super) fn apply_retention(&mut self, cx: &Cx) {
        let retention = SimTime::from_ms_f64(cx.scenario.event.retention_ms);
        let Some(horizon) = cx.now.as_us().checked_sub(retention.as_us()) else {
            return;
        };
        for p in 0..self.partitions.len() {
            while self.partitions[p]
                .entries
                .front()
                .is_some_and(|e| e.appended_at() < SimTime(horizon))
            {
                self.delete_oldest(p as u16);
            }
        }
    }

    fn enforce_size_cap(&mut self, cx: &Cx, partition: u16) {
        let cap = (cx.scenario.event.max_log_events as usize / self.partitions.len()).max(1);
        while self.partitions[partition as usize].entries.len() > cap {
            self.deleted_by_size_cap += 1;
            self.delete_oldest(partition);
        }
    }

    /// Deletes the oldest entry; the engine tells the groups that had not read it.
    fn delete_oldest(&mut self, partition: u16) {
        let part = &mut self.partitions[partition as usize];
        let Some(entry) = part.entries.pop_front() else {
            return;
        };
        let offset = part.start;
        part.start += 1;
        part.high_watermark = part.high_watermark.max(part.start);
        for end in &mut part.replica_end {
            *end = (*end).max(part.start);
        }
        self.news.push(LogNews::Deleted {
            partition: PartitionId(partition),
            offset,
            request: entry.request(),
        });
    }
}

/// A leader election for `partition`.
fn election(partition: u16) -> Event {
    let partition = PartitionId(partition);
    Event::LeaderElection { partition }
}

/// The leader's ack, on its way back to the producer.
#[inline]
fn send_ack(cx: &mut Cx, job: JobId, partition: u16, offset: u64) {
    let ack = Event::ProduceAck {
        job,
        partition: PartitionId(partition),
        offset,
    };
    cx.queue.push(cx.now + cx.latency(), ack);
}
