//! Sweeps: one scenario run at 2–50 values of one parameter, in both worlds, for capacity curves.
//!
//! A sweep is written `{"path": "workload.arrivals.rate_per_s", "from": 10, "to": 200,
//! "points": 10}`. [`Sweep::new`] checks the path against the scenario and builds every
//! point's scenario before anything runs, so bad input is refused whole. Each point is
//! an ordinary run ([`Sweep::run_point`]), so a point equals a single run at that value;
//! the browser's worker and `ripple-sim --sweep` both call it, and [`knees`] reads the
//! table the same way for both. This module must not know how points are scheduled.

use super::engine::Simulation;
use super::problem::Problem;
use super::report::Report;
use super::scenario::{Action, ActionKind, Consumers, Scenario, ScenarioError, Target, error};
use super::trace::World;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Fewest and most points a sweep runs: a curve needs two; fifty already takes seconds.
pub const MIN_POINTS: u32 = 2;
pub const MAX_POINTS: u32 = 50;
/// Success rate under which a world is said to have stopped answering.
pub const SUCCESS_KNEE: f64 = 0.99;
/// Lag, in events, past which a group is said to have fallen behind.
pub const LAG_KNEE: u64 = 10_000;
/// p99 latency past which a world is said to have become slow.
pub const P99_KNEE_MS: f64 = 1_000.0;

/// What the user asks for: a parameter's path and a range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    pub path: String,
    pub from: f64,
    pub to: f64,
    pub points: u32,
}

impl SweepSpec {
    /// Reads `PATH=FROM..TO` (the CLI's `--sweep` and the share link's `sweep=`); the path
    /// is checked later, against the scenario, by [`Sweep::new`].
    pub fn parse(range: &str, points: u32) -> Result<SweepSpec, ScenarioError> {
        let bad = || {
            error(
                "sweep",
                Problem::NotASweepRange {
                    got: range.to_string(),
                },
            )
        };
        let (path, span) = range.split_once('=').ok_or_else(bad)?;
        let (from, to) = span.split_once("..").ok_or_else(bad)?;
        let number = |field: &str, text: &str| {
            let value = text.trim().parse::<f64>().ok().filter(|v| v.is_finite());
            value.ok_or_else(|| {
                error(
                    field,
                    Problem::ExpectedNumber {
                        got: text.to_string(),
                    },
                )
            })
        };
        Ok(SweepSpec {
            path: path.trim().to_string(),
            from: number("sweep.from", from)?,
            to: number("sweep.to", to)?,
            points,
        })
    }

    /// The range as `parse` reads it.
    pub fn range_text(&self) -> String {
        format!("{}={}..{}", self.path, self.from, self.to)
    }
}

/// A parameter a sweep can vary, each addressed by the path users write.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    ArrivalRate,
    /// A service's mean service time; the distribution keeps its shape.
    ServiceTime(usize),
    /// The factor of a `slow` fault, by fault index.
    SlowFactor(usize),
    /// How long a fault lasts: its restore moves, by index of the fault and of the restore.
    FaultLength {
        fault: usize,
        restore: usize,
    },
    Timeout,
    MaxRetries,
    BreakerThreshold,
    Partitions,
    /// A consumer group's instances, by group name.
    Instances(String),
    AutoCommitInterval,
    Retention,
}

impl Param {
    /// Every parameter this scenario offers, in menu order.
    pub fn all(scenario: &Scenario) -> Vec<Param> {
        let mut all = vec![Param::ArrivalRate];
        all.extend((0..scenario.services.len()).map(Param::ServiceTime));
        for (index, fault) in scenario.faults.iter().enumerate() {
            if fault.action.kind() == ActionKind::Slow {
                all.push(Param::SlowFactor(index));
            }
            if let Some(restore) = restore_of(scenario, index) {
                all.push(Param::FaultLength {
                    fault: index,
                    restore,
                });
            }
        }
        all.extend([
            Param::Timeout,
            Param::MaxRetries,
            Param::BreakerThreshold,
            Param::Partitions,
        ]);
        let entry = scenario.services.first().map(|s| s.calls.clone());
        all.extend(entry.unwrap_or_default().into_iter().map(Param::Instances));
        all.extend([Param::AutoCommitInterval, Param::Retention]);
        all
    }

