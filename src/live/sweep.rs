//! The sweep panel's logic: jobs for the workers, points as they arrive, progress, curves and knees in words.
//!
//! The page never runs a sweep's points on its own thread: it hands [`SweepJob`]s to
//! workers (`src/bin/sweep-worker.rs`), which answer with [`WorkerReply`]s. This module
//! keeps what arrived and turns it into what the panel shows; it must not know how
//! workers are started or how charts are drawn.

use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::sim::ScenarioError;
use crate::sim::scenario::Scenario;
use crate::sim::sweep::{Knee, Param, Sweep, SweepPoint, SweepSpec, SweepTable};
use crate::sim::trace::World;
use serde::{Deserialize, Serialize};

/// Most workers a sweep uses: past four, a laptop's stage animation starts to stutter.
pub const MAX_WORKERS: usize = 4;

/// What a worker is asked to run: the points at `indices` of one sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepJob {
    /// Which sweep this is, so replies from a cancelled one are ignored.
    pub job: u32,
    pub scenario: Scenario,
    pub sweep: SweepSpec,
    pub indices: Vec<u32>,
}

/// What a worker answers, one message a point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerReply {
    /// The worker's handler is set: it can take a job now.
    Ready,
    Point {
        job: u32,
        index: u32,
        point: SweepPoint,
    },
    /// The job could not be read or checked. The page checks every job with the same code
    /// before sending it, so only a worker from another build refuses one; its English
    /// message is enough, and keeps `Problem`'s large deserializer out of the page.
    Refused {
        job: u32,
        field: String,
        message: String,
    },
}

impl WorkerReply {
    /// The worker's whole answer to one job: each point in turn, handed to `send`.
    pub fn answer(job: &SweepJob, mut send: impl FnMut(WorkerReply)) {
        let refused = |e: ScenarioError| WorkerReply::Refused {
            job: job.job,
            field: e.field.clone(),
            message: e.message(),
        };
        let sweep = match Sweep::new(&job.scenario, job.sweep.clone()) {
            Ok(sweep) => sweep,
            Err(e) => return send(refused(e)),
        };
        for &index in &job.indices {
            if (index as usize) < sweep.scenarios.len() {
                let point = sweep.run_point(index as usize);
                send(WorkerReply::Point {
                    job: job.job,
                    index,
                    point,
                });
            }
        }
    }
}

/// A sweep under way or done: its points as they arrive, and the wall time it started.
#[derive(Clone, Debug)]
pub struct SweepRun {
    pub job: u32,
    pub base: Scenario,
    pub sweep: Sweep,
    pub points: Vec<Option<SweepPoint>>,
    started_ms: f64,
    finished_ms: Option<f64>,
}

impl SweepRun {
    /// Checks `spec` against `base`; nothing starts if any point's scenario is refused.
    pub fn start(
        base: &Scenario,
        spec: SweepSpec,
        job: u32,
        now_ms: f64,
    ) -> Result<SweepRun, ScenarioError> {
        let sweep = Sweep::new(base, spec)?;
        Ok(SweepRun {
            job,
            base: base.clone(),
            points: vec![None; sweep.scenarios.len()],
            sweep,
            started_ms: now_ms,
            finished_ms: None,
        })
    }

    /// The work split over `workers` workers, points dealt round-robin so each worker's
    /// share spans the range (the expensive end is not left to one of them).
    pub fn jobs(&self, workers: usize) -> Vec<SweepJob> {
        let workers = workers.clamp(1, MAX_WORKERS).min(self.points.len());
        (0..workers)
            .map(|w| SweepJob {
                job: self.job,
                scenario: self.base.clone(),
                sweep: self.sweep.spec.clone(),
                indices: (w..self.points.len())
                    .step_by(workers)
                    .map(|i| i as u32)
                    .collect(),
            })
            .collect()
    }

