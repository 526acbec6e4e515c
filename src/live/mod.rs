//! The live explainer's logic, as plain structs tested natively: player, layout, view model, dots, chart data.
//!
//! The browser UI owns one [`Live`] and calls [`Live::tick`] every animation frame;
//! it reads [`frame::Frame`], [`charts::ChartData`] and the dots, and draws them.
//! This module must not know about the browser: no web crates, no wall clock (the
//! caller passes wall time in), so every behaviour here is tested with `cargo test`.

pub mod annotate;
pub mod charts;
pub mod frame;
pub mod journey;
pub mod layout;
pub mod narration;
pub mod particles;
pub mod player;
pub mod share;

use crate::sim::scenario::{FaultAction, FaultSpec, ServiceSpec, StartFrom};
use crate::sim::{Scenario, ScenarioError};
use particles::{FrameClock, Geometry, Particles};
use player::{Advance, Player};

/// The player, the dots and the layouts, kept in step.
#[derive(Clone, Debug)]
pub struct Live {
    pub player: Player,
    pub particles: Particles,
    geometry: Geometry,
    trace_cursor: u64,
    last_wall_ms: Option<f64>,
    /// Bumped whenever the layout changes, so the UI re-creates its SVG nodes.
    layout_version: u64,
}

/// A user request to add a consumer: the service `name` under the entry.
#[derive(Clone, Debug, PartialEq)]
pub struct NewConsumer {
    pub name: String,
    pub service_time_ms: f64,
    pub start_from: StartFrom,
}

impl Live {
    pub fn new(scenario: Scenario) -> Result<Live, ScenarioError> {
        let player = Player::new(scenario)?;
        let geometry = Geometry::of(player.sim());
        Ok(Live {
            player,
            particles: Particles::default(),
            geometry,
            trace_cursor: 0,
            last_wall_ms: None,
            layout_version: 0,
        })
    }

    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    pub fn layout_version(&self) -> u64 {
        self.layout_version
    }

    /// One animation frame at wall time `wall_ms`: advance, then turn new trace events into dots.
    pub fn tick(&mut self, wall_ms: f64) -> Advance {
        let elapsed_ms = self.last_wall_ms.map_or(0.0, |last| wall_ms - last);
        self.last_wall_ms = Some(wall_ms);
        let sim_from_us = self.player.sim().now().as_us();
        let advance = self.player.advance(elapsed_ms);
        let clock = FrameClock {
            sim_from_us,
            sim_to_us: self.player.sim().now().as_us(),
            wall_from_ms: wall_ms - elapsed_ms.min(player::MAX_FRAME_GAP_MS),
            wall_to_ms: wall_ms,
        };
        self.absorb_trace(clock);
        self.particles.retire(wall_ms);
        advance
    }

    /// Single-steps the simulation; its events appear as dots starting now.
    pub fn step(&mut self, wall_ms: f64) {
        let sim_from_us = self.player.sim().now().as_us();
        self.player.step();
        let clock = FrameClock {
            sim_from_us,
            sim_to_us: self.player.sim().now().as_us(),
            wall_from_ms: wall_ms,
            wall_to_ms: wall_ms + particles::TRAVEL_MS,
        };
        self.absorb_trace(clock);
    }

    fn absorb_trace(&mut self, clock: FrameClock) {
        let (events, next) = self.player.sim().trace().since(self.trace_cursor);
        self.particles.ingest(events, &self.geometry, clock);
        self.trace_cursor = next;
    }

    /// Applies an action to both worlds now; the layout follows when the topology changed.
    pub fn act(&mut self, action: FaultSpec) -> Result<(), ScenarioError> {
        let reshapes = matches!(
            action.action,
            FaultAction::AddService | FaultAction::RemoveService
        );
        self.player.inject(action)?;
        if reshapes {
            self.relayout();
        }
        Ok(())
    }

    /// A fault or restore on a service or `broker-N`.
    pub fn fault(
        &mut self,
        action: FaultAction,
        target: &str,
        factor: Option<f64>,
    ) -> Result<(), ScenarioError> {
        self.act(FaultSpec {
            factor,
            ..action_on(action, target)
        })
    }

