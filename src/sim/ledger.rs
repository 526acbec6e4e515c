//! The ledger that scores both worlds alike: each request's user-facing outcome and the fate of each expected effect.
//!
//! An effect is one non-entry service's work for one request ("welcome email
//! sent"). Its fate is done once, duplicated, lost (with a reason) or pending, so
//! `done_once + duplicated + lost + pending == expected` always holds. Open
//! requests live in a bounded window and fold into totals once settled.

use super::chunked::{ChunkRef, Chunked};
use super::metrics::{LatencyHistogram, LatencySummary};
use super::time::SimTime;
use super::trace::{Reason, World};
use serde::Serialize;
use std::collections::BTreeMap;

pub use super::scenario::limits::MAX_SERVICES;

/// Requests kept open at once; past this the oldest is folded as it stands, and counted.
pub const MAX_OPEN_REQUESTS: usize = 250_000;
/// Open requests per shared chunk (see [`Chunked`]): 32 KiB of records.
const RECORDS_PER_CHUNK: usize = 512;
/// Stuck requests set aside at most; past this a stuck front holds the window as before.
pub const MAX_STRAGGLERS: usize = 4_096;

/// One effect's state in one byte: pending, done once, done more than once, or lost (with why).
///
/// A late completion turns a lost effect into a done one, so the states are exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cell(u8);

const CELL_PENDING: u8 = 0;
const CELL_ONCE: u8 = 1;
const CELL_MORE: u8 = 2;
const CELL_LOST: u8 = 3;

impl Cell {
    const PENDING: Cell = Cell(CELL_PENDING);

    /// How many times the effect happened, capped at 2 ("more than once").
    pub fn count(self) -> u8 {
        match self.0 {
            CELL_ONCE => 1,
            CELL_MORE => 2,
            _ => 0,
        }
    }

    fn lost_reason(self) -> Option<Reason> {
        self.0
            .checked_sub(CELL_LOST)
            .and_then(|i| Reason::ALL.get(i as usize).copied())
    }

    fn done(&mut self) -> u8 {
        self.0 = if self.count() == 0 {
            CELL_ONCE
        } else {
            CELL_MORE
        };
        self.count()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    #[default]
    Pending,
    Succeeded,
    Failed,
}

/// A request's fate in one world (23 bytes: latency goes to the totals when the user is answered).
#[derive(Clone, Copy, Debug, Default)]
pub struct Fate {
    pub outcome: Outcome,
    /// When the user was answered, in ms after the arrival (saturating): a success told
    /// before its effects were done becomes consistent later, and that wait is measured.
    answered_after_ms: u32,
    /// Jobs of this request still alive in this world; it cannot settle before they end.
    pub outstanding: u16,
    pub cells: [Cell; MAX_SERVICES],
}

/// No event position yet: the event has not been appended (or was truncated away).
const NO_OFFSET: u64 = u64::MAX;

/// One user request, as both worlds saw it: 64 bytes, kept small because a backlog
/// holds hundreds of thousands of them, in every time-travel snapshot.
#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub arrival: SimTime,
    event_offset: u64,
    /// The user id, the event's key: it picks the partition.
    pub user: u32,
    event_partition: u16,
    /// Bit `s` set: service `s` is expected to produce an effect for this request.
    pub expected: u16,
    pub kind: u8,
    /// The version of the event the entry wrote for it (fits the record's padding).
    pub version: u8,
    pub fates: [Fate; 2],
}

impl Record {
    /// Where the event world's log holds this request's event, once appended.
    pub fn event_position(&self) -> Option<(u16, u64)> {
        (self.event_offset != NO_OFFSET).then_some((self.event_partition, self.event_offset))
    }

    /// Whether anything about it is still to happen in either world.
    fn has_pending(&self) -> bool {
        self.fates.iter().any(|f| {
            f.outcome == Outcome::Pending
                || f.outstanding > 0
                || set_bits(self.expected).any(|s| f.cells[s] == Cell::PENDING)
        })
    }

