//! The explainer's shared state: the live run (not reactive), and the signals the components read.
//!
//! The run itself lives in a `StoredValue`, outside the reactive graph: it changes
//! every animation frame and is far too big to diff. Components read snapshots
//! (`frame`, at most 10 Hz) and the layout (only when the topology changes).
//! Every change to the run goes through the methods here, which refresh the
//! snapshot at once so a click is answered in the same frame.

use crate::i18n::Key;
use crate::live::annotate::{Annotation, Annotations};
use crate::live::announce::{Announcement, Announcer, breaker_changes};
use crate::live::frame::{Frame, Scoreboard};
use crate::live::layout::Rect;
use crate::live::narration::{Change, Narration, Step};
use crate::live::particles::Geometry;
use crate::live::workshop::Attempt;
use crate::live::{Intent, Live, Rebuild};
use crate::sim::exercise::Exercise;
use crate::sim::presets::{PRESETS, preset};
use crate::sim::scenario::{ActionKind, EventSettings, Fault, SyncSettings};
use crate::sim::trace::{BreakerPosition, World};
use crate::sim::{Problem, Scenario, ScenarioError};
use leptos::prelude::*;

/// What the action menu acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Service(usize),
    Broker(usize),
}

/// Something the user typed or did that was refused: which field, and the core's reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub field: String,
    pub problem: Problem,
}

impl Notice {
    /// "Not applied: FIELD: REASON"; the reason is translated when shown, not now,
    /// so switching the language re-words a notice already on screen.
    pub fn not_applied(field: &str, problem: Problem) -> Notice {
        Notice {
            field: field.to_string(),
            problem,
        }
    }

    /// The notice in `locale`.
    pub fn text(&self, locale: crate::i18n::Locale) -> String {
        locale.fill(
            Key::NotApplied,
            &[
                ("field", &self.field),
                ("message", &locale.problem(&self.problem)),
            ],
        )
    }
}

/// Each sync service's incoming breaker, by name, as a frame shows them.
fn sync_breakers(frame: &Frame) -> Vec<(String, BreakerPosition)> {
    frame.nodes[World::Sync.index()]
        .iter()
        .filter(|n| n.present)
        .map(|n| (n.name.clone(), n.breaker))
        .collect()
}

/// Layout plus the names it was made for; replaced only when the topology changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub version: u64,
    pub geometry: Geometry,
    /// Where each world's drawing has text (by `World::index`), which the dots pass behind.
    pub text_boxes: [Vec<Rect>; 2],
    pub names: Vec<String>,
    /// Service indices that are consumer groups (direct children of the entry).
    pub groups: Vec<usize>,
}

impl Shape {
    fn of(live: &Live) -> Shape {
        let topology = live.player.sim().topology();
        Shape {
            version: live.layout_version(),
            geometry: live.geometry().clone(),
            text_boxes: [
                live.geometry().sync.text_boxes(),
                live.geometry().event.text_boxes(),
            ],
            names: (0..topology.len())
                .map(|s| topology.name(s).to_string())
                .collect(),
            groups: (1..topology.len())
                .filter(|&s| topology.is_present(s) && topology.caller[s] == Some(0))
                .collect(),
        }
    }
}

/// Play state shown by the controls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlayState {
    pub playing: bool,
    pub speed: f64,
    pub behind: bool,
    pub finished: bool,
    /// A seek on its way, and how far along it is in percent.
    pub rebuilding: Option<(Rebuild, u8)>,
    /// One dot per this many requests.
    pub stride: u64,
    /// Dots alive at the last refresh.
    pub dots: usize,
}

/// Where the narration stands, as the narration panel shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GuideState {
    /// The narration's steps (static data; empty when the run has no guide).
    pub steps: &'static [Step],
    /// The step showing, if any.
    pub current: Option<usize>,
    /// Paused until the user acts.
    pub waiting: bool,
}

/// The settings in force now (the base's, changed by any `configure` so far).
#[derive(Clone, Debug, PartialEq)]
pub struct LiveSettings {
    pub sync: SyncSettings,
    pub event: EventSettings,
    pub rate_per_s: f64,
}

