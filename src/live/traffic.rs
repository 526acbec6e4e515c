//! Traffic per edge as steady numbers, for the still view: counted from every trace event (not
//! the dots' sample) and published at most twice a second, so they read as numbers, not motion.

use crate::sim::trace::{TraceEvent, TraceKind, World};
use std::collections::BTreeMap;

/// The shortest wall time between two changes of the numbers: twice a second at most.
pub const PUBLISH_MS: f64 = 500.0;
/// Edges counted per world at most; a topology has at most 64 services, so this is never reached
/// by calls alone, and it bounds the maps whatever the trace holds.
const EDGES_MAX: usize = 512;

/// An edge a number is shown on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edge {
    /// The user's requests into the entry (sync) or the producer (events).
    Arrivals,
    /// Calls from one service to another.
    Call { from: u8, to: u8 },
    /// Events the producer appended to the log.
    Appends,
    /// Events a consumer group's service fetched from the log.
    Fetches { group: u8 },
}

impl Edge {
    /// The edge an event travels along, or None for events that travel nowhere.
    fn of(kind: &TraceKind) -> Option<Edge> {
        Some(match *kind {
            TraceKind::Arrival { .. } => Edge::Arrivals,
            TraceKind::CallSent { from, to, .. } => Edge::Call { from, to },
            TraceKind::Appended { .. } => Edge::Appends,
            TraceKind::Fetched { group, .. } => Edge::Fetches { group },
            _ => return None,
        })
    }
}

/// Counts per edge since the run (or the last seek) began, and the rates last published.
#[derive(Clone, Debug, Default)]
pub struct Traffic {
    counts: [BTreeMap<Edge, u64>; 2],
    /// The counts and the simulated time at the last publication.
    baseline: [BTreeMap<Edge, u64>; 2],
    baseline_sim_us: u64,
    published_wall_ms: Option<f64>,
    /// Per simulated second, as last published.
    rates: [BTreeMap<Edge, f64>; 2],
}

impl Traffic {
    /// Counts newly played trace events.
    pub fn count<'a>(&mut self, events: impl Iterator<Item = &'a TraceEvent>) {
        for event in events {
            let Some(edge) = Edge::of(&event.kind) else {
                continue;
            };
            let counts = &mut self.counts[event.world.index()];
            if counts.len() < EDGES_MAX || counts.contains_key(&edge) {
                *counts.entry(edge).or_insert(0) += 1;
            }
        }
    }

    /// Forgets everything: the run restarted or jumped to another moment.
    pub fn clear(&mut self, sim_us: u64) {
        *self = Traffic {
            baseline_sim_us: sim_us,
            ..Traffic::default()
        };
    }

    /// Recomputes the rates when [`PUBLISH_MS`] of wall time has passed and simulated time moved;
    /// true when the published numbers changed. Paused, the last numbers stay.
    pub fn publish(&mut self, wall_ms: f64, sim_us: u64) -> bool {
        if self
            .published_wall_ms
            .is_some_and(|last| wall_ms - last < PUBLISH_MS)
        {
            return false;
        }
        let span_us = sim_us.saturating_sub(self.baseline_sim_us);
        if span_us == 0 {
            return false;
        }
        self.published_wall_ms = Some(wall_ms);
        let span_s = span_us as f64 / 1e6;
        let mut changed = false;
        for world in World::BOTH {
            let w = world.index();
            let rates: BTreeMap<Edge, f64> = self.counts[w]
                .iter()
                .map(|(&edge, &count)| {
                    let before = self.baseline[w].get(&edge).copied().unwrap_or(0);
                    (edge, (count - before) as f64 / span_s)
                })
                .collect();
            changed |= rates != self.rates[w];
            self.rates[w] = rates;
            self.baseline[w] = self.counts[w].clone();
        }
        self.baseline_sim_us = sim_us;
        changed
    }

    /// The published rate on an edge, per simulated second: zero for an edge nothing crossed.
    pub fn rate(&self, world: World, edge: Edge) -> f64 {
        self.rates[world.index()].get(&edge).copied().unwrap_or(0.0)
    }

    /// Every published rate of one world, in edge order.
    pub fn rates(&self, world: World) -> Vec<(Edge, f64)> {
        self.rates[world.index()]
            .iter()
            .map(|(&e, &r)| (e, r))
            .collect()
    }
}