    /// The parameter at `path`, or an error naming `sweep.path` and the paths there are.
    pub fn parse(scenario: &Scenario, path: &str) -> Result<Param, ScenarioError> {
        let all = Param::all(scenario);
        let found = all.iter().find(|p| p.path(scenario) == path);
        found.cloned().ok_or_else(|| {
            let known: Vec<String> = all.iter().map(|p| p.path(scenario)).collect();
            error(
                "sweep.path",
                Problem::NotOneOf {
                    got: path.to_string(),
                    known: known.join(", "),
                },
            )
        })
    }

    /// The dotted path, in the syntax settings and exercises use.
    pub fn path(&self, scenario: &Scenario) -> String {
        let service = |i: usize| scenario.services.get(i).map_or("", |s| s.name.as_str());
        match self {
            Param::ArrivalRate => "workload.arrivals.rate_per_s".into(),
            Param::ServiceTime(i) => format!("services.{}.service_time_ms", service(*i)),
            Param::SlowFactor(i) => format!("faults.{i}.factor"),
            Param::FaultLength { fault, .. } => format!("faults.{fault}.length_ms"),
            Param::Timeout => "sync.timeout_ms".into(),
            Param::MaxRetries => "sync.retry.max_retries".into(),
            Param::BreakerThreshold => "sync.circuit_breaker.failure_threshold".into(),
            Param::Partitions => "event.partitions".into(),
            Param::Instances(group) => format!("event.consumers.{group}"),
            Param::AutoCommitInterval => "event.auto_commit_interval_ms".into(),
            Param::Retention => "event.retention_ms".into(),
        }
    }

    /// Whether values are counts, so points are whole numbers.
    pub fn is_whole(&self) -> bool {
        matches!(
            self,
            Param::MaxRetries | Param::BreakerThreshold | Param::Partitions | Param::Instances(_)
        )
    }

    /// The value in `scenario` now: where the menu starts a range.
    pub fn current(&self, scenario: &Scenario) -> f64 {
        let fault_at = |i: usize| scenario.faults.get(i).map_or(0.0, |f| f.at_ms);
        match self {
            Param::ArrivalRate => scenario.workload.arrivals.rate_per_s(),
            Param::ServiceTime(i) => scenario.services[*i].service_time_ms.mean_ms(),
            Param::SlowFactor(i) => match &scenario.faults[*i].action {
                Action::Slow { factor, .. } => *factor,
                _ => 1.0,
            },
            Param::FaultLength { fault, restore } => fault_at(*restore) - fault_at(*fault),
            Param::Timeout => scenario.sync.timeout_ms,
            Param::MaxRetries => f64::from(scenario.sync.retry.max_retries),
            Param::BreakerThreshold => f64::from(scenario.sync.circuit_breaker.failure_threshold),
            Param::Partitions => f64::from(scenario.event.partitions),
            Param::Instances(group) => f64::from(scenario.event.consumers.instances_for(group)),
            Param::AutoCommitInterval => scenario.event.auto_commit_interval_ms,
            Param::Retention => scenario.event.retention_ms,
        }
    }

    /// `scenario` with this parameter at `value`, validated; errors name the scenario field.
    pub fn apply(&self, scenario: &Scenario, value: f64) -> Result<Scenario, ScenarioError> {
        let mut out = scenario.clone();
        // Counts were rounded by `values`; the cast only drops a zero fraction.
        let count = value.round().clamp(0.0, f64::from(u32::MAX)) as u32;
        match self {
            Param::ArrivalRate => out.workload.arrivals.set_rate_per_s(value),
            Param::ServiceTime(i) => {
                let spec = &mut out.services[*i];
                spec.service_time_ms = spec.service_time_ms.with_mean_ms(value);
            }
            Param::SlowFactor(i) => {
                if let Action::Slow { factor, .. } = &mut out.faults[*i].action {
                    *factor = value;
                }
            }
            Param::FaultLength { fault, restore } => {
                out.faults[*restore].at_ms = out.faults[*fault].at_ms + value;
            }
            Param::Timeout => out.sync.timeout_ms = value,
            Param::MaxRetries => out.sync.retry.max_retries = count,
            Param::BreakerThreshold => out.sync.circuit_breaker.failure_threshold = count,
            Param::Partitions => out.event.partitions = count,
            Param::Instances(group) => set_instances(&mut out, group, count),
            Param::AutoCommitInterval => out.event.auto_commit_interval_ms = value,
            Param::Retention => out.event.retention_ms = value,
        }
        out.validate()?;
        Ok(out)
    }
}