impl LiveSettings {
    fn of(scenario: &Scenario) -> LiveSettings {
        LiveSettings {
            sync: scenario.sync.clone(),
            event: scenario.event.clone(),
            rate_per_s: scenario.workload.arrivals.rate_per_s(),
        }
    }
}

/// One branch as the timeline lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct BranchView {
    pub id: u32,
    /// The branch it was forked from and when, in ms.
    pub parent: Option<(u32, f64)>,
    pub first_change: Option<Fault>,
}

/// The branches and the marks on the current one's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct BranchesView {
    pub current: u32,
    pub list: Vec<BranchView>,
    /// Every fault and user action of the current branch, the base's own included.
    pub marks: Vec<Fault>,
    /// The base scenario's own faults come first in `marks`.
    pub base_marks: usize,
}

impl BranchesView {
    fn of(live: &Live) -> BranchesView {
        let timeline = &live.timeline;
        let sim = live.player.sim();
        let base_marks = timeline.base_faults().min(sim.scenario().faults.len());
        let mut marks: Vec<Fault> = sim.scenario().faults[..base_marks].to_vec();
        marks.extend(timeline.current().actions.iter().cloned());
        BranchesView {
            current: timeline.current().id,
            list: timeline
                .branches()
                .iter()
                .map(|b| BranchView {
                    id: b.id,
                    parent: b.parent.map(|(id, us)| (id, us as f64 / 1_000.0)),
                    first_change: b.first_change().cloned(),
                })
                .collect(),
            marks,
            base_marks,
        }
    }
}

/// Handles to the run and its snapshots; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct Explainer {
    pub live: StoredValue<Live, LocalStorage>,
    /// The scenario as chosen (preset, seed, rate, settings), before any user action.
    pub base: RwSignal<Scenario>,
    pub preset_name: RwSignal<String>,
    pub frame: RwSignal<Frame>,
    pub shape: RwSignal<Shape>,
    pub play: RwSignal<PlayState>,
    pub selected: RwSignal<Option<Target>>,
    pub notice: RwSignal<Option<Notice>>,
    pub following: RwSignal<Option<u64>>,
    /// The world whose "why" marker is pressed: its chain is highlighted.
    pub why_open: RwSignal<Option<World>>,
    /// The preset's narration (plain state) and what the panel shows of it.
    narration: StoredValue<Narration>,
    guide_off: StoredValue<bool>,
    pub guide: RwSignal<GuideState>,
    annotations: StoredValue<Annotations>,
    /// The live annotations on show.
    pub notes: RwSignal<Vec<Annotation>>,
    /// What the polite live region says now, and what waits to be said (rate-limited).
    pub said: RwSignal<Option<Announcement>>,
    announcer: StoredValue<Announcer>,
    /// The exercise being attempted, if any.
    pub attempt: RwSignal<Option<Attempt>>,
    /// The settings in force at the playhead.
    pub settings: RwSignal<LiveSettings>,
    /// The timeline's branches and marks (changes only when someone acts or switches).
    pub branches: RwSignal<BranchesView>,
    /// How far the current branch has been played, in ms.
    pub horizon_ms: RwSignal<f64>,
    /// The playhead is before the branch's horizon: acting now would branch.
    pub in_past: RwSignal<bool>,
    /// The branch whose scoreboards are shown beside this one's, and those scoreboards.
    pub compare_with: RwSignal<Option<u32>>,
    pub compared: RwSignal<Option<[Scoreboard; 2]>>,
    /// The compared branch's chart series, drawn faded under this branch's.
    pub compared_charts: StoredValue<Option<crate::live::charts::ChartData>>,
    /// The memory bounds the run has reached, said in plain words.
    pub caps: RwSignal<Vec<crate::live::caps::Cap>>,
    /// The architecture editor's draft and history; it follows every scenario the page starts.
    pub editor: RwSignal<crate::live::editor::Editor>,
    /// Bumped when the editor's form must be rebuilt from the draft (a new start, undo, redo).
    pub editor_generation: RwSignal<u64>,
}

/// The preset the page opens with.
pub use crate::live::DEFAULT_PRESET;

