//! The engine's side of the causes: it samples the groups at every housekeeping tick, and
//! every second closes a window, handing the counters, samples and plain facts to `causes`.

use super::causes::lag::{GroupSample, GroupState, LagSamples};
use super::causes::{Causes, Facts, FaultFact, ServiceFact, WINDOW_MS, WorldTotals, analyze};
use super::engine::Simulation;
use super::services::Health;
use super::trace::World;

/// Share of retention after which a group's oldest unread event counts as at risk.
const RETENTION_RISK: f64 = 0.8;

/// What the causes carry between windows: cloned with the run for time travel.
#[derive(Clone, Debug, Default)]
pub(super) struct WhyState {
    pub causes: Causes,
    pub samples: LagSamples,
    window_totals: [WorldTotals; 2],
    window_start_ms: f64,
}

impl WhyState {
    pub(super) fn approx_bytes(&self) -> usize {
        self.causes.approx_bytes() + self.samples.approx_bytes() + 2 * 1_024
    }
}

impl Simulation {
    /// Every housekeeping tick: what each subscribed group is doing.
    pub(super) fn sample_groups(&mut self) {
        for service in 1..self.groups.len() {
            let Some(sample) = self.group_sample(service) else {
                continue;
            };
            self.why.samples.sample(sample);
        }
        if self.cx.now.as_us() % (WINDOW_MS * 1_000) < super::engine::HOUSEKEEPING_US {
            self.close_cause_window();
        }
    }

    fn group_sample(&self, service: usize) -> Option<GroupSample> {
        let group = self.groups.get(service).filter(|g| g.subscribed)?;
        let partitions = self.log.partitions();
        let behind =
            |p: usize| group.committed[p].max(partitions[p].start) < partitions[p].high_watermark;
        let blocked = group.instances.iter().filter(|i| i.alive).find_map(|i| {
            let in_flight = i.busy.filter(|f| f.attempts > 0)?;
            let partition = &partitions[usize::from(in_flight.partition)];
            // A poison event, or one of a version the group cannot read.
            let stuck = partition
                .entry(in_flight.offset)
                .is_some_and(|e| e.poison() || !self.cx.schemas.can_read(service, e.version()));
            stuck.then_some((in_flight.partition, in_flight.offset))
        });
        let active = group.active_instances();
        let busy = group
            .instances
            .iter()
            .filter(|i| i.alive && i.busy.is_some())
            .count();
        let state = if group.alive_instances() == 0 {
            GroupState::Down
        } else if group.sessions_expire_at.is_some() {
            GroupState::SessionsPending
        } else if group.rebalancing {
            GroupState::Rebalancing
        } else if (0..partitions.len()).any(|p| behind(p) && !self.log.leader_up(p)) {
            GroupState::NoLeader
        } else if let Some((partition, offset)) = blocked {
            GroupState::Blocked { partition, offset }
        } else if active > 0 && busy >= active {
            GroupState::AllBusy
        } else {
            GroupState::Flowing
        };
        let horizon_ms = self.cx.scenario.event.retention_ms * RETENTION_RISK;
        let now_ms = self.cx.now.as_ms_f64();
        let at_risk = (0..partitions.len()).any(|p| {
            let oldest = group.committed[p].max(partitions[p].start);
            partitions[p]
                .entry(oldest)
                .is_some_and(|e| now_ms - e.appended_at().as_ms_f64() >= horizon_ms)
        });
        Some(GroupSample {
            service,
            state,
            at_risk,
            // The work it owes: committed lag also rises while a polled batch is processed.
            lag: self.group_unprocessed(service).unwrap_or(0),
            instances: group.instances.len() as u32,
        })
    }

    /// Closes the window: each world's causes since the last one join the run's.
    fn close_cause_window(&mut self) {
        let (start_ms, end_ms) = (self.why.window_start_ms, self.cx.now.as_ms_f64());
        if end_ms <= start_ms {
            return;
        }
        let groups = self.why.samples.close();
        let faults = self.fault_facts(start_ms, end_ms);
        for world in World::BOTH {
            let totals = self.cx.counters.totals(world, self.cx.now.as_us());
            let delta = totals.since(&self.why.window_totals[world.index()]);
            let services = self.service_facts(world);
            let facts = Facts {
                world,
                start_ms,
                end_ms,
                delta: &delta,
                services: &services,
                faults: &faults,
                groups: if world == World::Event { &groups } else { &[] },
            };
            let fresh = analyze(&facts);
            self.why.causes.add(world, fresh);
            self.why.window_totals[world.index()] = totals;
        }
        self.why.window_start_ms = end_ms;
    }

    fn service_facts(&self, world: World) -> Vec<ServiceFact> {
        let topology = &self.cx.topology;
        (0..topology.len())
            .map(|s| {
                let view = self.service_view(world, s);
                let instances = (world == World::Event)
                    .then(|| self.groups.get(s).map(|g| g.instances.len() as u32))
                    .flatten();
                let health = view.as_ref().map_or(Health::Up, |v| v.health);
                ServiceFact {
                    name: topology.name(s).to_string(),
                    caller: topology.caller[s],
                    workers: instances.unwrap_or(view.as_ref().map_or(1, |v| v.workers)),
                    killed: health == Health::Killed,
                    hung: health == Health::Hung,
                    removed: view.as_ref().is_some_and(|v| v.removed),
                    slow_factor: view.as_ref().map_or(1.0, |v| v.slow_factor),
                }
            })
            .collect()
    }

    /// Faults that were on at some point of `[start_ms, end_ms]`.
    fn fault_facts(&self, start_ms: f64, end_ms: f64) -> Vec<FaultFact> {
        self.episodes
            .iter()
            .filter(|e| e.started_ms <= end_ms && e.restored_ms.is_none_or(|r| r >= start_ms))
            .map(|e| FaultFact {
                target: e.target.clone(),
                action: e.action,
                factor: e.factor,
                started_ms: e.started_ms,
            })
            .collect()
    }

    /// Every cause so far.
    pub fn causes(&self) -> &Causes {
        &self.why.causes
    }
}
