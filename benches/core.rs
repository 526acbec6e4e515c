//! `make bench`, native part: simulated events per second for M/M/1 and the default scenario, and the SimPy ratio.
//!
//! Each figure is the best of several timed runs, so a busy machine shows up as
//! noise in one run rather than as a slower figure.

use ripple::live::Intent;
use ripple::sim::{Action, Scenario, Simulation, presets};
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

/// The limit to measure against: M/M/1 with the same λ and μ as [`mm1`], on nothing but a
/// binary heap of `(time, seq)` events, one RNG and a FIFO count. Returns events and seconds.
fn heap_mm1(duration_us: u64) -> (u64, f64) {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp};
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    const ARRIVAL: u8 = 0;
    const DEPARTURE: u8 = 1;
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(1);
    let arrivals = Exp::new(50.0 / 1e6).expect("rate");
    let services = Exp::new(100.0 / 1e6).expect("rate");
    let started = Instant::now();
    let mut heap: BinaryHeap<Reverse<(u64, u64, u8)>> = BinaryHeap::new();
    let (mut seq, mut events, mut waiting, mut busy) = (0u64, 0u64, 0u64, false);
    heap.push(Reverse((arrivals.sample(&mut rng) as u64, seq, ARRIVAL)));
    while let Some(Reverse((now, _, kind))) = heap.pop() {
        if now > duration_us {
            break;
        }
        events += 1;
        seq += 1;
        if kind == ARRIVAL {
            heap.push(Reverse((
                now + arrivals.sample(&mut rng) as u64,
                seq,
                ARRIVAL,
            )));
            if busy {
                waiting += 1;
                continue;
            }
            busy = true;
        } else if waiting > 0 {
            waiting -= 1;
        } else {
            busy = false;
            continue;
        }
        seq += 1;
        heap.push(Reverse((
            now + services.sample(&mut rng) as u64,
            seq,
            DEPARTURE,
        )));
    }
    (events, started.elapsed().as_secs_f64())
}

/// The sweep `make bench` also times in the browser (tests/e2e/bench-sweep.mjs): the page's
/// default scenario, 10 simulated minutes a point, the arrival rate over 20 points.
const SWEEP_RANGE: &str = "workload.arrivals.rate_per_s=10..200";

