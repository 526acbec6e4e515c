//! The scenario format: the JSON that the CLI runs, the browser imports and exports, and presets ship as.
//!
//! Every field but `services` has a default, so a minimal scenario is a few lines.
//! [`Scenario::from_json`] parses and validates; every error names the field it is
//! about, in the same path syntax the README documents (`services[1].workers`).

use super::dist::DurationDist;
use super::problem::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod action;
mod read;
mod settings;
mod validate;

pub use action::{Action, ActionKind, BrokerId, Compatibility, Fault, Target};
pub(crate) use read::error;
pub use read::{ScenarioError, json_number, read_json, read_value, serde_name};
pub use settings::{LIVE_SETTINGS, Setting, SettingsPatch};
pub use validate::check_service_name;

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
    /// Kafka has no cap; past a few thousand a poll stops being a batch anyone reads.
    pub const MAX_POLL_RECORDS: u32 = 10_000;
    /// Event versions a run may deploy, the first included: a log entry keeps its version
    /// in spare bits of its request id, and a group's readable versions in a 64-bit mask.
    pub const MAX_EVENT_VERSIONS: u16 = 64;
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
    pub faults: Vec<Fault>,
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

impl ServiceSpec {
    /// A service called `name` with every other field at its default.
    pub fn named(name: &str) -> ServiceSpec {
        ServiceSpec {
            name: name.to_string(),
            effect: String::new(),
            workers: defaults::workers(),
            queue_capacity: defaults::queue_capacity(),
            service_time_ms: defaults::service_time(),
            calls: Vec::new(),
            call_mode: CallMode::default(),
            error_rate: 0.0,
        }
    }
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

/// How the event world's entry makes its own write and its event durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PublishMode {
    /// Commits its database write, then publishes: a crash in between loses the event
    /// still in the producer's buffer, and the user may hear "failed" for work that exists.
    #[default]
    DualWrite,
    /// Writes the event into an outbox table in the same transaction; a relay publishes it
    /// after `outbox_poll_ms`. Never lost, a little later.
    Outbox,
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
    /// Events one poll returns at most (Kafka's `max.poll.records`); an instance processes
    /// them in order before it polls again, and commits around the whole batch.
    #[serde(
        default = "defaults::max_poll_records",
        skip_serializing_if = "defaults::is_max_poll_records"
    )]
    pub max_poll_records: u32,
    /// How long a crashed instance keeps its partitions before the group notices it
    /// (Kafka's `session.timeout.ms`); a graceful leave rebalances at once.
    #[serde(
        default = "defaults::session_timeout_ms",
        skip_serializing_if = "defaults::is_session_timeout_ms"
    )]
    pub session_timeout_ms: f64,
    /// A schema registry checks each event version at the producer and refuses one that a
    /// subscribed group cannot read.
    #[serde(default, skip_serializing_if = "defaults::is_false")]
    pub schema_registry: bool,
    /// How the entry's own write and its event are made durable.
    #[serde(default, skip_serializing_if = "defaults::is_dual_write")]
    pub publish: PublishMode,
    /// How often the outbox relay looks for new rows to publish.
    #[serde(
        default = "defaults::outbox_poll_ms",
        skip_serializing_if = "defaults::is_outbox_poll_ms"
    )]
    pub outbox_poll_ms: f64,
}

impl Default for EventSettings {
    fn default() -> Self {
        read_value(serde_json::Value::Object(Default::default()))
            .expect("every event setting has a default")
    }
}

/// The JSON node at a dotted path; an array of named objects is indexed by name, and the
/// fault timeline (whose entries have no name) by position: `faults.2.at_ms`.
pub fn json_node_mut<'v>(
    root: &'v mut serde_json::Value,
    path: &str,
) -> Option<&'v mut serde_json::Value> {
    use serde_json::Value;
    let mut here = root;
    for step in path.split('.') {
        here = match here {
            Value::Object(map) => map.get_mut(step)?,
            Value::Array(items) => {
                let named = items
                    .iter()
                    .position(|item| item.get("name").and_then(Value::as_str) == Some(step));
                let index = named.or_else(|| step.parse::<usize>().ok())?;
                items.get_mut(index)?
            }
            _ => return None,
        };
    }
    Some(here)
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
    // Settings added after files were first shared are written only when they differ
    // from their default, so a file from before reads back byte for byte.
    pub fn max_poll_records() -> u32 {
        500
    }
    pub fn is_max_poll_records(value: &u32) -> bool {
        *value == max_poll_records()
    }
    pub fn is_session_timeout_ms(value: &f64) -> bool {
        *value == session_timeout_ms()
    }
    pub fn is_outbox_poll_ms(value: &f64) -> bool {
        *value == outbox_poll_ms()
    }
    pub fn is_false(value: &bool) -> bool {
        !*value
    }
    pub fn is_dual_write(value: &super::PublishMode) -> bool {
        *value == super::PublishMode::DualWrite
    }
    pub fn session_timeout_ms() -> f64 {
        45_000.0
    }
    pub fn outbox_poll_ms() -> f64 {
        100.0
    }
    pub fn max_log_events() -> u32 {
        200_000
    }
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

    /// This scenario with each value in `set` written at its dotted path, then read and
    /// validated again. `may_change` refuses a path with its reason; errors name the path.
    pub fn with_values(
        &self,
        set: &BTreeMap<String, serde_json::Value>,
        may_change: impl Fn(&str) -> Result<(), Problem>,
    ) -> Result<Scenario, ScenarioError> {
        let mut json = self.settings_json();
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

    /// The scenario as JSON with every setting written, defaults included: what settings
    /// paths (exercises, patches) address. Files leave out the newer defaults.
    pub fn settings_json(&self) -> serde_json::Value {
        let mut json = serde_json::to_value(self).expect("scenarios always serialise");
        let event = &self.event;
        let newer = [
            (
                "max_poll_records",
                serde_json::json!(event.max_poll_records),
            ),
            (
                "session_timeout_ms",
                serde_json::json!(event.session_timeout_ms),
            ),
            ("schema_registry", serde_json::json!(event.schema_registry)),
            (
                "publish",
                serde_json::to_value(event.publish).unwrap_or_default(),
            ),
            ("outbox_poll_ms", serde_json::json!(event.outbox_poll_ms)),
        ];
        if let Some(map) = json.get_mut("event").and_then(|e| e.as_object_mut()) {
            for (key, value) in newer {
                map.entry(key).or_insert(value);
            }
        }
        json
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
}

#[cfg(test)]
mod tests;
