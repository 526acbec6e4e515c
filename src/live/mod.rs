//! The live explainer's logic, as plain structs tested natively: player, layout, view model, dots, chart data.
//!
//! The browser UI owns one [`Live`] and calls [`Live::tick`] every animation frame;
//! it reads [`frame::Frame`], [`charts::ChartData`] and the dots, and draws them.
//! This module must not know about the browser: no web crates, no wall clock (the
//! caller passes wall time in), so every behaviour here is tested with `cargo test`.

pub mod annotate;
pub mod announce;
pub mod caps;
pub mod charts;
pub mod editor;
pub mod embed;
pub mod first_paint;
pub mod frame;
pub mod journey;
pub mod layout;
pub mod narration;
pub mod particles;
pub mod player;
pub mod share;
pub mod sweep;
pub mod tables;
pub mod timeline;
pub mod traffic;
pub mod why;
pub mod workshop;

/// The preset a page opens when its link names none (and the one `index.html` pictures).
pub const DEFAULT_PRESET: &str = "happy-path";

use crate::sim::dist::DurationDist;
use crate::sim::scenario::{ActionKind, Fault, ServiceSpec, StartFrom};
use crate::sim::{Action, Scenario, ScenarioError, SimTime, Simulation};
use particles::{FrameClock, Geometry, Particles};
use player::{Advance, Player};
use timeline::Timeline;
use traffic::Traffic;

/// Wall time a frame may spend re-simulating for a seek on its way: a far seek under heavy
/// load then takes most of the CPU, yet a click still answers within a frame or two.
pub const REBUILD_WORK_TARGET_MS: f64 = 48.0;
/// The most events one frame may re-simulate for a seek, however fast the device.
pub const REBUILD_EVENTS_MAX: u64 = 1_000_000;

/// A seek still on its way (see [`Live::slice_seeks`]): the run is re-simulated from a
/// snapshot towards the time asked, a slice per frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rebuild {
    /// Where the re-simulation started (a snapshot, or the run itself seeking forward).
    pub from_us: u64,
    /// The time asked for.
    pub to_us: u64,
    /// Whether the run plays on once there (play pressed before or during the rebuild).
    pub resume_playing: bool,
}

impl Rebuild {
    /// How far along it is at simulated time `now_us`, in whole percent (0..=100).
    pub fn percent(&self, now_us: u64) -> u8 {
        let span = self.to_us.saturating_sub(self.from_us).max(1);
        let done = now_us.saturating_sub(self.from_us).min(span);
        (done * 100 / span) as u8
    }
}

/// The player, the dots and the layouts, kept in step.
#[derive(Clone, Debug)]
pub struct Live {
    pub player: Player,
    pub particles: Particles,
    /// Every event counted per edge, for the still view's numbers.
    pub traffic: Traffic,
    geometry: Geometry,
    trace_cursor: u64,
    last_wall_ms: Option<f64>,
    /// Bumped whenever the layout changes, so the UI re-creates its SVG nodes.
    layout_version: u64,
    /// Snapshots and branches, for seeking and what-ifs.
    pub timeline: Timeline,
    /// A seek on its way, finished by the next frames.
    rebuild: Option<Rebuild>,
    /// Events a seek may re-simulate in one go; `None`: a seek is whole at once.
    rebuild_events: Option<u64>,
}

/// A user request to add a consumer: the service `name` under the entry.
#[derive(Clone, Debug, PartialEq)]
pub struct NewConsumer {
    pub name: String,
    pub service_time_ms: f64,
    pub start_from: StartFrom,
}

impl NewConsumer {
    /// The service the consumer becomes: exponential service time, its name as its effect.
    fn service(&self) -> ServiceSpec {
        let name = self.name.trim();
        ServiceSpec {
            effect: format!("{name} done"),
            service_time_ms: DurationDist::Exponential {
                mean: self.service_time_ms,
            },
            ..ServiceSpec::named(name)
        }
    }
}

