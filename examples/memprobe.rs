//! Scratch: heap use of a long run with time travel.
use ripple::live::timeline::Timeline;
use ripple::sim::presets::preset;
use ripple::sim::{SimTime, Simulation};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
fn main() {
    let rate: f64 = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(5000.0);
    let minutes: u64 = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(10);
    let mut sc = preset("happy-path").unwrap();
    sc.duration_ms = 24 * 3_600_000;
    sc.workload.arrivals =
        serde_json::from_value(serde_json::json!({"kind":"poisson","rate_per_s":rate})).unwrap();
    for s in &mut sc.services {
        s.workers = 64;
    }
    let mut sim = Simulation::new(sc).unwrap();
    let mut tl = Timeline::new(&sim);
    let t0 = std::time::Instant::now();
    for s in 1..=minutes * 600 {
        sim.run_until(SimTime::from_ms(s * 100));
        tl.record(&sim);
        if s % 600 == 0 {
            println!(
                "t={}min heap={:.1}MB events={} ledger_open={} snaps={} snapMB={:.1} ev_gap={} simMB={:.1} log={} trace={} wall={:.1}s",
                s / 600,
                LIVE.load(Ordering::Relaxed) as f64 / 1e6,
                sim.events_simulated(),
                sim.ledger().open_len(),
                tl.current().snapshot_count(),
                tl.snapshot_bytes() as f64 / 1e6,
                tl.snapshot_interval_events(),
                sim.approx_bytes() as f64 / 1e6,
                sim.log_state()
                    .partitions
                    .iter()
                    .map(|p| p.entries.len())
                    .sum::<usize>(),
                0,
                t0.elapsed().as_secs_f64()
            );
        }
    }
}
#[allow(dead_code)]
fn dbg_front(sim: &Simulation) {
    if let Some((id, r)) = sim.ledger().open_records().next() {
        println!(
            "front id={id} arrival={:?} kind={} expected={:b} pos={:?} fates={:?}",
            r.arrival,
            r.kind,
            r.expected,
            r.event_position(),
            r.fates
                .iter()
                .map(|f| (f.outcome, f.outstanding))
                .collect::<Vec<_>>()
        );
    }
    for p in &sim.log_state().partitions {
        print!("[start={} end={}] ", p.start, p.end());
    }
    println!();
    for s in 0..sim.topology().len() {
        if let Some(g) = sim.group_state(s) {
            println!("group {s} committed={:?}", g.committed);
        }
    }
}
