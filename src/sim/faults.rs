//! Faults and user actions, applied to both worlds at once, and the episodes they open.
//!
//! A kill, hang, slow or restore reaches each world's services (and, in the event world, the
//! service's consumer group); brokers are the log's; added and removed services reshape the
//! tree, with a redeploy in the sync world and a subscription in the event world; a
//! `configure` writes its typed settings. Each fault opens an episode that both worlds' damage
//! is counted against until it settles.

use super::context::Event;
use super::engine::Simulation;
use super::episodes::{Episode, Tally};
use super::ids::{GroupId, ServiceId};
use super::scenario::{
    Action, ActionKind, Compatibility, ServiceSpec, SettingsPatch, StartFrom, Target,
};
use super::time::SimTime;
use super::trace::{TraceKind, World};

impl Simulation {
    pub(super) fn apply_fault(&mut self, index: usize) {
        let fault = self.cx.scenario.faults[index].clone();
        self.cx.record(
            World::Sync,
            TraceKind::Fault {
                index: index as u32,
            },
        );
        self.cx.record(
            World::Event,
            TraceKind::Fault {
                index: index as u32,
            },
        );
        self.track_episode(&fault.action);
        let kind = fault.action.kind();
        match fault.action {
            Action::Kill(Target::Broker(b)) => {
                self.log.kill_broker(&mut self.cx, b.index());
                self.hear_log();
            }
            Action::Restore(Target::Broker(b)) => {
                self.log.restore_broker(&mut self.cx, b.index());
                self.hear_log();
            }
            Action::Hang(Target::Broker(_)) => {}
            Action::Configure(patch) => self.configure(&patch),
            Action::AddService {
                caller,
                service,
                start_from,
            } => self.add_service(&caller, *service, start_from),
            Action::Scale { group, instances } => {
                if let Some(service) = self.cx.topology.index_of(&group) {
                    self.scale_group(service, instances);
                }
            }
            Action::RemoveService(name) => {
                if let Some(service) = self.cx.topology.index_of(&name) {
                    self.remove_service(service);
                }
            }
            Action::Kill(Target::Service(name))
            | Action::Hang(Target::Service(name))
            | Action::Restore(Target::Service(name)) => self.fault_on_service(&name, kind, 1.0),
            Action::Slow { service, factor } => self.fault_on_service(&service, kind, factor),
            Action::DeployEventVersion(compatibility) => {
                self.cx
                    .schemas
                    .deploy(compatibility == Compatibility::Breaking);
            }
            Action::Upgrade(name) => {
                if let Some(service) = self.cx.topology.index_of(&name) {
                    self.cx.schemas.upgrade(service);
                }
            }
        }
    }

    pub(super) fn fault_on_service(&mut self, name: &str, kind: ActionKind, factor: f64) {
        let Some(service) = self.cx.topology.index_of(name) else {
            return;
        };
        for world in World::BOTH {
            self.service_fault(world, service, kind, factor);
        }
    }

    /// Applies a `configure` action's settings from now on; both worlds read them as they go.
    pub(super) fn configure(&mut self, patch: &SettingsPatch) {
        // Validated on entry, so every setting has its place.
        let _ = patch.write_into(&mut self.cx.scenario);
        self.groups.arm_auto_commits(&mut self.cx);
    }

    /// Opens or closes the fault episode that annotations and the report describe.
    pub(super) fn track_episode(&mut self, action: &Action) {
        let now_ms = self.cx.now.as_ms_f64();
        let (target, factor) = match action {
            Action::Kill(t) | Action::Hang(t) | Action::Restore(t) => (t.clone(), None),
            Action::Slow { service, factor } => (Target::Service(service.clone()), Some(*factor)),
            _ => return,
        };
        if action.kind() == ActionKind::Restore {
            self.episodes.restore(&target.name(), now_ms);
            return;
        }
        let group = match &target {
            Target::Broker(_) => None,
            Target::Service(name) => {
                let Some(service) = self.cx.topology.index_of(name) else {
                    return;
                };
                if self.groups.get(service).is_some() {
                    Some(service)
                } else {
                    // A deeper service stalls the group of the entry's child above it.
                    self.cx.topology.child_of_entry_above(service)
                }
            }
        };
        let episode = Episode {
            target: target.name(),
            action: action.kind(),
            factor,
            started_ms: now_ms,
            restored_ms: None,
            drained_ms: None,
            settled_ms: None,
            lag_peak: 0,
            sync: Tally::default(),
            event: Tally::default(),
            start: self.tallies(),
            lag_before: self.watched_lag(group),
            group,
        };
        self.episodes.begin(episode);
    }

