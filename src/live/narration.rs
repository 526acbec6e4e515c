//! Guided narration for every preset: a few steps, each tied to a simulated time or a user action, each pointing at a part of the screen.
//!
//! The sentences live in `src/text/*.json`, section `narration`, keyed by preset and
//! step; a test checks each has all three languages. The
//! [`Narration`] state machine is plain data: the UI feeds it the simulated time,
//! the user's actions and the settled fault episodes, and it answers which step
//! to show and whether to pause for the user to act.

use crate::i18n::Locale;
use crate::sim::scenario::ActionKind;

/// A sentence of a guide, by its key in the text files' `narration` section
/// (`preset.title`, `preset.N` for step N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text(pub &'static str);

impl Text {
    pub fn get(&self, locale: Locale) -> &'static str {
        crate::text::text(locale, "narration", self.0)
    }
}

macro_rules! t {
    ($key:literal) => {
        Text($key)
    };
}

/// When a step appears.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    /// As soon as the preset opens.
    Start,
    /// When the simulated clock reaches this time.
    AtMs(f64),
    /// When the user has applied this action to this target.
    Acted(ActionKind, &'static str),
    /// When the fault episode on this target has settled in both worlds.
    Settled(&'static str),
    /// When the run reaches its end.
    End,
}

/// One step of a preset's narration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub trigger: Trigger,
    /// The `data-testid` of the part of the screen the step talks about.
    pub points_at: &'static str,
    pub text: Text,
    /// The narration pauses here until the user applies this action to this target.
    pub waits_for: Option<(ActionKind, &'static str)>,
}

const fn step(trigger: Trigger, points_at: &'static str, text: Text) -> Step {
    Step {
        trigger,
        points_at,
        text,
        waits_for: None,
    }
}

const fn act(
    trigger: Trigger,
    points_at: &'static str,
    text: Text,
    action: ActionKind,
    target: &'static str,
) -> Step {
    Step {
        trigger,
        points_at,
        text,
        waits_for: Some((action, target)),
    }
}

use ActionKind::{Kill, Restore};
use Trigger::{Acted, AtMs, End, Settled, Start};

/// Most steps a narration has (the test holds every guide to three to six).
pub const STEPS_MAX: usize = 6;

/// A preset's title and narration.
#[derive(Clone, Copy, Debug)]
pub struct Guide {
    pub preset: &'static str,
    pub title: Text,
    pub steps: &'static [Step],
}

/// Every preset's guide, in the order of `presets::PRESETS`.
pub const GUIDES: &[Guide] = &[
    Guide {
        preset: "happy-path",
        title: t!("happy-path.title"),
        steps: &[
            step(Start, "sync-panel", t!("happy-path.1")),
            step(AtMs(3_000.0), "event-panel", t!("happy-path.2")),
            act(
                AtMs(8_000.0),
                "sync-node-analytics",
                t!("happy-path.3"),
                Kill,
                "analytics",
            ),
            step(
                Acted(Kill, "analytics"),
                "sync-score-lost",
                t!("happy-path.4"),
            ),
            act(
                AtMs(25_000.0),
                "lag-analytics",
                t!("happy-path.5"),
                Restore,
                "analytics",
            ),
            step(Settled("analytics"), "event-score-lost", t!("happy-path.6")),
        ],
    },
    Guide {
        preset: "killed-consumer",
        title: t!("killed-consumer.title"),
        steps: &[
            step(Start, "sync-node-analytics", t!("killed-consumer.1")),
            step(
                AtMs(21_000.0),
                "sync-score-success",
                t!("killed-consumer.2"),
            ),
            step(AtMs(26_000.0), "lag-analytics", t!("killed-consumer.3")),
            step(
                Settled("analytics"),
                "event-score-lost",
                t!("killed-consumer.4"),
            ),
        ],
    },
    Guide {
        preset: "hung-leaf",
        title: t!("hung-leaf.title"),
        steps: &[
            step(Start, "sync-node-template", t!("hung-leaf.1")),
            step(AtMs(20_000.0), "sync-node-email", t!("hung-leaf.2")),
            step(AtMs(28_000.0), "sync-score-success", t!("hung-leaf.3")),
            step(AtMs(32_000.0), "lag-email", t!("hung-leaf.4")),
            step(Settled("template"), "charts", t!("hung-leaf.5")),
        ],
    },
    Guide {
        preset: "slow-callee",
        title: t!("slow-callee.title"),
        steps: &[
            step(Start, "sync-node-email", t!("slow-callee.1")),
            step(AtMs(20_000.0), "sync-score-p99", t!("slow-callee.2")),
            step(AtMs(25_000.0), "event-score-p99", t!("slow-callee.3")),
            step(Settled("email"), "lag-email", t!("slow-callee.4")),
        ],
    },
    Guide {
        preset: "add-consumer",
        title: t!("add-consumer.title"),
        steps: &[
            step(Start, "sync-node-signup", t!("add-consumer.1")),
            step(AtMs(21_000.0), "sync-node-signup", t!("add-consumer.2")),
            step(AtMs(23_000.0), "event-node-audit", t!("add-consumer.3")),
            step(AtMs(32_000.0), "sync-diff-5", t!("add-consumer.4")),
        ],
    },
    Guide {
        preset: "retry-storm",
        title: t!("retry-storm.title"),
        steps: &[
            step(Start, "sync-node-payments", t!("retry-storm.1")),
            step(AtMs(14_000.0), "sync-node-payments", t!("retry-storm.2")),
            step(AtMs(30_000.0), "sync-score-success", t!("retry-storm.3")),
            step(AtMs(34_000.0), "set-retries", t!("retry-storm.4")),
        ],
    },
    Guide {
        preset: "at-most-once",
        title: t!("at-most-once.title"),
        steps: &[
            step(Start, "set-commit", t!("at-most-once.1")),
            step(AtMs(16_000.0), "event-node-analytics", t!("at-most-once.2")),
            step(End, "event-score-lost", t!("at-most-once.3")),
        ],
    },
    Guide {
        preset: "at-least-once",
        title: t!("at-least-once.title"),
        steps: &[
            step(Start, "set-commit", t!("at-least-once.1")),
            step(
                AtMs(17_000.0),
                "event-node-analytics",
                t!("at-least-once.2"),
            ),
            step(
                AtMs(30_000.0),
                "event-score-duplicated",
                t!("at-least-once.3"),
            ),
            step(End, "set-idempotent", t!("at-least-once.4")),
        ],
    },
    Guide {
        preset: "retention-too-short",
        title: t!("retention-too-short.title"),
        steps: &[
            step(Start, "set-retention", t!("retention-too-short.1")),
            step(AtMs(25_000.0), "partition-0", t!("retention-too-short.2")),
            step(
                Settled("analytics"),
                "event-score-lost",
                t!("retention-too-short.3"),
            ),
        ],
    },
    Guide {
        preset: "acks-zero-broker-crash",
        title: t!("acks-zero-broker-crash.title"),
        steps: &[
            step(Start, "set-acks", t!("acks-zero-broker-crash.1")),
            step(AtMs(21_000.0), "broker-0", t!("acks-zero-broker-crash.2")),
            step(
                AtMs(30_000.0),
                "event-score-inconsistent",
                t!("acks-zero-broker-crash.3"),
            ),
        ],
    },
    Guide {
        preset: "poison-event",
        title: t!("poison-event.title"),
        steps: &[
            step(Start, "event-panel", t!("poison-event.1")),
            step(AtMs(10_000.0), "lag-email", t!("poison-event.2")),
            step(AtMs(20_000.0), "set-dlq", t!("poison-event.3")),
            step(AtMs(30_000.0), "sync-score-success", t!("poison-event.4")),
        ],
    },
    Guide {
        preset: "scale-out",
        title: t!("scale-out.title"),
        steps: &[
            step(Start, "lag-email", t!("scale-out.1")),
            step(AtMs(21_000.0), "event-node-email", t!("scale-out.2")),
            step(AtMs(30_000.0), "event-node-email", t!("scale-out.3")),
        ],
    },
    Guide {
        preset: "ordering",
        title: t!("ordering.title"),
        steps: &[
            step(Start, "partition-0", t!("ordering.1")),
            step(AtMs(10_000.0), "event-node-analytics", t!("ordering.2")),
            step(AtMs(20_000.0), "event-panel", t!("ordering.3")),
        ],
    },
    Guide {
        preset: "rebuild-from-earliest",
        title: t!("rebuild-from-earliest.title"),
        steps: &[
            step(Start, "event-panel", t!("rebuild-from-earliest.1")),
            step(AtMs(42_000.0), "lag-search", t!("rebuild-from-earliest.2")),
            step(
                AtMs(52_000.0),
                "sync-done-search",
                t!("rebuild-from-earliest.3"),
            ),
        ],
    },
    Guide {
        preset: "quiet-system",
        title: t!("quiet-system.title"),
        steps: &[
            step(Start, "sync-panel", t!("quiet-system.1")),
            step(AtMs(10_000.0), "event-panel", t!("quiet-system.2")),
            step(AtMs(30_000.0), "sync-scoreboard", t!("quiet-system.3")),
        ],
    },
    Guide {
        preset: "signup",
        title: t!("signup.title"),
        steps: &[
            step(Start, "sync-node-analytics", t!("signup.1")),
            step(AtMs(25_000.0), "sync-score-lost", t!("signup.2")),
            step(
                Settled("analytics"),
                "event-score-duplicated",
                t!("signup.3"),
            ),
        ],
    },
    Guide {
        preset: "lost-batch",
        title: t!("lost-batch.title"),
        steps: &[
            step(Start, "set-commit", t!("lost-batch.1")),
            step(AtMs(25_000.0), "lag-analytics", t!("lost-batch.2")),
            step(AtMs(31_000.0), "event-score-lost", t!("lost-batch.3")),
            step(End, "set-commit", t!("lost-batch.4")),
        ],
    },
    Guide {
        preset: "breaking-change",
        title: t!("breaking-change.title"),
        steps: &[
            step(Start, "event-panel", t!("breaking-change.1")),
            step(AtMs(22_000.0), "sync-node-email", t!("breaking-change.2")),
            step(AtMs(26_000.0), "lag-email", t!("breaking-change.3")),
            step(
                AtMs(42_000.0),
                "event-score-inconsistent",
                t!("breaking-change.4"),
            ),
            step(End, "event-score-lost", t!("breaking-change.5")),
        ],
    },
    Guide {
        preset: "schema-registry",
        title: t!("schema-registry.title"),
        steps: &[
            step(Start, "event-panel", t!("schema-registry.1")),
            step(
                AtMs(22_000.0),
                "event-score-success",
                t!("schema-registry.2"),
            ),
            step(
                AtMs(30_000.0),
                "sync-score-success",
                t!("schema-registry.3"),
            ),
            step(AtMs(42_000.0), "event-node-email", t!("schema-registry.4")),
        ],
    },
    Guide {
        preset: "dual-write",
        title: t!("dual-write.title"),
        steps: &[
            step(Start, "event-node-signup", t!("dual-write.1")),
            step(AtMs(16_500.0), "event-score-lost", t!("dual-write.2")),
            step(
                AtMs(31_000.0),
                "event-score-inconsistent",
                t!("dual-write.3"),
            ),
            step(End, "event-panel", t!("dual-write.4")),
        ],
    },
    Guide {
        preset: "consistency-under-load",
        title: t!("consistency-under-load.title"),
        steps: &[
            step(Start, "event-panel", t!("consistency-under-load.1")),
            step(
                AtMs(8_000.0),
                "sync-score-success",
                t!("consistency-under-load.2"),
            ),
            step(
                AtMs(12_000.0),
                "event-score-consistency",
                t!("consistency-under-load.3"),
            ),
            step(End, "charts", t!("consistency-under-load.4")),
        ],
    },
];

/// The guide for a preset.
pub fn guide(preset: &str) -> Option<&'static Guide> {
    GUIDES.iter().find(|g| g.preset == preset)
}

