//! Live settings as typed values: what a `configure` action may change mid-run, one variant per path.
//!
//! Files and links write a patch as an object from dotted path to value,
//! `{"event.acks": "all"}`. Each path reads straight into its own type, so a wrong value is
//! named by its path (`faults[2].set.event.acks`), and applying a patch writes fields
//! directly: nothing is serialised and read back. Shapes fixed at the start (partitions,
//! brokers, services) are not here; the engine reads these settings each time they
//! matter, so a change takes effect at once.

use super::{
    Acks, Arrivals, BreakerSettings, CommitMode, PublishMode, RetrySettings, Scenario, json_number,
};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One table declares each setting: its variant, value type, path, and where it is written.
macro_rules! live_settings {
    ($( $variant:ident($ty:ty) = $path:literal => |$s:ident, $v:ident| $write:expr; )*) => {
        /// One live setting and its new value.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Setting {
            $( $variant($ty), )*
        }

        /// Every path a `configure` action may set, in the order the table declares them.
        pub const LIVE_SETTINGS: &[&str] = &[$($path),*];

        impl Setting {
            /// The dotted path files and links write for this setting.
            pub fn path(&self) -> &'static str {
                match self {
                    $( Setting::$variant(_) => $path, )*
                }
            }

            /// Writes the value into `scenario`; false where the setting has no place there
            /// (a burst rate on a workload that has no bursts).
            fn write(&self, scenario: &mut Scenario) -> bool {
                match self {
                    $( Setting::$variant($v) => {
                        let $s = &mut *scenario;
                        $write
                    } )*
                }
            }

            /// Reads the value for `path` from a map; `None` for a path that is not live.
            fn read<'de, A: MapAccess<'de>>(path: &str, map: &mut A) -> Result<Option<Setting>, A::Error> {
                match path {
                    $( $path => map.next_value().map(|v| Some(Setting::$variant(v))), )*
                    _ => Ok(None),
                }
            }

            /// The value as the scenario format writes it.
            pub fn value_json(&self) -> serde_json::Value {
                match self {
                    $( Setting::$variant(v) => serde_json::to_value(v).unwrap_or_default(), )*
                }
            }

            fn write_entry<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    $( Setting::$variant(v) => map.serialize_entry($path, &whole_numbers(v)), )*
                }
            }
        }
    };
}

live_settings! {
    TimeoutMs(f64) = "sync.timeout_ms" => |s, v| { s.sync.timeout_ms = *v; true };
    Retry(RetrySettings) = "sync.retry" => |s, v| { s.sync.retry = v.clone(); true };
    MaxRetries(u32) = "sync.retry.max_retries" => |s, v| { s.sync.retry.max_retries = *v; true };
    BackoffMs(f64) = "sync.retry.backoff_ms" => |s, v| { s.sync.retry.backoff_ms = *v; true };
    Multiplier(f64) = "sync.retry.multiplier" => |s, v| { s.sync.retry.multiplier = *v; true };
    MaxBackoffMs(f64) = "sync.retry.max_backoff_ms" => |s, v| { s.sync.retry.max_backoff_ms = *v; true };
    Jitter(bool) = "sync.retry.jitter" => |s, v| { s.sync.retry.jitter = *v; true };
    Breaker(BreakerSettings) = "sync.circuit_breaker" => |s, v| { s.sync.circuit_breaker = v.clone(); true };
    BreakerEnabled(bool) = "sync.circuit_breaker.enabled" => |s, v| { s.sync.circuit_breaker.enabled = *v; true };
    FailureThreshold(u32) = "sync.circuit_breaker.failure_threshold" => |s, v| { s.sync.circuit_breaker.failure_threshold = *v; true };
    OpenMs(f64) = "sync.circuit_breaker.open_ms" => |s, v| { s.sync.circuit_breaker.open_ms = *v; true };
    Fallback(bool) = "sync.fallback" => |s, v| { s.sync.fallback = *v; true };
    Acks(Acks) = "event.acks" => |s, v| { s.event.acks = *v; true };
    Commit(CommitMode) = "event.commit" => |s, v| { s.event.commit = *v; true };
    AutoCommitIntervalMs(f64) = "event.auto_commit_interval_ms" => |s, v| { s.event.auto_commit_interval_ms = *v; true };
    Idempotent(bool) = "event.idempotent" => |s, v| { s.event.idempotent = *v; true };
    RetentionMs(f64) = "event.retention_ms" => |s, v| { s.event.retention_ms = *v; true };
    Dlq(bool) = "event.dlq" => |s, v| { s.event.dlq = *v; true };
    MaxProcessingAttempts(u32) = "event.max_processing_attempts" => |s, v| { s.event.max_processing_attempts = *v; true };
    ProducerTimeoutMs(f64) = "event.producer_timeout_ms" => |s, v| { s.event.producer_timeout_ms = *v; true };
    MaxPollRecords(u32) = "event.max_poll_records" => |s, v| { s.event.max_poll_records = *v; true };
    SessionTimeoutMs(f64) = "event.session_timeout_ms" => |s, v| { s.event.session_timeout_ms = *v; true };
    SchemaRegistry(bool) = "event.schema_registry" => |s, v| { s.event.schema_registry = *v; true };
    Publish(PublishMode) = "event.publish" => |s, v| { s.event.publish = *v; true };
    OutboxPollMs(f64) = "event.outbox_poll_ms" => |s, v| { s.event.outbox_poll_ms = *v; true };
    Arrivals(Arrivals) = "workload.arrivals" => |s, v| { s.workload.arrivals = v.clone(); true };
    RatePerS(f64) = "workload.arrivals.rate_per_s" => |s, v| { s.workload.arrivals.set_rate_per_s(*v); true };
    BurstRatePerS(f64) = "workload.arrivals.burst_rate_per_s" => |s, v| match &mut s.workload.arrivals {
        Arrivals::Bursty { burst_rate_per_s, .. } => { *burst_rate_per_s = *v; true }
        _ => false,
    };
    EveryMs(f64) = "workload.arrivals.every_ms" => |s, v| match &mut s.workload.arrivals {
        Arrivals::Bursty { every_ms, .. } => { *every_ms = *v; true }
        _ => false,
    };
    BurstMs(f64) = "workload.arrivals.burst_ms" => |s, v| match &mut s.workload.arrivals {
        Arrivals::Bursty { burst_ms, .. } => { *burst_ms = *v; true }
        _ => false,
    };
}

