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
    /// "Not applied: FIELD: MESSAGE", for anything the user typed or did that was refused.
    pub fn not_applied(field: &str, message: impl ToString) -> Notice {
        Notice {
            key: Key::NotApplied,
            args: vec![
                ("field", field.to_string()),
                ("message", message.to_string()),
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
    pub base: RwSignal<Scenario>,
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
            base: RwSignal::new(scenario),
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
            });
        });
        self.refresh_dots();
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

    /// Changes the run with `change`, then shows its error (or clears the last one) and refreshes.
    fn apply(&self, change: impl FnOnce(&mut Live) -> Result<(), ScenarioError>) -> bool {
        let result = self.live.try_update_value(change).unwrap_or(Ok(()));
        let ok = result.is_ok();
        self.notice.set(
            result
                .err()
                .map(|error| Notice::not_applied(&error.field, error.message)),
        );
        self.refresh();
        ok
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
        self.apply(|live| live.fault(action, target, factor));
    }

    pub fn scale(&self, group: &str, instances: u32) {
        self.apply(|live| live.scale(group, instances));
    }

    pub fn add_consumer(&self, consumer: &NewConsumer) {
        self.apply(|live| live.add_consumer(consumer));
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
        if self.apply(|live| live.reset(scenario.clone())) {
            self.base.set(scenario);
            self.selected.set(None);
            self.following.set(None);
        }
    }

    /// Resets the current base scenario.
    pub fn reset(&self) {
        self.restart(self.base.get_untracked());
    }

    /// Changes the base scenario with `edit` and replays the run (with its actions) up to now.
    pub fn replay_with_setting(&self, edit: impl FnOnce(&mut Scenario)) {
        let mut base = self.base.get_untracked();
        edit(&mut base);
        // Keep the user's actions: they are the faults appended after the base's own.
        let own = self.base.with_untracked(|b| b.faults.len());
        let replayed = self.apply(|live| {
            let mut scenario = base.clone();
            scenario
                .faults
                .extend(live.player.sim().scenario().faults[own..].iter().cloned());
            live.replay_with(scenario)
        });
        if replayed {
            self.base.set(base);
        }
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
