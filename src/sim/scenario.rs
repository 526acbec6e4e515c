//! The scenario format: the JSON that the CLI runs, the browser imports and exports, and presets ship as.
//!
//! Every field but `services` has a default, so a minimal scenario is a few lines.
//! [`Scenario::from_json`] parses and validates; every error names the field it is
//! about, in the same path syntax the README documents (`services[1].workers`).

use super::dist::DurationDist;
use super::problem::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Upper bounds that keep every run bounded in memory and time.
pub mod limits {
    pub const MAX_SERVICES: usize = 16;
    /// Callees of one service at most, so a stage can lay out any tree side by side.
    pub const MAX_FAN_OUT: usize = 8;
    /// Levels of the tree at most, the entry's included, so every level fits a stage's width.
    pub const MAX_DEPTH: usize = 5;
    pub const MAX_WORKERS: u32 = 10_000;
    pub const MAX_QUEUE: u32 = 1_000_000;
    pub const MAX_RATE_PER_S: f64 = 100_000.0;
    pub const MAX_DURATION_MS: u64 = 24 * 3_600_000;
    pub const MAX_TIMEOUT_MS: f64 = 3_600_000.0;
    pub const MAX_RETRIES: u32 = 20;
    pub const MAX_BROKERS: u32 = 16;
    pub const MAX_PARTITIONS: u32 = 256;
    pub const MAX_INSTANCES: u32 = 256;
    pub const MAX_FAULTS: usize = 10_000;
    pub const MAX_KINDS: usize = 16;
    pub const MAX_LOG_EVENTS: u32 = 2_000_000;
}

/// A whole scenario: topology, workload, settings of both worlds and a fault timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "defaults::name")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The scenario's key claim as a goal over its report (see `goal.rs`), e.g.
    /// `event.effects.lost == 0 && sync.effects.lost > 0`; tests hold every preset to it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub expect: String,
    #[serde(default = "defaults::seed")]
    pub seed: u64,
    #[serde(default = "defaults::duration_ms")]
    pub duration_ms: u64,
    /// One-way latency of every call and broker round trip leg.
    #[serde(default = "defaults::network_latency_ms")]
    pub network_latency_ms: f64,
    #[serde(default)]
    pub workload: Workload,
    /// The service tree, entry service first.
    pub services: Vec<ServiceSpec>,
    #[serde(default)]
    pub sync: SyncSettings,
    #[serde(default)]
    pub event: EventSettings,
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    #[serde(default)]
    pub arrivals: Arrivals,
    /// Request kinds sharing the entry service; empty means one kind that touches every service.
    #[serde(default)]
    pub kinds: Vec<RequestKind>,
    /// Distinct user ids; an event's key is its user id, which picks its partition.
    #[serde(default = "defaults::users")]
    pub users: u32,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            arrivals: Arrivals::default(),
            kinds: Vec::new(),
            users: defaults::users(),
        }
    }
}

/// How user requests arrive at the entry service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Arrivals {
    Poisson {
        rate_per_s: f64,
    },
    Constant {
        rate_per_s: f64,
    },
    /// Poisson at `rate_per_s`, switching to `burst_rate_per_s` for `burst_ms` every `every_ms`.
    Bursty {
        rate_per_s: f64,
        burst_rate_per_s: f64,
        every_ms: f64,
        burst_ms: f64,
    },
}

impl Default for Arrivals {
    fn default() -> Self {
        Arrivals::Poisson { rate_per_s: 40.0 }
    }
}

impl Arrivals {
    /// The base rate, which the UI's arrival-rate control edits.
    pub fn rate_per_s(&self) -> f64 {
        match *self {
            Arrivals::Poisson { rate_per_s } | Arrivals::Constant { rate_per_s } => rate_per_s,
            Arrivals::Bursty { rate_per_s, .. } => rate_per_s,
        }
    }

    /// Sets the base rate; a bursty workload keeps its burst rate and timing.
    pub fn set_rate_per_s(&mut self, rate: f64) {
        match self {
            Arrivals::Poisson { rate_per_s }
            | Arrivals::Constant { rate_per_s }
            | Arrivals::Bursty { rate_per_s, .. } => *rate_per_s = rate,
        }
    }
}

/// A kind of request, e.g. `signup` touching every service and `login` touching only `cache`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestKind {
    pub name: String,
    #[serde(default = "defaults::weight")]
    pub weight: f64,
    /// The non-entry services this kind needs; empty means all of them.
    #[serde(default)]
    pub touches: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CallMode {
    Sequential,
    #[default]
    Parallel,
}

