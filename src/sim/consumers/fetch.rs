//! Fetching and processing: an instance polls its partitions, runs the group's service on
//! an event, and commits, retries or parks it.

use crate::sim::context::{Cx, Event, Poll, Reply};
use crate::sim::ids::GroupId;
use crate::sim::log::Log;
use crate::sim::scenario::CommitMode;
use crate::sim::time::SimTime;
use crate::sim::trace::{Reason, TraceKind, World};

use super::{GroupNews, Groups, InFlight, Instance, trace_commit};

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

    /// An instance looks for its next event, round-robin over its partitions.
    pub(in crate::sim) fn on_poll(&mut self, cx: &mut Cx, log: &Log, poll: Poll, killed: bool) {
        let (service, index) = (poll.service(), poll.index());
        if killed {
            return;
        }
        let Some((slot, p, offset)) = self.next_fetch(log, poll) else {
            return;
        };
        let entry = *log.partitions()[p]
            .entry(offset)
            .expect("offset inside the log");
        let commit_first = cx.scenario.event.commit == CommitMode::BeforeProcessing;
        let group = self.group_mut(service).expect("checked above");
        let instance = &mut group.instances[index];
        instance.next = slot + 1;
        instance.busy = Some(InFlight {
            partition: p as u16,
            offset,
            request: entry.request(),
            attempts: 0,
        });
        let redelivery = offset < group.fetched_high[p];
        group.fetched_high[p] = group.fetched_high[p].max(offset + 1);
        group.position[p] = offset + 1;
        if redelivery {
            group.redeliveries += 1;
        }
        if commit_first && group.committed[p] <= offset {
            group.committed[p] = offset + 1;
        }
        let fetched = TraceKind::Fetched {
            request: entry.request(),
            group: service as u8,
            instance: index as u8,
            partition: p as u16,
            offset,
            redelivery,
        };
        cx.record(World::Event, fetched);
        if commit_first {
            trace_commit(cx, service, p as u16, offset + 1);
        }
        self.process_in_flight(cx, log, service, index);
    }

    /// The instance's next event, round-robin over its partitions, if it may fetch now:
    /// (slot in its assignment, partition, offset).
    fn next_fetch(&self, log: &Log, poll: Poll) -> Option<(usize, usize, u64)> {
        let instance = self.live_instance(poll.service(), poll.index(), poll.incarnation)?;
        let group = self.group(poll.service())?;
        if !group.subscribed || group.rebalancing || instance.busy.is_some() {
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
        if poison {
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
        let Some(in_flight) = group.instances[index].busy.take() else {
            return;
        };
        let p = in_flight.partition as usize;
        let next = in_flight.offset + 1;
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
        let committed = commit_after && group.committed[p] < next;
        if committed {
            group.committed[p] = next;
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
        if committed {
            trace_commit(cx, service, in_flight.partition, next);
        }
        cx.queue.push(
            cx.now,
            Event::Poll(Poll {
                group: GroupId::of(service),
                instance: index as u8,
                incarnation,
            }),
        );
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
            cx.mark_subtree_lost(World::Event, in_flight.request, service, Reason::DeadLetter);
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

    pub(in crate::sim) fn on_reprocess(&mut self, cx: &mut Cx, log: &Log, poll: Poll) {
        let (service, index, incarnation) = (poll.service(), poll.index(), poll.incarnation);
        let Some(in_flight) = self
            .live_instance(service, index, incarnation)
            .and_then(|i| i.busy)
        else {
            return;
        };
        let redelivered = TraceKind::Fetched {
            request: in_flight.request,
            group: service as u8,
            instance: index as u8,
            partition: in_flight.partition,
            offset: in_flight.offset,
            redelivery: true,
        };
        cx.record(World::Event, redelivered);
        self.process_in_flight(cx, log, service, index);
    }
}