/// Everything a person, a page or a test can ask of the explainer, in one type.
///
/// The action menu, the settings panel, the embed's commands, a share link, exercises and
/// tests all send one of these to [`Live::apply`], so there is one path for each change
/// and one place that decides what follows it (a relayout, a new branch).
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// A fault or user action, applied to both worlds now (a new branch if now is past).
    Act(Action),
    /// A new consumer under the entry: a redeploy in the sync world, a subscription in events.
    AddConsumer(NewConsumer),
    Play(bool),
    Speed(f64),
    /// One step of [`player::STEP_MS`], paused; its dots start at wall time `wall_ms`.
    Step {
        wall_ms: f64,
    },
    /// The current branch at simulated time `t_us`, rebuilt from the nearest snapshot.
    Seek {
        t_us: u64,
    },
    /// Branch `id` at the same simulated time.
    SwitchBranch(u32),
    /// A scenario from t = 0, paused.
    Reset(Box<Scenario>),
    /// The current branch's actions replayed on a changed base, back to now.
    Rebase(Box<Scenario>),
    /// A base with actions replayed at their times, paused at `until_us` (a share link).
    Open {
        base: Box<Scenario>,
        actions: Vec<Fault>,
        until_us: u64,
    },
}

impl Live {
    /// The scenario of the branch on show: the base's own faults, then every action on
    /// this branch, including those after the playhead. Exports and sweeps run this.
    pub fn branch_scenario(&self) -> Scenario {
        let mut scenario = self.player.sim().scenario().clone();
        scenario.faults.truncate(self.timeline.base_faults());
        (scenario.faults).extend(self.timeline.current().actions.iter().cloned());
        scenario
    }

    /// Carries out one intent. A refused one names its field and leaves everything as it was.
    pub fn apply(&mut self, intent: Intent) -> Result<(), ScenarioError> {
        match intent {
            // Everything but play, speed, another seek or a new run acts on the time asked for.
            Intent::Act(_)
            | Intent::AddConsumer(_)
            | Intent::Step { .. }
            | Intent::SwitchBranch(_)
            | Intent::Rebase(_) => self.finish_rebuild(),
            Intent::Play(_)
            | Intent::Speed(_)
            | Intent::Seek { .. }
            | Intent::Reset(_)
            | Intent::Open { .. } => {}
        }
        match intent {
            Intent::Act(action) => self.act(action)?,
            Intent::AddConsumer(consumer) => self.act(Action::AddService {
                caller: self.player.sim().topology().name(0).to_string(),
                service: Box::new(consumer.service()),
                start_from: Some(consumer.start_from),
            })?,
            Intent::Play(playing) => self.set_playing(playing),
            Intent::Speed(speed) => self.player.set_speed(speed),
            Intent::Step { wall_ms } => self.step(wall_ms),
            Intent::Seek { t_us } => self.seek(t_us),
            Intent::SwitchBranch(id) => self.switch_branch(id)?,
            Intent::Reset(scenario) => self.reset(*scenario)?,
            Intent::Rebase(base) => self.rebase(*base)?,
            Intent::Open {
                base,
                actions,
                until_us,
            } => self.open_at(*base, actions, until_us)?,
        }
        Ok(())
    }

    pub fn new(scenario: Scenario) -> Result<Live, ScenarioError> {
        let player = Player::new(scenario)?;
        let geometry = Geometry::of(player.sim());
        let timeline = Timeline::new(player.sim());
        Ok(Live {
            player,
            particles: Particles::default(),
            traffic: Traffic::default(),
            geometry,
            trace_cursor: 0,
            last_wall_ms: None,
            layout_version: 0,
            timeline,
            rebuild: None,
            rebuild_events: None,
        })
    }

    /// Lets a seek stop after `first_events` events and finish over the next frames
    /// ([`Live::tick`]), each re-simulating what fits [`REBUILD_WORK_TARGET_MS`] on this
    /// device ([`Live::rebuild_took`]), so a far seek under heavy load never freezes the page.
    /// Without it (the CLI, tests) a seek is whole before [`Live::apply`] returns.
    pub fn slice_seeks(&mut self, first_events: u64) {
        self.rebuild_events = Some(first_events.clamp(1, REBUILD_EVENTS_MAX));
    }

