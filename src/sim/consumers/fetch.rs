//! Fetching and processing: an instance polls its partitions, runs the group's service on
//! an event, and commits, retries or parks it.

use crate::sim::context::{Cx, Event, Poll, Reply};
use crate::sim::ids::GroupId;
use crate::sim::log::Log;
use crate::sim::scenario::CommitMode;
use crate::sim::time::SimTime;
use crate::sim::trace::{Reason, TraceKind, World};

use super::{Batch, GroupNews, Groups, InFlight, Instance, trace_commit};

impl Groups {
    /// The instance, if it is alive and still the incarnation an event was meant for.
    pub(super) fn live_instance(
        &self,
        service: usize,
        index: usize,
        incarnation: u32,
    ) -> Option<&Instance> {
        self.group(service)?
            .instances
            .get(index)
            .filter(|instance| instance.alive && instance.incarnation == incarnation)
    }

    /// An instance goes on with its batch, or polls a new one: up to `max_poll_records`
    /// events from the next of its partitions (round-robin) that has any.
    pub(in crate::sim) fn on_poll(&mut self, cx: &mut Cx, log: &Log, poll: Poll, killed: bool) {
        let (service, index) = (poll.service(), poll.index());
        if killed {
            return;
        }
        let Some(instance) = self.live_instance(service, index, poll.incarnation) else {
            return;
        };
        if instance.busy.is_some() {
            return;
        }
        if let Some(batch) = instance.batch.filter(|b| b.next < b.end) {
            self.start_event(cx, log, service, index, batch);
            return;
        }
        let Some((slot, p, from)) = self.next_fetch(log, poll) else {
            return;
        };
        let wanted = u64::from(cx.scenario.event.max_poll_records.max(1));
        let end = log.partitions()[p].high_watermark.min(from + wanted);
        let commit_first = cx.scenario.event.commit == CommitMode::BeforeProcessing;
        let group = self.group_mut(service).expect("checked above");
        group.position[p] = end;
        let commits = commit_first && group.committed[p] < end;
        if commits {
            group.committed[p] = end;
        }
        let instance = &mut group.instances[index];
        instance.next = slot + 1;
        let batch = Batch {
            partition: p as u16,
            from,
            next: from,
            end,
        };
        instance.batch = Some(batch);
        if commits {
            trace_commit(cx, service, p as u16, end);
        }
        self.start_event(cx, log, service, index, batch);
    }

    /// The instance starts on the next event of its batch. One that retention deleted
    /// meanwhile was counted lost when it went, and is skipped.
    fn start_event(&mut self, cx: &mut Cx, log: &Log, service: usize, index: usize, batch: Batch) {
        let p = batch.partition as usize;
        let offset = batch.next;
        let entry = log.partitions()[p].entry(offset).copied();
        let group = self.group_mut(service).expect("checked by the caller");
        let instance = &mut group.instances[index];
        let Some(entry) = entry else {
            instance.batch = Some(Batch {
                next: offset + 1,
                ..batch
            });
            let incarnation = instance.incarnation;
            let poll = Poll {
                group: GroupId::of(service),
                instance: index as u8,
                incarnation,
            };
            cx.queue.push(cx.now, Event::Poll(poll));
            return;
        };
        instance.busy = Some(InFlight {
            partition: batch.partition,
            offset,
            request: entry.request(),
            attempts: 0,
        });
        let redelivery = offset < group.fetched_high[p];
        group.fetched_high[p] = group.fetched_high[p].max(offset + 1);
        if redelivery {
            group.redeliveries += 1;
        }
        let fetched = TraceKind::Fetched {
            request: entry.request(),
            group: service as u8,
            instance: index as u8,
            partition: batch.partition,
            offset,
            redelivery,
            batch: batch.len().min(u64::from(u16::MAX)) as u16,
        };
        cx.record(World::Event, fetched);
        self.process_in_flight(cx, log, service, index);
    }