    /// Sets a consumer group's instance count.
    pub fn scale(&mut self, group: &str, instances: u32) -> Result<(), ScenarioError> {
        self.act(FaultSpec {
            instances: Some(instances),
            ..action_on(FaultAction::Scale, group)
        })
    }

    /// Adds a consumer under the entry service: a redeploy in the sync world, a subscription in the event world.
    pub fn add_consumer(&mut self, consumer: &NewConsumer) -> Result<(), ScenarioError> {
        let entry = self.player.sim().topology().name(0).to_string();
        let service: ServiceSpec = serde_json::from_value(serde_json::json!({
            "name": consumer.name.trim(),
            "effect": format!("{} done", consumer.name.trim()),
            "service_time_ms": { "kind": "exponential", "mean": consumer.service_time_ms },
        }))
        .map_err(|e| ScenarioError {
            field: "service".into(),
            message: e.to_string(),
        })?;
        self.act(FaultSpec {
            service: Some(service),
            start_from: Some(consumer.start_from),
            ..action_on(FaultAction::AddService, &entry)
        })
    }

    /// Replays from t=0 to now with changed settings (see [`Player::replay_with`]).
    pub fn replay_with(&mut self, scenario: Scenario) -> Result<(), ScenarioError> {
        self.player.replay_with(scenario)?;
        self.restart_views();
        Ok(())
    }

    /// Starts `scenario` from t=0, paused.
    pub fn reset(&mut self, scenario: Scenario) -> Result<(), ScenarioError> {
        self.player.reset(scenario)?;
        self.restart_views();
        Ok(())
    }

    /// Starts `scenario` and runs it straight to `until_us`, paused (a shared link's view).
    pub fn open_at(&mut self, scenario: Scenario, until_us: u64) -> Result<(), ScenarioError> {
        self.player.reset(scenario)?;
        self.player.run_to(crate::sim::SimTime::from_us(until_us));
        self.restart_views();
        Ok(())
    }

    fn restart_views(&mut self) {
        self.particles.clear();
        self.trace_cursor = self.player.sim().trace().recorded();
        self.relayout();
    }

    fn relayout(&mut self) {
        self.geometry = Geometry::of(self.player.sim());
        self.layout_version += 1;
    }
}

