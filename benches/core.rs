//! `make bench`, native part: simulated events per second for M/M/1 and the default scenario, and the SimPy ratio.
//!
//! Each figure is the best of several timed runs, so a busy machine shows up as
//! noise in one run rather than as a slower figure.

use ripple::sim::{Scenario, Simulation, presets};
use std::process::Command;
use std::time::Instant;

/// M/M/1 at ρ = 0.5: λ = 50/s, mean service 10 ms, no network delay.
fn mm1(duration_ms: u64) -> Scenario {
    let json = format!(
        r#"{{"name": "mm1", "seed": 1, "duration_ms": {duration_ms}, "network_latency_ms": 0,
            "workload": {{"arrivals": {{"kind": "poisson", "rate_per_s": 50}}}},
            "services": [{{"name": "server", "workers": 1, "queue_capacity": 1000000,
                          "service_time_ms": {{"kind": "exponential", "mean": 10}}}}]}}"#
    );
    Scenario::from_json(&json).expect("valid M/M/1 scenario")
}

/// Seeking in a played 10-minute run of the default scenario, as the timeline does.
fn seek_figures() {
    let mut scenario = presets::preset("signup").expect("default preset");
    scenario.duration_ms = 600_000;
    let mut live = ripple::live::Live::new(scenario.clone()).expect("valid");
    live.open_at(scenario, Vec::new(), 600_000_000)
        .expect("valid");
    // A fixed spread of targets (a multiplicative hash of the index), so runs compare.
    let targets: Vec<u64> = (0..200u64)
        .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) % 600_000_000)
        .collect();
    let mut times_ms: Vec<f64> = targets
        .iter()
        .map(|&t_us| {
            let started = Instant::now();
            live.seek(t_us);
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times_ms.sort_by(f64::total_cmp);
    println!(
        "seek anywhere in a played 10-minute run ({} snapshots): median {:.1} ms, worst {:.1} ms over {} seeks (goal <= 100 ms)",
        live.timeline.current().snapshot_count(),
        times_ms[times_ms.len() / 2],
        times_ms[times_ms.len() - 1],
        times_ms.len()
    );
}

struct Figures {
    events: u64,
    customers: u64,
    seconds: f64,
}

fn time_run(scenario: &Scenario, repeats: usize) -> Figures {
    let mut best: Option<Figures> = None;
    for _ in 0..repeats {
        let mut sim = Simulation::with_trace_capacity(scenario.clone(), 0).expect("valid");
        let started = Instant::now();
        sim.run_to_end();
        let seconds = started.elapsed().as_secs_f64();
        let figures = Figures {
            events: sim.events_simulated(),
            customers: sim.report().sync.requests,
            seconds,
        };
        if best.as_ref().is_none_or(|b| figures.seconds < b.seconds) {
            best = Some(figures);
        }
    }
    best.expect("at least one run")
}

fn per_second(count: u64, seconds: f64) -> String {
    let rate = count as f64 / seconds;
    if rate >= 1e6 {
        format!("{:.2} M/s", rate / 1e6)
    } else {
        format!("{:.0} k/s", rate / 1e3)
    }
}

/// Runs the SimPy model of the same M/M/1 and returns its customers per second.
fn simpy_customers_per_second(customers: u64) -> Option<f64> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/simpy_mm1.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(customers.to_string())
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "SimPy run failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

fn main() {
    // `cargo bench` passes --bench; nothing else is accepted.
    let mm1_run = time_run(&mm1(2_000_000), 10);
    println!(
        "M/M/1 (both worlds, 100,000 customers): {} simulated events, {} events, {} customers (goal >= 10 M events/s)",
        mm1_run.events,
        per_second(mm1_run.events, mm1_run.seconds),
        per_second(mm1_run.customers, mm1_run.seconds)
    );
    let mut default = presets::preset("signup").expect("default preset");
    default.duration_ms = 600_000;
    let default_run = time_run(&default, 10);
    println!(
        "default scenario `signup` (10 simulated minutes): {} events, {} events (goal >= 1 M events/s)",
        default_run.events,
        per_second(default_run.events, default_run.seconds)
    );
    let mut running = presets::preset("signup").expect("default preset");
    running.duration_ms = 600_000;
    let mut sim = Simulation::new(running).expect("valid");
    sim.run_until(ripple::sim::SimTime::from_ms(60_000));
    let started = Instant::now();
    let copies: Vec<Simulation> = (0..20).map(|_| sim.clone()).collect();
    let clone_us = started.elapsed().as_secs_f64() * 1e6 / copies.len() as f64;
    println!("snapshot (clone) of the default scenario at 60 s: {clone_us:.0} µs");
    let started = Instant::now();
    let slim: Vec<Simulation> = (0..20).map(|_| sim.snapshot()).collect();
    let snapshot_us = started.elapsed().as_secs_f64() * 1e6 / slim.len() as f64;
    println!("time-travel snapshot (trace trimmed) at 60 s: {snapshot_us:.0} µs");
    seek_figures();
    let ours = mm1_run.customers as f64 / mm1_run.seconds;
    match simpy_customers_per_second(100_000) {
        Some(theirs) => println!(
            "SimPy M/M/1: {} customers; Ripple is {:.0}x SimPy in customers per second (goal >= 150x)",
            per_second(theirs as u64, 1.0),
            ours / theirs
        ),
        None => println!("SimPy M/M/1: not measured (python3 with simpy unavailable)"),
    }
}