impl Setting {
    /// The last part of the path and the value, as annotations show them: `acks=all`.
    pub fn short_text(&self) -> String {
        let name = self.path().rsplit('.').next().unwrap_or_default();
        let value = match self.value_json() {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        format!("{name}={value}")
    }
}

/// A value as patches have always been written: whole numbers without a `.0`
/// (`"open_ms": 2000`), as the settings panel writes them, so a file reads back the same.
fn whole_numbers<T: Serialize>(value: &T) -> serde_json::Value {
    fn walk(value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::Number(n) if n.is_f64() => n.as_f64().map_or(Value::Number(n), json_number),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, walk(v))).collect())
            }
            other => other,
        }
    }
    walk(serde_json::to_value(value).unwrap_or_default())
}

/// The settings one `configure` action changes, in path order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsPatch(pub Vec<Setting>);

impl SettingsPatch {
    pub fn one(setting: Setting) -> SettingsPatch {
        SettingsPatch(vec![setting])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Setting> {
        self.0.iter()
    }

    /// Writes every setting into `scenario`; the first that has no place there is returned.
    pub fn write_into(&self, scenario: &mut Scenario) -> Result<(), &Setting> {
        for setting in &self.0 {
            if !setting.write(scenario) {
                return Err(setting);
            }
        }
        Ok(())
    }
}

impl Serialize for SettingsPatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for setting in &self.0 {
            setting.write_entry(&mut map)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SettingsPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PatchVisitor)
    }
}

struct PatchVisitor;

impl<'de> Visitor<'de> for PatchVisitor {
    type Value = SettingsPatch;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object from setting path to value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SettingsPatch, A::Error> {
        let mut settings = Vec::new();
        while let Some(path) = map.next_key::<String>()? {
            match Setting::read(&path, &mut map)? {
                Some(setting) => settings.push(setting),
                // Refused while reading its value, so the error's path ends in the setting's.
                None => map.next_value_seed(NotLive(&path))?,
            }
        }
        // Paths apply in order, so a whole object comes before the fields under it.
        settings.sort_by_key(Setting::path);
        Ok(SettingsPatch(settings))
    }
}

/// Reads nothing: a path that is not live is refused at its value.
struct NotLive<'p>(&'p str);

impl<'de> de::DeserializeSeed<'de> for NotLive<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(de::Error::unknown_field(self.0, LIVE_SETTINGS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::read_json;

    #[test]
    fn every_path_reads_writes_and_reads_back_the_same() {
        let text = r#"{"event.acks": "all", "sync.retry.max_retries": 2,
            "workload.arrivals.rate_per_s": 120, "sync.circuit_breaker.enabled": true}"#;
        let patch: SettingsPatch = read_json(text).expect("a valid patch");
        assert_eq!(patch.0.len(), 4);
        let again: SettingsPatch =
            read_json(&serde_json::to_string(&patch).expect("serialises")).expect("reads back");
        assert_eq!(again, patch);
        let mut scenario = crate::sim::presets::preset("happy-path").expect("a preset");
        patch
            .write_into(&mut scenario)
            .expect("every setting has a place");
        assert_eq!(scenario.event.acks, Acks::All);
        assert_eq!(scenario.sync.retry.max_retries, 2);
        assert_eq!(scenario.workload.arrivals.rate_per_s(), 120.0);
        assert!(scenario.sync.circuit_breaker.enabled);
    }

    #[test]
    fn a_wrong_value_is_named_by_its_path_and_an_unknown_path_lists_the_live_ones() {
        let err = read_json::<SettingsPatch>(r#"{"event.acks": "most"}"#).expect_err("bad acks");
        assert_eq!(err.field, "event.acks");
        let err = read_json::<SettingsPatch>(r#"{"event.partitions": 4}"#).expect_err("not live");
        assert_eq!(err.field, "event.partitions");
        assert!(err.message().contains("`event.partitions`"), "{err}");
        assert!(err.message().contains("`event.acks`"), "{err}");
    }

    #[test]
    fn a_burst_setting_has_no_place_in_a_steady_workload() {
        let mut scenario = crate::sim::presets::preset("happy-path").expect("a preset");
        let patch = SettingsPatch::one(Setting::BurstMs(100.0));
        assert_eq!(
            patch.write_into(&mut scenario),
            Err(&Setting::BurstMs(100.0))
        );
    }

    #[test]
    fn short_text_reads_as_name_equals_value() {
        assert_eq!(Setting::Acks(Acks::All).short_text(), "acks=all");
        assert_eq!(Setting::Idempotent(true).short_text(), "idempotent=true");
    }
}