    /// Takes a point; false for an index out of range (the caller drops other sweeps' replies).
    pub fn receive(&mut self, index: u32, point: SweepPoint, now_ms: f64) -> bool {
        let Some(slot) = self.points.get_mut(index as usize) else {
            return false;
        };
        *slot = Some(point);
        if self.done() == self.total() {
            self.finished_ms = Some(now_ms);
        }
        true
    }

    pub fn done(&self) -> usize {
        self.points.iter().filter(|p| p.is_some()).count()
    }

    pub fn total(&self) -> usize {
        self.points.len()
    }

    pub fn finished(&self) -> bool {
        self.finished_ms.is_some()
    }

    /// Wall time taken so far, or in all once finished.
    pub fn elapsed_ms(&self, now_ms: f64) -> f64 {
        self.finished_ms.unwrap_or(now_ms) - self.started_ms
    }

    /// Time left, from the pace so far; none before the first point.
    pub fn eta_ms(&self, now_ms: f64) -> Option<f64> {
        let done = self.done();
        (done > 0).then(|| {
            let per_point = self.elapsed_ms(now_ms) / done as f64;
            per_point * (self.total() - done) as f64
        })
    }

    /// The points that arrived, in sweep order.
    pub fn arrived(&self) -> Vec<SweepPoint> {
        self.points.iter().flatten().cloned().collect()
    }

    /// The table of what arrived, with its knees: the whole table once finished.
    pub fn table(&self) -> SweepTable {
        SweepTable::new(&self.sweep, &self.base, self.arrived())
    }
}

/// A parameter as the menu names it, in `locale`.
pub fn param_label(locale: Locale, param: &Param, scenario: &Scenario) -> String {
    let service = |i: usize| scenario.services.get(i).map_or("", |s| s.name.as_str());
    let fault = |i: usize| {
        let text = scenario.faults.get(i).map(|f| {
            let action = crate::live::annotate::action_text(locale, &f.action);
            let at = format_duration_ms(locale, f.at_ms);
            format!("{action} @ {at}")
        });
        text.unwrap_or_default()
    };
    match param {
        Param::ArrivalRate => locale.text(Key::ParamArrivalRate).to_string(),
        Param::ServiceTime(i) => locale.fill(Key::ParamServiceTime, &[("service", service(*i))]),
        Param::SlowFactor(i) => locale.fill(Key::ParamSlowFactor, &[("fault", &fault(*i))]),
        Param::FaultLength { fault: i, .. } => {
            locale.fill(Key::ParamFaultLength, &[("fault", &fault(*i))])
        }
        Param::Timeout => locale.text(Key::ParamTimeout).to_string(),
        Param::MaxRetries => locale.text(Key::ParamRetries).to_string(),
        Param::BreakerThreshold => locale.text(Key::ParamBreaker).to_string(),
        Param::Partitions => locale.text(Key::ParamPartitions).to_string(),
        Param::Instances(group) => locale.fill(Key::ParamInstances, &[("group", group)]),
        Param::AutoCommitInterval => locale.text(Key::ParamAutoCommit).to_string(),
        Param::Retention => locale.text(Key::ParamRetention).to_string(),
    }
}

/// A value of `param` with its unit, as knees and point buttons say it.
pub fn value_text(locale: Locale, param: &Param, value: f64) -> String {
    match param {
        Param::ArrivalRate => {
            locale.fill(Key::UnitPerSecond, &[("n", &short_number(locale, value))])
        }
        Param::SlowFactor(_) => locale.fill(Key::UnitTimes, &[("n", &short_number(locale, value))]),
        Param::ServiceTime(_)
        | Param::FaultLength { .. }
        | Param::Timeout
        | Param::AutoCommitInterval
        | Param::Retention => format_duration_ms(locale, value),
        Param::MaxRetries | Param::BreakerThreshold | Param::Partitions | Param::Instances(_) => {
            format_number(locale, value, 0)
        }
    }
}