    pub fn set_event_position(&mut self, position: Option<(u16, u64)>) {
        (self.event_partition, self.event_offset) = position.unwrap_or((0, NO_OFFSET));
    }
}

/// How one effect ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectFate {
    DoneOnce,
    Duplicated,
    Lost(Reason),
    Pending,
}

impl Cell {
    pub fn fate(self) -> EffectFate {
        match (self.count(), self.lost_reason()) {
            (1, _) => EffectFate::DoneOnce,
            (2.., _) => EffectFate::Duplicated,
            (0, Some(reason)) => EffectFate::Lost(reason),
            (0, None) => EffectFate::Pending,
        }
    }
}

/// Counts of effects by fate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EffectCounts {
    pub expected: u64,
    pub done_once: u64,
    pub duplicated: u64,
    pub lost: u64,
    pub pending: u64,
    #[serde(serialize_with = "serialize_reasons")]
    pub lost_by_reason: [u64; Reason::ALL.len()],
}

fn serialize_reasons<S: serde::Serializer>(
    counts: &[u64; Reason::ALL.len()],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(None)?;
    for reason in Reason::ALL {
        let count = counts[reason as usize];
        if count > 0 {
            map.serialize_entry(reason.name(), &count)?;
        }
    }
    map.end()
}

impl EffectCounts {
    fn add(&mut self, fate: EffectFate) {
        self.expected += 1;
        match fate {
            EffectFate::DoneOnce => self.done_once += 1,
            EffectFate::Duplicated => self.duplicated += 1,
            EffectFate::Lost(reason) => {
                self.lost += 1;
                self.lost_by_reason[reason as usize] += 1;
            }
            EffectFate::Pending => self.pending += 1,
        }
    }

    /// done once + duplicated + lost + pending == expected.
    pub fn balances(&self) -> bool {
        self.done_once + self.duplicated + self.lost + self.pending == self.expected
    }
}

/// Folded totals for one world.
#[derive(Clone, Debug, Default)]
struct WorldTotals {
    requests: u64,
    succeeded: u64,
    failed: u64,
    latency: LatencyHistogram,
    effects: EffectCounts,
    by_service: Vec<EffectCounts>,
    /// Every time a service did its work, expected or not (a new group replaying history).
    executions: Vec<u64>,
    inconsistent: u64,
    /// Time from "done" to the last effect done, per request told success (µs).
    consistency: LatencyHistogram,
    /// Requests, successes and failures per request kind.
    by_kind: Vec<KindCounts>,
}

/// How long after the user was told "done" the work was done: per request told success,
/// from the answer to its last expected effect. Requests still waiting are `pending`; a
/// request with a lost effect never becomes consistent and is counted as inconsistent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ConsistencySummary {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    /// Requests told success whose effects are still to happen.
    pub pending: u64,
}

/// How one request kind fared in one world.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    pub requests: u64,
    pub succeeded: u64,
    pub failed: u64,
}

fn kind_counts(counts: &mut Vec<KindCounts>, kind: u8) -> &mut KindCounts {
    let kind = kind as usize;
    if counts.len() <= kind {
        counts.resize(kind + 1, KindCounts::default());
    }
    &mut counts[kind]
}

/// A world's standing, as reports and scoreboards show it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WorldSummary {
    pub requests: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub latency_ms: LatencySummary,
    pub effects: EffectCounts,
    pub inconsistent_requests: u64,
    pub time_to_consistency_ms: ConsistencySummary,
    #[serde(skip)]
    pub by_service: Vec<EffectCounts>,
    #[serde(skip)]
    pub executions: Vec<u64>,
    #[serde(skip)]
    pub by_kind: Vec<KindCounts>,
}

