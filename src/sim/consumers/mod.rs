//! Consumer groups: instances, partition assignment, fetching, commits, rebalances, retries and the dead-letter queue.
//!
//! Each direct child of the entry service is a group. An instance polls a batch of up to
//! `max_poll_records` events from one of its partitions, then runs the group's service on
//! each in order (deeper services are called synchronously, as real consumers do). Where
//! the offset is committed decides what a crash does: before processing loses the rest of
//! the batch, after processing (or by the auto-commit timer) replays it. A crashed
//! instance keeps its partitions until its session times out; a graceful leave does not.

use super::context::{Cx, Event, Outbox, Poll, Reply};
use super::ids::{GroupId, PartitionId};
use super::log::Log;
use super::scenario::CommitMode;
use super::time::SimTime;
use super::trace::{Reason, TraceKind, World};

mod fetch;

/// Kafka's `max.poll.interval.ms` default: a member that has not polled again by then
/// is dropped from the group.
const MAX_POLL_INTERVAL_MS: u64 = 300_000;

/// The event an instance is working on.
#[derive(Clone, Copy, Debug)]
pub struct InFlight {
    pub partition: u16,
    pub offset: u64,
    pub request: u64,
    pub attempts: u32,
}

/// What one poll returned, held in the instance's memory: offsets `next..end` of one
/// partition are still to be processed. Kafka hands a poll's records over at once, so
/// neither a rebalance nor retention takes them back; only a crash does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Batch {
    pub partition: u16,
    /// The first offset the poll returned.
    pub from: u64,
    pub next: u64,
    pub end: u64,
}

impl Batch {
    pub fn len(&self) -> u64 {
        self.end - self.from
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.from
    }
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub alive: bool,
    /// Bumped by every crash, so answers meant for a previous life are ignored.
    pub incarnation: u32,
    pub partitions: Vec<u16>,
    next: usize,
    pub busy: Option<InFlight>,
    pub batch: Option<Batch>,
}

impl Instance {
    fn new(alive: bool) -> Instance {
        Instance {
            alive,
            incarnation: 0,
            partitions: Vec::new(),
            next: 0,
            busy: None,
            batch: None,
        }
    }

    /// Stops this instance: answers meant for its current life are ignored from now on.
    fn stop(&mut self) {
        self.alive = false;
        self.incarnation += 1;
        self.busy = None;
        self.batch = None;
        self.partitions.clear();
    }

    /// The offsets of its batch it has not finished, the one in progress included.
    pub fn unfinished(&self) -> Option<(usize, std::ops::Range<u64>)> {
        let batch = self.batch.filter(|_| self.alive)?;
        let from = self.busy.map_or(batch.next, |b| b.offset);
        (from < batch.end).then_some((batch.partition as usize, from..batch.end))
    }
}

/// One consumer group (one downstream service) and its offsets per partition.
#[derive(Clone, Debug)]
pub struct Group {
    pub service: u8,
    pub subscribed: bool,
    pub instances: Vec<Instance>,
    pub generation: u32,
    pub rebalancing: bool,
    /// Durable: where the group resumes after a crash or rebalance.
    pub committed: Vec<u64>,
    /// In memory: the next offset to fetch.
    pub position: Vec<u64>,
    /// Processed up to here (what auto-commit commits).
    pub completed: Vec<u64>,
    /// One past the highest offset ever fetched, to tell a redelivery from a first delivery.
    pub fetched_high: Vec<u64>,
    pub owner: Vec<Option<u8>>,
    pub processed: u64,
    pub redeliveries: u64,
    /// Publish time of the newest event this group has processed.
    pub newest_processed_at: SimTime,
    /// Events processed after one that was published later: order is kept per
    /// partition (so per key), never across partitions.
    pub out_of_order: u64,
    /// An auto-commit tick is queued, so switching to auto-commit mid-run never queues two.
    pub auto_commit_armed: bool,
    /// Crashed members still hold their partitions until then: nothing is fetched, and
    /// members that restart in the meantime wait for the rebalance at expiry.
    pub sessions_expire_at: Option<SimTime>,
    /// Counts crashes, so an expiry meant for an earlier crash is ignored.
    crashes: u32,
    /// Events redelivered or lost because an instance died mid-batch.
    pub cut_from_polls: u64,
    /// A rebalance waiting for members to finish their batches gives up on them then.
    rebalance_deadline: Option<SimTime>,
    /// Events it met of a version it could not read (each counted once).
    pub unreadable: u64,
}

