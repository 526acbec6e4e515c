//! Sweep tests: points equal single runs, values and knees from hand-made series, bad input named.

use super::*;
use crate::sim::presets::preset;

fn short(name: &str, duration_ms: u64) -> Scenario {
    let mut scenario = preset(name).expect("shipped preset");
    scenario.duration_ms = duration_ms;
    scenario
}

fn spec(path: &str, from: f64, to: f64, points: u32) -> SweepSpec {
    SweepSpec {
        path: path.into(),
        from,
        to,
        points,
    }
}

#[test]
fn a_point_equals_a_single_run_at_its_value() {
    let base = short("signup", 30_000);
    let sweep = Sweep::new(&base, spec("workload.arrivals.rate_per_s", 20.0, 200.0, 3)).unwrap();
    assert_eq!(sweep.values(), vec![20.0, 110.0, 200.0]);
    for (i, value) in sweep.values().into_iter().enumerate() {
        let mut single = base.clone();
        single.workload.arrivals.set_rate_per_s(value);
        let mut sim = Simulation::new(single).unwrap();
        sim.run_to_end();
        let expected = SweepPoint::of(value, &sim.report());
        assert_eq!(sweep.run_point(i), expected, "point {i} at {value} req/s");
    }
}

#[test]
fn counts_are_whole_and_never_repeat() {
    let base = short("signup", 1_000);
    let sweep = Sweep::new(&base, spec("event.partitions", 1.0, 4.0, 10)).unwrap();
    assert_eq!(sweep.values(), vec![1.0, 2.0, 3.0, 4.0]);
    let down = Sweep::new(&base, spec("sync.timeout_ms", 300.0, 100.0, 3)).unwrap();
    assert_eq!(down.values(), vec![300.0, 200.0, 100.0]);
    let tenths = Sweep::new(&base, spec("workload.arrivals.rate_per_s", 0.1, 1.0, 10)).unwrap();
    assert_eq!(tenths.values()[2], 0.3);
}

#[test]
fn every_offered_parameter_applies_and_reads_back() {
    for name in ["signup", "slow-callee", "killed-consumer", "happy-path"] {
        let base = short(name, 1_000);
        for param in Param::all(&base) {
            let path = param.path(&base);
            assert_eq!(
                Param::parse(&base, &path).as_ref(),
                Ok(&param),
                "{name} {path}"
            );
            let value = param.current(&base) + 1.0;
            let changed = param
                .apply(&base, value)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            // Lognormal means go through exp and ln: equal to a part in a billion.
            let read = param.current(&changed);
            assert!(
                (read - value).abs() <= value * 1e-9,
                "{name} {path}: {read} ≠ {value}"
            );
        }
    }
}

#[test]
fn a_fault_length_moves_its_restore_and_instances_keep_other_groups() {
    let base = short("signup", 60_000);
    let kill = base
        .faults
        .iter()
        .position(|f| f.action.kind() == ActionKind::Kill);
    let path = format!("faults.{}.length_ms", kill.unwrap());
    let param = Param::parse(&base, &path).unwrap();
    let longer = param.apply(&base, 30_000.0).unwrap();
    let restore = longer
        .faults
        .iter()
        .find(|f| f.action.kind() == ActionKind::Restore);
    assert_eq!(restore.unwrap().at_ms, 50_000.0);
    let groups = base.services[0].calls.clone();
    let param = Param::parse(&base, &format!("event.consumers.{}", groups[0])).unwrap();
    let scaled = param.apply(&base, 3.0).unwrap();
    assert_eq!(scaled.event.consumers.instances_for(&groups[0]), 3);
    for other in &groups[1..] {
        let before = base.event.consumers.instances_for(other);
        assert_eq!(scaled.event.consumers.instances_for(other), before);
    }
}