/// Every request's fate in both worlds.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    first_open: u64,
    open: Chunked<Record, RECORDS_PER_CHUNK>,
    totals: [WorldTotals; 2],
    /// Requests folded before they settled because the open window was full: their
    /// pending effects stay pending in the totals. Shown as a reached cap.
    folded_unsettled: u64,
    /// Unsettled requests set aside from the window's front (see [`Ledger::fold_settled`]).
    stragglers: BTreeMap<u64, Record>,
}

/// Whether every expected effect has happened in this world (none pending, none lost).
fn is_consistent(fate: &Fate, expected: u16) -> bool {
    set_bits(expected).all(|s| fate.cells[s].count() > 0)
}

/// Told success, and an effect is still to happen.
fn awaits_consistency(fate: &Fate, expected: u16) -> bool {
    fate.outcome == Outcome::Succeeded && set_bits(expected).any(|s| fate.cells[s] == Cell::PENDING)
}

/// Whether a request is inconsistent in a world: told success but an effect was lost,
/// or told failure but an effect happened.
fn is_inconsistent(fate: &Fate, expected: u16) -> bool {
    let expected_cells = || set_bits(expected);
    match fate.outcome {
        Outcome::Succeeded => {
            expected_cells().any(|s| matches!(fate.cells[s].fate(), EffectFate::Lost(_)))
        }
        Outcome::Failed => expected_cells().any(|s| fate.cells[s].count() > 0),
        Outcome::Pending => false,
    }
}

/// The indices of the bits set in `mask`, lowest first (folding runs once per request, so
/// skipping the unset bits matters).
fn set_bits(mask: u16) -> impl Iterator<Item = usize> {
    let mut remaining = mask;
    std::iter::from_fn(move || {
        if remaining == 0 {
            return None;
        }
        let bit = remaining.trailing_zeros() as usize;
        remaining &= remaining - 1;
        Some(bit)
    })
}

impl Ledger {
    /// Opens the next request; ids are handed out in order from 0.
    pub fn open(&mut self, arrival: SimTime, kind: u8, expected: u16, user: u32) -> u64 {
        if self.open.len() >= MAX_OPEN_REQUESTS {
            let unsettled = self.open.front().is_some_and(Record::has_pending);
            self.folded_unsettled += u64::from(unsettled);
            self.fold_front();
        }
        let id = self.first_open + self.open.len() as u64;
        self.open.push_back(Record {
            arrival,
            event_offset: NO_OFFSET,
            user,
            event_partition: 0,
            expected,
            kind,
            version: 1,
            fates: Default::default(),
        });
        for totals in &mut self.totals {
            totals.requests += 1;
            kind_counts(&mut totals.by_kind, kind).requests += 1;
        }
        id
    }

    #[inline]
    pub fn record(&self, id: u64) -> Option<&Record> {
        match id.checked_sub(self.first_open) {
            Some(i) => self.open.get(i as usize),
            None => self.stragglers.get(&id),
        }
    }

    #[inline]
    pub fn record_mut(&mut self, id: u64) -> Option<&mut Record> {
        match id.checked_sub(self.first_open) {
            Some(i) => self.open.get_mut(i as usize),
            None => self.stragglers.get_mut(&id),
        }
    }

    /// Counts a service's work for a request; returns the new count if the effect was expected,
    /// and, if it made a request told "done" consistent, how long after the answer (µs).
    #[inline]
    pub fn effect_done(
        &mut self,
        world: World,
        id: u64,
        service: usize,
        now: SimTime,
    ) -> Option<(u8, Option<u64>)> {
        let executions = &mut self.totals[world.index()].executions;
        if executions.len() <= service {
            executions.resize(service + 1, 0);
        }
        executions[service] += 1;
        let record = self.record_mut(id)?;
        if record.expected & (1 << service) == 0 {
            return None;
        }
        let (arrival, expected) = (record.arrival, record.expected);
        let fate = &mut record.fates[world.index()];
        let count = fate.cells[service].done();
        if count == 1 && fate.outcome == Outcome::Succeeded && is_consistent(fate, expected) {
            // The last effect of a request already told "done": it is consistent from now.
            let answered = arrival + SimTime::from_ms(u64::from(fate.answered_after_ms));
            let wait_us = now.saturating_since(answered).as_us();
            self.totals[world.index()].consistency.record(wait_us);
            return Some((count, Some(wait_us)));
        }
        Some((count, None))
    }

