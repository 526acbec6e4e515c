//! The live player: turns wall-clock frames into bounded simulation steps, and applies user actions.
//!
//! The browser calls [`Player::advance`] once per animation frame with the time
//! since the previous frame. The player never runs more than a fixed number of
//! events per frame, and never more than [`MAX_FRAME_GAP_MS`] of wall time at
//! once, so a tab that was hidden for minutes resumes smoothly instead of
//! freezing the page while it simulates everything it missed.

use crate::sim::scenario::Fault;
use crate::sim::{Action, Scenario, ScenarioError, SimTime, Simulation};
use std::collections::VecDeque;

/// Slowest and fastest playback, in simulated seconds per wall second.
pub const SPEED_MIN: f64 = 0.1;
pub const SPEED_MAX: f64 = 50.0;
/// Positions on the speed slider; the scale between them is logarithmic.
pub const SPEED_STEPS: u32 = 100;
/// The most wall time one frame may account for (the catch-up cap).
pub const MAX_FRAME_GAP_MS: f64 = 250.0;
/// The most simulation events one frame may run, whatever the speed.
pub const EVENTS_PER_FRAME_MAX: u64 = 150_000;
/// The fewest events a frame's budget shrinks to, so a slow device still makes progress.
pub const EVENTS_PER_FRAME_MIN: u64 = 2_000;
/// Wall time a frame's simulation may take: the rest of a 60 Hz frame draws.
pub const FRAME_WORK_TARGET_MS: f64 = 8.0;
/// Simulated time one press of "step" advances.
pub const STEP_MS: u64 = 100;

/// What one call to [`Player::advance`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Advance {
    pub events: u64,
    /// The frame's event budget ran out before the simulation reached its target time.
    pub behind: bool,
    /// The run reached the scenario's end during this frame, and the player paused.
    pub finished: bool,
}

/// A running simulation plus play state and speed.
#[derive(Clone, Debug)]
pub struct Player {
    sim: Simulation,
    playing: bool,
    speed: f64,
    /// Where the simulation should be, which can run ahead of the clock when a frame falls behind.
    target_us: f64,
    /// A branch's later actions, replayed at their times after a seek into its past.
    pending: VecDeque<Fault>,
    /// Events one frame may run now: it shrinks when frames take too long (heavy load on a
    /// slow device) and grows back when they are quick, so the page keeps its frame rate
    /// and the clock falls behind instead (the page then says so).
    events_per_frame: u64,
}

impl Player {
    /// A paused player at t=0 of `scenario`.
    pub fn new(scenario: Scenario) -> Result<Player, ScenarioError> {
        Ok(Player {
            sim: Simulation::new(scenario)?,
            playing: false,
            speed: 1.0,
            target_us: 0.0,
            pending: VecDeque::new(),
            events_per_frame: EVENTS_PER_FRAME_MAX,
        })
    }

    /// A paused player continuing from `sim`, replaying `pending` at their times.
    pub fn resumed(sim: Simulation, pending: Vec<Fault>) -> Player {
        Player {
            target_us: sim.now().as_us() as f64,
            sim,
            playing: false,
            speed: 1.0,
            pending: pending.into(),
            events_per_frame: EVENTS_PER_FRAME_MAX,
        }
    }

    pub fn into_sim(self) -> Simulation {
        self.sim
    }

    /// Continues from `sim` (a time-travel snapshot), paused, replaying `pending` at their times.
    pub fn restore(&mut self, sim: Simulation, pending: Vec<Fault>) {
        self.sim = sim;
        self.pending = pending.into();
        self.playing = false;
        self.target_us = self.sim.now().as_us() as f64;
    }

    /// Forgets the actions still to replay: acting in the past starts a new future.
    pub fn drop_pending(&mut self) {
        self.pending.clear();
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.target_us = self.sim.now().as_us() as f64;
    }

    /// Sets the speed, clamped to [`SPEED_MIN`]..=[`SPEED_MAX`]; non-numbers are ignored.
    pub fn set_speed(&mut self, speed: f64) {
        if speed.is_finite() {
            self.speed = speed.clamp(SPEED_MIN, SPEED_MAX);
        }
    }

    /// Advances by `wall_elapsed_ms` of wall time at the current speed, within the frame's bounds.
    pub fn advance(&mut self, wall_elapsed_ms: f64) -> Advance {
        if !self.playing || !wall_elapsed_ms.is_finite() || wall_elapsed_ms <= 0.0 {
            return Advance::default();
        }
        let wall_ms = wall_elapsed_ms.min(MAX_FRAME_GAP_MS);
        let now_us = self.sim.now().as_us() as f64;
        // A frame that fell behind keeps at most one frame's worth of debt, so slow
        // devices play slower rather than accumulating an ever-growing backlog.
        let step_us = wall_ms * 1_000.0 * self.speed;
        self.target_us = (self.target_us.max(now_us) + step_us).min(now_us + 2.0 * step_us);
        let end_us = self.sim.end().as_us() as f64;
        let stop_at_end = now_us < end_us;
        if stop_at_end {
            self.target_us = self.target_us.min(end_us);
        }
        let target = SimTime::from_us(self.target_us as u64);
        let mut advance = self.run_bounded(target);
        if stop_at_end && self.sim.now() >= self.sim.end() {
            self.playing = false;
            advance.finished = true;
        }
        advance
    }