    /// The instance's next poll, round-robin over its partitions, if it may poll now:
    /// (slot in its assignment, partition, offset).
    fn next_fetch(&self, log: &Log, poll: Poll) -> Option<(usize, usize, u64)> {
        let instance = self.live_instance(poll.service(), poll.index(), poll.incarnation)?;
        let group = self.group(poll.service())?;
        let stalled = group.rebalancing || group.sessions_expire_at.is_some();
        if !group.subscribed || stalled || instance.busy.is_some() {
            return None;
        }
        let count = instance.partitions.len();
        (0..count).find_map(|step| {
            let slot = (instance.next + step) % count;
            let p = instance.partitions[slot] as usize;
            let part = &log.partitions()[p];
            let position = group.position[p].max(part.start);
            (log.leader_up(p) && position < part.high_watermark).then_some((slot, p, position))
        })
    }

    /// Runs the group's service on the instance's current event (again, after a failure).
    pub(super) fn process_in_flight(
        &mut self,
        cx: &mut Cx,
        log: &Log,
        service: usize,
        index: usize,
    ) {
        let Some(group) = self.group(service) else {
            return;
        };
        let instance = &group.instances[index];
        let Some(in_flight) = instance.busy else {
            return;
        };
        let incarnation = instance.incarnation;
        let p = in_flight.partition as usize;
        let poison = log.partitions()[p]
            .entry(in_flight.offset)
            .is_some_and(|e| e.poison());
        let unreadable = self.in_flight_unreadable(cx, log, service, index);
        if unreadable
            && in_flight.attempts == 0
            && let Some(group) = self.group_mut(service)
        {
            group.unreadable += 1;
        }
        if poison || unreadable {
            self.processing_failed(cx, log, service, index);
            return;
        }
        let kind = cx
            .ledger
            .record(in_flight.request)
            .map(|r| r.kind)
            .unwrap_or(0);
        if cx.topology.kind_touches[kind as usize] & (1 << service) == 0 {
            // Not this service's business (a login, for the email group): skipped on sight.
            self.processing_succeeded(cx, log, service, index);
            return;
        }
        let group = GroupId::of(service);
        let instance = index as u8;
        let reply = Reply::Consumer(Poll {
            group,
            instance,
            incarnation,
        });
        self.news.push(GroupNews::Process {
            service,
            request: in_flight.request,
            kind,
            reply,
        });
    }

    pub(in crate::sim) fn job_finished(&mut self, cx: &mut Cx, log: &Log, poll: Poll, ok: bool) {
        let (service, index, incarnation) = (poll.service(), poll.index(), poll.incarnation);
        let busy = self
            .live_instance(service, index, incarnation)
            .is_some_and(|i| i.busy.is_some());
        if !busy {
            return;
        }
        if ok {
            self.processing_succeeded(cx, log, service, index);
        } else {
            self.processing_failed(cx, log, service, index);
        }
    }

    pub(super) fn processing_succeeded(
        &mut self,
        cx: &mut Cx,
        log: &Log,
        service: usize,
        index: usize,
    ) {
        let commit_after = cx.scenario.event.commit == CommitMode::AfterProcessing;
        let Some(group) = self.group_mut(service) else {
            return;
        };
        let instance = &mut group.instances[index];
        let Some(in_flight) = instance.busy.take() else {
            return;
        };
        let next = in_flight.offset + 1;
        let batch_end = match instance.batch.as_mut() {
            Some(batch) => {
                batch.next = next;
                (next >= batch.end).then_some(batch.end)
            }
            None => Some(next),
        };
        let p = in_flight.partition as usize;
        group.completed[p] = group.completed[p].max(next);
        group.processed += 1;
        let published_at = log.partitions()[p]
            .entry(in_flight.offset)
            .map(|entry| entry.appended_at());
        let Some(group) = self.group_mut(service) else {
            return;
        };
        if let Some(published_at) = published_at {
            if published_at < group.newest_processed_at {
                group.out_of_order += 1;
            }
            group.newest_processed_at = group.newest_processed_at.max(published_at);
        }
        // After processing, the commit follows the whole batch, as a poll loop's does.
        let commit_to = batch_end.filter(|&end| commit_after && group.committed[p] < end);
        if let Some(end) = commit_to {
            group.committed[p] = end;
        }
        let incarnation = group.instances[index].incarnation;
        let processed = TraceKind::Processed {
            request: in_flight.request,
            group: service as u8,
            partition: in_flight.partition,
            offset: in_flight.offset,
            ok: true,
        };
        cx.record(World::Event, processed);
        if let Some(end) = commit_to {
            trace_commit(cx, service, in_flight.partition, end);
        }
        cx.queue.push(
            cx.now,
            Event::Poll(Poll {
                group: GroupId::of(service),
                instance: index as u8,
                incarnation,
            }),
        );
        if batch_end.is_some() {
            self.batch_ended(cx, service);
        }
    }

