//! What the page's polite live region says, one thing at a time and never chattering.
//!
//! Screen-reader users cannot see a service fail or the guide move on, so these moments are
//! spoken: a fault or action applied, a narration step, an annotation, a breaker changing
//! state. Moments arrive in bursts (a link opens at t = 40 s; a cascade opens three breakers
//! in one frame), so the [`Announcer`] keeps a short queue and lets one out every
//! [`Announcer::MIN_GAP_MS`] of wall time; when the queue is full the oldest goes, counted,
//! because the newest is what the reader is looking at. Announcements stay typed until
//! spoken, so they are worded in the language the page has when they are said.

use super::annotate::{Annotation, action_text};
use super::narration::Step;
use crate::i18n::{Key, Locale};
use crate::sim::scenario::Action;
use crate::sim::trace::BreakerPosition;
use std::collections::VecDeque;

/// One thing worth saying.
#[derive(Clone, Debug, PartialEq)]
pub enum Announcement {
    /// A fault or action was applied to both worlds.
    Acted(Action),
    /// The guide showed this step.
    Step(Step),
    /// "What happened" gained this sentence.
    Note(Annotation),
    /// The breaker on the call into `service` moved to `position`.
    Breaker {
        service: String,
        position: BreakerPosition,
    },
}

impl Announcement {
    /// The words, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Announcement::Acted(action) => action_text(locale, action),
            Announcement::Step(step) => step.text.get(locale).to_string(),
            Announcement::Note(note) => note.sentence(locale),
            Announcement::Breaker { service, position } => {
                let key = match position {
                    BreakerPosition::Open => Key::AnnounceBreakerOpen,
                    BreakerPosition::HalfOpen => Key::AnnounceBreakerHalfOpen,
                    BreakerPosition::Closed => Key::AnnounceBreakerClosed,
                };
                locale.fill(key, &[("service", service)])
            }
        }
    }
}

/// The queue behind the live region.
#[derive(Clone, Debug, Default)]
pub struct Announcer {
    queue: VecDeque<Announcement>,
    last_said_ms: Option<f64>,
    dropped: u64,
}

impl Announcer {
    /// Wall time between two announcements: long enough to hear one out.
    pub const MIN_GAP_MS: f64 = 1_500.0;
    /// Announcements waiting at most; older ones give way.
    pub const QUEUE_MAX: usize = 3;

    /// Queues `announcement`; a full queue drops its oldest.
    pub fn offer(&mut self, announcement: Announcement) {
        if self.queue.back() == Some(&announcement) {
            return;
        }
        if self.queue.len() == Self::QUEUE_MAX {
            self.queue.pop_front();
            self.dropped += 1;
        }
        self.queue.push_back(announcement);
    }

    /// The next announcement to say at wall time `now_ms`, if one waits and the gap has passed.
    pub fn due(&mut self, now_ms: f64) -> Option<Announcement> {
        if self
            .last_said_ms
            .is_some_and(|last| now_ms - last < Self::MIN_GAP_MS)
        {
            return None;
        }
        let next = self.queue.pop_front()?;
        self.last_said_ms = Some(now_ms);
        Some(next)
    }

    /// Announcements that gave way to newer ones.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Forgets what waits (a reset or a new preset starts a new story).
    pub fn clear(&mut self) {
        self.queue.clear();
    }
}

/// Which breakers moved between two frames: the services whose incoming breaker changed.
pub fn breaker_changes(
    before: &[(String, BreakerPosition)],
    after: &[(String, BreakerPosition)],
) -> Vec<Announcement> {
    after
        .iter()
        .filter(|(service, position)| {
            let was = before.iter().find(|(s, _)| s == service).map(|(_, p)| *p);
            was.is_some_and(|was| was != *position)
        })
        .map(|(service, position)| Announcement::Breaker {
            service: service.clone(),
            position: *position,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Target;

    fn kill(name: &str) -> Announcement {
        Announcement::Acted(Action::Kill(Target::Service(name.to_string())))
    }

    #[test]
    fn one_announcement_per_gap_and_the_newest_win_a_burst() {
        let mut announcer = Announcer::default();
        assert_eq!(announcer.due(0.0), None, "nothing to say");
        for name in ["a", "b", "c", "d", "e"] {
            announcer.offer(kill(name));
        }
        assert_eq!(announcer.dropped(), 2);
        assert_eq!(announcer.due(100.0), Some(kill("c")));
        assert_eq!(announcer.due(100.0 + Announcer::MIN_GAP_MS - 1.0), None);
        assert_eq!(
            announcer.due(100.0 + Announcer::MIN_GAP_MS),
            Some(kill("d"))
        );
        announcer.offer(kill("e"));
        assert_eq!(
            announcer.due(100.0 + 2.0 * Announcer::MIN_GAP_MS),
            Some(kill("e")),
            "a repeat of the last queued is not queued twice"
        );
        assert_eq!(announcer.due(1e9), None);
    }

    #[test]
    fn a_kill_is_said_in_the_readers_language_naming_the_service() {
        for locale in Locale::ALL {
            let text = kill("analytics").text(locale);
            assert!(text.contains("analytics"), "{}: {text}", locale.tag());
        }
        assert_ne!(
            kill("analytics").text(Locale::En),
            kill("analytics").text(Locale::Ja)
        );
    }

    #[test]
    fn only_breakers_that_moved_are_announced_in_every_language() {
        let before = vec![
            ("email".to_string(), BreakerPosition::Closed),
            ("cache".to_string(), BreakerPosition::Closed),
        ];
        let after = vec![
            ("email".to_string(), BreakerPosition::Open),
            ("cache".to_string(), BreakerPosition::Closed),
            ("new".to_string(), BreakerPosition::Open),
        ];
        let changes = breaker_changes(&before, &after);
        assert_eq!(
            changes,
            vec![Announcement::Breaker {
                service: "email".into(),
                position: BreakerPosition::Open
            }]
        );
        for locale in Locale::ALL {
            for position in [
                BreakerPosition::Open,
                BreakerPosition::HalfOpen,
                BreakerPosition::Closed,
            ] {
                let said = Announcement::Breaker {
                    service: "email".into(),
                    position,
                }
                .text(locale);
                assert!(said.contains("email") && !said.contains('{'), "{said}");
            }
        }
    }
}
