//! Moving dots: each one is a trace event (a call, a reply, an append, a fetch) travelling along its edge.
//!
//! A dot is born at the wall-clock moment its event's simulated time was played,
//! and crosses its edge in [`TRAVEL_MS`] of wall time, so that a 0.5 ms network hop
//! is still visible. When traffic outgrows the budget, whole requests are sampled
//! (every `stride`-th request id), so a sampled request keeps its full journey.

use super::layout::{EventLayout, Point, SyncLayout};
use crate::sim::Simulation;
use crate::sim::trace::{TraceEvent, TraceKind, World};
use std::collections::VecDeque;

/// Wall time a dot takes to cross its edge.
pub const TRAVEL_MS: f64 = 450.0;
/// The most dots alive at once.
pub const PARTICLES_MAX: usize = 8_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A call or a user request on its way in.
    Request,
    /// A successful reply on its way back.
    Reply,
    /// A failed call, a refusal or a timeout.
    Failure,
    /// An event being appended to or fetched from the log.
    Event,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Particle {
    pub world: World,
    pub from: Point,
    pub to: Point,
    pub born_ms: f64,
    pub style: Style,
    pub request: u64,
}

impl Particle {
    /// Where the dot is at `wall_ms`, or None before it is born or after it arrives.
    pub fn position(&self, wall_ms: f64) -> Option<Point> {
        let progress = (wall_ms - self.born_ms) / TRAVEL_MS;
        if !(0.0..=1.0).contains(&progress) {
            return None;
        }
        // Ease in and out so dots leave and arrive gently.
        let t = (progress * progress * (3.0 - 2.0 * progress)) as f32;
        Some(Point {
            x: self.from.x + (self.to.x - self.from.x) * t,
            y: self.from.y + (self.to.y - self.from.y) * t,
        })
    }
}

/// The layouts dots travel between.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub sync: SyncLayout,
    pub event: EventLayout,
}

impl Geometry {
    /// Both panels' layouts for the run's current topology and log shape.
    pub fn of(sim: &Simulation) -> Geometry {
        let settings = &sim.scenario().event;
        Geometry {
            sync: SyncLayout::new(sim.topology()),
            event: EventLayout::new(
                sim.topology(),
                settings.partitions as usize,
                settings.brokers as usize,
            ),
        }
    }
}

/// Maps the simulated span a frame played onto the wall-clock span it took.
#[derive(Clone, Copy, Debug)]
pub struct FrameClock {
    pub sim_from_us: u64,
    pub sim_to_us: u64,
    pub wall_from_ms: f64,
    pub wall_to_ms: f64,
}

impl FrameClock {
    fn wall_at(&self, sim_us: u64) -> f64 {
        let span = self.sim_to_us.saturating_sub(self.sim_from_us);
        if span == 0 {
            return self.wall_to_ms;
        }
        let fraction = sim_us.saturating_sub(self.sim_from_us).min(span) as f64 / span as f64;
        self.wall_from_ms + fraction * (self.wall_to_ms - self.wall_from_ms)
    }
}

/// All live dots plus the sampling stride.
#[derive(Clone, Debug)]
pub struct Particles {
    items: VecDeque<Particle>,
    stride: u64,
    /// One past the newest offset seen per partition, to place cells.
    partition_ends: Vec<u64>,
}

impl Default for Particles {
    fn default() -> Self {
        Particles {
            items: VecDeque::new(),
            stride: 1,
            partition_ends: Vec::new(),
        }
    }
}

/// Spreads request ids so that sampling by stride does not follow arrival patterns.
fn mix(request: u64) -> u64 {
    let mut x = request.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^= x >> 31;
    x
}

impl Particles {
    /// One dot shown per this many requests.
    pub fn stride(&self) -> u64 {
        self.stride
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn clear(&mut self) {
        self.items.clear();
        self.partition_ends.clear();
    }

    /// Turns newly played trace events into dots.
    pub fn ingest<'a>(
        &mut self,
        events: impl Iterator<Item = &'a TraceEvent>,
        geometry: &Geometry,
        clock: FrameClock,
    ) {
        for event in events {
            let Some((from, to, style, request)) = self.edge_of(event, geometry) else {
                continue;
            };
            if !mix(request).is_multiple_of(self.stride) {
                continue;
            }
            if self.items.len() == PARTICLES_MAX {
                self.items.pop_front();
            }
            self.items.push_back(Particle {
                world: event.world,
                from,
                to,
                born_ms: clock.wall_at(event.time_us),
                style,
                request,
            });
        }
        self.adapt_stride();
    }