/// A rate as a short number: two significant figures, "k" past ten thousand ("12", "0.4", "35k").
pub fn short_rate(per_s: f64) -> String {
    if !per_s.is_finite() || per_s <= 0.0 {
        return "0".to_string();
    }
    if per_s >= 10_000.0 {
        return format!("{:.0}k", per_s / 1_000.0);
    }
    if per_s >= 10.0 {
        return format!("{:.0}", per_s);
    }
    if per_s >= 1.0 {
        return format!("{:.1}", per_s).trim_end_matches(".0").to_string();
    }
    format!("{:.2}", per_s)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Target;
    use crate::sim::{Action, SimTime, Simulation, presets};

    fn counted(sim: &mut Simulation, traffic: &mut Traffic, cursor: &mut u64, until_s: u64) {
        sim.run_until(SimTime::from_ms(until_s * 1_000));
        let (events, next) = sim.trace().since(*cursor);
        traffic.count(events);
        *cursor = next;
    }

    fn default_run() -> Simulation {
        Simulation::new(presets::preset("happy-path").expect("preset")).expect("valid")
    }

    #[test]
    fn arrivals_match_the_configured_rate_within_sampling_noise() {
        let mut sim = default_run();
        let (mut traffic, mut cursor) = (Traffic::default(), 0);
        counted(&mut sim, &mut traffic, &mut cursor, 20);
        assert!(traffic.publish(1_000.0, sim.now().as_us()));
        let expected = sim.scenario().workload.arrivals.rate_per_s();
        for world in World::BOTH {
            let rate = traffic.rate(world, Edge::Arrivals);
            // 20 s of a Poisson stream at 40/s is 800 arrivals: ±4 standard deviations is ±14 %.
            assert!(
                (rate - expected).abs() / expected < 0.15,
                "{world:?}: {rate} vs {expected}"
            );
        }
        assert!(traffic.rate(World::Event, Edge::Appends) > 0.0);
        let calls = traffic.rates(World::Sync);
        assert!(
            calls
                .iter()
                .any(|(e, r)| matches!(e, Edge::Call { .. }) && *r > 0.0)
        );
    }

    #[test]
    fn numbers_change_at_most_twice_a_second_and_hold_while_paused() {
        let mut sim = default_run();
        let (mut traffic, mut cursor) = (Traffic::default(), 0);
        counted(&mut sim, &mut traffic, &mut cursor, 5);
        let now_us = sim.now().as_us();
        assert!(traffic.publish(0.0, now_us));
        let first = traffic.rates(World::Sync);
        counted(&mut sim, &mut traffic, &mut cursor, 6);
        // Within 500 ms of wall time nothing is republished, whatever was counted.
        assert!(!traffic.publish(499.0, sim.now().as_us()));
        assert_eq!(traffic.rates(World::Sync), first);
        // Paused at the last publication's moment, the numbers stay.
        let mut paused = traffic.clone();
        assert!(!paused.publish(2_000.0, now_us));
        assert_eq!(paused.rates(World::Sync), first);
        assert!(traffic.publish(2_000.0, sim.now().as_us()));
    }

    #[test]
    fn a_killed_consumer_reads_nothing_so_its_number_drops_to_zero() {
        let mut sim = default_run();
        let analytics = sim.topology().index_of("analytics").expect("analytics") as u8;
        let reads = Edge::Fetches { group: analytics };
        let (mut traffic, mut cursor) = (Traffic::default(), 0);
        counted(&mut sim, &mut traffic, &mut cursor, 5);
        assert!(traffic.publish(0.0, sim.now().as_us()));
        let before = traffic.rate(World::Event, reads);
        assert!(before > 20.0, "analytics reads {before}/s before the kill");
        sim.inject(Action::Kill(Target::Service("analytics".into())))
            .expect("kill");
        counted(&mut sim, &mut traffic, &mut cursor, 10);
        assert!(traffic.publish(1_000.0, sim.now().as_us()));
        assert_eq!(traffic.rate(World::Event, reads), 0.0);
        traffic.clear(sim.now().as_us());
        assert!(traffic.rates(World::Event).is_empty());
    }

    #[test]
    fn rates_read_as_short_numbers() {
        assert_eq!(short_rate(0.0), "0");
        assert_eq!(short_rate(0.25), "0.25");
        assert_eq!(short_rate(3.0), "3");
        assert_eq!(short_rate(3.46), "3.5");
        assert_eq!(short_rate(41.6), "42");
        assert_eq!(short_rate(35_200.0), "35k");
    }
}