fn action_on(action: FaultAction, target: &str) -> FaultSpec {
    FaultSpec {
        at_ms: 0.0,
        action,
        target: target.to_string(),
        factor: None,
        instances: None,
        service: None,
        start_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::trace::World;
    use frame::{Frame, NodeState};

    fn live() -> Live {
        Live::new(preset("happy-path").unwrap()).unwrap()
    }

    /// Plays `seconds` of simulated time in 60 Hz frames at `speed`.
    fn play(live: &mut Live, start_ms: f64, seconds: f64, speed: f64) -> f64 {
        live.player.set_speed(speed);
        live.player.set_playing(true);
        let frames = (seconds * 1_000.0 / speed / (1_000.0 / 60.0)).ceil() as u64;
        let mut wall = start_ms;
        for _ in 0..=frames {
            live.tick(wall);
            wall += 1_000.0 / 60.0;
        }
        wall
    }

    #[test]
    fn killing_analytics_fails_sync_and_lags_events_then_restore_drains_the_lag() {
        // The end-to-end story of the explainer, through the same calls the UI makes.
        let mut live = live();
        let wall = play(&mut live, 0.0, 5.0, 10.0);
        live.fault(FaultAction::Kill, "analytics", None).unwrap();
        let wall = play(&mut live, wall, 10.0, 10.0);
        let down = Frame::of(live.player.sim());
        assert_eq!(
            down.node(World::Sync, 3).unwrap().state(),
            NodeState::Killed
        );
        assert!(down.scores[0].failed > 0 || down.scores[0].effects_lost > 0);
        assert_eq!(down.scores[1].failed, 0);
        assert!(down.scores[1].lag_now.unwrap() > 0);
        live.fault(FaultAction::Restore, "analytics", None).unwrap();
        let mut wall = wall;
        let mut lags = Vec::new();
        for _ in 0..20 {
            wall = play(&mut live, wall, 1.0, 10.0);
            lags.push(Frame::of(live.player.sim()).group(3).unwrap().lag);
        }
        assert!(lags.contains(&0), "the lag drains after restore: {lags:?}");
        assert_eq!(Frame::of(live.player.sim()).scores[1].effects_lost, 0);
    }

    #[test]
    fn adding_a_consumer_relayouts_both_panels() {
        let mut live = live();
        play(&mut live, 0.0, 1.0, 1.0);
        let version = live.layout_version();
        live.add_consumer(&NewConsumer {
            name: "audit".into(),
            service_time_ms: 3.0,
            start_from: StartFrom::Earliest,
        })
        .unwrap();
        assert_eq!(live.layout_version(), version + 1);
        let audit = live.player.sim().topology().index_of("audit").unwrap();
        assert!(live.geometry().sync.nodes[audit].is_some());
        assert!(live.geometry().event.nodes[audit].is_some());
    }

    #[test]
    fn a_consumer_added_from_earliest_replays_history_the_sync_world_never_sees() {
        let mut live = live();
        let wall = play(&mut live, 0.0, 5.0, 10.0);
        let signups_before = live.player.sim().report().sync.by_kind["signup"].requests;
        assert!(signups_before > 30);
        live.add_consumer(&NewConsumer {
            name: "audit".into(),
            service_time_ms: 1.0,
            start_from: StartFrom::Earliest,
        })
        .unwrap();
        play(&mut live, wall, 10.0, 10.0);
        let frame = Frame::of(live.player.sim());
        let audit = live.player.sim().topology().index_of("audit").unwrap();
        let event_done = frame.node(World::Event, audit).unwrap().executions;
        let sync_done = frame.node(World::Sync, audit).unwrap().executions;
        assert!(
            event_done >= signups_before + sync_done,
            "event {event_done}, sync {sync_done}, before {signups_before}"
        );
    }

    #[test]
    fn a_bad_consumer_name_is_refused_with_the_field_and_nothing_changes() {
        let mut live = live();
        let before = live.player.sim().topology().len();
        let error = live
            .add_consumer(&NewConsumer {
                name: "email".into(),
                service_time_ms: 3.0,
                start_from: StartFrom::Latest,
            })
            .unwrap_err();
        assert!(
            error.field.contains("name") || error.field.contains("service"),
            "{error}"
        );
        assert_eq!(live.player.sim().topology().len(), before);
    }

    #[test]
    fn a_run_reopened_from_its_share_link_has_the_same_trace_hash() {
        use share::SharedView;
        let base = preset("happy-path").unwrap();
        let mut original = Live::new(base.clone()).unwrap();
        let wall = play(&mut original, 0.0, 4.0, 10.0);
        original
            .fault(FaultAction::Kill, "analytics", None)
            .unwrap();
        play(&mut original, wall, 3.0, 10.0);
        let sim = original.player.sim();
        let actions = &sim.scenario().faults[base.faults.len()..];
        let link = SharedView::of_run("happy-path", &base, actions, sim.now().as_us()).encode();

        let view = SharedView::decode(&link).unwrap();
        let mut scenario = view.base_scenario().unwrap();
        scenario.faults.extend(view.actions.iter().cloned());
        let mut reopened = Live::new(preset("signup").unwrap()).unwrap();
        reopened.open_at(scenario, view.t_us.unwrap()).unwrap();
        let (a, b) = (original.player.sim(), reopened.player.sim());
        assert_eq!(a.now(), b.now());
        assert_eq!(a.trace().hash_hex(), b.trace().hash_hex(), "link {link}");
        assert_eq!(Frame::of(a).scores, Frame::of(b).scores);
    }

    #[test]
    fn frames_produce_dots_and_a_reset_clears_them() {
        let mut live = live();
        play(&mut live, 0.0, 1.0, 1.0);
        assert!(!live.particles.is_empty());
        live.reset(preset("happy-path").unwrap()).unwrap();
        assert!(live.particles.is_empty());
        assert_eq!(live.player.sim().now().as_us(), 0);
    }
}
