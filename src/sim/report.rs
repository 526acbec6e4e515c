//! The run report: the JSON the CLI prints, built only from the ledger, the log and the groups.

use super::causes::Cause;
use super::engine::Simulation;
use super::episodes::Episode;
use super::ledger::{ConsistencySummary, EffectCounts, KindCounts, WorldSummary};
use super::metrics::LatencySummary;
use super::trace::{Reason, World};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorldReport {
    pub requests: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub latency_ms: LatencySummary,
    pub effects: EffectCounts,
    /// From "done" to the last effect done, for requests told success.
    pub time_to_consistency_ms: ConsistencySummary,
    /// Outcomes per request kind: shows failures of kinds that never touch a broken service.
    pub by_kind: BTreeMap<String, KindCounts>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    pub instances: usize,
    /// Alive instances that own at least one partition.
    pub active: usize,
    /// Alive instances with nothing to read: more instances than partitions.
    pub idle: usize,
    /// Kafka's lag: visible events past the committed offset.
    pub lag: u64,
    /// The highest lag the run saw, sampled as the charts sample it.
    pub max_lag: u64,
    /// Visible events not yet processed (processed but uncommitted ones excluded).
    pub unprocessed: u64,
    pub processed: u64,
    pub redeliveries: u64,
    /// Events processed after one published later (order holds only within a partition).
    pub out_of_order: u64,
    /// Events of a version the group could not read: parked, or blocking their partition.
    pub unreadable: u64,
    /// Events left unfinished in a poll when an instance died or left: lost if they were
    /// committed before processing, fetched again otherwise.
    pub cut_from_polls: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventWorldReport {
    #[serde(flatten)]
    pub world: WorldReport,
    pub events_published: u64,
    pub max_lag: u64,
    pub dlq: u64,
    pub groups: BTreeMap<String, GroupReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerWorld<T> {
    pub sync: T,
    pub event: T,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceEffects {
    pub effect: String,
    pub sync: EffectCounts,
    pub event: EffectCounts,
    /// Times the service did its work, including work no request expected
    /// (a new consumer group replaying history from `earliest`).
    pub executions: PerWorld<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub duration_ms: u64,
    /// Simulated time reached, which can differ from `duration_ms` for a partial run.
    pub simulated_ms: f64,
    pub events_simulated: u64,
    pub trace_hash: String,
    pub sync: WorldReport,
    pub event: EventWorldReport,
    pub inconsistent_requests: PerWorld<u64>,
    pub effects_by_service: BTreeMap<String, ServiceEffects>,
    /// Each fault from start to settling, with what each world suffered meanwhile.
    pub episodes: Vec<Episode>,
    /// Why it failed: cause chains per world, each over the span it held (`--why` prints them).
    pub causes: PerWorld<Vec<Cause>>,
    /// What the run's memory bounds dropped, so nothing is dropped silently.
    pub caps: CapsReport,
}

/// Counts of what reached a bound: events the log's size cap deleted (Kafka's
/// retention.bytes), and requests the ledger closed before they settled.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapsReport {
    pub log_deleted_by_size_cap: u64,
    pub requests_closed_unsettled: u64,
}

fn world_report(summary: &WorldSummary, kind_names: &[String]) -> WorldReport {
    let by_kind = kind_names
        .iter()
        .enumerate()
        .map(|(kind, name)| {
            (
                name.clone(),
                summary.by_kind.get(kind).cloned().unwrap_or_default(),
            )
        })
        .collect();
    WorldReport {
        by_kind,
        requests: summary.requests,
        succeeded: summary.succeeded,
        failed: summary.failed,
        latency_ms: summary.latency_ms.clone(),
        effects: summary.effects.clone(),
        time_to_consistency_ms: summary.time_to_consistency_ms.clone(),
    }
}

impl Simulation {
    /// The report for the run so far.
    pub fn report(&self) -> Report {
        let sync = self.cx.ledger.summary(World::Sync);
        let event = self.cx.ledger.summary(World::Event);
        let groups = self.group_reports();
        let effects_by_service = self.effects_by_service(&sync, &event);
        Report {
            scenario: self.cx.scenario.name.clone(),
            seed: self.cx.scenario.seed,
            duration_ms: self.cx.scenario.duration_ms,
            simulated_ms: self.cx.now.as_ms_f64(),
            events_simulated: self.events_simulated,
            trace_hash: self.cx.trace.hash_hex(),
            sync: world_report(&sync, &self.cx.topology.kind_names),
            event: EventWorldReport {
                world: world_report(&event, &self.cx.topology.kind_names),
                events_published: self.log.published(),
                max_lag: self.max_lag,
                dlq: self.log.dlq_total(),
                groups,
            },
            inconsistent_requests: PerWorld {
                sync: sync.inconsistent_requests,
                event: event.inconsistent_requests,
            },
            effects_by_service,
            episodes: self.episodes(),
            causes: PerWorld {
                sync: self.causes().of(World::Sync).cloned().collect(),
                event: self.causes().of(World::Event).cloned().collect(),
            },
            caps: CapsReport {
                log_deleted_by_size_cap: self.log.deleted_by_size_cap(),
                requests_closed_unsettled: self.cx.ledger.folded_unsettled(),
            },
        }
    }

    fn group_reports(&self) -> BTreeMap<String, GroupReport> {
        let mut groups = BTreeMap::new();
        for service in self.groups.services() {
            let Some(group) = self.groups.get(service).filter(|g| g.subscribed) else {
                continue;
            };
            let alive = group.alive_instances();
            let active = group.active_instances();
            groups.insert(
                self.cx.topology.name(service).to_string(),
                GroupReport {
                    instances: group.instances.len(),
                    active,
                    idle: alive - active,
                    lag: self.group_lag(service).unwrap_or(0),
                    max_lag: self.max_lag_by_service.get(service).copied().unwrap_or(0),
                    unprocessed: self.group_unprocessed(service).unwrap_or(0),
                    processed: group.processed,
                    redeliveries: group.redeliveries,
                    out_of_order: group.out_of_order,
                    unreadable: group.unreadable,
                    cut_from_polls: group.cut_from_polls,
                },
            );
        }
        groups
    }

    fn effects_by_service(
        &self,
        sync: &WorldSummary,
        event: &WorldSummary,
    ) -> BTreeMap<String, ServiceEffects> {
        let mut effects_by_service = BTreeMap::new();
        for service in 1..self.cx.topology.len() {
            let counts = |summary: &WorldSummary| {
                summary.by_service.get(service).cloned().unwrap_or_default()
            };
            let executions =
                |summary: &WorldSummary| summary.executions.get(service).copied().unwrap_or(0);
            effects_by_service.insert(
                self.cx.topology.name(service).to_string(),
                ServiceEffects {
                    effect: self.cx.topology.specs[service].effect.clone(),
                    sync: counts(sync),
                    event: counts(event),
                    executions: PerWorld {
                        sync: executions(sync),
                        event: executions(event),
                    },
                },
            );
        }
        effects_by_service
    }
}

impl WorldReport {
    /// Succeeded ÷ answered; 1 while nobody has been answered.
    pub fn success_rate(&self) -> f64 {
        let answered = self.succeeded + self.failed;
        if answered == 0 {
            1.0
        } else {
            self.succeeded as f64 / answered as f64
        }
    }
}

impl Report {
    /// The report as JSON for goals ([`super::goal`]): every field the CLI prints, plus
    /// `success_rate` per world (succeeded ÷ answered, 1 when none answered yet) and
    /// every `lost_by_reason` entry including the zeros the CLI leaves out, so a goal
    /// such as `event.effects.lost_by_reason.retention == 0` reads 0 instead of failing.
    pub fn metrics_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("reports always serialise");
        for world in [World::Sync, World::Event] {
            let report = match world {
                World::Sync => &self.sync,
                World::Event => &self.event.world,
            };
            value[world.name()]["success_rate"] = report.success_rate().into();
            fill_reasons(&mut value[world.name()]["effects"]);
        }
        if let Some(services) = value["effects_by_service"].as_object_mut() {
            for service in services.values_mut() {
                fill_reasons(&mut service["sync"]);
                fill_reasons(&mut service["event"]);
            }
        }
        value
    }
}

fn fill_reasons(effects: &mut serde_json::Value) {
    if let Some(reasons) = effects["lost_by_reason"].as_object_mut() {
        for reason in Reason::ALL {
            reasons.entry(reason.name()).or_insert(0.into());
        }
    }
}