    /// Tunes the events a frame re-simulates for a seek on its way from the wall time the
    /// last frame's re-simulation took (measured by the caller around [`Live::tick`]).
    pub fn rebuild_took(&mut self, work_ms: f64) {
        if let (Some(budget), Some(_)) = (self.rebuild_events.as_mut(), self.rebuild)
            && work_ms.is_finite()
            && work_ms >= 0.0
        {
            *budget =
                player::tuned_budget(*budget, work_ms, REBUILD_WORK_TARGET_MS, REBUILD_EVENTS_MAX);
        }
    }

    /// The seek on its way, if one is.
    pub fn rebuild(&self) -> Option<Rebuild> {
        self.rebuild
    }

    /// Whether the run plays, or will once a seek on its way arrives.
    pub fn playing(&self) -> bool {
        self.rebuild
            .map_or(self.player.playing(), |r| r.resume_playing)
    }

    /// Plays or pauses; during a seek on its way, it decides what happens on arrival.
    pub fn set_playing(&mut self, playing: bool) {
        match &mut self.rebuild {
            Some(rebuild) => rebuild.resume_playing = playing,
            None => self.player.set_playing(playing),
        }
    }

    /// Tunes the frame's event budget from the wall time the last frame's work took; a
    /// rebuilding frame works longer on purpose and has its own budget, so it does not count.
    /// A played frame also sets the next seek's slice: what fits [`REBUILD_WORK_TARGET_MS`]
    /// at the rate this frame ran (drawing included, so on the safe side).
    pub fn frame_took(&mut self, work_ms: f64) {
        if self.rebuild.is_some() {
            return;
        }
        self.player.adapt_budget(work_ms);
        if let Some(budget) = self.rebuild_events.as_mut() {
            let frames = REBUILD_WORK_TARGET_MS / player::FRAME_WORK_TARGET_MS;
            let events = self.player.events_per_frame() as f64 * frames;
            *budget = (events as u64).min(REBUILD_EVENTS_MAX);
        }
    }

    fn rebuild_budget(&self) -> u64 {
        self.rebuild_events.unwrap_or(u64::MAX)
    }

    /// Goes on with the seek on its way for at most `budget` events; once there, the run
    /// is as a whole seek leaves it: playing if asked, no dots from the re-simulation.
    fn continue_rebuild(&mut self, budget: u64) {
        let Some(rebuild) = self.rebuild else {
            return;
        };
        let arrived = self.run_recording_bounded(rebuild.to_us, budget);
        self.clear_dots();
        if Geometry::of(self.player.sim()) != self.geometry {
            // Re-creating the SVG on every scrub step would be slow; only a changed topology needs it.
            self.relayout();
        }
        if arrived {
            self.rebuild = None;
            self.player.set_playing(rebuild.resume_playing);
        }
    }

    fn finish_rebuild(&mut self) {
        self.continue_rebuild(u64::MAX);
    }

    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    /// The wall time of the last frame, whose dots are the ones on screen.
    pub fn drawn_at_ms(&self) -> Option<f64> {
        self.last_wall_ms
    }

    pub fn layout_version(&self) -> u64 {
        self.layout_version
    }

    /// One animation frame at wall time `wall_ms`: advance, then turn new trace events into dots.
    pub fn tick(&mut self, wall_ms: f64) -> Advance {
        if self.rebuild.is_some() {
            // The clock stands still for the player while the seek finishes: no dots, no play.
            self.last_wall_ms = Some(wall_ms);
            self.continue_rebuild(self.rebuild_budget());
            return Advance::default();
        }
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
        self.timeline.record(self.player.sim());
        advance
    }

    /// Single-steps the simulation; its events appear as dots starting now.
    fn step(&mut self, wall_ms: f64) {
        let sim_from_us = self.player.sim().now().as_us();
        self.player.step();
        let clock = FrameClock {
            sim_from_us,
            sim_to_us: self.player.sim().now().as_us(),
            wall_from_ms: wall_ms,
            wall_to_ms: wall_ms + particles::TRAVEL_MS,
        };
        self.absorb_trace(clock);
        self.timeline.record(self.player.sim());
    }