    /// Both worlds' cumulative failures, lost and duplicated effects.
    pub(super) fn tallies(&self) -> [Tally; 2] {
        World::BOTH.map(|world| Tally::of(&self.cx.ledger.summary(world)))
    }

    /// The lag of one group, or the largest of all groups.
    pub(super) fn watched_lag(&self, group: Option<usize>) -> u64 {
        match group {
            Some(group) => self.group_lag(group).unwrap_or(0),
            None => (0..self.groups.len())
                .filter_map(|g| self.group_lag(g))
                .max()
                .unwrap_or(0),
        }
    }

    /// Time after a restore for the sync world's slowest retry chain to end.
    pub(super) fn sync_settle_ms(&self) -> f64 {
        let sync = &self.cx.scenario.sync;
        let attempts = f64::from(sync.retry.max_retries + 1);
        sync.timeout_ms * attempts + sync.retry.max_backoff_ms * f64::from(sync.retry.max_retries)
    }

    pub(super) fn tick_episodes(&mut self) {
        if !self.episodes.any_unsettled() {
            return;
        }
        let now_ms = self.cx.now.as_ms_f64();
        let settle_ms = self.sync_settle_ms();
        let mut episodes = std::mem::take(&mut self.episodes);
        episodes.tick(
            now_ms,
            settle_ms,
            |group| self.watched_lag(group),
            || self.tallies(),
        );
        self.episodes = episodes;
    }

    /// The fault episodes that have settled; their figures are final.
    pub fn settled_episodes(&self) -> impl Iterator<Item = &Episode> {
        self.episodes.iter().filter(|e| e.is_settled())
    }

    /// Every fault episode so far, with the damage to date for those still running.
    pub fn episodes(&self) -> Vec<Episode> {
        self.episodes.as_of(self.tallies())
    }

    pub(super) fn add_service(
        &mut self,
        caller: &str,
        spec: ServiceSpec,
        start_from: Option<StartFrom>,
    ) {
        let Some(caller) = self.cx.topology.index_of(caller) else {
            return;
        };
        let seed = self.cx.scenario.seed;
        let service = self.cx.topology.add_service(caller, spec);
        self.cx.schemas.add_service(service);
        for world in World::BOTH {
            self.worlds[world.index()].add_service(&self.cx.topology, service, seed);
        }
        // A new child of the entry is a subscription in the event world: no code changes.
        // Everywhere else the caller's code must change and be redeployed.
        let subscribes = caller == 0;
        if subscribes {
            let start = start_from.unwrap_or(self.cx.scenario.event.start_from);
            self.subscribe_group(service, start);
        }
        for world in World::BOTH {
            if world == World::Event && subscribes {
                continue;
            }
            self.redeploy(world, caller, service, true);
        }
    }

    /// `caller` is redeployed with (or without) its call to `callee` after `sync.redeploy_ms`.
    fn redeploy(&mut self, world: World, caller: usize, callee: usize, add: bool) {
        let redeploy = SimTime::from_ms_f64(self.cx.scenario.sync.redeploy_ms);
        let (caller, callee) = (ServiceId::of(caller), ServiceId::of(callee));
        let link = Event::Redeployed {
            world,
            caller,
            callee,
            add,
        };
        self.cx.queue.push(self.cx.now + redeploy, link);
    }

    pub(super) fn remove_service(&mut self, service: usize) {
        self.cx.topology.present &= !(1 << service);
        let caller = self.cx.topology.caller[service].map_or(0, usize::from);
        for world in World::BOTH {
            let is_subscription = world == World::Event && caller == 0;
            if is_subscription {
                self.groups.unsubscribe(GroupId::of(service));
            } else {
                // Calls to a removed service are refused until the caller is redeployed without them.
                self.worlds[world.index()].remove_service(service);
                self.redeploy(world, caller, service, false);
            }
            self.in_world(world, |w, cx| w.crash_jobs_at(cx, service));
        }
    }
}
