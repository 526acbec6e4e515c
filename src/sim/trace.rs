//! The trace: plain-data events the UI animates, kept in a bounded ring, and a hash over all of them.

use super::time::SimTime;
use serde::Serialize;
use std::collections::VecDeque;

/// Which world an event belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum World {
    Sync = 0,
    Event = 1,
}

impl World {
    pub const BOTH: [World; 2] = [World::Sync, World::Event];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            World::Sync => "sync",
            World::Event => "event",
        }
    }
}

/// Why a call or an effect failed; also the ledger's "lost" reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The callee's process was down: connection refused.
    Refused,
    /// The callee's queue was full.
    Rejected,
    /// The caller stopped waiting.
    Timeout,
    /// The callee returned an error.
    Error,
    /// The callee crashed or restarted with the work in progress.
    Crash,
    /// The circuit breaker failed the call without trying.
    CircuitOpen,
    /// An earlier call of a sequential caller failed, so this one was never made.
    NotCalled,
    /// The caller had not yet been redeployed with the new call.
    NotDeployed,
    /// The consumer committed the offset before processing, then crashed.
    CommittedBeforeProcessing,
    /// The event was deleted by retention before the group read it.
    Retention,
    /// The write never reached a leader (acks=0 with no leader, or the broker was down).
    NoLeader,
    /// The write was on a leader that crashed before a follower copied it.
    BrokerCrash,
    /// The event was parked in the dead-letter queue.
    DeadLetter,
    /// The producer gave up waiting for an acknowledgement.
    ProducerTimeout,
    /// The event's version was one the group (or, in the sync world, the callee) cannot read.
    Schema,
    /// The entry committed its own write and crashed before its event left the producer.
    DualWrite,
}

impl Reason {
    pub const ALL: [Reason; 16] = [
        Reason::Refused,
        Reason::Rejected,
        Reason::Timeout,
        Reason::Error,
        Reason::Crash,
        Reason::CircuitOpen,
        Reason::NotCalled,
        Reason::NotDeployed,
        Reason::CommittedBeforeProcessing,
        Reason::Retention,
        Reason::NoLeader,
        Reason::BrokerCrash,
        Reason::DeadLetter,
        Reason::ProducerTimeout,
        Reason::Schema,
        Reason::DualWrite,
    ];

    /// The snake_case name used in reports and trace files.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Refused => "refused",
            Reason::Rejected => "rejected",
            Reason::Timeout => "timeout",
            Reason::Error => "error",
            Reason::Crash => "crash",
            Reason::CircuitOpen => "circuit_open",
            Reason::NotCalled => "not_called",
            Reason::NotDeployed => "not_deployed",
            Reason::CommittedBeforeProcessing => "committed_before_processing",
            Reason::Retention => "retention",
            Reason::NoLeader => "no_leader",
            Reason::BrokerCrash => "broker_crash",
            Reason::DeadLetter => "dead_letter",
            Reason::ProducerTimeout => "producer_timeout",
            Reason::Schema => "schema",
            Reason::DualWrite => "dual_write",
        }
    }
}

/// Where a circuit breaker stands. Written as 0, 1 and 2 in exported traces, as before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BreakerPosition {
    /// Calls pass.
    #[default]
    Closed,
    /// Calls fail at once, until the open time is over.
    Open,
    /// One trial call is let through; its outcome closes or reopens the breaker.
    HalfOpen,
}

impl BreakerPosition {
    /// The number exported traces and the trace hash use.
    pub fn code(self) -> u8 {
        match self {
            BreakerPosition::Closed => 0,
            BreakerPosition::Open => 1,
            BreakerPosition::HalfOpen => 2,
        }
    }
}

impl Serialize for BreakerPosition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