    /// Whether the effect has already happened (what an idempotent consumer checks).
    pub fn already_applied(&self, world: World, id: u64, service: usize) -> bool {
        self.record(id)
            .is_some_and(|r| r.fates[world.index()].cells[service].count() > 0)
    }

    /// Marks an expected, not yet done effect as lost; returns true if this changed it.
    pub fn mark_lost(&mut self, world: World, id: u64, service: usize, reason: Reason) -> bool {
        let Some(record) = self.record_mut(id) else {
            return false;
        };
        if record.expected & (1 << service) == 0 {
            return false;
        }
        let cell = &mut record.fates[world.index()].cells[service];
        if *cell == Cell::PENDING {
            *cell = Cell(CELL_LOST + reason as u8);
            true
        } else {
            false
        }
    }

    /// Records what the user was told, once: None if the user had been answered already,
    /// else whether the request was consistent at that moment (a success with its work done).
    #[inline]
    pub fn respond(&mut self, world: World, id: u64, ok: bool, latency_us: u64) -> Option<bool> {
        let record = self.record_mut(id)?;
        let fate = &mut record.fates[world.index()];
        if fate.outcome != Outcome::Pending {
            return None;
        }
        fate.outcome = if ok {
            Outcome::Succeeded
        } else {
            Outcome::Failed
        };
        fate.answered_after_ms = u32::try_from(latency_us / 1_000).unwrap_or(u32::MAX);
        let consistent_now = ok && is_consistent(fate, record.expected);
        let kind = record.kind;
        let totals = &mut self.totals[world.index()];
        if consistent_now {
            totals.consistency.record(0);
        }
        let per_kind = kind_counts(&mut totals.by_kind, kind);
        if ok {
            per_kind.succeeded += 1;
            totals.succeeded += 1;
            totals.latency.record(latency_us);
        } else {
            per_kind.failed += 1;
            totals.failed += 1;
        }
        Some(consistent_now)
    }

    #[inline]
    pub fn job_started(&mut self, world: World, id: u64) {
        if let Some(record) = self.record_mut(id) {
            record.fates[world.index()].outstanding += 1;
        }
    }

    #[inline]
    pub fn job_ended(&mut self, world: World, id: u64) {
        if let Some(record) = self.record_mut(id) {
            let fate = &mut record.fates[world.index()];
            fate.outstanding = fate.outstanding.saturating_sub(1);
        }
    }

    /// Folds settled requests into the totals: set-aside stragglers, then the window's front.
    ///
    /// An unsettled front with a settled request behind it (a job held by a hung service,
    /// say) is set aside, so one stuck request does not keep every later one in memory.
    pub fn fold_settled(&mut self, settled: impl Fn(u64, &Record) -> bool) {
        let done: Vec<u64> = self
            .stragglers
            .iter()
            .filter(|(id, r)| settled(**id, r))
            .map(|(id, _)| *id)
            .collect();
        for id in done {
            if let Some(record) = self.stragglers.remove(&id) {
                self.fold(&record);
            }
        }
        while let Some(front) = self.open.front() {
            if settled(self.first_open, front) {
                self.fold_front();
                continue;
            }
            let behind_settled = self
                .open
                .get(1)
                .is_some_and(|r| settled(self.first_open + 1, r));
            if !behind_settled || self.stragglers.len() >= MAX_STRAGGLERS {
                break;
            }
            let record = self.open.pop_front().expect("checked front");
            self.stragglers.insert(self.first_open, record);
            self.first_open += 1;
        }
    }