/// One service: its capacity, its speed, and whom it calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub name: String,
    /// What this service's work means to a user, e.g. "welcome email sent".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effect: String,
    #[serde(default = "defaults::workers")]
    pub workers: u32,
    #[serde(default = "defaults::queue_capacity")]
    pub queue_capacity: u32,
    #[serde(default = "defaults::service_time")]
    pub service_time_ms: DurationDist,
    #[serde(default)]
    pub calls: Vec<String>,
    #[serde(default)]
    pub call_mode: CallMode,
    #[serde(default)]
    pub error_rate: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    #[serde(default = "defaults::timeout_ms")]
    pub timeout_ms: f64,
    #[serde(default)]
    pub retry: RetrySettings,
    #[serde(default)]
    pub circuit_breaker: BreakerSettings,
    /// A failed call is answered by a fallback: the caller carries on, the effect is lost.
    #[serde(default)]
    pub fallback: bool,
    /// How long it takes to change and redeploy a caller so it calls a new service.
    #[serde(default = "defaults::redeploy_ms")]
    pub redeploy_ms: f64,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            timeout_ms: defaults::timeout_ms(),
            retry: RetrySettings::default(),
            circuit_breaker: BreakerSettings::default(),
            fallback: false,
            redeploy_ms: defaults::redeploy_ms(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySettings {
    /// Retries after the first attempt; 0 turns retrying off.
    #[serde(default)]
    pub max_retries: u32,
    #[serde(default = "defaults::backoff_ms")]
    pub backoff_ms: f64,
    #[serde(default = "defaults::backoff_multiplier")]
    pub multiplier: f64,
    #[serde(default = "defaults::max_backoff_ms")]
    pub max_backoff_ms: f64,
    /// Full jitter: each wait is uniform between 0 and the computed backoff.
    #[serde(default = "defaults::yes")]
    pub jitter: bool,
}

impl RetrySettings {
    /// The wait before retry number `retry` (1 for the first): the backoff grown by the
    /// multiplier and capped, never below `floor_ms`. Full jitter, where it applies, is
    /// drawn by the caller, which owns the random stream.
    pub fn wait_ms(&self, retry: u32, floor_ms: f64) -> f64 {
        let exponent = retry.clamp(1, 31) as i32 - 1;
        (self.backoff_ms.max(floor_ms) * self.multiplier.powi(exponent))
            .min(self.max_backoff_ms.max(floor_ms))
    }
}

impl Default for RetrySettings {
    fn default() -> Self {
        RetrySettings {
            max_retries: 0,
            backoff_ms: defaults::backoff_ms(),
            multiplier: defaults::backoff_multiplier(),
            max_backoff_ms: defaults::max_backoff_ms(),
            jitter: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerSettings {
    #[serde(default)]
    pub enabled: bool,
    /// Consecutive failures that open the breaker.
    #[serde(default = "defaults::breaker_threshold")]
    pub failure_threshold: u32,
    /// How long it stays open before letting one trial call through (half-open).
    #[serde(default = "defaults::breaker_open_ms")]
    pub open_ms: f64,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        BreakerSettings {
            enabled: false,
            failure_threshold: defaults::breaker_threshold(),
            open_ms: defaults::breaker_open_ms(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Acks {
    #[serde(rename = "0")]
    Zero,
    #[serde(rename = "1")]
    One,
    #[default]
    #[serde(rename = "all")]
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CommitMode {
    /// At-most-once: the offset is committed as soon as an event is fetched.
    BeforeProcessing,
    /// At-least-once: committed once the event is fully processed.
    AfterProcessing,
    /// Kafka's default: the consumed position is committed every `auto_commit_interval_ms`.
    #[default]
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StartFrom {
    Earliest,
    #[default]
    Latest,
}

/// Instances per consumer group: one number for every group, or a map by group name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Consumers {
    Uniform(u32),
    PerGroup(BTreeMap<String, u32>),
}

impl Default for Consumers {
    fn default() -> Self {
        Consumers::Uniform(1)
    }
}

impl Consumers {
    /// Instances for `group`; a group missing from the map gets one.
    pub fn instances_for(&self, group: &str) -> u32 {
        match self {
            Consumers::Uniform(n) => *n,
            Consumers::PerGroup(map) => map.get(group).copied().unwrap_or(1),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSettings {
    #[serde(default = "defaults::brokers")]
    pub brokers: u32,
    #[serde(default = "defaults::partitions")]
    pub partitions: u32,
    #[serde(default = "defaults::replication_factor")]
    pub replication_factor: u32,
    #[serde(default)]
    pub acks: Acks,
    #[serde(default = "defaults::retention_ms")]
    pub retention_ms: f64,
    #[serde(default)]
    pub commit: CommitMode,
    #[serde(default = "defaults::auto_commit_interval_ms")]
    pub auto_commit_interval_ms: f64,
    /// Consumers skip an event id they have already applied.
    #[serde(default)]
    pub idempotent: bool,
    /// Where a group with no committed offset starts; groups present at t=0 start at the beginning.
    #[serde(default)]
    pub start_from: StartFrom,
    #[serde(default)]
    pub consumers: Consumers,
    /// Share of events that no consumer can parse.
    #[serde(default)]
    pub poison_rate: f64,
    /// Failed events are parked in a dead-letter queue instead of blocking their partition.
    #[serde(default)]
    pub dlq: bool,
    /// Processing attempts for one event before it is parked (DLQ) or retried forever (no DLQ).
    #[serde(default = "defaults::max_processing_attempts")]
    pub max_processing_attempts: u32,
    #[serde(default = "defaults::rebalance_ms")]
    pub rebalance_ms: f64,
    /// Delay before followers copy a leader's new events.
    #[serde(default = "defaults::replication_delay_ms")]
    pub replication_delay_ms: f64,
    /// Time to elect a new leader after a broker dies.
    #[serde(default = "defaults::failover_ms")]
    pub failover_ms: f64,
    /// How long a producer waits for an acknowledgement before telling the user it failed.
    #[serde(default = "defaults::producer_timeout_ms")]
    pub producer_timeout_ms: f64,
    /// A size cap on the log, like Kafka's retention.bytes: the oldest events go first.
    #[serde(default = "defaults::max_log_events")]
    pub max_log_events: u32,
}

impl Default for EventSettings {
    fn default() -> Self {
        read_value(serde_json::Value::Object(Default::default()))
            .expect("every event setting has a default")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    Kill,
    Hang,
    Slow,
    Restore,
    AddService,
    RemoveService,
    Scale,
    /// Changes live settings from now on (see [`LIVE_SETTINGS`]): the "what if I had set acks=all here".
    Configure,
}

impl FaultSpec {
    /// `action` on `target` at t=0, with no optional fields; set the rest with struct update syntax.
    pub fn new(action: FaultAction, target: &str) -> FaultSpec {
        FaultSpec {
            at_ms: 0.0,
            action,
            target: target.to_string(),
            factor: None,
            instances: None,
            service: None,
            start_from: None,
            set: None,
        }
    }
}

/// The settings a `configure` action may change mid-run, as dotted paths (and anything under them).
///
/// These are read by the engine each time they matter, so a change takes effect at
/// once. Shapes fixed at the start (partitions, brokers, services) are not here.
pub const LIVE_SETTINGS: &[&str] = &[
    "sync.timeout_ms",
    "sync.retry",
    "sync.circuit_breaker",
    "sync.fallback",
    "event.acks",
    "event.commit",
    "event.auto_commit_interval_ms",
    "event.idempotent",
    "event.retention_ms",
    "event.dlq",
    "event.max_processing_attempts",
    "event.producer_timeout_ms",
    "workload.arrivals",
];

/// Whether `path` is one of [`LIVE_SETTINGS`] or lies under one.
pub fn is_live_setting(path: &str) -> bool {
    LIVE_SETTINGS.iter().any(|live| {
        path == *live
            || path
                .strip_prefix(live)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The JSON node at a dotted path; an array of named objects is indexed by name.
pub fn json_node_mut<'v>(
    root: &'v mut serde_json::Value,
    path: &str,
) -> Option<&'v mut serde_json::Value> {
    use serde_json::Value;
    let mut here = root;
    for step in path.split('.') {
        here = match here {
            Value::Object(map) => map.get_mut(step)?,
            Value::Array(items) => items
                .iter_mut()
                .find(|item| item.get("name").and_then(Value::as_str) == Some(step))?,
            _ => return None,
        };
    }
    Some(here)
}

/// One entry of the fault timeline, applied to both worlds at the same simulated time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub at_ms: f64,
    pub action: FaultAction,
    /// A service name, or `broker-N`; for `add_service`, the caller of the new service;
    /// empty for `configure`.
    #[serde(default)]
    pub target: String,
    /// `slow`: the service-time multiplier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// `scale`: the group's new instance count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<u32>,
    /// `add_service`: the new service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceSpec>,
    /// `add_service`: where the new consumer group starts reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_from: Option<StartFrom>,
    /// `configure`: new values by setting path, e.g. `{"event.acks": "all"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<BTreeMap<String, serde_json::Value>>,
}

mod defaults {
    use super::DurationDist;
    pub fn name() -> String {
        "untitled".to_string()
    }
    pub fn seed() -> u64 {
        1
    }
    pub fn duration_ms() -> u64 {
        60_000
    }
    pub fn network_latency_ms() -> f64 {
        0.5
    }
    pub fn users() -> u32 {
        10_000
    }
    pub fn weight() -> f64 {
        1.0
    }
    pub fn workers() -> u32 {
        8
    }
    pub fn queue_capacity() -> u32 {
        64
    }
    pub fn service_time() -> DurationDist {
        DurationDist::Exponential { mean: 10.0 }
    }
    pub fn timeout_ms() -> f64 {
        1_000.0
    }
    pub fn redeploy_ms() -> f64 {
        10_000.0
    }
    pub fn backoff_ms() -> f64 {
        50.0
    }
    pub fn backoff_multiplier() -> f64 {
        2.0
    }
    pub fn max_backoff_ms() -> f64 {
        2_000.0
    }
    pub fn yes() -> bool {
        true
    }
    pub fn breaker_threshold() -> u32 {
        5
    }
    pub fn breaker_open_ms() -> f64 {
        5_000.0
    }
    pub fn brokers() -> u32 {
        3
    }
    pub fn partitions() -> u32 {
        6
    }
    pub fn replication_factor() -> u32 {
        3
    }
    pub fn retention_ms() -> f64 {
        // Kafka's default, seven days.
        604_800_000.0
    }
    pub fn auto_commit_interval_ms() -> f64 {
        5_000.0
    }
    pub fn max_processing_attempts() -> u32 {
        3
    }
    pub fn rebalance_ms() -> f64 {
        1_000.0
    }
    pub fn replication_delay_ms() -> f64 {
        5.0
    }
    pub fn failover_ms() -> f64 {
        500.0
    }
    pub fn producer_timeout_ms() -> f64 {
        1_000.0
    }
    pub fn max_log_events() -> u32 {
        200_000
    }
}

/// A problem with a scenario: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The path of the field, e.g. `services[1].workers`; empty for the document itself.
    pub field: String,
    pub problem: Problem,
}

impl ScenarioError {
    /// What is wrong, in English (the browser translates [`ScenarioError::problem`]).
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    /// The same error with its field path under `prefix`, joined by `separator`
    /// (`.` inside a JSON document, `: ` after a file or URL parameter name).
    pub fn within(self, prefix: &str, separator: &str) -> ScenarioError {
        let field = if self.field.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}{separator}{}", self.field)
        };
        error(field, self.problem)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}

impl std::error::Error for ScenarioError {}

pub(crate) fn error(field: impl Into<String>, problem: Problem) -> ScenarioError {
    ScenarioError {
        field: field.into(),
        problem,
    }
}

/// Renders serde's path (`services.1.workers`) the way users write it (`services[1].workers`).
pub(super) fn display_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// A unit enum's name as the scenario format writes it (`"all"`, `"after_processing"`), so
/// controls show the same words the JSON uses without a second list of them.
pub fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => other.map(|v| v.to_string()).unwrap_or_default(),
    }
}

/// Reads JSON text into `T`, naming the field that is wrong.
///
/// Every typed read in the crate goes through [`read_value`], so each type's
/// deserializer is compiled once, over `serde_json::Value`, instead of once per kind
/// of input (text, bytes, value) with and without path tracking: in the browser that
/// halved what serde costs in download size. Syntax errors keep their line and column.
pub fn read_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ScenarioError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|err| error("", Problem::from_json_error(&err)))?;
    read_value(value)
}

/// Reads a JSON value into `T`, naming the field that is wrong (see [`read_json`]).
pub fn read_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, ScenarioError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        error(
            display_path(err.path()),
            Problem::from_json_error(err.inner()),
        )
    })
}

impl Scenario {
    /// Parses and validates scenario JSON.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = read_json(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario as pretty JSON, in the same format `from_json` reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenarios always serialise")
    }

    /// This scenario's settings with the `configure` values in `set` applied, validated.
    ///
    /// Only [`LIVE_SETTINGS`] may change; the faults are left out of the check, so a
    /// `configure` fault can use this while its own scenario is being validated.
    pub fn configured(
        &self,
        set: &BTreeMap<String, serde_json::Value>,
    ) -> Result<Scenario, ScenarioError> {
        let without_faults = Scenario {
            faults: Vec::new(),
            ..self.clone()
        };
        let patched = without_faults.with_values(set, |path| {
            is_live_setting(path)
                .then_some(())
                .ok_or_else(|| Problem::NotLiveSetting {
                    settings: LIVE_SETTINGS.join(", "),
                })
        })?;
        Ok(Scenario {
            faults: self.faults.clone(),
            ..patched
        })
    }

    /// This scenario with each value in `set` written at its dotted path, then read and
    /// validated again. `may_change` refuses a path with its reason; errors name the path.
    pub fn with_values(
        &self,
        set: &BTreeMap<String, serde_json::Value>,
        may_change: impl Fn(&str) -> Result<(), Problem>,
    ) -> Result<Scenario, ScenarioError> {
        let mut json = serde_json::to_value(self).expect("scenarios always serialise");
        for (path, value) in set {
            may_change(path).map_err(|reason| error(path.clone(), reason))?;
            let slot = json_node_mut(&mut json, path)
                .ok_or_else(|| error(path.clone(), Problem::NoSuchSetting {}))?;
            *slot = value.clone();
        }
        let patched: Scenario = read_value(json)?;
        patched.validate()?;
        Ok(patched)
    }

    /// Fault indices in firing order: by time, ties in file order.
    pub fn faults_in_time_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.faults.len()).collect();
        order.sort_by(|&a, &b| {
            self.faults[a]
                .at_ms
                .total_cmp(&self.faults[b].at_ms)
                .then(a.cmp(&b))
        });
        order
    }

    /// Index of a service by name.
    pub fn service_index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }

    /// Checks every value against its range and the topology for a single rooted tree.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.duration_ms == 0 || self.duration_ms > limits::MAX_DURATION_MS {
            return Err(error(
                "duration_ms",
                Problem::range(1, limits::MAX_DURATION_MS, self.duration_ms),
            ));
        }
        check_range("network_latency_ms", self.network_latency_ms, 0.0, 60_000.0)?;
        self.validate_workload()?;
        validate_services(&self.services)?;
        self.validate_kinds()?;
        self.validate_sync()?;
        self.validate_event()?;
        self.validate_faults()?;
        if !self.expect.is_empty() {
            super::goal::Goal::parse(&self.expect).map_err(|e| error("expect", e.problem))?;
        }
        Ok(())
    }

    fn validate_workload(&self) -> Result<(), ScenarioError> {
        let rate = |field: &str, value: f64| check_range(field, value, 0.0, limits::MAX_RATE_PER_S);
        match self.workload.arrivals {
            Arrivals::Poisson { rate_per_s } | Arrivals::Constant { rate_per_s } => {
                rate("workload.arrivals.rate_per_s", rate_per_s)?
            }
            Arrivals::Bursty {
                rate_per_s,
                burst_rate_per_s,
                every_ms,
                burst_ms,
            } => {
                rate("workload.arrivals.rate_per_s", rate_per_s)?;
                rate("workload.arrivals.burst_rate_per_s", burst_rate_per_s)?;
                check_range(
                    "workload.arrivals.every_ms",
                    every_ms,
                    1.0,
                    limits::MAX_DURATION_MS as f64,
                )?;
                check_range("workload.arrivals.burst_ms", burst_ms, 0.0, every_ms)?;
            }
        }
        if self.workload.users == 0 {
            return Err(error(
                "workload.users",
                Problem::AtLeast {
                    min: "1".into(),
                    got: "0".into(),
                },
            ));
        }
        Ok(())
    }

    fn validate_kinds(&self) -> Result<(), ScenarioError> {
        let kinds = &self.workload.kinds;
        if kinds.len() > limits::MAX_KINDS {
            return Err(error(
                "workload.kinds",
                Problem::too_many(limits::MAX_KINDS, kinds.len()),
            ));
        }
        for (index, kind) in kinds.iter().enumerate() {
            let at = format!("workload.kinds[{index}]");
            check_name(&format!("{at}.name"), &kind.name)?;
            if kinds[..index].iter().any(|k| k.name == kind.name) {
                return Err(error(
                    format!("{at}.name"),
                    Problem::UsedTwice {
                        name: kind.name.clone(),
                    },
                ));
            }
            check_range(&format!("{at}.weight"), kind.weight, 0.0, 1e9)?;
            for (t, touched) in kind.touches.iter().enumerate() {
                match self.service_index(touched) {
                    None => {
                        return Err(error(
                            format!("{at}.touches[{t}]"),
                            Problem::NoSuchService {
                                name: touched.clone(),
                            },
                        ));
                    }
                    Some(0) => {
                        return Err(error(
                            format!("{at}.touches[{t}]"),
                            Problem::EntryInTouches {},
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if !kinds.is_empty() && kinds.iter().all(|k| k.weight == 0.0) {
            return Err(error("workload.kinds", Problem::NoKindWeight {}));
        }
        Ok(())
    }

    fn validate_sync(&self) -> Result<(), ScenarioError> {
        let sync = &self.sync;
        check_range(
            "sync.timeout_ms",
            sync.timeout_ms,
            0.001,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range(
            "sync.redeploy_ms",
            sync.redeploy_ms,
            0.0,
            limits::MAX_DURATION_MS as f64,
        )?;
        let retry = &sync.retry;
        if retry.max_retries > limits::MAX_RETRIES {
            return Err(error(
                "sync.retry.max_retries",
                Problem::range(0, limits::MAX_RETRIES, retry.max_retries),
            ));
        }
        check_range(
            "sync.retry.backoff_ms",
            retry.backoff_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range("sync.retry.multiplier", retry.multiplier, 1.0, 10.0)?;
        check_range(
            "sync.retry.max_backoff_ms",
            retry.max_backoff_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        let breaker = &sync.circuit_breaker;
        if breaker.failure_threshold == 0 || breaker.failure_threshold > 1_000 {
            return Err(error(
                "sync.circuit_breaker.failure_threshold",
                Problem::range(1, 1_000, breaker.failure_threshold),
            ));
        }
        check_range(
            "sync.circuit_breaker.open_ms",
            breaker.open_ms,
            1.0,
            limits::MAX_TIMEOUT_MS,
        )
    }

    fn validate_event(&self) -> Result<(), ScenarioError> {
        let event = &self.event;
        let count = |field: &str, value: u32, min: u32, max: u32| {
            if value < min || value > max {
                Err(error(field, Problem::range(min, max, value)))
            } else {
                Ok(())
            }
        };
        count("event.brokers", event.brokers, 1, limits::MAX_BROKERS)?;
        count(
            "event.partitions",
            event.partitions,
            1,
            limits::MAX_PARTITIONS,
        )?;
        count(
            "event.replication_factor",
            event.replication_factor,
            1,
            event.brokers,
        )
        .map_err(|e| {
            let Problem::Range { min, max, got } = e.problem else {
                return e;
            };
            error(e.field, Problem::RangeBelowBrokers { min, max, got })
        })?;
        check_range("event.retention_ms", event.retention_ms, 1.0, 1e12)?;
        check_range(
            "event.auto_commit_interval_ms",
            event.auto_commit_interval_ms,
            1.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        match &event.consumers {
            Consumers::Uniform(n) => count("event.consumers", *n, 0, limits::MAX_INSTANCES)?,
            Consumers::PerGroup(map) => {
                for (group, n) in map {
                    let field = format!("event.consumers.{group}");
                    if self.service_index(group).is_none() {
                        return Err(error(
                            field,
                            Problem::NoSuchService {
                                name: group.clone(),
                            },
                        ));
                    }
                    count(&field, *n, 0, limits::MAX_INSTANCES)?;
                }
            }
        }
        check_range("event.poison_rate", event.poison_rate, 0.0, 1.0)?;
        count(
            "event.max_processing_attempts",
            event.max_processing_attempts,
            1,
            1_000,
        )?;
        check_range(
            "event.rebalance_ms",
            event.rebalance_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range(
            "event.replication_delay_ms",
            event.replication_delay_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range(
            "event.failover_ms",
            event.failover_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range(
            "event.producer_timeout_ms",
            event.producer_timeout_ms,
            0.001,
            limits::MAX_TIMEOUT_MS,
        )?;
        count(
            "event.max_log_events",
            event.max_log_events,
            1,
            limits::MAX_LOG_EVENTS,
        )
    }

    fn validate_faults(&self) -> Result<(), ScenarioError> {
        if self.faults.len() > limits::MAX_FAULTS {
            return Err(error(
                "faults",
                Problem::too_many(limits::MAX_FAULTS, self.faults.len()),
            ));
        }
        // Services that exist at each point of the timeline, in time order.
        let order = self.faults_in_time_order();
        let mut names: Vec<String> = self.services.iter().map(|s| s.name.clone()).collect();
        // Levels and callee counts by name index, so an added service keeps the tree's limits.
        let mut levels = tree_levels(&self.services);
        let mut fan_out: Vec<usize> = self.services.iter().map(|s| s.calls.len()).collect();
        for index in order {
            let fault = &self.faults[index];
            let at = format!("faults[{index}]");
            check_range(
                &format!("{at}.at_ms"),
                fault.at_ms,
                0.0,
                limits::MAX_DURATION_MS as f64,
            )?;
            let target = fault.target.as_str();
            let broker = parse_broker(target);
            let known_service = names.iter().any(|n| n == target);
            let target_error = || {
                error(
                    format!("{at}.target"),
                    Problem::NotATarget {
                        target: target.to_string(),
                        last_broker: (self.event.brokers - 1).to_string(),
                    },
                )
            };
            match fault.action {
                FaultAction::Kill | FaultAction::Hang | FaultAction::Restore => match broker {
                    Some(Ok(b)) if b < self.event.brokers && fault.action == FaultAction::Hang => {
                        return Err(error(format!("{at}.action"), Problem::BrokerCannotHang {}));
                    }
                    Some(Ok(b)) if b < self.event.brokers => {}
                    Some(_) => return Err(target_error()),
                    None if !known_service => return Err(target_error()),
                    None => {}
                },
                FaultAction::Slow => {
                    if !known_service {
                        return Err(target_error());
                    }
                    let factor = fault.factor.ok_or_else(|| {
                        error(format!("{at}.factor"), Problem::SlowNeedsFactor {})
                    })?;
                    check_range(&format!("{at}.factor"), factor, 1.0, 1_000.0)?;
                }
                FaultAction::Scale => {
                    let group_ok =
                        names.iter().skip(1).any(|n| n == target) && self.is_consumer_group(target);
                    if !group_ok {
                        return Err(error(
                            format!("{at}.target"),
                            Problem::NotAGroup {
                                target: target.to_string(),
                            },
                        ));
                    }
                    let instances = fault.instances.ok_or_else(|| {
                        error(format!("{at}.instances"), Problem::ScaleNeedsInstances {})
                    })?;
                    if instances > limits::MAX_INSTANCES {
                        return Err(error(
                            format!("{at}.instances"),
                            Problem::range(0, limits::MAX_INSTANCES, instances),
                        ));
                    }
                }
                FaultAction::AddService => {
                    if !known_service {
                        return Err(error(
                            format!("{at}.target"),
                            Problem::CallerNotAService {
                                target: target.to_string(),
                            },
                        ));
                    }
                    let spec = fault.service.as_ref().ok_or_else(|| {
                        error(format!("{at}.service"), Problem::AddNeedsService {})
                    })?;
                    if names.len() >= limits::MAX_SERVICES {
                        return Err(error(
                            format!("{at}.service"),
                            Problem::too_many(limits::MAX_SERVICES, names.len() + 1),
                        ));
                    }
                    if names.contains(&spec.name) {
                        return Err(error(
                            format!("{at}.service.name"),
                            Problem::AlreadyExists {
                                name: spec.name.clone(),
                            },
                        ));
                    }
                    if !spec.calls.is_empty() {
                        return Err(error(
                            format!("{at}.service.calls"),
                            Problem::AddedServiceHasCalls {},
                        ));
                    }
                    validate_service_fields(&format!("{at}.service"), spec)?;
                    let caller = names.iter().position(|n| n == target).unwrap_or(0);
                    if fan_out[caller] >= limits::MAX_FAN_OUT {
                        return Err(error(
                            format!("{at}.target"),
                            Problem::too_many(limits::MAX_FAN_OUT, fan_out[caller] + 1),
                        ));
                    }
                    if levels[caller] + 1 > limits::MAX_DEPTH {
                        return Err(error(
                            format!("{at}.service.name"),
                            Problem::TooDeep {
                                name: spec.name.clone(),
                                max: limits::MAX_DEPTH.to_string(),
                            },
                        ));
                    }
                    fan_out[caller] += 1;
                    fan_out.push(0);
                    levels.push(levels[caller] + 1);
                    names.push(spec.name.clone());
                }
                FaultAction::Configure => {
                    let set = fault
                        .set
                        .as_ref()
                        .filter(|set| !set.is_empty())
                        .ok_or_else(|| {
                            error(format!("{at}.set"), Problem::ConfigureNeedsSettings {})
                        })?;
                    self.configured(set).map_err(|inner| {
                        error(format!("{at}.set.{}", inner.field), inner.problem)
                    })?;
                }
                FaultAction::RemoveService => {
                    if !known_service || names.first().is_some_and(|n| n == target) {
                        return Err(error(
                            format!("{at}.target"),
                            Problem::NotRemovable {
                                target: target.to_string(),
                            },
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether `name` is (or, added later, will be) a direct child of the entry.
    fn is_consumer_group(&self, name: &str) -> bool {
        let entry_calls = &self.services[0].calls;
        entry_calls.iter().any(|c| c == name)
            || self.faults.iter().any(|f| {
                f.action == FaultAction::AddService
                    && f.target == self.services[0].name
                    && f.service.as_ref().is_some_and(|s| s.name == name)
            })
    }
}

/// The prefix that names a broker as an action's target: `broker-0`, `broker-1`, ...
const BROKER_PREFIX: &str = "broker-";

/// `broker-3` → Some(Ok(3)); `broker-x` → Some(Err); anything else → None.
pub fn parse_broker(target: &str) -> Option<Result<u32, ()>> {
    target
        .strip_prefix(BROKER_PREFIX)
        .map(|n| n.parse::<u32>().map_err(|_| ()))
}

/// Broker `b` as an action's target names it, the inverse of [`parse_broker`].
pub fn broker_target(b: u32) -> String {
    format!("{BROKER_PREFIX}{b}")
}

fn check_range(field: &str, value: f64, min: f64, max: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(error(field, Problem::range(min, max, value)))
    }
}

/// Whether `name` is a valid service or kind name, as validation checks it.
pub fn check_service_name(name: &str) -> Result<(), ScenarioError> {
    check_name("name", name)
}

fn check_name(field: &str, name: &str) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with(BROKER_PREFIX);
    if ok {
        Ok(())
    } else {
        Err(error(
            field,
            Problem::BadName {
                name: name.to_string(),
            },
        ))
    }
}

fn validate_service_fields(at: &str, service: &ServiceSpec) -> Result<(), ScenarioError> {
    check_name(&format!("{at}.name"), &service.name)?;
    if service.workers == 0 || service.workers > limits::MAX_WORKERS {
        return Err(error(
            format!("{at}.workers"),
            Problem::range(1, limits::MAX_WORKERS, service.workers),
        ));
    }
    if service.queue_capacity > limits::MAX_QUEUE {
        return Err(error(
            format!("{at}.queue_capacity"),
            Problem::range(0, limits::MAX_QUEUE, service.queue_capacity),
        ));
    }
    service
        .service_time_ms
        .validate()
        .map_err(|(param, problem)| error(format!("{at}.service_time_ms.{param}"), problem))?;
    check_range(&format!("{at}.error_rate"), service.error_rate, 0.0, 1.0)
}

/// Each service's level in a valid tree: 1 for the entry, 2 for what it calls, and so on.
fn tree_levels(services: &[ServiceSpec]) -> Vec<usize> {
    let mut levels = vec![1; services.len()];
    // Callers may be listed after their callees, so settle the levels in passes (depth ≤ 5).
    for _ in 0..limits::MAX_DEPTH {
        for (index, service) in services.iter().enumerate() {
            for callee in &service.calls {
                if let Some(c) = services.iter().position(|s| &s.name == callee) {
                    levels[c] = levels[index] + 1;
                }
            }
        }
    }
    levels
}

/// The services must form one tree rooted at the first entry: every name known,
/// no service called twice, no cycle, nothing unreachable.
fn validate_services(services: &[ServiceSpec]) -> Result<(), ScenarioError> {
    if services.is_empty() {
        return Err(error("services", Problem::NeedsEntry {}));
    }
    if services.len() > limits::MAX_SERVICES {
        return Err(error(
            "services",
            Problem::too_many(limits::MAX_SERVICES, services.len()),
        ));
    }
    for (index, service) in services.iter().enumerate() {
        let at = format!("services[{index}]");
        validate_service_fields(&at, service)?;
        if services[..index].iter().any(|s| s.name == service.name) {
            return Err(error(
                format!("{at}.name"),
                Problem::UsedTwice {
                    name: service.name.clone(),
                },
            ));
        }
    }
    let index_of = |name: &str| services.iter().position(|s| s.name == name);
    let mut caller: Vec<Option<usize>> = vec![None; services.len()];
    for (index, service) in services.iter().enumerate() {
        if service.calls.len() > limits::MAX_FAN_OUT {
            return Err(error(
                format!("services[{index}].calls"),
                Problem::too_many(limits::MAX_FAN_OUT, service.calls.len()),
            ));
        }
        for (c, callee) in service.calls.iter().enumerate() {
            let field = format!("services[{index}].calls[{c}]");
            let Some(target) = index_of(callee) else {
                return Err(error(
                    field,
                    Problem::NoSuchService {
                        name: callee.clone(),
                    },
                ));
            };
            if target == 0 || target == index {
                return Err(error(
                    field,
                    Problem::CallCycle {
                        name: callee.clone(),
                    },
                ));
            }
            if let Some(previous) = caller[target] {
                let problem = if previous == index {
                    Problem::CallListedTwice {
                        name: callee.clone(),
                    }
                } else {
                    Problem::AlreadyCalled {
                        name: callee.clone(),
                        caller: services[previous].name.clone(),
                    }
                };
                return Err(error(field, problem));
            }
            caller[target] = Some(index);
        }
    }
    // With one caller each and the entry uncalled, a service is reachable iff
    // following callers ends at the entry; a loop means a cycle.
    for start in 1..services.len() {
        let mut at = start;
        let mut steps = 0;
        loop {
            match caller[at] {
                Some(0) => break,
                Some(parent) => at = parent,
                None => {
                    return Err(error(
                        format!("services[{start}]"),
                        Problem::Unreachable {
                            name: services[start].name.clone(),
                        },
                    ));
                }
            }
            steps += 1;
            if steps > services.len() {
                return Err(error(
                    format!("services[{start}].calls"),
                    Problem::CallsFormCycle {},
                ));
            }
        }
        // `steps` counts the callers between the entry and `start`: its level is two more.
        if steps + 2 > limits::MAX_DEPTH {
            return Err(error(
                format!("services[{start}]"),
                Problem::TooDeep {
                    name: services[start].name.clone(),
                    max: limits::MAX_DEPTH.to_string(),
                },
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ProblemCode;

    const MINIMAL: &str =
        r#"{"services": [{"name": "signup", "calls": ["email"]}, {"name": "email"}]}"#;

    fn error_for(json: &str) -> ScenarioError {
        Scenario::from_json(json).expect_err("the scenario should be rejected")
    }

    #[test]
    fn a_minimal_scenario_gets_documented_defaults() {
        let scenario = Scenario::from_json(MINIMAL).unwrap();
        assert_eq!(scenario.duration_ms, 60_000);
        assert_eq!(
            scenario.workload.arrivals,
            Arrivals::Poisson { rate_per_s: 40.0 }
        );
        assert_eq!(scenario.event.acks, Acks::All);
        assert_eq!(scenario.event.commit, CommitMode::Auto);
        assert_eq!(scenario.services[1].workers, 8);
    }

    #[test]
    fn controls_name_choices_as_the_json_does() {
        assert_eq!(serde_name(&Acks::All), "all");
        assert_eq!(serde_name(&Acks::Zero), "0");
        assert_eq!(serde_name(&CommitMode::AfterProcessing), "after_processing");
    }

    #[test]
    fn json_round_trips() {
        let scenario = Scenario::from_json(MINIMAL).unwrap();
        assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
    }

    #[test]
    fn unknown_fields_are_named_with_their_path() {
        let err = error_for(r#"{"services": [{"name": "a", "wrokers": 3}]}"#);
        assert_eq!(err.field, "services[0].wrokers");
        assert!(err.message().contains("unknown field `wrokers`"), "{err}");
    }

    #[test]
    fn wrong_types_and_enums_name_the_field() {
        let err = error_for(r#"{"services": [{"name": "a"}], "event": {"acks": "2"}}"#);
        assert_eq!(err.field, "event.acks");
        let err = error_for(r#"{"services": [{"name": "a", "workers": -1}]}"#);
        assert_eq!(err.field, "services[0].workers");
        let err = error_for(
            r#"{"services": [{"name": "a", "service_time_ms": {"kind": "exponential", "mean": 0}}]}"#,
        );
        assert_eq!(err.field, "services[0].service_time_ms.mean");
    }

    #[test]
    fn malformed_json_is_reported_not_panicked() {
        let err = error_for(r#"{"services": [{"name": "a"}"#);
        assert_eq!(err.problem.code(), ProblemCode::JsonEndsEarly, "{err}");
        assert!(err.message().contains("line 1, column 27"), "{err}");
        assert_eq!(error_for("").problem.code(), ProblemCode::JsonEndsEarly);
        let trailing = error_for(r#"{"services": [{"name": "a"}]} trailing"#);
        assert_eq!(
            trailing.problem.code(),
            ProblemCode::JsonTrailing,
            "{trailing}"
        );
    }

    #[test]
    fn absurd_values_are_rejected() {
        assert_eq!(
            error_for(r#"{"services": [{"name": "a", "workers": 0}]}"#).field,
            "services[0].workers"
        );
        assert_eq!(
            error_for(r#"{"services": [{"name": "a"}], "duration_ms": 0}"#).field,
            "duration_ms"
        );
        assert_eq!(
            error_for(r#"{"services": [{"name": "a"}], "workload": {"arrivals": {"kind": "poisson", "rate_per_s": 1e9}}}"#).field,
            "workload.arrivals.rate_per_s"
        );
        assert_eq!(
            error_for(
                r#"{"services": [{"name": "a"}], "event": {"brokers": 2, "replication_factor": 3}}"#
            )
            .field,
            "event.replication_factor"
        );
    }

    #[test]
    fn topology_must_be_a_tree() {
        let cycle = r#"{"services": [{"name": "a", "calls": ["b"]}, {"name": "b", "calls": ["c"]}, {"name": "c", "calls": ["b"]}]}"#;
        assert!(
            error_for(cycle).message().contains("already called by"),
            "{}",
            error_for(cycle)
        );
        let self_call =
            r#"{"services": [{"name": "a", "calls": ["b"]}, {"name": "b", "calls": ["b"]}]}"#;
        assert!(error_for(self_call).message().contains("cycle"));
        let orphan = r#"{"services": [{"name": "a"}, {"name": "b"}]}"#;
        assert_eq!(error_for(orphan).field, "services[1]");
        let unknown = r#"{"services": [{"name": "a", "calls": ["zz"]}]}"#;
        assert_eq!(error_for(unknown).field, "services[0].calls[0]");
        let entry_called =
            r#"{"services": [{"name": "a", "calls": ["b"]}, {"name": "b", "calls": ["a"]}]}"#;
        assert!(error_for(entry_called).message().contains("cycle"));
    }

    /// A chain of `levels` services, entry first, as scenario JSON.
    fn chain(levels: usize) -> String {
        let services: Vec<String> = (0..levels)
            .map(|i| match i + 1 < levels {
                true => format!(r#"{{"name": "s{i}", "calls": ["s{}"]}}"#, i + 1),
                false => format!(r#"{{"name": "s{i}"}}"#),
            })
            .collect();
        format!(r#"{{"services": [{}]}}"#, services.join(", "))
    }

    #[test]
    fn trees_stay_within_the_fan_out_and_depth_a_stage_can_draw() {
        assert!(Scenario::from_json(&chain(limits::MAX_DEPTH)).is_ok());
        let deep = error_for(&chain(limits::MAX_DEPTH + 1));
        assert_eq!(deep.field, format!("services[{}]", limits::MAX_DEPTH));
        assert_eq!(deep.problem.code(), ProblemCode::TooDeep);
        let callees: Vec<String> = (1..=9).map(|i| format!(r#""c{i}""#)).collect();
        let leaves: Vec<String> = (1..=9).map(|i| format!(r#"{{"name": "c{i}"}}"#)).collect();
        let wide = format!(
            r#"{{"services": [{{"name": "a", "calls": [{}]}}, {}]}}"#,
            callees.join(", "),
            leaves.join(", ")
        );
        assert_eq!(error_for(&wide).field, "services[0].calls");
        // A service added mid-run under the deepest one would pass the limit too.
        let mut scenario = Scenario::from_json(&chain(limits::MAX_DEPTH)).unwrap();
        let last = format!("s{}", limits::MAX_DEPTH - 1);
        scenario.faults.push(FaultSpec {
            service: Some(
                Scenario::from_json(r#"{"services": [{"name": "extra"}]}"#)
                    .unwrap()
                    .services[0]
                    .clone(),
            ),
            ..FaultSpec::new(FaultAction::AddService, &last)
        });
        let err = scenario.validate().unwrap_err();
        assert_eq!(err.problem.code(), ProblemCode::TooDeep);
    }

    #[test]
    fn fault_targets_must_exist_when_the_fault_fires() {
        let base = |faults: &str| {
            format!(
                r#"{{"services": [{{"name": "a", "calls": ["b"]}}, {{"name": "b"}}], "faults": {faults}}}"#
            )
        };
        assert_eq!(
            error_for(&base(
                r#"[{"at_ms": 5, "action": "kill", "target": "nope"}]"#
            ))
            .field,
            "faults[0].target"
        );
        assert_eq!(
            error_for(&base(
                r#"[{"at_ms": 5, "action": "kill", "target": "broker-9"}]"#
            ))
            .field,
            "faults[0].target"
        );
        assert_eq!(
            error_for(&base(r#"[{"at_ms": 5, "action": "slow", "target": "b"}]"#)).field,
            "faults[0].factor"
        );
        assert_eq!(
            error_for(&base(
                r#"[{"at_ms": 5, "action": "hang", "target": "broker-0"}]"#
            ))
            .field,
            "faults[0].action"
        );
        let added_then_killed = base(
            r#"[{"at_ms": 9, "action": "kill", "target": "audit"},
                {"at_ms": 5, "action": "add_service", "target": "a", "service": {"name": "audit"}}]"#,
        );
        assert!(Scenario::from_json(&added_then_killed).is_ok());
        let killed_before_added = base(
            r#"[{"at_ms": 1, "action": "kill", "target": "audit"},
                {"at_ms": 5, "action": "add_service", "target": "a", "service": {"name": "audit"}}]"#,
        );
        assert_eq!(error_for(&killed_before_added).field, "faults[0].target");
    }
}