    fn absorb_trace(&mut self, clock: FrameClock) {
        let (events, next) = self.player.sim().trace().since(self.trace_cursor);
        self.particles.ingest(events, &self.geometry, clock);
        let (events, _) = self.player.sim().trace().since(self.trace_cursor);
        self.traffic.count(events);
        self.trace_cursor = next;
    }

    /// Applies an action to both worlds now; the layout follows when the topology changed.
    ///
    /// Acting at a moment this branch has already played past starts a new branch;
    /// the old future stays on its own branch.
    fn act(&mut self, action: Action) -> Result<(), ScenarioError> {
        let reshapes = matches!(
            action.kind(),
            ActionKind::AddService | ActionKind::RemoveService
        );
        let was_past = self.in_the_past();
        self.player.inject(action)?;
        if was_past {
            self.player.drop_pending();
        }
        self.timeline.acted(self.player.sim(), was_past);
        if reshapes {
            self.relayout();
        }
        Ok(())
    }

    /// Whether the current branch has a future beyond now (so acting now would branch).
    pub fn in_the_past(&self) -> bool {
        self.player.has_pending() || self.timeline.is_past(self.player.sim().now().as_us())
    }

    /// Moves the current branch to simulated time `t_us` (capped at the furthest of its
    /// end and its horizon): rebuilt from the nearest snapshot, keeping play state.
    fn seek(&mut self, t_us: u64) {
        self.seek_within(t_us, false);
    }

    /// Seeks on the current branch; `other_branch` says the run on show belongs to another
    /// branch, so it can never be continued and a snapshot is always restored.
    fn seek_within(&mut self, t_us: u64, other_branch: bool) {
        let branch_end_us = self
            .timeline
            .current()
            .horizon_us
            .max(self.player.sim().end().as_us());
        let t_us = t_us.min(branch_end_us);
        let playing = self.playing();
        // The nearest state at or before `t_us` is either a snapshot or, seeking forward,
        // the run itself: restoring a snapshot behind the run would only re-simulate more.
        let now_us = self.player.sim().now().as_us();
        if other_branch || t_us < now_us || self.timeline.snapshot_time_at_or_before(t_us) > now_us
        {
            let point = self.timeline.restore_point(t_us);
            self.player.restore(point.sim, point.pending);
        }
        self.rebuild = Some(Rebuild {
            from_us: self.player.sim().now().as_us(),
            to_us: t_us,
            resume_playing: playing,
        });
        self.continue_rebuild(self.rebuild_budget());
    }

    /// Runs to `t_us`, snapshotting on the way so seeking there again is quick, stopping
    /// after `budget` events; returns whether it got there.
    fn run_recording_bounded(&mut self, t_us: u64, budget: u64) -> bool {
        let mut left = budget;
        while self.player.sim().now().as_us() < t_us {
            let now_us = self.player.sim().now().as_us();
            let next_us = (now_us + self.timeline.snapshot_step_us()).min(t_us);
            let advance = self.player.run_toward(SimTime::from_us(next_us), left);
            self.timeline.record(self.player.sim());
            if advance.behind {
                return false;
            }
            left = left.saturating_sub(advance.events);
        }
        true
    }

    /// Shows branch `id` at the same simulated time.
    fn switch_branch(&mut self, id: u32) -> Result<(), ScenarioError> {
        let now_us = self.player.sim().now().as_us();
        if !self.timeline.switch_to(id) {
            let problem = crate::sim::Problem::NoSuchBranch { id: id.to_string() };
            return Err(crate::sim::scenario::error("branch", problem));
        }
        self.seek_within(now_us, true);
        Ok(())
    }

    /// Branch `id` at the current time, for side-by-side comparison; the run is untouched.
    pub fn branch_state(&mut self, id: u32) -> Option<Simulation> {
        let now_us = self.player.sim().now().as_us();
        self.timeline.state_of(id, now_us)
    }