#[test]
fn bad_input_names_the_field() {
    let base = short("signup", 1_000);
    let err = Sweep::new(&base, spec("sync.nonsense", 1.0, 2.0, 3)).unwrap_err();
    assert_eq!(err.field, "sweep.path");
    assert!(err.to_string().contains("sync.timeout_ms"), "{err}");
    for points in [1, 51] {
        let err = Sweep::new(&base, spec("sync.timeout_ms", 1.0, 2.0, points)).unwrap_err();
        assert_eq!(err.field, "sweep.points");
    }
    let err = Sweep::new(&base, spec("workload.arrivals.rate_per_s", 0.0, 5e6, 3)).unwrap_err();
    assert!(err.field.starts_with("sweep.to: "), "{err}");
    let err = Sweep::new(&base, spec("sync.timeout_ms", f64::NAN, 2.0, 3)).unwrap_err();
    assert_eq!(err.field, "sweep.from");
}

fn point(value: f64, sync_success: f64, event_success: f64, lag: u64) -> SweepPoint {
    let world = |success_rate: f64| WorldPoint {
        requests: 100,
        success_rate,
        p99_ms: 10.0,
        lost: 0,
        duplicated: 0,
        consistency_p99_ms: 0.0,
    };
    SweepPoint {
        value,
        sync: world(sync_success),
        event: world(event_success),
        max_lag: lag,
        max_lag_by_group: BTreeMap::from([("analytics".to_string(), lag)]),
        events_simulated: 0,
        trace_hash: String::new(),
    }
}

#[test]
fn knees_are_read_from_hand_made_series() {
    let points = vec![
        point(10.0, 1.0, 1.0, 0),
        point(20.0, 1.0, 1.0, 5_000),
        point(30.0, 0.98, 1.0, 15_000),
        point(40.0, 0.5, 1.0, 40_000),
    ];
    let knees = knees(&Param::ArrivalRate, &points);
    // 0.99 lies halfway between 1.0 at 20 and 0.98 at 30; 10,000 halfway between 5,000 and 15,000.
    assert_eq!(
        knees,
        vec![
            Knee::SuccessFalls {
                world: World::Sync,
                at: 25.0
            },
            Knee::SuccessHolds {
                world: World::Event,
                up_to: 40.0
            },
            Knee::LagFrom {
                group: "analytics".into(),
                at: 25.0
            },
        ]
    );
    let counted = super::knees(&Param::Partitions, &points);
    assert_eq!(
        counted[0],
        Knee::SuccessFalls {
            world: World::Sync,
            at: 30.0
        }
    );
    let mut low = points.clone();
    low[0].sync.success_rate = 0.5;
    assert_eq!(
        super::knees(&Param::ArrivalRate, &low)[0],
        Knee::SuccessBelow {
            world: World::Sync,
            from: 10.0
        }
    );
    let mut wrong = points.clone();
    wrong[0].event.duplicated = 2;
    let found = super::knees(&Param::ArrivalRate, &wrong);
    assert!(found.contains(&Knee::WrongFrom {
        world: World::Event,
        at: 10.0
    }));
}

#[test]
fn the_csv_has_a_row_per_point_and_a_column_per_group() {
    let base = short("signup", 5_000);
    let sweep = Sweep::new(&base, spec("sync.timeout_ms", 100.0, 1_000.0, 2)).unwrap();
    let table = SweepTable::new(&sweep, &base, sweep.run_all());
    let csv = table.to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    let groups = table.points[0].max_lag_by_group.len();
    assert!(groups > 0);
    for line in &lines {
        assert_eq!(line.split(',').count(), 12 + groups, "{line}");
    }
    assert!(lines[1].starts_with("100,"));
}

#[test]
fn a_range_reads_back_from_its_text() {
    let read = SweepSpec::parse("sync.timeout_ms=100..2000.5", 7).unwrap();
    assert_eq!(read, spec("sync.timeout_ms", 100.0, 2000.5, 7));
    assert_eq!(SweepSpec::parse(&read.range_text(), 7).unwrap(), read);
    for (text, field) in [
        ("sync.timeout_ms", "sweep"),
        ("sync.timeout_ms=100", "sweep"),
        ("sync.timeout_ms=x..2", "sweep.from"),
        ("sync.timeout_ms=1..inf", "sweep.to"),
    ] {
        assert_eq!(
            SweepSpec::parse(text, 3).unwrap_err().field,
            field,
            "{text}"
        );
    }
}