impl Group {
    /// Bytes of the group's state: its per-partition offsets and its instances.
    pub fn approx_bytes(&self) -> usize {
        let per_partition = 4 * 8 + 2;
        let instances: usize = self
            .instances
            .iter()
            .map(|i| size_of::<Instance>() + i.partitions.capacity() * 2)
            .sum();
        size_of::<Group>() + self.committed.len() * per_partition + instances
    }

    fn new(service: usize, instances: u32, alive: bool, committed: Vec<u64>) -> Group {
        let partitions = committed.len();
        Group {
            service: service as u8,
            subscribed: true,
            instances: (0..instances).map(|_| Instance::new(alive)).collect(),
            generation: 0,
            rebalancing: false,
            position: committed.clone(),
            completed: committed.clone(),
            fetched_high: committed.clone(),
            committed,
            owner: vec![None; partitions],
            processed: 0,
            redeliveries: 0,
            newest_processed_at: SimTime::ZERO,
            out_of_order: 0,
            auto_commit_armed: false,
            sessions_expire_at: None,
            crashes: 0,
            cut_from_polls: 0,
            rebalance_deadline: None,
            unreadable: 0,
        }
    }

    pub fn alive_instances(&self) -> usize {
        self.instances.iter().filter(|i| i.alive).count()
    }

    /// Alive instances that own at least one partition.
    pub fn active_instances(&self) -> usize {
        self.instances
            .iter()
            .filter(|i| i.alive && !i.partitions.is_empty())
            .count()
    }
}

/// The consumer groups, one per direct child of the entry: a part that owns its state.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    by_service: Vec<Option<Group>>,
    news: Outbox<GroupNews>,
}

/// What the rest of the run must do for the groups, in order; drained by the engine.
#[derive(Clone, Copy, Debug)]
pub(super) enum GroupNews {
    /// Run the group's service on an event: a job in the event world that answers `reply`.
    Process {
        service: usize,
        request: u64,
        kind: u8,
        reply: Reply,
    },
    /// Park an event in the dead-letter queue.
    Park { request: u64, group: u8 },
}

impl Groups {
    /// What this part has reported since the engine last listened.
    #[inline]
    pub(super) fn news(&mut self) -> &mut Outbox<GroupNews> {
        &mut self.news
    }

    pub fn get(&self, service: usize) -> Option<&Group> {
        self.group(service)
    }