/// What changed after [`Narration::update`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Nothing,
    /// A new step is showing; `pause` asks the player to stop for the user.
    Showed {
        index: usize,
        pause: bool,
    },
    /// The awaited action was done: the player may go on.
    Resume,
}

/// Where a preset's narration stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Narration {
    steps: &'static [Step],
    /// Steps revealed so far; the last of them is the current one.
    shown: usize,
    /// Actions the user applied, as (action, target).
    acted: Vec<(ActionKind, String)>,
    waiting: bool,
}

/// Actions remembered for triggers; more would be a user clicking for fun.
const ACTED_MAX: usize = 64;

impl Narration {
    pub fn for_preset(preset: &str) -> Narration {
        Narration {
            steps: guide(preset).map_or(&[], |g| g.steps),
            ..Narration::default()
        }
    }

    pub fn steps(&self) -> &'static [Step] {
        self.steps
    }

    /// The index of the step showing now.
    pub fn current(&self) -> Option<usize> {
        self.shown.checked_sub(1)
    }

    /// The action the narration is waiting for, if it paused for one.
    pub fn waiting_for(&self) -> Option<(ActionKind, &'static str)> {
        let step = self.steps.get(self.current()?)?;
        step.waits_for.filter(|_| self.waiting)
    }

    /// Remembers a user action; answers `Resume` when it was the one awaited.
    pub fn on_action(&mut self, action: ActionKind, target: &str) -> Change {
        if self.acted.len() < ACTED_MAX {
            self.acted.push((action, target.to_string()));
        }
        match self.waiting_for() {
            Some((awaited, awaited_target)) if awaited == action && awaited_target == target => {
                self.waiting = false;
                Change::Resume
            }
            _ => Change::Nothing,
        }
    }

    fn fired(
        &self,
        trigger: Trigger,
        now_ms: f64,
        settled: &dyn Fn(&str) -> bool,
        ended: bool,
    ) -> bool {
        match trigger {
            Start => true,
            AtMs(at) => now_ms >= at,
            Acted(action, target) => self.acted.iter().any(|(a, t)| *a == action && t == target),
            Settled(target) => settled(target),
            End => ended,
        }
    }

    /// Shows the next step if its trigger fired. Steps show in order, one per call,
    /// and none shows while the narration waits for the user.
    pub fn update(&mut self, now_ms: f64, settled: &dyn Fn(&str) -> bool, ended: bool) -> Change {
        if self.waiting {
            return Change::Nothing;
        }
        let Some(next) = self.steps.get(self.shown) else {
            return Change::Nothing;
        };
        if !self.fired(next.trigger, now_ms, settled, ended) {
            return Change::Nothing;
        }
        let index = self.shown;
        self.shown += 1;
        // An action the user already took needs no waiting for.
        let pause = next
            .waits_for
            .is_some_and(|(a, t)| !self.acted.iter().any(|(done, on)| *done == a && on == t));
        self.waiting = pause;
        Change::Showed { index, pause }
    }

    /// Moves on without waiting (the "Next" button).
    pub fn skip(&mut self) -> Change {
        let Some(next) = self.steps.get(self.shown) else {
            return Change::Nothing;
        };
        let index = self.shown;
        self.shown += 1;
        let pause = next
            .waits_for
            .is_some_and(|(a, t)| !self.acted.iter().any(|(done, on)| *done == a && on == t));
        self.waiting = pause;
        Change::Showed { index, pause }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::PRESETS;
    use crate::sim::scenario::Action;

    fn never(_: &str) -> bool {
        false
    }

    #[test]
    fn every_preset_has_a_guide_of_three_to_six_steps_in_every_language() {
        for (name, _) in PRESETS {
            let guide = guide(name).unwrap_or_else(|| panic!("{name} has no narration"));
            assert!(
                (3..=6).contains(&guide.steps.len()),
                "{name}: {} steps",
                guide.steps.len()
            );
            for text in std::iter::once(&guide.title).chain(guide.steps.iter().map(|s| &s.text)) {
                let lookup = |lang| crate::text::lookup(lang, "narration", text.0);
                let en = lookup(crate::text::Lang::En).expect("every key has English");
                for locale in [Locale::ZhHant, Locale::Ja] {
                    let other = lookup(locale);
                    let other = other.unwrap_or_else(|| panic!("{}: no {locale:?} text", text.0));
                    assert!(!other.trim().is_empty(), "{name}: empty {locale:?} text");
                    assert_ne!(other, en, "{name}: untranslated `{en}`");
                }
            }
        }
        assert_eq!(
            GUIDES.len(),
            PRESETS.len(),
            "a guide for a preset that does not exist"
        );
    }

    /// Every step points at something the explainer draws for that preset.
    #[test]
    fn every_step_points_at_a_part_of_the_screen_that_exists() {
        use crate::sim::presets::preset;
        const FIXED: &[&str] = &[
            "sync-panel",
            "event-panel",
            "charts",
            "sync-scoreboard",
            "event-scoreboard",
            "dlq",
            "set-timeout",
            "set-retries",
            "set-breaker",
            "set-acks",
            "set-commit",
            "set-retention",
            "set-idempotent",
            "set-dlq",
        ];
        const SCORES: &[&str] = &[
            "success",
            "p99",
            "done",
            "duplicated",
            "lost",
            "pending",
            "inconsistent",
            "consistency",
            "lag",
        ];
        for guide in GUIDES {
            let scenario = preset(guide.preset).unwrap();
            let mut names: Vec<String> = scenario.services.iter().map(|s| s.name.clone()).collect();
            names.extend(scenario.faults.iter().filter_map(|f| match &f.action {
                Action::AddService { service, .. } => Some(service.name.clone()),
                _ => None,
            }));
            for step in guide.steps {
                let id = step.points_at;
                let named = |prefix: &str| {
                    id.strip_prefix(prefix)
                        .is_some_and(|n| names.iter().any(|s| s == n))
                };
                let indexed = |prefix: &str, below: usize| {
                    id.strip_prefix(prefix)
                        .and_then(|n| n.parse::<usize>().ok())
                        .is_some_and(|n| n < below)
                };
                let score = ["sync-score-", "event-score-"]
                    .iter()
                    .any(|p| id.strip_prefix(p).is_some_and(|m| SCORES.contains(&m)));
                let ok = FIXED.contains(&id)
                    || score
                    || [
                        "sync-node-",
                        "event-node-",
                        "lag-",
                        "sync-done-",
                        "event-done-",
                    ]
                    .iter()
                    .any(|p| named(p))
                    || indexed("partition-", scenario.event.partitions as usize)
                    || indexed("broker-", scenario.event.brokers as usize)
                    || indexed("sync-diff-", names.len());
                assert!(ok, "{}: `{id}` is not on the screen", guide.preset);
            }
        }
    }

    #[test]
    fn steps_appear_in_order_as_time_passes() {
        let mut narration = Narration::for_preset("killed-consumer");
        assert_eq!(
            narration.update(0.0, &never, false),
            Change::Showed {
                index: 0,
                pause: false
            }
        );
        assert_eq!(narration.update(0.0, &never, false), Change::Nothing);
        assert_eq!(
            narration.update(21_000.0, &never, false),
            Change::Showed {
                index: 1,
                pause: false
            }
        );
        assert_eq!(
            narration.update(30_000.0, &never, false),
            Change::Showed {
                index: 2,
                pause: false
            }
        );
        assert_eq!(narration.update(40_000.0, &never, false), Change::Nothing);
        let settled = |target: &str| target == "analytics";
        assert_eq!(
            narration.update(40_000.0, &settled, false),
            Change::Showed {
                index: 3,
                pause: false
            }
        );
        assert_eq!(narration.current(), Some(3));
    }

    #[test]
    fn the_narration_pauses_for_the_user_and_resumes_on_the_right_action() {
        let mut narration = Narration::for_preset("happy-path");
        narration.update(0.0, &never, false);
        narration.update(3_000.0, &never, false);
        assert_eq!(
            narration.update(8_000.0, &never, false),
            Change::Showed {
                index: 2,
                pause: true
            }
        );
        assert_eq!(narration.waiting_for(), Some((Kill, "analytics")));
        assert_eq!(
            narration.update(60_000.0, &never, false),
            Change::Nothing,
            "waits, whatever the time"
        );
        assert_eq!(narration.on_action(Kill, "email"), Change::Nothing);
        assert_eq!(narration.on_action(Kill, "analytics"), Change::Resume);
        assert_eq!(
            narration.update(9_000.0, &never, false),
            Change::Showed {
                index: 3,
                pause: false
            }
        );
    }

    #[test]
    fn an_action_taken_early_is_not_asked_for_again() {
        let mut narration = Narration::for_preset("happy-path");
        narration.on_action(Kill, "analytics");
        narration.update(0.0, &never, false);
        narration.update(3_000.0, &never, false);
        assert_eq!(
            narration.update(8_000.0, &never, false),
            Change::Showed {
                index: 2,
                pause: false
            }
        );
        assert_eq!(
            narration.update(8_000.0, &never, false),
            Change::Showed {
                index: 3,
                pause: false
            }
        );
    }

    #[test]
    fn skipping_moves_on_without_waiting() {
        let mut narration = Narration::for_preset("happy-path");
        for _ in 0..3 {
            narration.skip();
        }
        assert!(narration.waiting_for().is_some());
        narration.skip();
        assert_eq!(narration.current(), Some(3));
        assert!(narration.waiting_for().is_none());
    }
}
