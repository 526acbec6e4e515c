//! The explainer's shared state: the live run (not reactive), and the signals the components read.
//!
//! The run itself lives in a `StoredValue`, outside the reactive graph: it changes
//! every animation frame and is far too big to diff. Components read snapshots
//! (`frame`, at most 10 Hz) and the layout (only when the topology changes).
//! Every change to the run goes through the methods here, which refresh the
//! snapshot at once so a click is answered in the same frame.

use crate::i18n::Key;
use crate::live::frame::Frame;
use crate::live::particles::Geometry;
use crate::live::{Live, NewConsumer};
use crate::sim::presets::{PRESETS, preset};
use crate::sim::scenario::FaultAction;
use crate::sim::{Scenario, ScenarioError};
use leptos::prelude::*;

/// What the action menu acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Service(usize),
    Broker(usize),
}

/// A message for the user: a catalog template plus its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub key: Key,
    pub args: Vec<(&'static str, String)>,
}

impl Notice {
    fn not_applied(error: &ScenarioError) -> Notice {
        Notice {
            key: Key::NotApplied,
            args: vec![
                ("field", error.field.clone()),
                ("message", error.message.clone()),
            ],
        }
    }
}

/// Layout plus the names it was made for; replaced only when the topology changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub version: u64,
    pub geometry: Geometry,
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
    /// One dot per this many requests.
    pub stride: u64,
    /// Dots alive at the last refresh.
    pub dots: usize,
}

/// Handles to the run and its snapshots; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct Explainer {
    pub live: StoredValue<Live>,
    /// The scenario as chosen (preset, seed, rate, settings), before any user action.
    pub base: StoredValue<Scenario>,
    pub preset_name: RwSignal<String>,
    pub frame: RwSignal<Frame>,
    pub shape: RwSignal<Shape>,
    pub play: RwSignal<PlayState>,
    pub selected: RwSignal<Option<Target>>,
    pub notice: RwSignal<Option<Notice>>,
    pub following: RwSignal<Option<u64>>,
}

/// The preset the page opens with.
pub const DEFAULT_PRESET: &str = "happy-path";

impl Explainer {
    pub fn new() -> Explainer {
        let scenario = preset(DEFAULT_PRESET).expect("the default preset exists");
        let live = Live::new(scenario.clone()).expect("presets are valid");
        Explainer {
            frame: RwSignal::new(Frame::of(live.player.sim())),
            shape: RwSignal::new(Shape::of(&live)),
            play: RwSignal::new(PlayState {
                playing: false,
                speed: live.player.speed(),
                behind: false,
                finished: false,
                stride: 1,
                dots: 0,
            }),
            live: StoredValue::new(live),
            base: StoredValue::new(scenario),
            preset_name: RwSignal::new(DEFAULT_PRESET.to_string()),
            selected: RwSignal::new(None),
            notice: RwSignal::new(None),
            following: RwSignal::new(None),
        }
    }

    /// Re-reads the snapshot, the play state and (if it changed) the layout from the run.
    pub fn refresh(&self) {
        self.live.with_value(|live| {
            self.frame.set(Frame::of(live.player.sim()));
            if self.shape.with_untracked(|s| s.version) != live.layout_version() {
                self.shape.set(Shape::of(live));
            }
            self.play.update(|p| {
                p.playing = live.player.playing();
                p.speed = live.player.speed();
                p.stride = live.particles.stride();
                p.dots = live.particles.len();
            });
        });
    }

    fn report(&self, result: Result<(), ScenarioError>) {
        match result {
            Ok(()) => self.notice.set(None),
            Err(error) => self.notice.set(Some(Notice::not_applied(&error))),
        }
        self.refresh();
    }

    pub fn toggle_play(&self) {
        self.live.update_value(|live| {
            let playing = !live.player.playing();
            live.player.set_playing(playing);
        });
        self.play.update(|p| p.finished = false);
        self.refresh();
    }

    pub fn step(&self, wall_ms: f64) {
        self.live.update_value(|live| {
            live.player.set_playing(false);
            live.step(wall_ms);
        });
        self.refresh();
    }

    pub fn set_speed(&self, speed: f64) {
        self.live.update_value(|live| live.player.set_speed(speed));
        self.refresh();
    }

    pub fn fault(&self, action: FaultAction, target: &str, factor: Option<f64>) {
        let result = self
            .live
            .try_update_value(|live| live.fault(action, target, factor))
            .unwrap_or(Ok(()));
        self.report(result);
    }

    pub fn scale(&self, group: &str, instances: u32) {
        let result = self
            .live
            .try_update_value(|live| live.scale(group, instances))
            .unwrap_or(Ok(()));
        self.report(result);
    }

    pub fn add_consumer(&self, consumer: &NewConsumer) -> bool {
        let result = self
            .live
            .try_update_value(|live| live.add_consumer(consumer))
            .unwrap_or(Ok(()));
        let ok = result.is_ok();
        self.report(result);
        ok
    }

    /// Starts the named preset from t=0.
    pub fn choose_preset(&self, name: &str) {
        let Some(scenario) = preset(name) else {
            return;
        };
        self.preset_name.set(name.to_string());
        self.restart(scenario);
    }

    /// Starts `scenario` from t=0 as the new base, paused.
    pub fn restart(&self, scenario: Scenario) {
        let result = self
            .live
            .try_update_value(|live| live.reset(scenario.clone()))
            .unwrap_or(Ok(()));
        if result.is_ok() {
            self.base.set_value(scenario);
            self.selected.set(None);
            self.following.set(None);
        }
        self.report(result);
    }

    /// Resets the current base scenario.
    pub fn reset(&self) {
        self.restart(self.base.get_value());
    }

    /// Changes the base scenario with `edit` and replays the run (with its actions) up to now.
    pub fn replay_with_setting(&self, edit: impl FnOnce(&mut Scenario)) {
        let mut base = self.base.get_value();
        edit(&mut base);
        let result = self
            .live
            .try_update_value(|live| {
                let mut scenario = base.clone();
                // Keep the user's actions: they are the faults appended after the base's own.
                let own = self.base.with_value(|b| b.faults.len());
                scenario
                    .faults
                    .extend(live.player.sim().scenario().faults[own..].iter().cloned());
                live.replay_with(scenario)
            })
            .unwrap_or(Ok(()));
        if result.is_ok() {
            self.base.set_value(base);
        }
        self.report(result);
    }

    /// The names of the presets, in menu order.
    pub fn preset_names() -> impl Iterator<Item = &'static str> {
        PRESETS.iter().map(|(name, _)| *name)
    }
}

impl Default for Explainer {
    fn default() -> Self {
        Explainer::new()
    }
}