    /// Thins or thickens sampling so the budget holds at any speed.
    fn adapt_stride(&mut self) {
        if self.items.len() > PARTICLES_MAX * 3 / 4 {
            self.stride = (self.stride * 2).min(1 << 20);
        } else if self.items.len() < PARTICLES_MAX / 8 && self.stride > 1 {
            self.stride /= 2;
        }
    }

    /// Drops dots that have arrived.
    pub fn retire(&mut self, wall_ms: f64) {
        self.items.retain(|p| wall_ms - p.born_ms <= TRAVEL_MS);
    }

    /// Dots on screen at `wall_ms`.
    pub fn visible(&self, wall_ms: f64) -> impl Iterator<Item = (&Particle, Point)> {
        self.items
            .iter()
            .filter_map(move |p| p.position(wall_ms).map(|at| (p, at)))
    }

    /// The request whose dot is nearest `point` in `world`, within `radius`.
    pub fn request_near(
        &self,
        world: World,
        point: Point,
        radius: f32,
        wall_ms: f64,
    ) -> Option<u64> {
        self.visible(wall_ms)
            .filter(|(p, _)| p.world == world)
            .map(|(p, at)| {
                let distance = ((at.x - point.x).powi(2) + (at.y - point.y).powi(2)).sqrt();
                (distance, p.request)
            })
            .filter(|(distance, _)| *distance <= radius)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, request)| request)
    }

    fn cell(&mut self, geometry: &Geometry, partition: u16, offset: u64) -> Point {
        let p = partition as usize;
        if self.partition_ends.len() <= p {
            self.partition_ends.resize(p + 1, 0);
        }
        let end = self.partition_ends[p].max(offset + 1);
        self.partition_ends[p] = end;
        geometry.event.cell_centre(p, offset, end)
    }

    /// The edge an event travels along, with its style and request.
    fn edge_of(
        &mut self,
        event: &TraceEvent,
        geometry: &Geometry,
    ) -> Option<(Point, Point, Style, u64)> {
        let sync = &geometry.sync;
        let events = &geometry.event;
        let node = |service: u8| -> Option<Point> {
            match event.world {
                World::Sync => sync.nodes.get(service as usize).copied().flatten(),
                World::Event if service == 0 => Some(events.producer),
                World::Event => events.nodes.get(service as usize).copied().flatten(),
            }
        };
        let entry = node(0)?;
        let user = match event.world {
            World::Sync => sync.user,
            World::Event => events.user,
        };
        Some(match event.kind {
            TraceKind::Arrival { request, .. } => (user, entry, Style::Request, request),
            TraceKind::CallSent {
                request, from, to, ..
            } => (node(from)?, node(to)?, Style::Request, request),
            TraceKind::CallFailed {
                request, from, to, ..
            } => (node(to)?, node(from)?, Style::Failure, request),
            TraceKind::Replied {
                request,
                from,
                to,
                ok,
            } => (node(from)?, node(to)?, reply_style(ok), request),
            TraceKind::Responded { request, ok, .. } => (entry, user, reply_style(ok), request),
            TraceKind::Appended {
                request,
                partition,
                offset,
            } => {
                let cell = self.cell(geometry, partition, offset);
                (events.producer, cell, Style::Event, request)
            }
            TraceKind::Fetched {
                request,
                group,
                partition,
                offset,
                ..
            } => {
                let cell = self.cell(geometry, partition, offset);
                (cell, node(group)?, Style::Event, request)
            }
            TraceKind::DeadLettered { request, group, .. } => {
                (node(group)?, events.dlq, Style::Failure, request)
            }
            _ => return None,
        })
    }
}