    fn fold_front(&mut self) {
        let Some(record) = self.open.pop_front() else {
            return;
        };
        self.first_open += 1;
        self.fold(&record);
    }

    fn fold(&mut self, record: &Record) {
        for world in World::BOTH {
            let totals = &mut self.totals[world.index()];
            let fate = &record.fates[world.index()];
            add_fate(totals, fate, record.expected);
            if is_inconsistent(fate, record.expected) {
                totals.inconsistent += 1;
            }
        }
    }

    /// Requests folded unsettled because more than [`MAX_OPEN_REQUESTS`] were open.
    pub fn folded_unsettled(&self) -> u64 {
        self.folded_unsettled
    }

    /// The open window's bytes on its own, and its chunks, for a budget that counts shared ones once.
    pub fn approx_bytes(&self) -> usize {
        let straggler_bytes = self.stragglers.len() * (size_of::<(u64, Record)>() + 16);
        size_of::<Ledger>() + self.open.approx_bytes() + straggler_bytes
    }

    pub fn for_each_chunk(&self, visit: impl FnMut(ChunkRef)) {
        self.open.for_each_chunk(visit);
    }

    /// Requests still open.
    pub fn open_len(&self) -> usize {
        self.open.len() + self.stragglers.len()
    }

    /// Ids from the first open request on.
    pub fn first_open(&self) -> u64 {
        self.first_open
    }

    pub fn open_records(&self) -> impl Iterator<Item = (u64, &Record)> {
        let window = self.open.iter().enumerate();
        let window = window.map(|(i, r)| (self.first_open + i as u64, r));
        self.stragglers.iter().map(|(id, r)| (*id, r)).chain(window)
    }

    /// The world's standing now: folded totals plus the open window as it stands.
    pub fn summary(&self, world: World) -> WorldSummary {
        let mut totals = self.totals[world.index()].clone();
        let mut pending_consistency = 0;
        for record in self.stragglers.values().chain(self.open.iter()) {
            let fate = &record.fates[world.index()];
            add_fate(&mut totals, fate, record.expected);
            if is_inconsistent(fate, record.expected) {
                totals.inconsistent += 1;
            }
            pending_consistency += u64::from(awaits_consistency(fate, record.expected));
        }
        let consistency = LatencySummary::of(&totals.consistency);
        let time_to_consistency_ms = ConsistencySummary {
            p50: consistency.p50,
            p99: consistency.p99,
            max: consistency.max,
            pending: pending_consistency,
        };
        WorldSummary {
            requests: totals.requests,
            succeeded: totals.succeeded,
            failed: totals.failed,
            latency_ms: LatencySummary::of(&totals.latency),
            effects: totals.effects,
            inconsistent_requests: totals.inconsistent,
            time_to_consistency_ms,
            by_service: totals.by_service,
            executions: totals.executions,
            by_kind: totals.by_kind,
        }
    }
}

