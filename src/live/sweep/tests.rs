//! Sweep panel tests: jobs cover every point once, progress and ETA, knees and labels in three languages.

use super::*;
use crate::sim::presets::preset;

fn base() -> Scenario {
    let mut scenario = preset("signup").unwrap();
    scenario.duration_ms = 3_000;
    scenario
}

fn spec(points: u32) -> SweepSpec {
    SweepSpec::parse("workload.arrivals.rate_per_s=10..100", points).unwrap()
}

#[test]
fn jobs_deal_every_point_to_exactly_one_worker() {
    let run = SweepRun::start(&base(), spec(10), 7, 0.0).unwrap();
    for workers in [1, 2, 3, 9] {
        let jobs = run.jobs(workers);
        assert_eq!(jobs.len(), workers.min(MAX_WORKERS));
        let mut all: Vec<u32> = jobs.iter().flat_map(|j| j.indices.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<u32>>(), "{workers} workers");
        assert!(jobs.iter().all(|j| j.job == 7));
    }
}

#[test]
fn a_job_travels_as_json_and_its_replies_fill_the_run() {
    let mut run = SweepRun::start(&base(), spec(3), 1, 100.0).unwrap();
    let job = &run.jobs(1)[0];
    let read: SweepJob = serde_json::from_str(&serde_json::to_string(job).unwrap()).unwrap();
    assert_eq!(&read, job);
    let mut replies = Vec::new();
    WorkerReply::answer(&read, |reply| {
        let text = serde_json::to_string(&reply).unwrap();
        replies.push(serde_json::from_str::<WorkerReply>(&text).unwrap());
    });
    assert_eq!(replies.len(), 3);
    assert_eq!(run.eta_ms(150.0), None);
    for (n, reply) in replies.into_iter().enumerate() {
        let WorkerReply::Point { index, point, .. } = reply else {
            panic!("refused: {reply:?}");
        };
        assert!(run.receive(index, point, 200.0 + 100.0 * n as f64));
        if n == 0 {
            // One point in 100 ms; two to go.
            assert_eq!(run.eta_ms(200.0), Some(200.0));
        }
    }
    assert!(run.finished());
    assert_eq!(run.elapsed_ms(10_000.0), 300.0);
    assert_eq!(run.table().points, run.sweep.run_all());
}

#[test]
fn a_bad_job_is_refused_by_name() {
    let run = SweepRun::start(&base(), spec(3), 4, 0.0).unwrap();
    let mut job = run.jobs(1).remove(0);
    job.sweep.points = 500;
    let mut replies = Vec::new();
    WorkerReply::answer(&job, |r| replies.push(r));
    assert!(
        matches!(&replies[..], [WorkerReply::Refused { job: 4, field, .. }] if field == "sweep.points")
    );
}

#[test]
fn knees_and_labels_are_said_in_every_language() {
    let scenario = base();
    let knee = Knee::SuccessFalls {
        world: World::Sync,
        at: 62.26,
    };
    let en = knee_text(Locale::En, &Param::ArrivalRate, &knee);
    assert_eq!(
        en,
        "Synchronous call tree: success falls below 99 % at 62.3 req/s."
    );
    for locale in Locale::ALL {
        let text = knee_text(locale, &Param::ArrivalRate, &knee);
        assert!(text.contains("62.3") && !text.contains('{'), "{text}");
        for param in Param::all(&scenario) {
            let label = param_label(locale, &param, &scenario);
            assert!(!label.is_empty() && !label.contains('{'), "{label}");
        }
    }
    let lag = Knee::LagFrom {
        group: "email".into(),
        at: 1_500.0,
    };
    assert_eq!(
        knee_text(Locale::En, &Param::Timeout, &lag),
        "email: lag passes 10,000 events at 1.5 s."
    );
    assert_eq!(short_number(Locale::En, 701.117), "701");
    assert_eq!(short_number(Locale::En, 0.25), "0.25");
}

#[test]
fn curves_put_both_worlds_on_one_axis_and_lag_per_group() {
    let run = SweepRun::start(&base(), spec(2), 1, 0.0).unwrap();
    let points = run.sweep.run_all();
    let success = curves(&points, 0, Locale::En);
    assert_eq!(success.len(), 2);
    assert_eq!(success[0].points.len(), 2);
    assert_eq!(success[0].points[1].0, 100.0);
    let lag = curves(&points, 3, Locale::En);
    assert_eq!(lag.len(), points[0].max_lag_by_group.len());
    assert!(lag.iter().all(|c| c.world.is_none()));
}