fn reply_style(ok: bool) -> Style {
    if ok { Style::Reply } else { Style::Failure }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    fn played(ms: u64) -> (Simulation, Particles, FrameClock) {
        let mut sim = Simulation::new(preset("signup").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(ms));
        let clock = FrameClock {
            sim_from_us: 0,
            sim_to_us: ms * 1_000,
            wall_from_ms: 0.0,
            wall_to_ms: ms as f64,
        };
        let mut particles = Particles::default();
        let (events, _) = sim.trace().since(0);
        particles.ingest(events, &Geometry::of(&sim), clock);
        (sim, particles, clock)
    }

    #[test]
    fn every_dot_is_a_real_event_on_a_drawn_edge() {
        let (sim, particles, _) = played(500);
        assert!(!particles.is_empty());
        let geometry = Geometry::of(&sim);
        let sync_points: Vec<Point> = geometry.sync.nodes.iter().flatten().copied().collect();
        for p in particles.items.iter().filter(|p| p.world == World::Sync) {
            for end in [p.from, p.to] {
                assert!(
                    end == geometry.sync.user || sync_points.contains(&end),
                    "sync dot ends at a node or the user: {p:?}"
                );
            }
        }
        let arrivals = sim.report().sync.requests;
        let user_dots = particles
            .items
            .iter()
            .filter(|p| p.world == World::Sync && p.from == geometry.sync.user)
            .count() as u64;
        assert_eq!(user_dots, arrivals, "one dot per arrival at stride 1");
    }

    #[test]
    fn dots_are_born_in_step_with_simulated_time_and_leave_after_their_travel() {
        let (_, mut particles, clock) = played(400);
        let births: Vec<f64> = particles.items.iter().map(|p| p.born_ms).collect();
        assert!(
            births.windows(2).all(|w| w[0] <= w[1]),
            "born in trace order"
        );
        assert!(births[0] >= clock.wall_from_ms && *births.last().unwrap() <= clock.wall_to_ms);
        let later = clock.wall_to_ms + TRAVEL_MS + 1.0;
        assert_eq!(particles.visible(later).count(), 0);
        particles.retire(later);
        assert!(particles.is_empty());
    }

    #[test]
    fn heavy_traffic_is_sampled_by_request_so_the_budget_holds() {
        let mut scenario = preset("signup").unwrap();
        scenario.workload.arrivals = crate::sim::scenario::Arrivals::Constant {
            rate_per_s: 4_000.0,
        };
        let mut sim = Simulation::new(scenario).unwrap();
        let geometry = Geometry::of(&sim);
        let mut particles = Particles::default();
        let mut cursor = 0;
        for frame in 1..=40u64 {
            let from = sim.now().as_us();
            sim.run_until(SimTime::from_ms(frame * 50));
            let (events, next) = sim.trace().since(cursor);
            let clock = FrameClock {
                sim_from_us: from,
                sim_to_us: sim.now().as_us(),
                wall_from_ms: (frame - 1) as f64 * 16.0,
                wall_to_ms: frame as f64 * 16.0,
            };
            particles.ingest(events, &geometry, clock);
            cursor = next;
            particles.retire(clock.wall_to_ms);
            assert!(particles.len() <= PARTICLES_MAX);
        }
        assert!(particles.stride() > 1, "4,000 req/s must be sampled");
    }

    #[test]
    fn a_click_finds_the_nearest_dot_of_that_world() {
        let (_, particles, clock) = played(300);
        let wall = clock.wall_to_ms;
        let (target, at) = particles
            .visible(wall)
            .find(|(p, _)| p.world == World::Event)
            .map(|(p, at)| (p.request, at))
            .unwrap();
        let found = particles.request_near(World::Event, at, 3.0, wall).unwrap();
        // Dots can overlap; whichever is found sits exactly where we clicked.
        let found_at: Vec<Point> = particles
            .visible(wall)
            .filter(|(p, _)| p.request == found && p.world == World::Event)
            .map(|(_, at)| at)
            .collect();
        assert!(found == target || found_at.contains(&at));
        let far = Point {
            x: -1_000.0,
            y: -1_000.0,
        };
        assert_eq!(particles.request_near(World::Event, far, 3.0, wall), None);
    }
}