/// Three significant figures at most, trailing zeros dropped: 701, 25.5, 0.25.
pub fn short_number(locale: Locale, value: f64) -> String {
    let decimals = match value.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    let text = format_number(locale, value, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn world_name(locale: Locale, world: World) -> &'static str {
    locale.text(match world {
        World::Sync => Key::SyncPanelTitle,
        World::Event => Key::EventPanelTitle,
    })
}

/// One knee as a sentence, in `locale`.
pub fn knee_text(locale: Locale, param: &Param, knee: &Knee) -> String {
    let value = |v: f64| value_text(locale, param, v);
    match knee {
        Knee::SuccessFalls { world, at } => locale.fill(
            Key::KneeSuccessFalls,
            &[
                ("world", world_name(locale, *world)),
                ("value", &value(*at)),
            ],
        ),
        Knee::SuccessBelow { world, from } => locale.fill(
            Key::KneeSuccessBelow,
            &[
                ("world", world_name(locale, *world)),
                ("value", &value(*from)),
            ],
        ),
        Knee::SuccessHolds { world, up_to } => locale.fill(
            Key::KneeSuccessHolds,
            &[
                ("world", world_name(locale, *world)),
                ("value", &value(*up_to)),
            ],
        ),
        Knee::SlowFrom { world, at } => locale.fill(
            Key::KneeSlowFrom,
            &[
                ("world", world_name(locale, *world)),
                ("value", &value(*at)),
            ],
        ),
        Knee::WrongFrom { world, at } => locale.fill(
            Key::KneeWrongFrom,
            &[
                ("world", world_name(locale, *world)),
                ("value", &value(*at)),
            ],
        ),
        Knee::LagFrom { group, at } => locale.fill(
            Key::KneeLagFrom,
            &[("group", group.as_str()), ("value", &value(*at))],
        ),
    }
}

/// The capacity curves, in the order they are drawn and exported: title and file name part.
pub const SWEEP_CHARTS: [(Key, &str); 5] = [
    (Key::ChartSuccess, "success-rate"),
    (Key::SweepChartP99, "p99-latency"),
    (Key::SweepChartWrong, "lost-duplicated"),
    (Key::SweepChartLag, "max-lag"),
    (Key::SweepChartConsistency, "time-to-consistency"),
];

/// One curve: its world (None for a group's lag), its name and its points.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub world: Option<World>,
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// The curves of chart `index` of [`SWEEP_CHARTS`], both worlds on shared axes.
pub fn curves(points: &[SweepPoint], index: usize, locale: Locale) -> Vec<Curve> {
    let world_curve = |world: World, read: &dyn Fn(&SweepPoint) -> f64| Curve {
        world: Some(world),
        label: locale
            .text(match world {
                World::Sync => Key::LegendSync,
                World::Event => Key::LegendEvent,
            })
            .to_string(),
        points: points.iter().map(|p| (p.value, read(p))).collect(),
    };
    let both = |read: &dyn Fn(&crate::sim::sweep::WorldPoint) -> f64| {
        World::BOTH
            .map(|w| world_curve(w, &|p: &SweepPoint| read(p.world(w))))
            .to_vec()
    };
    match index {
        0 => both(&|w| w.success_rate),
        1 => both(&|w| w.p99_ms),
        2 => both(&|w| w.wrong_effects() as f64),
        3 => {
            let groups = points
                .last()
                .map(|p| p.max_lag_by_group.keys().cloned().collect::<Vec<_>>());
            (groups.unwrap_or_default().into_iter())
                .map(|group| Curve {
                    world: None,
                    points: (points.iter())
                        .map(|p| {
                            (
                                p.value,
                                p.max_lag_by_group.get(&group).copied().unwrap_or(0) as f64,
                            )
                        })
                        .collect(),
                    label: group,
                })
                .collect()
        }
        _ => both(&|w| w.consistency_p99_ms),
    }
}

#[cfg(test)]
mod tests;
