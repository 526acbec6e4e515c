//! How the parts hear each other: the engine routes each event to the part that owns it and
//! passes on what that part reports, so no part reads or writes another's fields.
//!
//! The log reports data made visible and entries deleted ([`LogNews`]); the groups ask for
//! their service to run on an event and for events to be parked ([`GroupNews`]). Each is
//! drained right after the call that produced it, in the order it happened.

use super::consumers::GroupNews;
use super::context::{Cx, Event, JobId, Poll};
use super::engine::Simulation;
use super::ids::{GroupId, PartitionId};
use super::log::LogNews;
use super::scenario::{ActionKind, StartFrom};
use super::services::{Health, ServiceNews, ServiceView, WorldState};
use super::trace::{Reason, World};

impl Simulation {
    /// A new leader for `partition`; producers still waiting for their ack resend to it.
    pub(super) fn on_leader_election(&mut self, partition: PartitionId) {
        let producers = &self.worlds[World::Event.index()];
        let calling: Vec<JobId> = self
            .log
            .awaiting_leader(partition)
            .filter(|&job| producers.is_calling(job))
            .collect();
        self.log
            .on_leader_election(&mut self.cx, partition, &calling);
        self.hear_log();
    }

    /// Passes on what the log reported: new data to the groups, deletions to the ledger.
    #[inline]
    pub(super) fn hear_log(&mut self) {
        if !self.log.news().is_empty() {
            self.pass_on_log_news();
        }
    }

    fn pass_on_log_news(&mut self) {
        let mut heard = self.log.news().take();
        for news in heard.drain(..) {
            match news {
                LogNews::Visible(partition) => self.groups.wake(&mut self.cx, partition),
                LogNews::Deleted {
                    partition,
                    offset,
                    request,
                } => {
                    // Groups that had not committed past the entry never will see it.
                    for service in self.groups.behind_offset(partition, offset) {
                        let lost = Reason::Retention;
                        self.cx
                            .mark_subtree_lost(World::Event, request, service, lost);
                    }
                }
            }
        }
        self.log.news().give_back(heard);
    }

    /// Passes on what the groups asked for: their service run on an event, events parked.
    #[inline]
    fn hear_groups(&mut self) {
        if !self.groups.news().is_empty() {
            self.pass_on_group_news();
        }
    }

    fn pass_on_group_news(&mut self) {
        let mut heard = self.groups.news().take();
        for news in heard.drain(..) {
            match news {
                GroupNews::Process {
                    service,
                    request,
                    kind,
                    reply,
                } => {
                    let events = &mut self.worlds[World::Event.index()];
                    let job = events.create_job(&mut self.cx, request, service, kind, reply);
                    let arrives = Event::CallArrives {
                        world: World::Event,
                        job,
                    };
                    self.cx.queue.push(self.cx.now + self.cx.latency(), arrives);
                }
                GroupNews::Park { request, group } => self.log.park(request, group),
            }
        }
        self.groups.news().give_back(heard);
    }

    /// Routes an event that belongs to one world's services, then passes on what they report.
    #[inline]
    pub(super) fn in_world(&mut self, world: World, handle: impl FnOnce(&mut WorldState, &mut Cx)) {
        handle(&mut self.worlds[world.index()], &mut self.cx);
        self.hear_services(world);
    }

    /// Passes on what a world's services reported: finished consumer jobs to their groups.
    #[inline]
    fn hear_services(&mut self, world: World) {
        if !self.worlds[world.index()].news().is_empty() {
            self.pass_on_service_news(world);
        }
    }

    fn pass_on_service_news(&mut self, world: World) {
        let mut heard = self.worlds[world.index()].news().take();
        for news in heard.drain(..) {
            match news {
                ServiceNews::ConsumerDone { poll, ok } => self.consumer_job_finished(poll, ok),
                ServiceNews::Outboxed { request, partition } => {
                    if !self.log.outbox_write(&mut self.cx, request, partition) {
                        // The outbox table is full: the row, and the request's effects, are lost.
                        let lost = Reason::Rejected;
                        self.cx.mark_subtree_lost(World::Event, request, 0, lost);
                    }
                }
            }
        }
        self.worlds[world.index()].news().give_back(heard);
    }