    /// Replays the current branch's actions on a changed base scenario, back to now: the
    /// what-if "had it always been so". The other branches, built on the old base, go.
    fn rebase(&mut self, base: Scenario) -> Result<(), ScenarioError> {
        let actions = self.timeline.current().actions.clone();
        let now_us = self.player.sim().now().as_us();
        let playing = self.player.playing();
        self.open_at(base, actions, now_us)?;
        self.set_playing(playing);
        Ok(())
    }

    /// Starts `scenario` from t=0, paused.
    fn reset(&mut self, scenario: Scenario) -> Result<(), ScenarioError> {
        self.player.reset(scenario)?;
        // The new run replaces the one a seek was on its way through.
        self.rebuild = None;
        self.timeline = Timeline::new(self.player.sim());
        self.restart_views();
        Ok(())
    }

    /// Starts `base` with the user's `actions` replayed at their times, paused at
    /// `until_us` (a shared link's view). Bad actions are refused by name; nothing changes.
    fn open_at(
        &mut self,
        base: Scenario,
        actions: Vec<Fault>,
        until_us: u64,
    ) -> Result<(), ScenarioError> {
        let mut check = base.clone();
        check.faults.extend(actions.iter().cloned());
        check.validate()?;
        let start = Simulation::new(base)?;
        self.rebuild = None;
        self.timeline = Timeline::with_actions(&start, actions.clone());
        self.player.restore(start, actions);
        self.restart_views();
        // A link far into a heavy run is a far seek from t = 0: it finishes over frames too.
        self.seek(until_us.min(self.player.sim().end().as_us()));
        Ok(())
    }

    fn restart_views(&mut self) {
        self.clear_dots();
        self.relayout();
    }

    fn clear_dots(&mut self) {
        self.particles.clear();
        self.traffic.clear(self.player.sim().now().as_us());
        self.trace_cursor = self.player.sim().trace().recorded();
    }

    fn relayout(&mut self) {
        self.geometry = Geometry::of(self.player.sim());
        self.layout_version += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::scenario::Target;
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
        live.apply(Intent::Act(Action::Kill(Target::named("analytics"))))
            .unwrap();
        let wall = play(&mut live, wall, 10.0, 10.0);
        let down = Frame::of(live.player.sim());
        assert_eq!(
            down.node(World::Sync, 3).unwrap().state(),
            NodeState::Killed
        );
        assert!(down.scores[0].failed > 0 || down.scores[0].effects_lost > 0);
        assert_eq!(down.scores[1].failed, 0);
        assert!(down.scores[1].lag_now.unwrap() > 0);
        live.apply(Intent::Act(Action::Restore(Target::named("analytics"))))
            .unwrap();
        let mut wall = wall;
        let mut lags = Vec::new();
        for _ in 0..50 {
            wall = play(&mut live, wall, 1.0, 10.0);
            lags.push(Frame::of(live.player.sim()).group(3).unwrap().lag);
        }
        // Restarted at 15 s, its new members wait for the old sessions to expire (45 s later).
        assert!(lags[..25].iter().all(|&lag| lag > 0), "{lags:?}");
        assert!(
            lags.contains(&0),
            "the lag drains after the sessions expire: {lags:?}"
        );
        assert_eq!(Frame::of(live.player.sim()).scores[1].effects_lost, 0);
    }

    #[test]
    fn switching_back_to_a_branch_shows_its_own_state_not_the_one_on_show() {
        let mut live = live();
        live.seek(25_000_000);
        let original = live.player.sim().trace().hash();
        live.seek(10_000_000);
        live.apply(Intent::Act(Action::Kill(Target::named("analytics"))))
            .unwrap();
        live.seek(25_000_000);
        assert_ne!(
            live.player.sim().trace().hash(),
            original,
            "the branch has its own future"
        );
        live.switch_branch(1).unwrap();
        assert_eq!(live.player.sim().now(), SimTime::from_ms(25_000));
        assert_eq!(
            live.player.sim().trace().hash(),
            original,
            "branch 1 is untouched"
        );
    }

