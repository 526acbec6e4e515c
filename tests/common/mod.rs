//! Helpers shared by the simulation tests: build scenarios from JSON overrides and run them.
#![allow(dead_code)]

use ripple::sim::{Report, Scenario, Simulation};
use serde_json::{Value, json};

/// Deep-merges `patch` into `base`: objects merge key by key, anything else replaces.
pub fn merge(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                merge(base.entry(key).or_insert(Value::Null), value);
            }
        }
        (slot, value) => *slot = value,
    }
}

/// A producer with one consumer group: `orders` publishes, `email` consumes.
pub fn one_group(patch: Value) -> Scenario {
    let mut scenario = json!({
        "name": "test",
        "seed": 11,
        "duration_ms": 30000,
        "network_latency_ms": 0.5,
        "workload": { "arrivals": { "kind": "poisson", "rate_per_s": 50 } },
        "services": [
            { "name": "orders", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 2 }, "calls": ["email"] },
            { "name": "email", "workers": 32, "service_time_ms": { "kind": "exponential", "mean": 10 } }
        ],
        "event": { "partitions": 4, "consumers": 2 }
    });
    merge(&mut scenario, patch);
    Scenario::from_json(&scenario.to_string())
        .unwrap_or_else(|e| panic!("test scenario is invalid: {e}"))
}

/// Runs a scenario to its end and returns the report; prints the seed if a later assertion fails.
pub fn run(scenario: Scenario) -> Report {
    eprintln!(
        "running scenario `{}` with seed {}",
        scenario.name, scenario.seed
    );
    let mut sim = Simulation::new(scenario).expect("valid scenario");
    sim.run_to_end();
    sim.report()
}

/// `kill` then `restore` of `target`, `times` times, `down_ms` each, starting at `from_ms`.
pub fn crash_loop(target: &str, from_ms: f64, down_ms: f64, every_ms: f64, times: usize) -> Value {
    let mut faults = Vec::new();
    for i in 0..times {
        let at = from_ms + i as f64 * every_ms;
        faults.push(json!({ "at_ms": at, "action": "kill", "target": target }));
        faults.push(json!({ "at_ms": at + down_ms, "action": "restore", "target": target }));
    }
    Value::Array(faults)
}