/// The first later `restore` of the target a kill, hang or slow fault hits.
fn restore_of(scenario: &Scenario, index: usize) -> Option<usize> {
    let fault = &scenario.faults[index];
    let target = match &fault.action {
        Action::Kill(target) | Action::Hang(target) => target.clone(),
        Action::Slow { service, .. } => Target::named(service),
        _ => return None,
    };
    let order = scenario.faults_in_time_order();
    let position = order.iter().position(|&i| i == index)?;
    order[position + 1..]
        .iter()
        .copied()
        .find(|&i| matches!(&scenario.faults[i].action, Action::Restore(t) if *t == target))
}

/// Instances per group as a map, so one group changes and the others keep theirs.
fn set_instances(scenario: &mut Scenario, group: &str, count: u32) {
    let groups = scenario.services.first().map(|s| s.calls.clone());
    let mut map: BTreeMap<String, u32> = groups
        .unwrap_or_default()
        .into_iter()
        .map(|g| {
            let n = scenario.event.consumers.instances_for(&g);
            (g, n)
        })
        .collect();
    map.insert(group.to_string(), count);
    scenario.event.consumers = Consumers::PerGroup(map);
}

/// One world's figures at one point: what the capacity curves plot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldPoint {
    pub requests: u64,
    pub success_rate: f64,
    pub p99_ms: f64,
    pub lost: u64,
    pub duplicated: u64,
    /// p99 time from "done" to the last effect done, for requests told success.
    pub consistency_p99_ms: f64,
}

impl WorldPoint {
    fn of(report: &super::WorldReport) -> WorldPoint {
        WorldPoint {
            requests: report.requests,
            success_rate: report.success_rate(),
            p99_ms: report.latency_ms.p99,
            lost: report.effects.lost,
            duplicated: report.effects.duplicated,
            consistency_p99_ms: report.time_to_consistency_ms.p99,
        }
    }

    /// Lost and duplicated effects together: the curve of wrong outcomes.
    pub fn wrong_effects(&self) -> u64 {
        self.lost + self.duplicated
    }
}

/// One point of a sweep: both worlds at one value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub value: f64,
    pub sync: WorldPoint,
    pub event: WorldPoint,
    /// The event world's highest lag, over all groups and per group.
    pub max_lag: u64,
    pub max_lag_by_group: BTreeMap<String, u64>,
    pub events_simulated: u64,
    pub trace_hash: String,
}

impl SweepPoint {
    /// The point's figures read from a run's report.
    pub fn of(value: f64, report: &Report) -> SweepPoint {
        SweepPoint {
            value,
            sync: WorldPoint::of(&report.sync),
            event: WorldPoint::of(&report.event.world),
            max_lag: report.event.max_lag,
            max_lag_by_group: (report.event.groups.iter())
                .map(|(name, group)| (name.clone(), group.max_lag))
                .collect(),
            events_simulated: report.events_simulated,
            trace_hash: report.trace_hash.clone(),
        }
    }

    pub fn world(&self, world: World) -> &WorldPoint {
        match world {
            World::Sync => &self.sync,
            World::Event => &self.event,
        }
    }
}

/// A checked sweep: the parameter, the values, and each point's scenario ready to run.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub spec: SweepSpec,
    pub param: Param,
    pub scenarios: Vec<Scenario>,
}