    /// Runs events before `target` up to the frame's budget; the clock follows.
    fn run_bounded(&mut self, target: SimTime) -> Advance {
        self.run_events(target, self.events_per_frame)
    }

    /// Tunes the frame's event budget from how long the last frame's work took (wall ms,
    /// measured by the caller): a frame over [`FRAME_WORK_TARGET_MS`] shrinks it, a quick
    /// one lets it grow back, within [`EVENTS_PER_FRAME_MIN`]..=[`EVENTS_PER_FRAME_MAX`].
    pub fn adapt_budget(&mut self, frame_work_ms: f64) {
        if !frame_work_ms.is_finite() || frame_work_ms < 0.0 {
            return;
        }
        self.events_per_frame = tuned_budget(
            self.events_per_frame,
            frame_work_ms,
            FRAME_WORK_TARGET_MS,
            EVENTS_PER_FRAME_MAX,
        );
    }

    /// Events one frame may run now (see [`Player::adapt_budget`]).
    pub fn events_per_frame(&self) -> u64 {
        self.events_per_frame
    }

    /// Runs events before `target`, at most `budget` of them, applying pending actions
    /// at their times exactly as a live click at that moment applied them.
    fn run_events(&mut self, target: SimTime, budget: u64) -> Advance {
        let mut advance = Advance::default();
        loop {
            self.apply_due_actions();
            let next_action = self.pending.front().map(|a| SimTime::from_ms_f64(a.at_ms));
            let stop = next_action.map_or(target, |at| at.min(target));
            while let Some(next) = self.sim.next_event_time() {
                if next >= stop {
                    break;
                }
                if advance.events == budget {
                    advance.behind = true;
                    return advance;
                }
                self.sim.step();
                advance.events += 1;
            }
            self.sim.run_until(stop);
            if stop >= target {
                self.apply_due_actions();
                return advance;
            }
        }
    }

    /// Injects the pending actions whose time has come (they were validated when first made).
    fn apply_due_actions(&mut self) {
        while let Some(action) = self.pending.front() {
            if SimTime::from_ms_f64(action.at_ms) > self.sim.now() {
                break;
            }
            let fault = self.pending.pop_front().expect("peeked");
            let _ = self.sim.inject(fault.action);
        }
    }

    /// Advances exactly [`STEP_MS`] of simulated time, paused or not.
    pub fn step(&mut self) {
        let target = SimTime::from_us(self.sim.now().as_us() + STEP_MS * 1_000);
        self.run_events(target, u64::MAX);
        self.target_us = target.as_us() as f64;
    }

    /// Applies a user action to both worlds at the current simulated time.
    pub fn inject(&mut self, action: Action) -> Result<(), ScenarioError> {
        self.sim.inject(action)
    }

    /// Runs straight to `until`, paused, replaying pending actions on the way (seeks and links).
    pub fn run_to(&mut self, until: SimTime) {
        self.run_toward(until, u64::MAX);
    }

    /// Like [`Player::run_to`], stopping after `budget` events (`behind` says it stopped short);
    /// called again, it goes on exactly where it stopped.
    pub fn run_toward(&mut self, until: SimTime, budget: u64) -> Advance {
        self.playing = false;
        let advance = self.run_events(until, budget);
        self.target_us = self.sim.now().as_us() as f64;
        advance
    }

    /// Starts `scenario` from t=0, keeping the speed; paused.
    pub fn reset(&mut self, scenario: Scenario) -> Result<(), ScenarioError> {
        self.sim = Simulation::new(scenario)?;
        self.playing = false;
        self.target_us = 0.0;
        self.pending.clear();
        Ok(())
    }
}

/// An event budget tuned from the wall time its last use took: over `target_ms` it shrinks (at
/// most by half), well under it grows by a tenth, within [`EVENTS_PER_FRAME_MIN`]..=`max`.
pub fn tuned_budget(budget: u64, work_ms: f64, target_ms: f64, max: u64) -> u64 {
    let budget = budget as f64;
    let tuned = if work_ms > target_ms {
        budget * (target_ms / work_ms).max(0.5)
    } else if work_ms < target_ms * 0.75 {
        budget * 1.1
    } else {
        budget
    };
    tuned.clamp(EVENTS_PER_FRAME_MIN as f64, max as f64) as u64
}

/// The speed at a slider position (0..=[`SPEED_STEPS`]), on a logarithmic scale.
pub fn speed_at(position: u32) -> f64 {
    let fraction = f64::from(position.min(SPEED_STEPS)) / f64::from(SPEED_STEPS);
    SPEED_MIN * (SPEED_MAX / SPEED_MIN).powf(fraction)
}

