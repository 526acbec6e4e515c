//! The scenario format's tests: defaults, round trips, and every refusal naming its field.
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
    let extra = Box::new(ServiceSpec::named("extra"));
    scenario.faults.push(
        Action::AddService {
            caller: last,
            service: extra,
            start_from: None,
        }
        .at(0.0),
    );
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
    let no_factor = error_for(&base(r#"[{"at_ms": 5, "action": "slow", "target": "b"}]"#));
    assert_eq!(no_factor.field, "faults[0]");
    assert_eq!(no_factor.message(), "the field `factor` is missing");
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
