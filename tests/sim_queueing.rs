//! Queueing-theory oracles: the sync world's pools must reproduce M/M/1, M/M/c (Erlang C), Erlang B and Little's law.
//!
//! Each test fixes its seed and states its tolerance. Runs are long enough that
//! the tolerance is several standard errors wide, yet a wrong model (a missing
//! queue, a miscounted worker) misses it by far more.
#![cfg(not(target_arch = "wasm32"))]

use ripple::sim::trace::{TraceKind, World};
use ripple::sim::{Scenario, Simulation};
use serde_json::json;

/// One service, Poisson arrivals at `rate_per_s`, exponential service with `mean_ms`.
fn single_service(
    rate_per_s: f64,
    mean_ms: f64,
    workers: u32,
    queue_capacity: u32,
    duration_ms: u64,
    seed: u64,
) -> Scenario {
    let scenario = json!({
        "name": "oracle",
        "seed": seed,
        "duration_ms": duration_ms,
        "network_latency_ms": 0,
        "workload": { "arrivals": { "kind": "poisson", "rate_per_s": rate_per_s } },
        "services": [{
            "name": "server",
            "workers": workers,
            "queue_capacity": queue_capacity,
            "service_time_ms": { "kind": "exponential", "mean": mean_ms }
        }]
    });
    Scenario::from_json(&scenario.to_string()).expect("valid oracle scenario")
}

fn run(scenario: Scenario) -> Simulation {
    eprintln!("seed {}", scenario.seed);
    let mut sim = Simulation::with_trace_capacity(scenario, 0).expect("valid");
    sim.run_to_end();
    sim
}

fn factorial(n: u32) -> f64 {
    (1..=n).map(f64::from).product()
}

/// Erlang C: the probability that an arrival waits, with `c` servers and offered load `a`.
fn erlang_c(c: u32, a: f64) -> f64 {
    let top = a.powi(c as i32) / factorial(c) * (f64::from(c) / (f64::from(c) - a));
    let bottom: f64 = (0..c).map(|k| a.powi(k as i32) / factorial(k)).sum::<f64>() + top;
    top / bottom
}

/// Erlang B: the probability that an arrival finds all `c` servers busy and no queue.
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

#[test]
fn m_m_1_mean_response_time() {
    // λ = 50/s, μ = 100/s: E[T] = 1 / (μ − λ) = 20 ms. 100,000 customers; tolerance 4 %.
    let sim = run(single_service(50.0, 10.0, 1, 1_000_000, 2_000_000, 1));
    let report = sim.report();
    let mean = report.sync.latency_ms.mean;
    assert!(
        (mean - 20.0).abs() / 20.0 < 0.04,
        "M/M/1 mean response {mean} ms, expected 20 ms"
    );
    assert_eq!(report.sync.failed, 0);
}

#[test]
fn m_m_1_under_heavy_load() {
    // ρ = 0.8: E[T] = 1 / (100 − 80) = 50 ms. Heavy load correlates samples, so the run is
    // longer (400,000 customers) and the tolerance wider (8 %).
    let sim = run(single_service(80.0, 10.0, 1, 1_000_000, 5_000_000, 2));
    let mean = sim.report().sync.latency_ms.mean;
    assert!(
        (mean - 50.0).abs() / 50.0 < 0.08,
        "M/M/1 (ρ=0.8) mean response {mean} ms, expected 50 ms"
    );
}

#[test]
fn m_m_c_mean_response_time_matches_erlang_c() {
    // c = 4, λ = 300/s, μ = 100/s per worker (a = 3, ρ = 0.75).
    let (c, lambda, mu) = (4, 300.0, 100.0);
    let a = lambda / mu;
    let expected_ms = (erlang_c(c, a) / (f64::from(c) * mu - lambda) + 1.0 / mu) * 1_000.0;
    let sim = run(single_service(lambda, 10.0, c, 1_000_000, 1_000_000, 3));
    let mean = sim.report().sync.latency_ms.mean;
    assert!(
        (mean - expected_ms).abs() / expected_ms < 0.04,
        "M/M/4 mean {mean} ms, Erlang C gives {expected_ms:.3} ms"
    );
}

#[test]
fn a_pool_without_a_queue_blocks_as_erlang_b_predicts() {
    // c = 5 workers, no queue, a = 4: B(5, 4) ≈ 0.199. 200,000 arrivals; tolerance 0.01 absolute.
    let (c, lambda, mu) = (5, 400.0, 100.0);
    let expected = erlang_b(c, lambda / mu);
    let sim = run(single_service(lambda, 10.0, c, 0, 500_000, 4));
    let report = sim.report();
    let blocked = report.sync.failed as f64 / report.sync.requests as f64;
    assert!(
        (blocked - expected).abs() < 0.01,
        "blocking {blocked:.4}, Erlang B gives {expected:.4}"
    );
}

#[test]
fn littles_law_holds_for_the_trace() {
    // L (time-average number in the system, integrated from the trace) = λ W.
    let scenario = single_service(60.0, 12.0, 2, 1_000, 300_000, 5);
    let mut sim = Simulation::with_trace_capacity(scenario, 2_000_000).expect("valid");
    sim.run_to_end();
    let end_us = sim.now().as_us() as f64;
    let (mut in_system, mut last_us, mut area, mut arrivals, mut total_wait_us) =
        (0i64, 0.0, 0.0, 0u64, 0.0);
    let (events, _) = sim.trace().since(0);
    for event in events.filter(|e| e.world == World::Sync) {
        let t = event.time_us as f64;
        match event.kind {
            TraceKind::Arrival { .. } => {
                area += in_system as f64 * (t - last_us);
                last_us = t;
                in_system += 1;
                arrivals += 1;
            }
            TraceKind::Responded { latency_us, .. } => {
                area += in_system as f64 * (t - last_us);
                last_us = t;
                in_system -= 1;
                total_wait_us += latency_us as f64;
            }
            _ => {}
        }
    }
    area += in_system as f64 * (end_us - last_us);
    let l = area / end_us;
    let lambda_per_us = arrivals as f64 / end_us;
    let w_us = total_wait_us / arrivals as f64;
    assert!(
        (l - lambda_per_us * w_us).abs() / l < 0.02,
        "L = {l:.4}, λW = {:.4}",
        lambda_per_us * w_us
    );
}