impl Sweep {
    /// Checks `spec` against `base` and builds every point; errors name `sweep.*`.
    pub fn new(base: &Scenario, spec: SweepSpec) -> Result<Sweep, ScenarioError> {
        let param = Param::parse(base, &spec.path)?;
        if !(MIN_POINTS..=MAX_POINTS).contains(&spec.points) {
            let problem = Problem::range(MIN_POINTS, MAX_POINTS, spec.points);
            return Err(error("sweep.points", problem));
        }
        for (field, value) in [("sweep.from", spec.from), ("sweep.to", spec.to)] {
            if !value.is_finite() {
                return Err(error(
                    field,
                    Problem::ExpectedNumber {
                        got: value.to_string(),
                    },
                ));
            }
            param
                .apply(base, round_if(&param, value))
                .map_err(|e| e.within(field, ": "))?;
        }
        let scenarios = values(&param, &spec)
            .into_iter()
            .map(|value| {
                param
                    .apply(base, value)
                    .map_err(|e| e.within("sweep", ": "))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Sweep {
            spec,
            param,
            scenarios,
        })
    }

    /// The values the points run at, in sweep order.
    pub fn values(&self) -> Vec<f64> {
        values(&self.param, &self.spec)
    }

    /// Runs point `index` to its end; the same run as `ripple-sim` on that scenario.
    pub fn run_point(&self, index: usize) -> SweepPoint {
        let scenario = self.scenarios[index].clone();
        let value = self.values()[index];
        // Sweeps keep no trace for readers; the trace hash still covers every event.
        let mut sim =
            Simulation::with_trace_capacity(scenario, 0).expect("Sweep::new validated every point");
        sim.run_to_end();
        SweepPoint::of(value, &sim.report())
    }

    /// Every point, one after another (the CLI; the page runs them in a worker).
    pub fn run_all(&self) -> Vec<SweepPoint> {
        (0..self.scenarios.len())
            .map(|i| self.run_point(i))
            .collect()
    }
}

fn round_if(param: &Param, value: f64) -> f64 {
    if param.is_whole() {
        value.round()
    } else {
        value
    }
}

/// Evenly spaced from `from` to `to`; counts are rounded and repeats dropped, so a sweep of
/// 1..4 partitions over 10 points runs 4.
fn values(param: &Param, spec: &SweepSpec) -> Vec<f64> {
    let steps = f64::from(spec.points.max(MIN_POINTS) - 1);
    let mut out: Vec<f64> = Vec::with_capacity(spec.points as usize);
    for i in 0..spec.points.max(MIN_POINTS) {
        let t = f64::from(i) / steps;
        let value = round_if(param, spec.from + (spec.to - spec.from) * t);
        // Six significant digits: 0.1 steps print as 0.3, not 0.30000000000000004.
        let value = tidy(value);
        if out.last() != Some(&value) {
            out.push(value);
        }
    }
    out
}

fn tidy(value: f64) -> f64 {
    if value == 0.0 {
        return 0.0;
    }
    let digits = 6 - (value.abs().log10().floor() as i32) - 1;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (value * scale).round() / scale
}

/// A threshold a curve crossed, read from the numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Knee {
    /// Success fell below [`SUCCESS_KNEE`] at `at` (interpolated between points).
    SuccessFalls { world: World, at: f64 },
    /// Success was below [`SUCCESS_KNEE`] already at the first point, `from`.
    SuccessBelow { world: World, from: f64 },
    /// Success stayed at or above [`SUCCESS_KNEE`] over the whole range.
    SuccessHolds { world: World, up_to: f64 },
    /// p99 latency passed [`P99_KNEE_MS`] at `at`.
    SlowFrom { world: World, at: f64 },
    /// Effects were first lost or duplicated at this point.
    WrongFrom { world: World, at: f64 },
    /// A group's lag passed [`LAG_KNEE`] events at `at`.
    LagFrom { group: String, at: f64 },
}