    /// Kills, hangs, slows or restores a service in one world; in the event world its
    /// consumer group crashes with it and rejoins when it restarts.
    pub(super) fn service_fault(
        &mut self,
        world: World,
        service: usize,
        kind: ActionKind,
        factor: f64,
    ) {
        let is_group = world == World::Event && self.cx.topology.is_group(service);
        let was_up = self.worlds[world.index()].health(service) == Health::Up;
        let restarts = kind == ActionKind::Restore && !was_up;
        if is_group && (kind == ActionKind::Kill || restarts) {
            self.groups
                .crash(&mut self.cx, &self.log, GroupId::of(service));
        }
        let producer = world == World::Event && service == 0;
        if producer && (kind == ActionKind::Kill || restarts) {
            self.cx.producer_epoch += 1;
        }
        self.in_world(world, |w, cx| w.apply_fault(cx, service, kind, factor));
        if is_group && restarts {
            self.groups.revive(&mut self.cx, GroupId::of(service));
        }
    }

    fn event_service_health(&self, service: usize) -> Health {
        self.worlds[World::Event.index()].health(service)
    }

    /// Routes one of the groups' events; a poll learns whether its service was killed.
    #[inline]
    pub(super) fn in_groups(&mut self, event: Event) {
        match event {
            Event::Poll(poll) => {
                let killed = self.event_service_health(poll.service()) == Health::Killed;
                self.groups.on_poll(&mut self.cx, &self.log, poll, killed);
            }
            Event::Reprocess(poll) => self.groups.on_reprocess(&mut self.cx, &self.log, poll),
            Event::RebalanceDone { group, generation } => {
                let groups = &mut self.groups;
                groups.on_rebalance_done(&mut self.cx, &self.log, group, generation);
            }
            Event::AutoCommit { group } => {
                self.groups.on_auto_commit(&mut self.cx, group);
            }
            Event::SessionsExpired { group, crashes } => {
                self.groups
                    .on_sessions_expired(&mut self.cx, group, crashes);
            }
            _ => {}
        }
        self.hear_groups();
    }

    /// A consumer's job tree has finished: the instance goes on or retries.
    pub(super) fn consumer_job_finished(&mut self, poll: Poll, ok: bool) {
        self.groups.job_finished(&mut self.cx, &self.log, poll, ok);
        self.hear_groups();
    }

    /// A group added at run time subscribes with no change to the producer.
    pub(super) fn subscribe_group(&mut self, service: usize, start: StartFrom) {
        let committed = self.start_from_offsets(start);
        let alive = self.event_service_health(service) == Health::Up;
        self.groups
            .subscribe(&mut self.cx, GroupId::of(service), committed, alive);
    }

    pub(super) fn scale_group(&mut self, service: usize, instances: u32) {
        let alive = self.event_service_health(service) == Health::Up;
        let group = GroupId::of(service);
        self.groups
            .scale(&mut self.cx, &self.log, group, instances, alive);
    }

    /// Where a new group starts reading, per partition.
    fn start_from_offsets(&self, start: StartFrom) -> Vec<u64> {
        let partitions = self.log.partitions().iter();
        let offset = |p: &super::log::Partition| match start {
            StartFrom::Earliest => p.start,
            StartFrom::Latest => p.end(),
        };
        partitions.map(offset).collect()
    }

    /// One service's state in one world, or None for an unknown index.
    pub fn service_view(&self, world: World, service: usize) -> Option<ServiceView> {
        self.worlds[world.index()].view(service)
    }

    /// Total lag of a subscribed group: visible events not yet committed, over all partitions.
    pub fn group_lag(&self, service: usize) -> Option<u64> {
        self.groups.lag(&self.log, service)
    }

    /// Events a subscribed group has not processed yet, over all partitions. Unlike lag,
    /// this ignores whether processed events have been committed.
    pub fn group_unprocessed(&self, service: usize) -> Option<u64> {
        self.groups.unprocessed(&self.log, service)
    }
}