impl Explainer {
    pub fn new() -> Explainer {
        let scenario = preset(DEFAULT_PRESET).expect("the default preset exists");
        let mut live = Live::new(scenario.clone()).expect("presets are valid");
        // A far seek under heavy load finishes over several frames instead of freezing the page.
        // The first slice is a play frame's most; later ones fit the device (`rebuild_took`).
        live.slice_seeks(crate::live::player::EVENTS_PER_FRAME_MAX);
        let settings = LiveSettings::of(live.player.sim().scenario());
        let branches = BranchesView::of(&live);
        let explainer = Explainer {
            frame: RwSignal::new(Frame::of(live.player.sim())),
            shape: RwSignal::new(Shape::of(&live)),
            play: RwSignal::new(PlayState {
                playing: false,
                speed: live.player.speed(),
                behind: false,
                finished: false,
                rebuilding: None,
                stride: 1,
                dots: 0,
            }),
            live: StoredValue::new_local(live),
            base: RwSignal::new(scenario.clone()),
            preset_name: RwSignal::new(DEFAULT_PRESET.to_string()),
            selected: RwSignal::new(None),
            notice: RwSignal::new(None),
            following: RwSignal::new(None),
            why_open: RwSignal::new(None),
            narration: StoredValue::new(Narration::for_preset(DEFAULT_PRESET)),
            guide_off: StoredValue::new(false),
            guide: RwSignal::new(GuideState {
                steps: &[],
                current: None,
                waiting: false,
            }),
            annotations: StoredValue::new(Annotations::default()),
            said: RwSignal::new(None),
            announcer: StoredValue::new(Announcer::default()),
            notes: RwSignal::new(Vec::new()),
            attempt: RwSignal::new(None),
            settings: RwSignal::new(settings),
            branches: RwSignal::new(branches),
            horizon_ms: RwSignal::new(0.0),
            in_past: RwSignal::new(false),
            compare_with: RwSignal::new(None),
            compared: RwSignal::new(None),
            compared_charts: StoredValue::new(None),
            caps: RwSignal::new(Vec::new()),
            editor: RwSignal::new(crate::live::editor::Editor::new(&scenario)),
            editor_generation: RwSignal::new(0),
        };
        // The first step shows at once, before anyone presses play.
        explainer.follow_story();
        explainer
    }

    /// Re-reads the snapshot, the play state and (if it changed) the layout from the run.
    ///
    /// While a seek is on its way only the play state is re-read: the screen keeps the moment
    /// it showed, whole, until the one asked for arrives (and a heavy run's scoreboards, read
    /// from every open request, would cost each slice as much as the re-simulation).
    pub fn refresh(&self) {
        let rebuilding = self.live.with_value(|live| live.rebuild().is_some());
        if !rebuilding {
            self.refresh_moment();
        }
        self.live.with_value(|live| {
            self.play.update(|p| {
                p.playing = live.playing();
                let now_us = live.player.sim().now().as_us();
                p.rebuilding = live.rebuild().map(|r| (r, r.percent(now_us)));
                p.speed = live.player.speed();
            });
        });
        if !rebuilding {
            self.refresh_dots();
            self.refresh_timeline();
        }
    }

    /// The moment on show: the snapshot, the layout, the story and the caps.
    fn refresh_moment(&self) {
        self.live.with_value(|live| {
            let frame = Frame::of(live.player.sim());
            let moved = self.frame.with_untracked(|before| {
                breaker_changes(&sync_breakers(before), &sync_breakers(&frame))
            });
            self.announce(moved);
            self.frame.set(frame);
            if self.shape.with_untracked(|s| s.version) != live.layout_version() {
                self.shape.set(Shape::of(live));
            }
        });
        self.follow_story();
        self.live.with_value(|live| {
            let caps = crate::live::caps::reached(live);
            if self.caps.with_untracked(|c| *c != caps) {
                self.caps.set(caps);
            }
        });
    }

