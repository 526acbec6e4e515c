//! Consumer groups: instances, partition assignment, fetching, commits, rebalances, retries and the dead-letter queue.
//!
//! Each direct child of the entry service is a group. An instance takes one event
//! at a time from its partitions and runs the group's service on it (deeper
//! services are called synchronously, as real consumers do). Where the offset is
//! committed decides what a crash does: before processing loses the event, after
//! processing (or by the auto-commit timer) replays it.

use super::context::{Cx, Event, Outbox, Poll, Reply};
use super::ids::{GroupId, PartitionId};
use super::log::Log;
use super::scenario::CommitMode;
use super::time::SimTime;
use super::trace::{Reason, TraceKind, World};

mod fetch;

/// The event an instance is working on.
#[derive(Clone, Copy, Debug)]
pub struct InFlight {
    pub partition: u16,
    pub offset: u64,
    pub request: u64,
    pub attempts: u32,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub alive: bool,
    /// Bumped by every crash, so answers meant for a previous life are ignored.
    pub incarnation: u32,
    pub partitions: Vec<u16>,
    next: usize,
    pub busy: Option<InFlight>,
}

impl Instance {
    fn new(alive: bool) -> Instance {
        Instance {
            alive,
            incarnation: 0,
            partitions: Vec::new(),
            next: 0,
            busy: None,
        }
    }

    /// Stops this instance: answers meant for its current life are ignored from now on.
    fn stop(&mut self) {
        self.alive = false;
        self.incarnation += 1;
        self.busy = None;
        self.partitions.clear();
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

    /// The subscribed groups that have not committed `offset` of `partition`.
    pub(super) fn behind_offset(&self, partition: PartitionId, offset: u64) -> Vec<usize> {
        let p = partition.index();
        let behind = |g: &Group| g.subscribed && g.committed[p] <= offset;
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

    /// Every instance of the group dies: an event committed before processing is lost,
    /// and uncommitted progress is forgotten (so it will be processed again).
    pub(super) fn crash(&mut self, cx: &mut Cx, group: GroupId) {
        let service = group.index();
        let Some(group) = self.group(service) else {
            return;
        };
        let mut lost = Vec::new();
        for instance in &group.instances {
            if let Some(in_flight) = instance.busy.filter(|_| instance.alive)
                && group.committed[in_flight.partition as usize] > in_flight.offset
            {
                lost.push(in_flight.request);
            }
        }
        for request in lost {
            cx.mark_subtree_lost(
                World::Event,
                request,
                service,
                Reason::CommittedBeforeProcessing,
            );
        }
        let group = self.group_mut(service).expect("checked above");
        group.instances.iter_mut().for_each(Instance::stop);
        group.completed.clone_from(&group.committed);
        group.position.clone_from(&group.committed);
        group.owner.iter_mut().for_each(|o| *o = None);
    }

    /// Instances come back after a crash and rejoin the group.
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
        self.begin_rebalance(cx, service);
    }

    pub(super) fn scale(&mut self, cx: &mut Cx, group: GroupId, instances: u32, alive: bool) {
        let service = group.index();
        let Some(group) = self.group_mut(service) else {
            return;
        };
        let wanted = instances as usize;
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

    pub(super) fn on_rebalance_done(&mut self, cx: &mut Cx, group: GroupId, generation: u32) {
        let service = group.index();
        let auto = cx.scenario.event.commit == CommitMode::Auto;
        let Some(group) = self.group_mut(service) else {
            return;
        };
        if group.generation != generation || !group.subscribed {
            return;
        }
        group.rebalancing = false;
        if auto {
            for p in 0..group.committed.len() {
                group.committed[p] = group.committed[p].max(group.completed[p]);
            }
        }
        self.assign(cx, service);
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