/// The slider position closest to `speed`.
pub fn position_of(speed: f64) -> u32 {
    let speed = speed.clamp(SPEED_MIN, SPEED_MAX);
    let fraction = (speed / SPEED_MIN).ln() / (SPEED_MAX / SPEED_MIN).ln();
    (fraction * f64::from(SPEED_STEPS)).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;

    fn player() -> Player {
        Player::new(preset("signup").unwrap()).unwrap()
    }

    #[test]
    fn the_speed_scale_is_logarithmic_and_round_trips() {
        assert!((speed_at(0) - SPEED_MIN).abs() < 1e-9);
        assert!((speed_at(SPEED_STEPS) - SPEED_MAX).abs() < 1e-9);
        // Halfway on a log scale is the geometric mean, sqrt(0.1 * 50) ≈ 2.24.
        assert!((speed_at(SPEED_STEPS / 2) - (SPEED_MIN * SPEED_MAX).sqrt()).abs() < 1e-9);
        for position in 0..=SPEED_STEPS {
            assert_eq!(position_of(speed_at(position)), position);
        }
    }

    #[test]
    fn slow_frames_shrink_the_event_budget_and_quick_ones_let_it_grow_back() {
        let mut p = player();
        for _ in 0..40 {
            p.adapt_budget(40.0);
        }
        assert_eq!(p.events_per_frame(), EVENTS_PER_FRAME_MIN);
        // Heavy load, so one frame at top speed holds more events than the smallest budget.
        let mut heavy = preset("signup").unwrap();
        heavy.workload.arrivals = crate::sim::scenario::Arrivals::Poisson {
            rate_per_s: 5_000.0,
        };
        p.reset(heavy).unwrap();
        p.set_playing(true);
        p.set_speed(SPEED_MAX);
        let advance = p.advance(1_000.0 / 60.0);
        assert!(advance.behind, "a small budget falls behind at top speed");
        assert_eq!(advance.events, EVENTS_PER_FRAME_MIN);
        for _ in 0..200 {
            p.adapt_budget(2.0);
        }
        assert_eq!(p.events_per_frame(), EVENTS_PER_FRAME_MAX);
        let before = p.events_per_frame();
        p.adapt_budget(f64::NAN);
        assert_eq!(
            p.events_per_frame(),
            before,
            "a bad measure changes nothing"
        );
    }

    #[test]
    fn a_paused_player_does_not_move() {
        let mut p = player();
        assert_eq!(p.advance(16.0), Advance::default());
        assert_eq!(p.sim().now(), SimTime::ZERO);
    }

    #[test]
    fn one_second_of_frames_at_one_x_is_one_simulated_second() {
        let mut p = player();
        p.set_playing(true);
        for _ in 0..60 {
            p.advance(1_000.0 / 60.0);
        }
        let now_ms = p.sim().now().as_ms_f64();
        assert!((now_ms - 1_000.0).abs() < 1.0, "now {now_ms} ms");
    }

    #[test]
    fn a_long_gap_is_capped_so_a_hidden_tab_never_freezes_the_page() {
        let mut p = player();
        p.set_playing(true);
        p.set_speed(SPEED_MAX);
        let advance = p.advance(600_000.0);
        let expected_ms = MAX_FRAME_GAP_MS * SPEED_MAX;
        assert!(p.sim().now().as_ms_f64() <= expected_ms + 1e-6);
        assert!(advance.events <= EVENTS_PER_FRAME_MAX);
    }

    #[test]
    fn the_event_budget_bounds_a_frame_and_the_rest_follows_next_frame() {
        let mut scenario = preset("signup").unwrap();
        scenario.workload.arrivals = crate::sim::scenario::Arrivals::Constant {
            rate_per_s: 5_000.0,
        };
        let mut p = Player::new(scenario).unwrap();
        p.set_playing(true);
        p.set_speed(SPEED_MAX);
        let first = p.advance(MAX_FRAME_GAP_MS);
        assert!(
            first.behind,
            "5,000 req/s at 50x must exceed one frame's budget"
        );
        assert_eq!(first.events, EVENTS_PER_FRAME_MAX);
        let reached = p.sim().now();
        p.advance(1.0);
        assert!(p.sim().now() > reached, "the next frame carries on");
    }

    #[test]
    fn the_player_pauses_at_the_end_and_can_play_past_it() {
        let mut p = player();
        p.set_playing(true);
        p.set_speed(SPEED_MAX);
        let mut finished = false;
        for _ in 0..100 {
            finished |= p.advance(MAX_FRAME_GAP_MS).finished;
        }
        assert!(finished);
        assert_eq!(p.sim().now(), p.sim().end());
        assert!(!p.playing());
        p.set_playing(true);
        p.advance(100.0);
        assert!(p.sim().now() > p.sim().end());
    }

    #[test]
    fn playing_frames_equals_running_the_core_straight() {
        let mut p = player();
        p.set_playing(true);
        p.set_speed(7.3);
        for _ in 0..200 {
            p.advance(13.7);
        }
        let mut straight = Simulation::new(preset("signup").unwrap()).unwrap();
        straight.run_until(p.sim().now());
        assert_eq!(p.sim().trace().hash(), straight.trace().hash());
    }
}