    #[test]
    fn adding_a_consumer_relayouts_both_panels() {
        let mut live = live();
        play(&mut live, 0.0, 1.0, 1.0);
        let version = live.layout_version();
        live.apply(Intent::AddConsumer(NewConsumer {
            name: "audit".into(),
            service_time_ms: 3.0,
            start_from: StartFrom::Earliest,
        }))
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
        live.apply(Intent::AddConsumer(NewConsumer {
            name: "audit".into(),
            service_time_ms: 1.0,
            start_from: StartFrom::Earliest,
        }))
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
            .apply(Intent::AddConsumer(NewConsumer {
                name: "email".into(),
                service_time_ms: 3.0,
                start_from: StartFrom::Latest,
            }))
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
            .apply(Intent::Act(Action::Kill(Target::named("analytics"))))
            .unwrap();
        play(&mut original, wall, 3.0, 10.0);
        let sim = original.player.sim();
        let actions = &sim.scenario().faults[base.faults.len()..];
        let link = SharedView::of_run("happy-path", &base, actions, sim.now().as_us()).encode();

        let view = SharedView::decode(&link).unwrap();
        let mut reopened = Live::new(preset("signup").unwrap()).unwrap();
        reopened
            .open_at(
                view.base_scenario().unwrap(),
                view.actions.clone(),
                view.t_us.unwrap(),
            )
            .unwrap();
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

/// Time travel through the same calls the UI makes: seek, act in the past, switch branches.
#[cfg(test)]
mod time_travel_tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::scenario::{Setting, SettingsPatch, Target};
    use frame::Frame;

    /// Plays `seconds` at 10x in 60 Hz frames, recording snapshots as the UI does.
    fn play(live: &mut Live, seconds: f64) {
        live.player.set_speed(10.0);
        live.player.set_playing(true);
        let start_ms = live.last_wall_ms.unwrap_or(0.0);
        let frames = (seconds * 100.0 / (1_000.0 / 60.0)).ceil() as u64;
        for frame in 1..=frames {
            live.tick(start_ms + frame as f64 * 1_000.0 / 60.0);
        }
        live.player.set_playing(false);
    }

    fn fingerprint(live: &Live) -> (u64, String, Vec<frame::Scoreboard>) {
        let sim = live.player.sim();
        (
            sim.now().as_us(),
            sim.trace().hash_hex(),
            Frame::of(sim).scores.to_vec(),
        )
    }

    fn with_kill_and_restore() -> Live {
        let mut live = Live::new(preset("happy-path").unwrap()).unwrap();
        play(&mut live, 5.0);
        live.apply(Intent::Act(Action::Kill(Target::named("analytics"))))
            .unwrap();
        play(&mut live, 10.0);
        live.apply(Intent::Act(Action::Restore(Target::named("analytics"))))
            .unwrap();
        play(&mut live, 10.0);
        live
    }

    #[test]
    fn seeking_back_then_forward_to_the_same_time_gives_the_same_state() {
        let mut live = with_kill_and_restore();
        let at_head = fingerprint(&live);
        live.seek(2_000_000);
        assert_eq!(live.player.sim().now(), SimTime::from_ms(2_000));
        assert_eq!(live.timeline.branches().len(), 1, "seeking never branches");
        live.seek(at_head.0);
        assert_eq!(fingerprint(&live), at_head);
        // Playing on from the past replays the kill and the restore at their times.
        live.seek(1_000_000);
        play(&mut live, 30.0);
        let mut straight = Simulation::new(preset("happy-path").unwrap()).unwrap();
        let mut scenario = straight.scenario().clone();
        scenario
            .faults
            .extend(live.timeline.current().actions.iter().cloned());
        straight = Simulation::new(scenario).unwrap();
        straight.run_until(live.player.sim().now());
        assert_eq!(
            live.player.sim().trace().hash_hex(),
            straight.trace().hash_hex()
        );
    }

    /// A fresh run whose seeks go in slices, with the budget of a slow device under load.
    fn slicing() -> (Live, u64) {
        let mut live = Live::new(preset("happy-path").unwrap()).unwrap();
        let budget = 12_000;
        live.slice_seeks(budget);
        (live, budget)
    }

    #[test]
    fn a_far_seek_in_slices_answers_at_once_and_arrives_where_a_whole_seek_does() {
        let mut whole = Live::new(preset("happy-path").unwrap()).unwrap();
        whole.seek(90_000_000);
        let (mut live, budget) = slicing();
        live.apply(Intent::Play(true)).unwrap();
        live.apply(Intent::Seek { t_us: 90_000_000 }).unwrap();
        assert!(live.player.sim().events_simulated() <= budget);
        let rebuild = live.rebuild().expect("a far seek is still on its way");
        assert_eq!((rebuild.from_us, rebuild.to_us), (0, 90_000_000));
        assert!(
            live.playing() && !live.player.playing(),
            "it plays once there, not before"
        );
        let mut percents = vec![rebuild.percent(live.player.sim().now().as_us())];
        let mut wall_ms = 0.0;
        while live.rebuild().is_some() {
            assert!(percents.len() < 1_000, "the seek never arrived");
            let before = live.player.sim().events_simulated();
            wall_ms += 1_000.0 / 60.0;
            assert_eq!(live.tick(wall_ms), Advance::default());
            assert!(live.player.sim().events_simulated() - before <= budget);
            assert!(live.particles.is_empty(), "no dots from the re-simulation");
            percents.push(rebuild.percent(live.player.sim().now().as_us()));
        }
        assert!(percents.len() >= 3, "it took several frames: {percents:?}");
        assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
        assert_eq!(percents.last(), Some(&100));
        assert_eq!(live.player.sim().now(), whole.player.sim().now());
        assert_eq!(
            live.player.sim().trace().hash_hex(),
            whole.player.sim().trace().hash_hex()
        );
        assert!(live.player.playing(), "play goes on once there");
    }

    #[test]
    fn a_seeks_slices_fit_the_time_the_device_took_for_the_last_one() {
        let (mut live, budget) = slicing();
        live.rebuild_took(500.0);
        assert_eq!(
            live.rebuild_events,
            Some(budget),
            "no seek on its way: nothing to tune"
        );
        live.apply(Intent::Seek { t_us: 90_000_000 }).unwrap();
        live.rebuild_took(4.0 * REBUILD_WORK_TARGET_MS);
        assert_eq!(
            live.rebuild_events,
            Some(budget / 2),
            "too slow: at most halved"
        );
        live.rebuild_took(REBUILD_WORK_TARGET_MS / 2.0);
        assert_eq!(
            live.rebuild_events,
            Some(budget / 2 * 11 / 10),
            "quick: a tenth more"
        );
        live.rebuild_took(f64::NAN);
        assert_eq!(live.rebuild_events, Some(budget / 2 * 11 / 10));
        while live.rebuild().is_some() {
            live.tick(0.0);
        }
        // Played frames far over their time take the play budget, and the next slice, down.
        for _ in 0..20 {
            live.frame_took(1_000.0);
        }
        let floor = player::EVENTS_PER_FRAME_MIN;
        assert_eq!(live.player.events_per_frame(), floor);
        assert_eq!(
            live.rebuild_events,
            Some(floor * 6),
            "48 ms is six 8 ms frames"
        );
    }

    #[test]
    fn acting_during_a_sliced_seek_acts_at_the_time_asked_and_a_new_seek_replaces_it() {
        let (mut live, _) = slicing();
        live.apply(Intent::Seek { t_us: 90_000_000 }).unwrap();
        assert!(live.rebuild().is_some());
        live.apply(Intent::Act(Action::Kill(Target::named("analytics"))))
            .unwrap();
        assert_eq!(live.rebuild(), None);
        assert_eq!(live.player.sim().now(), SimTime::from_ms(90_000));
        assert_eq!(live.timeline.current().actions[0].at_ms, 90_000.0);
        live.apply(Intent::Seek { t_us: 150_000_000 }).unwrap();
        live.apply(Intent::Seek { t_us: 30_000_000 }).unwrap();
        while live.rebuild().is_some() {
            live.tick(0.0);
        }
        assert_eq!(live.player.sim().now(), SimTime::from_ms(30_000));
        assert!(!live.playing());
    }

    #[test]
    fn a_link_far_into_a_run_opens_over_frames_and_a_refused_one_keeps_the_seek_going() {
        let open = |base: Scenario| Intent::Open {
            base: Box::new(base),
            actions: vec![Fault {
                at_ms: 5_000.0,
                action: Action::Kill(Target::named("analytics")),
            }],
            until_us: 60_000_000,
        };
        let mut whole = Live::new(preset("happy-path").unwrap()).unwrap();
        whole.apply(open(preset("happy-path").unwrap())).unwrap();
        let (mut live, _) = slicing();
        live.apply(open(preset("happy-path").unwrap())).unwrap();
        assert_eq!(live.rebuild().map(|r| r.to_us), Some(60_000_000));
        let mut broken = preset("happy-path").unwrap();
        broken.services.clear();
        assert!(live.apply(open(broken)).is_err());
        assert_eq!(live.rebuild().map(|r| r.to_us), Some(60_000_000));
        while live.rebuild().is_some() {
            live.tick(0.0);
        }
        assert_eq!(fingerprint(&live), fingerprint(&whole));
        assert_eq!(live.timeline.current().actions.len(), 1);
    }

    #[test]
    fn acting_in_the_past_branches_and_the_original_future_is_kept() {
        let mut live = with_kill_and_restore();
        let original = fingerprint(&live);
        live.seek(10_000_000);
        let acks = SettingsPatch::one(Setting::Acks(crate::sim::scenario::Acks::All));
        live.apply(Intent::Act(Action::Configure(acks))).unwrap();
        let branches = live.timeline.branches();
        assert_eq!(branches.len(), 2);
        let new = &branches[1];
        assert_eq!(new.parent, Some((1, 10_000_000)));
        assert_eq!(
            new.first_change().unwrap().action.kind(),
            ActionKind::Configure
        );
        // The new branch keeps the kill made before 10 s, and drops the restore after it.
        assert_eq!(new.actions.len(), 2);
        assert_eq!(new.actions[0].action.kind(), ActionKind::Kill);
        play(&mut live, 5.0);
        assert_ne!(fingerprint(&live).1, original.1);

        live.switch_branch(1).unwrap();
        live.seek(original.0);
        assert_eq!(
            fingerprint(&live),
            original,
            "the original branch is untouched"
        );
        assert_eq!(live.timeline.current().actions.len(), 2);
        // Comparing reads the other branch without moving this one.
        let other = live.branch_state(2).unwrap();
        assert_eq!(other.now(), live.player.sim().now());
        assert_eq!(other.scenario().event.acks, crate::sim::scenario::Acks::All);
        assert_eq!(fingerprint(&live), original);
    }

    #[test]
    fn acting_at_the_head_of_a_branch_extends_it() {
        let mut live = Live::new(preset("happy-path").unwrap()).unwrap();
        play(&mut live, 3.0);
        live.apply(Intent::Act(Action::Kill(Target::named("email"))))
            .unwrap();
        live.apply(Intent::Act(Action::Restore(Target::named("email"))))
            .unwrap();
        assert_eq!(live.timeline.branches().len(), 1);
        assert_eq!(live.timeline.current().actions.len(), 2);
    }

    #[test]
    fn a_link_with_actions_after_its_playhead_replays_them_when_played() {
        let mut original = with_kill_and_restore();
        let actions = original.timeline.current().actions.clone();
        let end_us = original.player.sim().now().as_us();
        let mut reopened = Live::new(preset("signup").unwrap()).unwrap();
        reopened
            .open_at(preset("happy-path").unwrap(), actions, 1_000_000)
            .unwrap();
        assert!(
            reopened.in_the_past(),
            "the link's later actions are its future"
        );
        reopened.seek(end_us);
        original.seek(end_us);
        assert_eq!(fingerprint(&reopened), fingerprint(&original));
    }
}