fn sweep_figure() {
    use ripple::sim::sweep::{Sweep, SweepSpec};
    let mut base = presets::preset("happy-path").expect("default preset");
    base.duration_ms = 600_000;
    let spec = SweepSpec::parse(SWEEP_RANGE, 20).expect("valid range");
    let sweep = Sweep::new(&base, spec).expect("valid sweep");
    let best = (0..3)
        .map(|_| {
            let started = Instant::now();
            let points = sweep.run_all();
            (started.elapsed().as_secs_f64(), points)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("three runs");
    let events: u64 = best.1.iter().map(|p| p.events_simulated).sum();
    println!(
        "sweep of `happy-path`, {SWEEP_RANGE} over 20 points of 10 simulated minutes: {:.2} s natively, {} events ({}; the browser's goal is <= 1 s)",
        best.0,
        events,
        per_second(events, best.0)
    );
}

/// Times `count` seeks across the first 10 minutes of `live`, sorted; the targets are a fixed
/// spread (a multiplicative hash of the index), so runs compare.
fn time_seeks(live: &mut ripple::live::Live, count: u64) -> Vec<f64> {
    let mut times_ms: Vec<f64> = (0..count)
        .map(|i| {
            let t_us = (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) % 600_000_000;
            let started = Instant::now();
            let _ = live.apply(Intent::Seek { t_us });
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times_ms.sort_by(f64::total_cmp);
    times_ms
}

/// Seeking in a played 10-minute run of the default scenario, as the timeline does.
fn seek_figures() {
    let mut scenario = presets::preset("signup").expect("default preset");
    scenario.duration_ms = 600_000;
    let mut live = ripple::live::Live::new(scenario.clone()).expect("valid");
    live.apply(Intent::Open {
        base: Box::new(scenario),
        actions: Vec::new(),
        until_us: 600_000_000,
    })
    .expect("valid");
    let times_ms = time_seeks(&mut live, 200);
    println!(
        "seek anywhere in a played 10-minute run ({} snapshots): median {:.1} ms, worst {:.1} ms over {} seeks (goal <= 100 ms)",
        live.timeline.current().snapshot_count(),
        times_ms[times_ms.len() / 2],
        times_ms[times_ms.len() - 1],
        times_ms.len()
    );
}

/// The default topology at `rate_per_s`, with worker pools of `workers` if given, for 24 hours.
fn loaded(rate_per_s: f64, workers: Option<u32>) -> Scenario {
    let mut scenario = presets::preset("happy-path").expect("default preset");
    scenario.duration_ms = 24 * 3_600_000;
    scenario.workload.arrivals = ripple::sim::scenario::Arrivals::Poisson { rate_per_s };
    for service in &mut scenario.services {
        service.workers = workers.unwrap_or(service.workers);
    }
    scenario
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Memory as the core estimates it (`approx_bytes`, snapshot bytes counted once when shared),
/// after `minutes` of simulated play recorded by the timeline, as the page plays it.
fn memory_figure(label: &str, scenario: Scenario, minutes: u64, branches: u32, goal: &str) {
    let mut live = ripple::live::Live::new(scenario).expect("valid");
    let mut readings = Vec::new();
    for minute in 1..=minutes {
        let _ = live.apply(Intent::Seek {
            t_us: minute * 60_000_000,
        });
        readings.push(live.player.sim().approx_bytes() + live.timeline.snapshot_bytes());
    }
    for branch in 0..branches {
        let now_us = live.player.sim().now().as_us();
        let _ = live.apply(Intent::Seek {
            t_us: now_us - 30_000_000 * u64::from(branch + 1),
        });
        let _ = live.apply(Intent::Act(Action::Slow {
            service: "analytics".into(),
            factor: 2.0,
        }));
        let _ = live.apply(Intent::Seek { t_us: now_us });
        readings.push(live.player.sim().approx_bytes() + live.timeline.snapshot_bytes());
    }
    let last = readings.len().saturating_sub(3);
    println!(
        "{label}: run {} + snapshots {} = {}; peak {}, last readings {:?} ({} branches, goal {goal})",
        mb(live.player.sim().approx_bytes()),
        mb(live.timeline.snapshot_bytes()),
        mb(readings[readings.len() - 1]),
        mb(readings.iter().copied().max().unwrap_or(0)),
        readings[last..].iter().map(|&b| mb(b)).collect::<Vec<_>>(),
        live.timeline.branches().len(),
    );
}

/// Seeks in a played 10-minute run at 5,000 requests/s, backward and forward.
fn loaded_seek_figure() {
    let mut live = ripple::live::Live::new(loaded(5_000.0, Some(64))).expect("valid");
    let _ = live.apply(Intent::Seek { t_us: 600_000_000 });
    let times_ms = time_seeks(&mut live, 20);
    println!(
        "seek in a played 10-minute run at 5,000 req/s ({} snapshots, {} events apart at most): median {:.0} ms, worst {:.0} ms over {} seeks (goal <= 100 ms)",
        live.timeline.current().snapshot_count(),
        live.timeline.snapshot_interval_events(),
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
    let limit = (0..10)
        .map(|_| heap_mm1(2_000_000_000))
        .map(|(events, seconds)| events as f64 / seconds)
        .fold(0.0, f64::max);
    let ripple = mm1_run.events as f64 / mm1_run.seconds;
    println!(
        "minimal binary-heap M/M/1, same λ and μ: {} events; Ripple is {:.2} of it (goal >= 0.5)",
        per_second(limit as u64, 1.0),
        ripple / limit
    );
    let mut default = presets::preset("signup").expect("default preset");
    default.duration_ms = 600_000;
    let default_run = time_run(&default, 10);
    println!(
        "default scenario `signup` (10 simulated minutes): {} events, {} events (goal >= 1 M events/s)",
        default_run.events,
        per_second(default_run.events, default_run.seconds)
    );
    sweep_figure();
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
    memory_figure(
        "memory, 24 h default at 40 req/s, 60 simulated minutes",
        loaded(40.0, None),
        60,
        0,
        "<= 64 MB",
    );
    memory_figure(
        "memory, 5,000 req/s with pools of 64, 10 simulated minutes",
        loaded(5_000.0, Some(64)),
        10,
        0,
        "<= 160 MB",
    );
    memory_figure(
        "memory, the same after 8 branches",
        loaded(5_000.0, Some(64)),
        10,
        8,
        "<= 160 MB",
    );
    loaded_seek_figure();
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