fn add_fate(totals: &mut WorldTotals, fate: &Fate, expected: u16) {
    for service in set_bits(expected) {
        let effect = fate.cells[service].fate();
        totals.effects.add(effect);
        if totals.by_service.len() <= service {
            totals
                .by_service
                .resize(service + 1, EffectCounts::default());
        }
        totals.by_service[service].add(effect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fates_follow_counts_and_reasons() {
        let mut ledger = Ledger::default();
        let id = ledger.open(SimTime::ZERO, 0, 0b1110, 0);
        ledger.effect_done(World::Sync, id, 1, SimTime::ZERO);
        ledger.effect_done(World::Sync, id, 2, SimTime::ZERO);
        ledger.effect_done(World::Sync, id, 2, SimTime::ZERO);
        assert!(ledger.mark_lost(World::Sync, id, 3, Reason::Timeout));
        assert!(
            !ledger.mark_lost(World::Sync, id, 1, Reason::Timeout),
            "a done effect cannot be lost"
        );
        ledger.respond(World::Sync, id, true, 1_000);
        let summary = ledger.summary(World::Sync);
        assert_eq!(
            (
                summary.effects.done_once,
                summary.effects.duplicated,
                summary.effects.lost
            ),
            (1, 1, 1)
        );
        assert_eq!(summary.effects.lost_by_reason[Reason::Timeout as usize], 1);
        assert_eq!(
            summary.inconsistent_requests, 1,
            "told success while an effect was lost"
        );
        let event = ledger.summary(World::Event);
        assert_eq!(event.effects.pending, 3);
        assert!(summary.effects.balances() && event.effects.balances());
    }

    #[test]
    fn a_late_completion_turns_a_lost_effect_into_a_done_one() {
        let mut ledger = Ledger::default();
        let id = ledger.open(SimTime::ZERO, 0, 0b10, 0);
        ledger.mark_lost(World::Sync, id, 1, Reason::Timeout);
        ledger.effect_done(World::Sync, id, 1, SimTime::ZERO);
        assert_eq!(ledger.summary(World::Sync).effects.done_once, 1);
    }

    #[test]
    fn folding_keeps_the_counts_and_bounds_the_window() {
        let mut ledger = Ledger::default();
        for _ in 0..10 {
            let id = ledger.open(SimTime::ZERO, 0, 0b10, 0);
            ledger.effect_done(World::Event, id, 1, SimTime::ZERO);
            ledger.respond(World::Event, id, false, 5);
        }
        let before = ledger.summary(World::Event);
        ledger.fold_settled(|id, _| id < 6);
        assert_eq!(ledger.open_len(), 4);
        assert_eq!(ledger.first_open(), 6);
        let after = ledger.summary(World::Event);
        assert_eq!(before, after);
        assert_eq!(
            after.inconsistent_requests, 10,
            "told failure but the effect happened"
        );
    }

    #[test]
    fn unexpected_work_counts_as_an_execution_only() {
        let mut ledger = Ledger::default();
        let id = ledger.open(SimTime::ZERO, 0, 0b10, 0);
        assert_eq!(ledger.effect_done(World::Event, id, 3, SimTime::ZERO), None);
        let summary = ledger.summary(World::Event);
        assert_eq!(summary.executions[3], 1);
        assert_eq!(summary.effects.expected, 1);
    }

    #[test]
    fn time_to_consistency_runs_from_the_answer_to_the_last_effect() {
        let mut ledger = Ledger::default();
        // Two effects expected (services 1 and 2), the user told "done" at 100 ms.
        let id = ledger.open(SimTime::ZERO, 0, 0b110, 0);
        ledger.respond(World::Event, id, true, 100_000);
        let pending = ledger.summary(World::Event).time_to_consistency_ms;
        assert_eq!(
            (pending.pending, pending.max),
            (1, 0.0),
            "told success, work still to do"
        );
        ledger.effect_done(World::Event, id, 1, SimTime::from_ms(250));
        ledger.effect_done(World::Event, id, 2, SimTime::from_ms(400));
        // A duplicate later changes nothing.
        ledger.effect_done(World::Event, id, 2, SimTime::from_ms(900));
        let done = ledger.summary(World::Event).time_to_consistency_ms;
        assert_eq!(done.pending, 0);
        // 300 ms after the answer; the histogram's resolution is about 3 %.
        assert!((done.max - 300.0).abs() < 1e-9, "{done:?}");
        // In the sync world the effects are done before the answer: zero.
        let id = ledger.open(SimTime::ZERO, 0, 0b10, 0);
        ledger.effect_done(World::Sync, id, 1, SimTime::from_ms(20));
        ledger.respond(World::Sync, id, true, 30_000);
        assert_eq!(ledger.summary(World::Sync).time_to_consistency_ms.max, 0.0);
    }
}