    /// Service numbers that are subscribed groups, or were.
    pub fn services(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.by_service.len()).filter(|&s| self.by_service[s].is_some())
    }

    pub fn len(&self) -> usize {
        self.by_service.len()
    }

    pub fn approx_bytes(&self) -> usize {
        let groups = self.by_service.iter().flatten().map(Group::approx_bytes);
        groups.sum::<usize>() + self.by_service.capacity() * size_of::<Option<Group>>()
    }

    fn group(&self, service: usize) -> Option<&Group> {
        self.by_service.get(service).and_then(|g| g.as_ref())
    }

    fn group_mut(&mut self, service: usize) -> Option<&mut Group> {
        self.by_service.get_mut(service).and_then(|g| g.as_mut())
    }

    /// Groups that exist at time zero start at the beginning of the (empty) log, already assigned.
    pub(super) fn start(&mut self, cx: &mut Cx, partitions: usize) {
        self.by_service = (0..cx.topology.len()).map(|_| None).collect();
        for service in 1..cx.topology.len() {
            if !cx.topology.is_group(service) {
                continue;
            }
            let instances = cx
                .scenario
                .event
                .consumers
                .instances_for(cx.topology.name(service));
            self.by_service[service] =
                Some(Group::new(service, instances, true, vec![0; partitions]));
            self.assign(cx, service);
            self.schedule_auto_commit(cx, service);
        }
    }

    /// A group added at run time subscribes with no change to the producer.
    pub(super) fn subscribe(
        &mut self,
        cx: &mut Cx,
        group: GroupId,
        committed: Vec<u64>,
        alive: bool,
    ) {
        let service = group.index();
        let instances = cx
            .scenario
            .event
            .consumers
            .instances_for(cx.topology.name(service));
        if self.by_service.len() <= service {
            self.by_service.resize(service + 1, None);
        }
        self.by_service[service] = Some(Group::new(service, instances, alive, committed));
        self.begin_rebalance(cx, service);
        self.schedule_auto_commit(cx, service);
    }

    pub(super) fn unsubscribe(&mut self, group: GroupId) {
        let service = group.index();
        if let Some(group) = self.group_mut(service) {
            group.subscribed = false;
            group.instances.iter_mut().for_each(Instance::stop);
        }
    }

    fn schedule_auto_commit(&mut self, cx: &mut Cx, service: usize) {
        if cx.scenario.event.commit == CommitMode::Auto {
            let Some(group) = self.group_mut(service) else {
                return;
            };
            if group.auto_commit_armed {
                return;
            }
            group.auto_commit_armed = true;
            let interval = SimTime::from_ms_f64(cx.scenario.event.auto_commit_interval_ms);
            cx.queue.push(
                cx.now + interval,
                Event::AutoCommit {
                    group: GroupId::of(service),
                },
            );
        }
    }

    /// Total lag of a subscribed group: visible events not yet committed, over all partitions.
    pub fn lag(&self, log: &Log, service: usize) -> Option<u64> {
        self.behind(log, service, |g| &g.committed)
    }

    /// Events a subscribed group has not processed yet, over all partitions. Unlike lag,
    /// this ignores whether processed events have been committed.
    pub fn unprocessed(&self, log: &Log, service: usize) -> Option<u64> {
        self.behind(log, service, |g| &g.completed)
    }

    /// Visible events past a subscribed group's per-partition `position`, over all partitions.
    fn behind(&self, log: &Log, service: usize, position: fn(&Group) -> &Vec<u64>) -> Option<u64> {
        let group = self.group(service).filter(|g| g.subscribed)?;
        let partitions = log.partitions().iter().zip(position(group));
        Some(
            partitions
                .map(|(p, &at)| p.high_watermark.saturating_sub(at.max(p.start)))
                .sum(),
        )
    }

    /// The subscribed groups that have not committed `offset` of `partition`, or have
    /// committed it unread (before processing): they will never see it once it is deleted.
    pub(super) fn behind_offset(&self, partition: PartitionId, offset: u64) -> Vec<usize> {
        let p = partition.index();
        let behind = |g: &Group| g.subscribed && g.committed[p].min(g.completed[p]) <= offset;
        (0..self.by_service.len())
            .filter(|&service| self.group(service).is_some_and(behind))
            .collect()
    }

    /// New data on `partition`: idle owners fetch it.
    pub(super) fn wake(&self, cx: &mut Cx, partition: PartitionId) {
        let p = partition.index();
        for service in 0..self.by_service.len() {
            let Some(group) = self.group(service) else {
                continue;
            };
            if !group.subscribed || group.rebalancing {
                continue;
            }
            let Some(owner) = group.owner[p] else {
                continue;
            };
            let instance = &group.instances[owner as usize];
            if instance.alive && instance.busy.is_none() {
                let incarnation = instance.incarnation;
                cx.queue.push(
                    cx.now,
                    Event::Poll(Poll {
                        group: GroupId::of(service),
                        instance: owner,
                        incarnation,
                    }),
                );
            }
        }
    }

    /// Every instance of the group dies. The rest of each batch committed before processing
    /// is lost; uncommitted progress is forgotten (so it will be processed again). The
    /// group notices only when the members' sessions time out: until then their partitions
    /// stall, even if the service restarts.
    pub(super) fn crash(&mut self, cx: &mut Cx, log: &Log, group: GroupId) {
        let service = group.index();
        let Some(group) = self.group(service) else {
            return;
        };
        if group.alive_instances() == 0 {
            // Already down: a second crash must not restart the session clock.
            return;
        }
        let abandoned: Vec<_> = group
            .instances
            .iter()
            .filter_map(Instance::unfinished)
            .collect();
        self.abandon(cx, log, service, &abandoned);
        let timeout = SimTime::from_ms_f64(cx.scenario.event.session_timeout_ms);
        let group = self.group_mut(service).expect("checked above");
        group.instances.iter_mut().for_each(Instance::stop);
        group.completed.clone_from(&group.committed);
        group.position.clone_from(&group.committed);
        if group.sessions_expire_at.is_some() {
            // Restarted members that die before the old sessions expire never held a
            // partition; the rebalance at expiry simply finds them gone.
            return;
        }
        group.crashes += 1;
        group.sessions_expire_at = Some(cx.now + timeout);
        let crashes = group.crashes;
        let expiry = Event::SessionsExpired {
            group: GroupId::of(service),
            crashes,
        };
        cx.queue.push(cx.now + timeout, expiry);
    }

    /// Batches their instances will never finish: offsets committed unread are lost for
    /// good; the others are fetched again from the committed offset.
    fn abandon(
        &mut self,
        cx: &mut Cx,
        log: &Log,
        service: usize,
        batches: &[(usize, std::ops::Range<u64>)],
    ) {
        let Some(group) = self.group_mut(service) else {
            return;
        };
        let mut lost = Vec::new();
        for (p, range) in batches {
            let committed = group.committed[*p];
            group.cut_from_polls += range.end - range.start;
            let unread = range.start..range.end.min(committed);
            let entries = &log.partitions()[*p];
            lost.extend(unread.filter_map(|o| entries.entry(o).map(|e| e.request())));
        }
        for request in lost {
            let reason = Reason::CommittedBeforeProcessing;
            cx.mark_subtree_lost(World::Event, request, service, reason);
        }
    }

    /// The crashed members' sessions time out: the group rebalances over whoever is alive.
    pub(super) fn on_sessions_expired(&mut self, cx: &mut Cx, group: GroupId, crashes: u32) {
        let service = group.index();
        let Some(group) = self.group_mut(service) else {
            return;
        };
        if group.crashes != crashes || group.sessions_expire_at.is_none() {
            return;
        }
        group.sessions_expire_at = None;
        group.owner.iter_mut().for_each(|o| *o = None);
        if group.subscribed {
            self.begin_rebalance(cx, service);
        }
    }

    /// Instances come back after a crash under new member ids. They join at once if the
    /// old members' sessions have expired; otherwise they wait for that rebalance.
    pub(super) fn revive(&mut self, cx: &mut Cx, group: GroupId) {
        let service = group.index();
        let Some(group) = self.group_mut(service) else {
            return;
        };
        if !group.subscribed {
            return;
        }
        for instance in &mut group.instances {
            instance.alive = true;
        }
        if group.sessions_expire_at.is_none() {
            self.begin_rebalance(cx, service);
        }
    }

    /// A graceful change of size: instances that leave say so, and the group rebalances at
    /// once. A leaving instance stops mid-batch, as a shutdown without a final commit does.
    pub(super) fn scale(
        &mut self,
        cx: &mut Cx,
        log: &Log,
        group: GroupId,
        instances: u32,
        alive: bool,
    ) {
        let service = group.index();
        let wanted = instances as usize;
        let Some(group) = self.group(service) else {
            return;
        };
        let leaving: Vec<_> = group
            .instances
            .iter()
            .skip(wanted)
            .filter_map(Instance::unfinished)
            .collect();
        self.abandon(cx, log, service, &leaving);
        let group = self.group_mut(service).expect("checked above");
        while group.instances.len() > wanted {
            group.instances.pop();
        }
        while group.instances.len() < wanted {
            group
                .instances
                .push(Instance::new(alive && group.subscribed));
        }
        self.begin_rebalance(cx, service);
    }

    /// Stops fetching for `rebalance_ms`; with auto-commit, progress is committed on revoke.
    fn begin_rebalance(&mut self, cx: &mut Cx, service: usize) {
        let auto = cx.scenario.event.commit == CommitMode::Auto;
        let pause = SimTime::from_ms_f64(cx.scenario.event.rebalance_ms);
        let Some(group) = self.group_mut(service) else {
            return;
        };
        group.generation += 1;
        group.rebalancing = true;
        group.rebalance_deadline = None;
        if auto {
            group.committed.clone_from(&group.completed);
        }
        let generation = group.generation;
        cx.queue.push(
            cx.now + pause,
            Event::RebalanceDone {
                group: GroupId::of(service),
                generation,
            },
        );
    }

    pub(super) fn on_rebalance_done(
        &mut self,
        cx: &mut Cx,
        log: &Log,
        group: GroupId,
        generation: u32,
    ) {
        let service = group.index();
        let Some(group) = self.group_mut(service) else {
            return;
        };
        // Also stale once the rebalance finished early, when the last poll in hand ended.
        if group.generation != generation || !group.subscribed || !group.rebalancing {
            return;
        }
        if group.sessions_expire_at.is_some() {
            // The coordinator still waits for the crashed members; expiry rebalances again.
            return;
        }
        let unfinished: Vec<_> = group
            .instances
            .iter()
            .filter_map(Instance::unfinished)
            .collect();
        if unfinished.is_empty() {
            self.finish_rebalance(cx, service);
            return;
        }
        match group.rebalance_deadline {
            // Members rejoin from their next poll, so the rebalance waits for their batches;
            // one still busy at `max.poll.interval.ms` is dropped with what it had left.
            None => {
                let deadline = cx.now + SimTime::from_ms(MAX_POLL_INTERVAL_MS);
                group.rebalance_deadline = Some(deadline);
                let done = Event::RebalanceDone {
                    group: GroupId::of(service),
                    generation,
                };
                cx.queue.push(deadline, done);
            }
            Some(deadline) if cx.now >= deadline => {
                let group = self.group_mut(service).expect("checked above");
                for instance in &mut group.instances {
                    instance.busy = None;
                    instance.batch = None;
                }
                self.abandon(cx, log, service, &unfinished);
                self.finish_rebalance(cx, service);
            }
            Some(_) => {}
        }
    }

    /// Every member has rejoined: partitions are assigned anew.
    fn finish_rebalance(&mut self, cx: &mut Cx, service: usize) {
        let auto = cx.scenario.event.commit == CommitMode::Auto;
        let Some(group) = self.group_mut(service) else {
            return;
        };
        group.rebalancing = false;
        group.rebalance_deadline = None;
        if auto {
            for p in 0..group.committed.len() {
                group.committed[p] = group.committed[p].max(group.completed[p]);
            }
        }
        self.assign(cx, service);
    }

    /// A batch ended: if a rebalance was waiting for it and was the last, it completes.
    pub(super) fn batch_ended(&mut self, cx: &mut Cx, service: usize) {
        let Some(group) = self.group(service) else {
            return;
        };
        let waiting = group.rebalancing && group.rebalance_deadline.is_some();
        if waiting && group.instances.iter().all(|i| i.unfinished().is_none()) {
            self.finish_rebalance(cx, service);
        }
    }

    /// Round-robin assignment of partitions to alive instances; extra instances sit idle.
    fn assign(&mut self, cx: &mut Cx, service: usize) {
        let Some(group) = self.group_mut(service) else {
            return;
        };
        let alive: Vec<usize> = (0..group.instances.len())
            .filter(|&i| group.instances[i].alive)
            .collect();
        for instance in &mut group.instances {
            instance.partitions.clear();
            instance.next = 0;
        }
        let partitions = group.committed.len();
        for p in 0..partitions {
            group.owner[p] = if alive.is_empty() {
                None
            } else {
                Some(alive[p % alive.len()] as u8)
            };
            if let Some(owner) = group.owner[p] {
                group.instances[owner as usize].partitions.push(p as u16);
            }
            group.position[p] = group.committed[p];
        }
        let active = group.active_instances() as u8;
        let polls: Vec<(u8, u32)> = alive
            .iter()
            .map(|&i| (i as u8, group.instances[i].incarnation))
            .collect();
        cx.record(
            World::Event,
            TraceKind::Rebalanced {
                group: service as u8,
                instances: active,
            },
        );
        for (instance, incarnation) in polls {
            cx.queue.push(
                cx.now,
                Event::Poll(Poll {
                    group: GroupId::of(service),
                    instance,
                    incarnation,
                }),
            );
        }
    }

    /// Arms auto-commit ticks for every group, after a `configure` switched to auto-commit.
    pub(super) fn arm_auto_commits(&mut self, cx: &mut Cx) {
        for service in 1..self.by_service.len() {
            if self.group(service).is_some_and(|g| g.subscribed) {
                self.schedule_auto_commit(cx, service);
            }
        }
    }

    pub(super) fn on_auto_commit(&mut self, cx: &mut Cx, group: GroupId) {
        let service = group.index();
        let auto = cx.scenario.event.commit == CommitMode::Auto;
        let Some(group) = self.group_mut(service) else {
            return;
        };
        group.auto_commit_armed = false;
        if !group.subscribed || !auto {
            return;
        }
        let mut commits = Vec::new();
        for p in 0..group.committed.len() {
            if group.completed[p] > group.committed[p] {
                group.committed[p] = group.completed[p];
                commits.push((p as u16, group.completed[p]));
            }
        }
        for (partition, offset) in commits {
            trace_commit(cx, service, partition, offset);
        }
        self.schedule_auto_commit(cx, service);
    }
}

/// A group's commit of `partition` up to `offset`, in the trace.
fn trace_commit(cx: &mut Cx, service: usize, partition: u16, offset: u64) {
    let group = service as u8;
    let committed = TraceKind::Committed {
        group,
        partition,
        offset,
    };
    cx.record(World::Event, committed);
}