    /// Re-reads settings, branches, horizon and the compared branch, setting only what changed.
    fn refresh_timeline(&self) {
        self.live.update_value(|live| {
            let settings = LiveSettings::of(live.player.sim().scenario());
            if self.settings.with_untracked(|s| *s != settings) {
                self.settings.set(settings);
            }
            let branches = BranchesView::of(live);
            if self.branches.with_untracked(|b| *b != branches) {
                self.branches.set(branches);
            }
            let horizon_ms = live.timeline.current().horizon_us as f64 / 1_000.0;
            if self.horizon_ms.get_untracked() != horizon_ms {
                self.horizon_ms.set(horizon_ms);
            }
            let in_past = live.in_the_past();
            if self.in_past.get_untracked() != in_past {
                self.in_past.set(in_past);
            }
            let other = self
                .compare_with
                .get_untracked()
                .filter(|&id| id != live.timeline.current().id)
                .and_then(|id| live.branch_state(id));
            let compared = other.as_ref().map(|sim| Frame::of(sim).scores);
            self.compared_charts
                .set_value(other.as_ref().map(crate::live::charts::ChartData::of));
            if self.compared.with_untracked(|c| *c != compared) {
                self.compared.set(compared);
            }
        });
    }

    /// Compares the current branch with branch `id` (None stops comparing).
    pub fn compare(&self, id: Option<u32>) {
        self.compare_with.set(id);
        self.refresh_timeline();
    }

    /// Rebuilds the annotations for the moment shown: a seek can go before a fault settled.
    fn restart_notes(&self) {
        let mut annotations = Annotations::default();
        self.live
            .with_value(|live| annotations.update(live.player.sim()));
        self.notes.set(annotations.shown().to_vec());
        self.annotations.set_value(annotations);
    }

    /// Moves the narration on and adds annotations, from the run's time and settled faults.
    fn follow_story(&self) {
        // Several steps can fall due at once (a link opened at t = 40 s); show them in
        // order, stopping at one that waits for the reader.
        for _ in 0..crate::live::narration::STEPS_MAX {
            if !self.follow_story_once() {
                break;
            }
        }
    }

    /// One narration move; false when nothing more is due now.
    fn follow_story_once(&self) -> bool {
        let change = self.live.with_value(|live| {
            let sim = live.player.sim();
            let now_ms = sim.now().as_ms_f64();
            let ended = sim.now() >= sim.end();
            let settled = |target: &str| sim.settled_episodes().any(|e| e.target == target);
            let added = self
                .annotations
                .try_update_value(|a| a.update(sim))
                .unwrap_or(0);
            if added > 0 {
                let shown = self.annotations.with_value(|a| a.shown().to_vec());
                let new = shown.iter().rev().take(added).rev().cloned();
                self.announce(new.map(Announcement::Note).collect());
                self.notes.set(shown);
            }
            self.narration
                .try_update_value(|n| n.update(now_ms, &settled, ended))
                .unwrap_or(Change::Nothing)
        });
        self.show_guide_change(change);
        matches!(change, Change::Showed { pause: false, .. })
    }

    fn show_guide_change(&self, change: Change) {
        match change {
            Change::Nothing => {}
            Change::Showed { pause, .. } => {
                if pause {
                    self.live.update_value(|live| live.set_playing(false));
                }
                self.publish_guide();
            }
            Change::Resume => {
                self.live.update_value(|live| live.set_playing(true));
                self.publish_guide();
            }
        }
    }

    fn publish_guide(&self) {
        let state = self.narration.with_value(|n| GuideState {
            steps: n.steps(),
            current: n.current(),
            waiting: n.waiting_for().is_some(),
        });
        if let Some(step) = state.current.and_then(|i| state.steps.get(i)) {
            self.announce(vec![Announcement::Step(*step)]);
        }
        self.guide.set(state);
    }

    /// The "Next" button: shows the next step without waiting.
    pub fn next_step(&self) {
        let change = self
            .narration
            .try_update_value(|n| n.skip())
            .unwrap_or(Change::Nothing);
        self.show_guide_change(change);
        self.follow_story();
    }

    /// Re-reads only the dot count and sampling, touching the play state only when they changed.
    pub fn refresh_dots(&self) {
        let (stride, dots) = self
            .live
            .with_value(|live| (live.particles.stride(), live.particles.len()));
        if self.play.with_untracked(|p| (p.stride, p.dots)) != (stride, dots) {
            self.play.update(|p| {
                p.stride = stride;
                p.dots = dots;
            });
        }
    }

