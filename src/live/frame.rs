//! The view model: a plain snapshot of everything the panels and scoreboards show, read from the core.

use crate::sim::trace::{BreakerPosition, World};
use crate::sim::{Health, Report, Simulation};

/// One service in one world.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub present: bool,
    pub health: Health,
    pub slow_factor: f64,
    pub busy: u32,
    pub workers: u32,
    pub queued: u32,
    pub queue_capacity: u32,
    /// The breaker on the edge into this service.
    pub breaker: BreakerPosition,
    /// Sync world only: a new callee the caller is still being redeployed to call.
    pub redeploying_to: Option<String>,
    /// Sync world only: callees added at run time that the deployed code now calls (`+ call x`).
    pub added_calls: Vec<String>,
    /// Times this service did its work (its effect), including replays of old events.
    pub executions: u64,
}

impl NodeView {
    /// The one-word state shown next to the node and read out by screen readers.
    pub fn state(&self) -> NodeState {
        match (self.health, self.slow_factor > 1.0) {
            (Health::Killed, _) => NodeState::Killed,
            (Health::Hung, _) => NodeState::Hung,
            (Health::Up, true) => NodeState::Slow,
            (Health::Up, false) => NodeState::Up,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeState {
    Up,
    Killed,
    Hung,
    Slow,
}

impl NodeState {
    pub fn css(self) -> &'static str {
        match self {
            NodeState::Up => "up",
            NodeState::Killed => "killed",
            NodeState::Hung => "hung",
            NodeState::Slow => "slow",
        }
    }
}

/// One cell drawn on a partition strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellView {
    pub offset: u64,
    pub poison: bool,
    /// Below the high watermark: every in-sync replica has it, consumers may read it.
    pub committed_by_replicas: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionView {
    pub start: u64,
    pub end: u64,
    pub high_watermark: u64,
    pub leader: Option<u8>,
    pub electing: bool,
    pub cells: Vec<CellView>,
    /// Each subscribed group's committed offset here, by group service index.
    pub committed: Vec<(usize, u64)>,
    /// What instances polled here and have not finished: (group, next offset, end of the poll).
    pub polls: Vec<(usize, u64, u64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InstanceView {
    pub alive: bool,
    pub partitions: Vec<u16>,
    pub busy: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupView {
    pub service: usize,
    pub name: String,
    pub instances: Vec<InstanceView>,
    /// Alive instances that own a partition, and alive ones that own none, as the group counts them.
    pub active: usize,
    pub idle: usize,
    pub lag: u64,
    pub rebalancing: bool,
    /// Time until crashed members' sessions expire, while restarted members wait on them.
    pub sessions_expire_in_ms: Option<f64>,
    /// The version the entry writes now, when this group cannot read it.
    pub cannot_read: Option<u8>,
    pub redeliveries: u64,
}

/// The same figures, in the same places, under each panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scoreboard {
    pub requests: u64,
    pub failed: u64,
    /// Share of settled requests that succeeded, None before any settled.
    pub success_rate: Option<f64>,
    pub latency_ms_p99: f64,
    pub effects_done: u64,
    pub effects_duplicated: u64,
    pub effects_lost: u64,
    pub effects_pending: u64,
    pub inconsistent: u64,
    /// Time to consistency, p99: from "done" to the last effect done.
    pub consistency_ms_p99: f64,
    /// Event world only.
    pub lag_max: Option<u64>,
    pub lag_now: Option<u64>,
}

/// Everything the panels show at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub now_ms: f64,
    /// The version of the event the entry writes now (1 until a deploy).
    pub event_version: u8,
    pub end_ms: f64,
    pub nodes: [Vec<NodeView>; 2],
    pub partitions: Vec<PartitionView>,
    pub groups: Vec<GroupView>,
    pub brokers_up: Vec<bool>,
    pub dlq_total: u64,
    pub scores: [Scoreboard; 2],
    pub trace_hash: String,
    pub seed: u64,
    pub scenario: String,
    /// Each world's "why" marker: the cause it is in now.
    pub why: [Option<super::why::WhyMark>; 2],
}

impl Frame {
    pub fn of(sim: &Simulation) -> Frame {
        let report = sim.report();
        let groups = group_views(sim);
        let lag_now = groups.iter().map(|g| g.lag).sum();
        Frame {
            now_ms: sim.now().as_ms_f64(),
            event_version: sim.schemas().version(),
            end_ms: sim.end().as_ms_f64(),
            nodes: [
                node_views(sim, &report, World::Sync),
                node_views(sim, &report, World::Event),
            ],
            partitions: partition_views(sim),
            groups,
            brokers_up: sim.log_state().brokers_up().to_vec(),
            dlq_total: sim.log_state().dlq_total(),
            scores: [
                scoreboard(&report, World::Sync, None),
                scoreboard(&report, World::Event, Some(lag_now)),
            ],
            trace_hash: report.trace_hash.clone(),
            seed: report.seed,
            scenario: report.scenario.clone(),
            why: super::why::marks(sim),
        }
    }

    pub fn node(&self, world: World, service: usize) -> Option<&NodeView> {
        self.nodes[world.index()].get(service)
    }

    pub fn group(&self, service: usize) -> Option<&GroupView> {
        self.groups.iter().find(|g| g.service == service)
    }
}

fn node_views(sim: &Simulation, report: &Report, world: World) -> Vec<NodeView> {
    let topology = sim.topology();
    let original = sim.scenario().services.len();
    (0..topology.len())
        .filter_map(|s| {
            let view = sim.service_view(world, s)?;
            let spec_calls: Vec<usize> = (0..topology.len())
                .filter(|&c| topology.caller[c] == Some(s as u8) && topology.is_present(c))
                .collect();
            let deployed: Vec<usize> = view.deployed_calls.iter().map(|&c| c as usize).collect();
            let is_sync = world == World::Sync;
            let redeploying_to = spec_calls
                .iter()
                .find(|c| is_sync && !deployed.contains(c))
                .map(|&c| topology.name(c).to_string());
            let added_calls = deployed
                .iter()
                .filter(|&&c| is_sync && c >= original && topology.is_present(c))
                .map(|&c| topology.name(c).to_string())
                .collect();
            Some(NodeView {
                name: topology.name(s).to_string(),
                present: topology.is_present(s) && !view.removed,
                health: view.health,
                slow_factor: view.slow_factor,
                busy: view.busy,
                workers: view.workers,
                queued: view.queued,
                queue_capacity: view.queue_capacity,
                breaker: view.breaker,
                redeploying_to,
                added_calls,
                executions: report
                    .effects_by_service
                    .get(topology.name(s))
                    .map_or(0, |e| match world {
                        World::Sync => e.executions.sync,
                        World::Event => e.executions.event,
                    }),
            })
        })
        .collect()
}

fn partition_views(sim: &Simulation) -> Vec<PartitionView> {
    let log = sim.log_state();
    let topology = sim.topology();
    log.partitions()
        .iter()
        .enumerate()
        .map(|(p, partition)| {
            let first_shown = partition
                .end()
                .saturating_sub(super::layout::CELLS_SHOWN)
                .max(partition.start);
            let cells = (first_shown..partition.end())
                .filter_map(|offset| {
                    partition.entry(offset).map(|entry| CellView {
                        offset,
                        poison: entry.poison(),
                        committed_by_replicas: offset < partition.high_watermark,
                    })
                })
                .collect();
            let committed = (0..topology.len())
                .filter_map(|s| {
                    let group = sim.group_state(s).filter(|g| g.subscribed)?;
                    Some((s, group.committed.get(p).copied().unwrap_or(0)))
                })
                .collect();
            let polls = (0..topology.len())
                .filter_map(|s| sim.group_state(s).filter(|g| g.subscribed).map(|g| (s, g)))
                .flat_map(|(s, g)| {
                    g.instances.iter().filter_map(move |i| {
                        let (partition, left) = i.unfinished()?;
                        (partition == p).then_some((s, left.start, left.end))
                    })
                })
                .collect();
            PartitionView {
                polls,
                start: partition.start,
                end: partition.end(),
                high_watermark: partition.high_watermark,
                leader: partition.leader,
                electing: partition.electing,
                cells,
                committed,
            }
        })
        .collect()
}

fn group_views(sim: &Simulation) -> Vec<GroupView> {
    let topology = sim.topology();
    (0..topology.len())
        .filter_map(|s| {
            let group = sim.group_state(s).filter(|g| g.subscribed)?;
            Some(GroupView {
                service: s,
                name: topology.name(s).to_string(),
                instances: group
                    .instances
                    .iter()
                    .map(|i| InstanceView {
                        alive: i.alive,
                        partitions: i.partitions.clone(),
                        busy: i.busy.is_some(),
                    })
                    .collect(),
                active: group.active_instances(),
                idle: group.alive_instances() - group.active_instances(),
                lag: sim.group_lag(s).unwrap_or(0),
                rebalancing: group.rebalancing,
                cannot_read: Some(sim.schemas().version())
                    .filter(|&v| !sim.schemas().can_read(s, v)),
                sessions_expire_in_ms: group
                    .sessions_expire_at
                    .map(|at| at.saturating_since(sim.now()).as_ms_f64()),
                redeliveries: group.redeliveries,
            })
        })
        .collect()
}

fn scoreboard(report: &Report, world: World, lag_now: Option<u64>) -> Scoreboard {
    let (summary, inconsistent) = match world {
        World::Sync => (&report.sync, report.inconsistent_requests.sync),
        World::Event => (&report.event.world, report.inconsistent_requests.event),
    };
    let settled = summary.succeeded + summary.failed;
    Scoreboard {
        requests: summary.requests,
        failed: summary.failed,
        success_rate: (settled > 0).then(|| summary.succeeded as f64 / settled as f64),
        latency_ms_p99: summary.latency_ms.p99,
        effects_done: summary.effects.done_once,
        effects_duplicated: summary.effects.duplicated,
        effects_lost: summary.effects.lost,
        effects_pending: summary.effects.pending,
        inconsistent,
        consistency_ms_p99: summary.time_to_consistency_ms.p99,
        // The core samples the peak periodically; the live value can be ahead of the last sample.
        lag_max: (world == World::Event).then(|| report.event.max_lag.max(lag_now.unwrap_or(0))),
        lag_now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::scenario::Action;
    use crate::sim::{SimTime, Simulation};

    fn run_to(ms: u64) -> Simulation {
        let mut sim = Simulation::new(preset("signup").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(ms));
        sim
    }

    #[test]
    fn the_frame_agrees_with_the_report() {
        let sim = run_to(30_000);
        let frame = Frame::of(&sim);
        let report = sim.report();
        assert_eq!(frame.scores[0].requests, report.sync.requests);
        assert_eq!(frame.scores[0].effects_lost, report.sync.effects.lost);
        let lag_max = frame.scores[1].lag_max.unwrap();
        assert!(lag_max >= report.event.max_lag && lag_max >= frame.scores[1].lag_now.unwrap());
        assert_eq!(
            frame.scores[0].lag_max, None,
            "lag belongs to the event world"
        );
        assert_eq!(frame.trace_hash, report.trace_hash);
        assert_eq!(frame.groups.len(), 3);
        assert_eq!(frame.partitions.len(), 6);
    }

    #[test]
    fn the_killed_service_shows_as_killed_in_both_worlds() {
        // The signup preset kills analytics (index 3) from 20 s to 35 s.
        let frame = Frame::of(&run_to(25_000));
        for world in World::BOTH {
            assert_eq!(frame.node(world, 3).unwrap().state(), NodeState::Killed);
            assert_eq!(frame.node(world, 1).unwrap().state(), NodeState::Up);
        }
        assert!(frame.scores[0].effects_lost > 0);
        assert_eq!(frame.scores[1].effects_lost, 0);
        assert!(
            frame.group(3).unwrap().lag > 0,
            "analytics' group lags while it is down"
        );
    }

    #[test]
    fn a_lagging_group_shows_the_poll_it_has_in_hand_and_commits_ahead_of_it() {
        let mut sim = Simulation::new(preset("lost-batch").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(25_000));
        let frame = Frame::of(&sim);
        let analytics = sim.topology().index_of("analytics").unwrap();
        let polls: Vec<_> = frame
            .partitions
            .iter()
            .flat_map(|p| p.polls.iter().map(move |poll| (p, *poll)))
            .filter(|(_, (group, _, _))| *group == analytics)
            .collect();
        let [(partition, (_, next, end))] = polls.as_slice() else {
            panic!("one instance, one poll in hand: {polls:?}")
        };
        assert!(end - next > 5, "a batch, not one event: {next}..{end}");
        let committed = partition.committed.iter().find(|(g, _)| *g == analytics);
        assert_eq!(
            committed,
            Some(&(analytics, *end)),
            "committed before processing"
        );
    }

    #[test]
    fn partitions_show_their_newest_cells_and_commit_markers() {
        let frame = Frame::of(&run_to(10_000));
        for partition in &frame.partitions {
            assert!(partition.cells.len() as u64 <= super::super::layout::CELLS_SHOWN);
            assert_eq!(
                partition.cells.last().map(|c| c.offset + 1),
                Some(partition.end)
            );
            assert_eq!(partition.committed.len(), 3);
            for &(_, offset) in &partition.committed {
                assert!(offset <= partition.high_watermark);
            }
        }
    }

    #[test]
    fn an_added_consumer_shows_as_a_redeploy_then_as_a_diff_in_the_sync_world() {
        let mut sim = run_to(1_000);
        let mut scenario_service = sim.scenario().services[4].clone();
        scenario_service.name = "audit".into();
        scenario_service.effect = "audit logged".into();
        sim.inject(Action::AddService {
            caller: "signup".into(),
            service: Box::new(scenario_service),
            start_from: None,
        })
        .unwrap();
        let during = Frame::of(&sim);
        assert_eq!(during.nodes[0][0].redeploying_to.as_deref(), Some("audit"));
        assert!(
            during.nodes[1][0].redeploying_to.is_none(),
            "the event world just subscribes"
        );
        assert!(during.group(5).is_some());
        sim.run_until(SimTime::from_ms(1_000 + 120_000));
        let after = Frame::of(&sim);
        assert_eq!(after.nodes[0][0].redeploying_to, None);
        assert_eq!(after.nodes[0][0].added_calls, vec!["audit".to_string()]);
        // Started from `latest`, the event group only sees new traffic; the sync world misses
        // the redeploy window too, so neither has done more than the requests since.
        let requests = after.scores[0].requests;
        assert!(after.nodes[1][5].executions < requests);
        assert!(after.nodes[0][5].executions < requests);
    }
}