/// The knees of a table, sync first, in the order a reader compares them.
pub fn knees(param: &Param, points: &[SweepPoint]) -> Vec<Knee> {
    let Some(last) = points.last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for world in World::BOTH {
        let success: Vec<f64> = points.iter().map(|p| p.world(world).success_rate).collect();
        match crossing(param, points, &success, SUCCESS_KNEE, false) {
            Some(_) if success[0] < SUCCESS_KNEE => out.push(Knee::SuccessBelow {
                world,
                from: points[0].value,
            }),
            Some(at) => out.push(Knee::SuccessFalls { world, at }),
            None => out.push(Knee::SuccessHolds {
                world,
                up_to: last.value,
            }),
        }
        let p99: Vec<f64> = points.iter().map(|p| p.world(world).p99_ms).collect();
        if let Some(at) = crossing(param, points, &p99, P99_KNEE_MS, true) {
            out.push(Knee::SlowFrom { world, at });
        }
        let wrong: Vec<f64> = points
            .iter()
            .map(|p| p.world(world).wrong_effects() as f64)
            .collect();
        if let Some(i) = wrong.iter().position(|&y| y > 0.0) {
            out.push(Knee::WrongFrom {
                world,
                at: points[i].value,
            });
        }
    }
    for group in last.max_lag_by_group.keys() {
        let lag: Vec<f64> = (points.iter())
            .map(|p| p.max_lag_by_group.get(group).copied().unwrap_or(0) as f64)
            .collect();
        if let Some(at) = crossing(param, points, &lag, LAG_KNEE as f64, true) {
            out.push(Knee::LagFrom {
                group: group.clone(),
                at,
            });
        }
    }
    out
}

/// Where a series first passes `threshold` (upwards if `rising`, else downwards): the first
/// point's value if it is past there, else where the straight line between the last point
/// before and the first point past it meets the threshold (counts take the first point past
/// it, since between two counts there is none).
fn crossing(
    param: &Param,
    points: &[SweepPoint],
    ys: &[f64],
    threshold: f64,
    rising: bool,
) -> Option<f64> {
    let past = |y: f64| if rising { y > threshold } else { y < threshold };
    let i = ys.iter().position(|&y| past(y))?;
    if i == 0 || param.is_whole() {
        return Some(points[i].value);
    }
    let (x0, x1) = (points[i - 1].value, points[i].value);
    let (y0, y1) = (ys[i - 1], ys[i]);
    // y0 is not past the threshold and y1 is, so they differ and the share lies in (0, 1].
    let share = (threshold - y0) / (y1 - y0);
    Some(tidy(x0 + (x1 - x0) * share))
}

/// The whole result: what the CLI prints and the page exports as JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepTable {
    pub scenario: String,
    pub seed: u64,
    pub sweep: SweepSpec,
    pub points: Vec<SweepPoint>,
    pub knees: Vec<Knee>,
}

impl SweepTable {
    pub fn new(sweep: &Sweep, base: &Scenario, points: Vec<SweepPoint>) -> SweepTable {
        SweepTable {
            scenario: base.name.clone(),
            seed: base.seed,
            sweep: sweep.spec.clone(),
            knees: knees(&sweep.param, &points),
            points,
        }
    }

    /// The table as CSV: one row per point, both worlds side by side, a column per group.
    pub fn to_csv(&self) -> String {
        let groups: Vec<&String> = (self.points.first())
            .map(|p| p.max_lag_by_group.keys().collect())
            .unwrap_or_default();
        let mut out = String::from(
            "value,sync_success_rate,event_success_rate,sync_p99_ms,event_p99_ms,\
             sync_lost,event_lost,sync_duplicated,event_duplicated,\
             sync_consistency_p99_ms,event_consistency_p99_ms,max_lag",
        );
        for group in &groups {
            out.push_str(&format!(",max_lag_{group}"));
        }
        out.push('\n');
        for p in &self.points {
            let (s, e) = (&p.sync, &p.event);
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                p.value,
                s.success_rate,
                e.success_rate,
                s.p99_ms,
                e.p99_ms,
                s.lost,
                e.lost,
                s.duplicated,
                e.duplicated,
                s.consistency_p99_ms,
                e.consistency_p99_ms,
                p.max_lag
            ));
            for group in &groups {
                let lag = p.max_lag_by_group.get(*group).copied().unwrap_or(0);
                out.push_str(&format!(",{lag}"));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests;