    /// Carries out one intent — from the menu, the settings, the embed, a link or an
    /// exercise — then shows its error (or clears the last one) and what follows from it.
    pub fn send(&self, intent: Intent) -> bool {
        let follows = Follows::of(&intent);
        let acted = match &intent {
            Intent::Act(action) => Some(Announcement::Acted(action.clone())),
            _ => None,
        };
        let result = self
            .live
            .try_update_value(|live| live.apply(intent))
            .unwrap_or(Ok(()));
        let ok = result.is_ok();
        self.notice.set(
            result
                .err()
                .map(|error| Notice::not_applied(&error.field, error.problem)),
        );
        if ok {
            self.announce(acted.into_iter().collect());
            self.follow_up(follows);
        }
        self.refresh();
        ok
    }

    /// Queues what the live region should say.
    fn announce(&self, announcements: Vec<Announcement>) {
        if announcements.is_empty() {
            return;
        }
        self.announcer.update_value(|a| {
            for announcement in announcements {
                a.offer(announcement);
            }
        });
    }

    /// Lets the next queued announcement out when its time has come (the loop calls this).
    pub fn speak_due(&self, wall_ms: f64) {
        let next = self
            .announcer
            .try_update_value(|a| a.due(wall_ms))
            .flatten();
        if next.is_some() {
            self.said.set(next);
        }
    }

    /// What the page does after an intent was carried out.
    fn follow_up(&self, follows: Follows) {
        match follows {
            Follows::Nothing => {}
            Follows::Played => self.play.update(|p| p.finished = false),
            Follows::Moved => self.restart_notes(),
            Follows::Acted(kind, target) => {
                let change = self
                    .narration
                    .try_update_value(|n| n.on_action(kind, &target))
                    .unwrap_or(Change::Nothing);
                self.show_guide_change(change);
            }
        }
    }

    /// Starts the named preset from t=0.
    pub fn choose_preset(&self, name: &str) {
        let Some(scenario) = preset(name) else {
            return;
        };
        self.preset_name.set(name.to_string());
        self.attempt.set(None);
        self.restart(scenario);
    }

    /// Opens a scenario that is not a preset as shipped (an import, an edited system) from t=0.
    pub fn open_scenario(&self, scenario: Scenario) {
        self.preset_name.set(scenario.name.clone());
        self.attempt.set(None);
        self.restart(scenario);
    }

    /// Starts `scenario` from t=0 as the new base, paused.
    pub fn restart(&self, scenario: Scenario) {
        if self.send(Intent::Reset(Box::new(scenario.clone()))) {
            // A preset, an import or a link opens in the editor, ready to change; the draft
            // it replaces stays one undo away.
            self.editor.update(|e| e.follow(&scenario));
            self.editor_generation.update(|g| *g += 1);
            self.base.set(scenario);
            self.selected.set(None);
            self.following.set(None);
            self.restart_story();
        }
    }

    /// Turns the guide off for good (an embedded view has no one to press "Next").
    pub fn without_guide(&self) {
        self.guide_off.set_value(true);
        self.restart_story();
    }

    /// Starts the narration and annotations over, for the preset shown (none during an exercise).
    fn restart_story(&self) {
        let preset = if self.attempt.with_untracked(Option::is_some) || self.guide_off.get_value() {
            String::new()
        } else {
            self.preset_name.get_untracked()
        };
        self.narration.set_value(Narration::for_preset(&preset));
        self.annotations.set_value(Annotations::default());
        self.notes.set(Vec::new());
        self.publish_guide();
        self.follow_story();
    }

    /// Opens what a share link describes: its scenario, its actions replayed at their
    /// times, paused at its playhead. A link without a scenario changes nothing.
    pub fn open_shared(&self, view: &crate::live::share::SharedView) {
        let Some(base) = view.base_scenario() else {
            return;
        };
        let preset = view.preset.clone().unwrap_or_else(|| base.name.clone());
        self.preset_name.set(preset);
        self.attempt.set(None);
        self.restart(base.clone());
        let until_us = view.t_us.unwrap_or(0);
        let open = Intent::Open {
            base: Box::new(base),
            actions: view.actions.clone(),
            until_us,
        };
        if self.send(open) {
            for fault in &view.actions {
                self.narration.update_value(|n| {
                    n.on_action(fault.action.kind(), &fault.action.target_name());
                });
            }
            self.follow_story();
        }
    }