    /// Retry with backoff; after the last attempt, park in the DLQ if there is one,
    /// otherwise keep retrying: the event blocks its partition.
    pub(super) fn processing_failed(
        &mut self,
        cx: &mut Cx,
        log: &Log,
        service: usize,
        index: usize,
    ) {
        let max_attempts = cx.scenario.event.max_processing_attempts;
        let unreadable = self.in_flight_unreadable(cx, log, service, index);
        let dlq = cx.scenario.event.dlq;
        let retry = cx.scenario.sync.retry.clone();
        let Some(group) = self.group_mut(service) else {
            return;
        };
        let instance = &mut group.instances[index];
        let incarnation = instance.incarnation;
        let Some(in_flight) = instance.busy.as_mut() else {
            return;
        };
        in_flight.attempts += 1;
        let in_flight = *in_flight;
        let processed = TraceKind::Processed {
            request: in_flight.request,
            group: service as u8,
            partition: in_flight.partition,
            offset: in_flight.offset,
            ok: false,
        };
        cx.record(World::Event, processed);
        if in_flight.attempts >= max_attempts && dlq {
            self.news.push(GroupNews::Park {
                request: in_flight.request,
                group: service as u8,
            });
            let parked = TraceKind::DeadLettered {
                request: in_flight.request,
                group: service as u8,
                partition: in_flight.partition,
                offset: in_flight.offset,
            };
            cx.record(World::Event, parked);
            // An event of a version the group cannot read is lost to the schema change.
            let reason = if unreadable {
                Reason::Schema
            } else {
                Reason::DeadLetter
            };
            cx.mark_subtree_lost(World::Event, in_flight.request, service, reason);
            self.processing_succeeded(cx, log, service, index);
            return;
        }
        // At least 1 ms, so a zero backoff cannot spin on one event; no jitter, as a
        // consumer retries one event in place.
        let wait_ms = retry.wait_ms(in_flight.attempts, 1.0);
        let retry_at = cx.now + SimTime::from_ms_f64(wait_ms);
        cx.queue.push(
            retry_at,
            Event::Reprocess(Poll {
                group: GroupId::of(service),
                instance: index as u8,
                incarnation,
            }),
        );
    }

    /// Whether the instance's current event is of a version its group cannot read.
    fn in_flight_unreadable(&self, cx: &Cx, log: &Log, service: usize, index: usize) -> bool {
        let Some(in_flight) = self.group(service).and_then(|g| g.instances[index].busy) else {
            return false;
        };
        log.partitions()[in_flight.partition as usize]
            .entry(in_flight.offset)
            .is_some_and(|e| !cx.schemas.can_read(service, e.version()))
    }

    pub(in crate::sim) fn on_reprocess(&mut self, cx: &mut Cx, log: &Log, poll: Poll) {
        let (service, index, incarnation) = (poll.service(), poll.index(), poll.incarnation);
        let Some(in_flight) = self
            .live_instance(service, index, incarnation)
            .and_then(|i| i.busy)
        else {
            return;
        };
        let batch = self
            .live_instance(service, index, incarnation)
            .and_then(|i| i.batch)
            .map_or(1, |b| b.len().min(u64::from(u16::MAX)) as u16);
        let redelivered = TraceKind::Fetched {
            request: in_flight.request,
            group: service as u8,
            instance: index as u8,
            partition: in_flight.partition,
            offset: in_flight.offset,
            redelivery: true,
            batch,
        };
        cx.record(World::Event, redelivered);
        self.process_in_flight(cx, log, service, index);
    }
}