/// What happened. Ids are plain numbers: request ids, service and group indices, partitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TraceKind {
    Arrival {
        request: u64,
        kind: u8,
    },
    /// A call leaves `from` for `to` (`from` is None for the user's request to the entry).
    CallSent {
        request: u64,
        from: u8,
        to: u8,
        attempt: u8,
    },
    CallFailed {
        request: u64,
        from: u8,
        to: u8,
        reason: Reason,
    },
    WorkStarted {
        request: u64,
        service: u8,
    },
    WorkDone {
        request: u64,
        service: u8,
        ok: bool,
    },
    Replied {
        request: u64,
        from: u8,
        to: u8,
        ok: bool,
    },
    Responded {
        request: u64,
        ok: bool,
        latency_us: u64,
    },
    Rejected {
        request: u64,
        service: u8,
    },
    BreakerChanged {
        from: u8,
        to: u8,
        state: BreakerPosition,
    },
    Appended {
        request: u64,
        partition: u16,
        offset: u64,
    },
    Acked {
        request: u64,
        partition: u16,
        offset: u64,
    },
    Fetched {
        request: u64,
        group: u8,
        instance: u8,
        partition: u16,
        offset: u64,
        redelivery: bool,
        /// Events in the poll it came in.
        batch: u16,
    },
    Processed {
        request: u64,
        group: u8,
        partition: u16,
        offset: u64,
        ok: bool,
    },
    Committed {
        group: u8,
        partition: u16,
        offset: u64,
    },
    Rebalanced {
        group: u8,
        instances: u8,
    },
    Lost {
        request: u64,
        service: u8,
        reason: Reason,
    },
    DeadLettered {
        request: u64,
        group: u8,
        partition: u16,
        offset: u64,
    },
    Truncated {
        partition: u16,
        from_offset: u64,
        count: u64,
    },
    LeaderChanged {
        partition: u16,
        broker: i8,
    },
    Fault {
        index: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEvent {
    pub time_us: u64,
    pub world: World,
    #[serde(flatten)]
    pub kind: TraceKind,
}

/// The last `capacity` events, a running count, and a hash of every event ever recorded.
#[derive(Clone, Debug)]
pub struct Trace {
    ring: VecDeque<TraceEvent>,
    capacity: usize,
    recorded: u64,
    hash: u64,
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

impl Trace {
    pub fn new(capacity: usize) -> Trace {
        Trace {
            ring: VecDeque::with_capacity(capacity.min(4_096)),
            capacity,
            recorded: 0,
            hash: HASH_SEED,
        }
    }

    pub fn record(&mut self, time: SimTime, world: World, kind: TraceKind) {
        let event = TraceEvent {
            time_us: time.as_us(),
            world,
            kind,
        };
        self.hash = fold_event(self.hash, &event);
        self.recorded += 1;
        if self.capacity == 0 {
            return;
        }
        if self.ring.len() == self.capacity {
            self.ring.pop_front();
        }
        self.ring.push_back(event);
    }

    /// A copy keeping only the newest `keep` events (hash and count unchanged): what a
    /// time-travel snapshot needs, at a fraction of the memory.
    /// Bytes held by the ring.
    pub fn approx_bytes(&self) -> usize {
        size_of::<Trace>() + self.ring.capacity() * size_of::<TraceEvent>()
    }

    pub fn trimmed(&self, keep: usize) -> Trace {
        let skip = self.ring.len().saturating_sub(keep);
        Trace {
            ring: self.ring.iter().skip(skip).cloned().collect(),
            capacity: self.capacity,
            recorded: self.recorded,
            hash: self.hash,
        }
    }

    /// A hash of the whole run so far, for comparing runs natively and in the browser.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    pub fn hash_hex(&self) -> String {
        format!("{:016x}", self.hash)
    }

    /// Events recorded since the run began (the ring keeps only the newest).
    pub fn recorded(&self) -> u64 {
        self.recorded
    }

    /// Events with sequence number `>= cursor` that are still in the ring, and the next cursor.
    pub fn since(&self, cursor: u64) -> (impl Iterator<Item = &TraceEvent>, u64) {
        let first_kept = self.recorded - self.ring.len() as u64;
        let skip = cursor
            .saturating_sub(first_kept)
            .min(self.ring.len() as u64) as usize;
        (self.ring.iter().skip(skip), self.recorded)
    }
}

/// Mixes one 64-bit word into the running hash (a multiply-rotate step, as in
/// FxHash, with a final xor-shift): word-wise, so hashing costs a few
/// nanoseconds per event, and defined on integers, so it is the same everywhere.
fn mix_word(hash: u64, word: u64) -> u64 {
    let h = (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    h ^ (h >> 29)
}

/// Folds an event into the hash through a fixed integer encoding (time, then a word
/// packing the world, the kind's tag and its small fields, then its wide fields), so
/// the hash is the same on every platform and independent of serde or Debug output.
fn fold_event(hash: u64, event: &TraceEvent) -> u64 {
    let (tag, small, wide_a, wide_b) = event.kind.encoding();
    let head = event.world as u64
        | tag << 4
        | small[0] << 12
        | small[1] << 28
        | small[2] << 44
        | small[3] << 60;
    let hash = mix_word(hash, event.time_us);
    let hash = mix_word(hash, head);
    let hash = mix_word(hash, wide_a);
    mix_word(hash, wide_b)
}

impl TraceKind {
    /// The hash's encoding table, one row per kind: its tag, up to four small fields (16 bits
    /// each, the last 4), and two wide fields. A data table, so it may be long; changing a row
    /// changes every trace hash.
    fn encoding(&self) -> (u64, [u64; 4], u64, u64) {
        match *self {
            TraceKind::Arrival { request, kind } => (1, [u64::from(kind), 0, 0, 0], request, 0),
            TraceKind::CallSent {
                request,
                from,
                to,
                attempt,
            } => (
                2,
                [u64::from(from), u64::from(to), u64::from(attempt), 0],
                request,
                0,
            ),
            TraceKind::CallFailed {
                request,
                from,
                to,
                reason,
            } => (
                3,
                [u64::from(from), u64::from(to), reason as u64, 0],
                request,
                0,
            ),
            TraceKind::WorkStarted { request, service } => {
                (4, [u64::from(service), 0, 0, 0], request, 0)
            }
            TraceKind::WorkDone {
                request,
                service,
                ok,
            } => (5, [u64::from(service), u64::from(ok), 0, 0], request, 0),
            TraceKind::Replied {
                request,
                from,
                to,
                ok,
            } => (
                6,
                [u64::from(from), u64::from(to), u64::from(ok), 0],
                request,
                0,
            ),
            TraceKind::Responded {
                request,
                ok,
                latency_us,
            } => (7, [u64::from(ok), 0, 0, 0], request, latency_us),
            TraceKind::Rejected { request, service } => {
                (8, [u64::from(service), 0, 0, 0], request, 0)
            }
            TraceKind::BreakerChanged { from, to, state } => (
                9,
                [u64::from(from), u64::from(to), u64::from(state.code()), 0],
                0,
                0,
            ),
            TraceKind::Appended {
                request,
                partition,
                offset,
            } => (10, [u64::from(partition), 0, 0, 0], request, offset),
            TraceKind::Acked {
                request,
                partition,
                offset,
            } => (11, [u64::from(partition), 0, 0, 0], request, offset),
            TraceKind::Fetched {
                request,
                group,
                instance,
                partition,
                offset,
                redelivery,
                batch,
            } => (
                12,
                [
                    u64::from(group),
                    u64::from(instance),
                    u64::from(partition),
                    // A poll of one hashes as a fetch did before polls were batches.
                    u64::from(redelivery) | (u64::from(batch.saturating_sub(1)) << 1),
                ],
                request,
                offset,
            ),
            TraceKind::Processed {
                request,
                group,
                partition,
                offset,
                ok,
            } => (
                13,
                [u64::from(group), u64::from(partition), u64::from(ok), 0],
                request,
                offset,
            ),
            TraceKind::Committed {
                group,
                partition,
                offset,
            } => (
                14,
                [u64::from(group), u64::from(partition), 0, 0],
                0,
                offset,
            ),
            TraceKind::Rebalanced { group, instances } => {
                (15, [u64::from(group), u64::from(instances), 0, 0], 0, 0)
            }
            TraceKind::Lost {
                request,
                service,
                reason,
            } => (16, [u64::from(service), reason as u64, 0, 0], request, 0),
            TraceKind::DeadLettered {
                request,
                group,
                partition,
                offset,
            } => (
                17,
                [u64::from(group), u64::from(partition), 0, 0],
                request,
                offset,
            ),
            TraceKind::Truncated {
                partition,
                from_offset,
                count,
            } => (18, [u64::from(partition), 0, 0, 0], from_offset, count),
            TraceKind::LeaderChanged { partition, broker } => (
                19,
                [u64::from(partition), (i64::from(broker) + 1) as u64, 0, 0],
                0,
                0,
            ),
            TraceKind::Fault { index } => (20, [0, 0, 0, 0], u64::from(index), 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_the_newest_and_the_hash_covers_everything() {
        let mut trace = Trace::new(2);
        for request in 0..5 {
            trace.record(
                SimTime(request),
                World::Sync,
                TraceKind::Arrival { request, kind: 0 },
            );
        }
        assert_eq!(trace.recorded(), 5);
        let (kept, next) = trace.since(0);
        let kept: Vec<u64> = kept.map(|e| e.time_us).collect();
        assert_eq!(kept, [3, 4]);
        assert_eq!(next, 5);
        assert_eq!(trace.since(4).0.count(), 1);

        let mut other = Trace::new(0);
        for request in 0..5 {
            other.record(
                SimTime(request),
                World::Sync,
                TraceKind::Arrival { request, kind: 0 },
            );
        }
        assert_eq!(
            trace.hash(),
            other.hash(),
            "the ring size must not change the hash"
        );
        other.record(
            SimTime(9),
            World::Event,
            TraceKind::Arrival {
                request: 9,
                kind: 0,
            },
        );
        assert_ne!(trace.hash(), other.hash());
    }
}