    /// The query string that reopens this exact view (`?preset=…&t=…&lang=…`).
    pub fn share_query(
        &self,
        locale: crate::i18n::Locale,
        sweep: Option<crate::sim::sweep::SweepSpec>,
    ) -> String {
        let base = self.base.get_untracked();
        let preset = self.preset_name.get_untracked();
        self.live.with_value(|live| {
            let mut view = crate::live::share::SharedView::of_run(
                &preset,
                &base,
                &live.timeline.current().actions,
                live.player.sim().now().as_us(),
            );
            view.lang = Some(locale.tag().to_string());
            view.sweep = sweep;
            view.encode()
        })
    }

    /// Opens a workshop exercise: its scenario from t=0, paused, with no changes yet.
    pub fn open_exercise(&self, exercise: Exercise) {
        let scenario = exercise.scenario.clone();
        self.attempt.set(Some(Attempt::new(exercise)));
        self.restart(scenario);
    }

    /// Leaves the exercise and goes back to the preset.
    pub fn close_exercise(&self) {
        self.attempt.set(None);
        self.choose_preset(&self.preset_name.get_untracked());
    }

    /// Changes one allowed setting of the exercise; the view replays with it.
    /// A refused value is named in the notice and changes nothing.
    pub fn set_exercise_setting(&self, path: &str, value: serde_json::Value) {
        let Some(mut attempt) = self.attempt.get_untracked() else {
            return;
        };
        match attempt.set(path, value) {
            Ok(scenario) => {
                self.attempt.set(Some(attempt));
                self.replay_with_setting(|base| *base = scenario);
            }
            Err(error) => self.refuse(&error),
        }
    }

    /// Runs the exercise headless with the learner's settings and shows the verdict.
    pub fn check_exercise(&self) {
        let Some(mut attempt) = self.attempt.get_untracked() else {
            return;
        };
        match attempt.check() {
            Ok(()) => {
                self.notice.set(None);
                self.attempt.set(Some(attempt));
            }
            Err(error) => self.refuse(&error),
        }
    }

    /// Starts the exercise over: its own settings, from t=0.
    pub fn reset_exercise(&self) {
        if let Some(attempt) = self.attempt.get_untracked() {
            self.open_exercise(attempt.exercise);
        }
    }

    pub fn show_hint(&self) {
        self.attempt
            .update(|attempt| attempt.iter_mut().for_each(Attempt::show_hint));
    }

    /// Names a refusal in the notice bar; nothing else changes.
    fn refuse(&self, error: &ScenarioError) {
        let notice = Notice::not_applied(&error.field, error.problem.clone());
        self.notice.set(Some(notice));
    }

    /// Resets the current base scenario.
    pub fn reset(&self) {
        self.restart(self.base.get_untracked());
    }

    /// Changes the base scenario with `edit` and replays the run (with its actions) up to now.
    pub fn replay_with_setting(&self, edit: impl FnOnce(&mut Scenario)) {
        let mut base = self.base.get_untracked();
        edit(&mut base);
        if self.send(Intent::Rebase(Box::new(base.clone()))) {
            self.base.set(base);
        }
    }

    /// The names of the presets, in menu order.
    pub fn preset_names() -> impl Iterator<Item = &'static str> {
        PRESETS.iter().map(|(name, _)| *name)
    }
}

/// What the page must do after an intent, beyond redrawing.
enum Follows {
    Nothing,
    /// Play was pressed: a finished run's end notice goes.
    Played,
    /// The moment shown moved: annotations are rebuilt for it.
    Moved,
    /// An action was taken: the guide may have been waiting for it.
    Acted(ActionKind, String),
}

impl Follows {
    fn of(intent: &Intent) -> Follows {
        match intent {
            Intent::Act(action) => Follows::Acted(action.kind(), action.target_name()),
            Intent::Play(_) => Follows::Played,
            Intent::Seek { .. } | Intent::SwitchBranch(_) => Follows::Moved,
            _ => Follows::Nothing,
        }
    }
}

impl Default for Explainer {
    fn default() -> Self {
        Explainer::new()
    }
}
