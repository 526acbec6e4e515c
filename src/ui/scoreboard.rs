//! The scoreboard under each panel: the same figures in the same places for both worlds.

use super::UiLocale;
use super::state::Explainer;
use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::live::frame::Scoreboard as Score;
use crate::sim::trace::World;
use leptos::prelude::*;

/// One scoreboard cell: its label, its `data-testid` suffix, and its value (None: not shown in this world).
pub(crate) type Metric = (Key, &'static str, fn(Locale, &Score) -> Option<String>);

fn count(locale: Locale, n: u64) -> Option<String> {
    Some(format_number(locale, n as f64, 0))
}

pub(crate) const METRICS: [Metric; 9] = [
    (Key::ScoreSuccess, "success", |l, s| {
        Some(s.success_rate.map_or_else(
            || l.text(Key::NotYet).to_string(),
            |rate| format!("{}%", format_number(l, rate * 100.0, 1)),
        ))
    }),
    (Key::ScoreP99, "p99", |l, s| {
        Some(if s.requests == 0 {
            l.text(Key::NotYet).to_string()
        } else {
            format_duration_ms(l, s.latency_ms_p99)
        })
    }),
    (Key::ScoreDone, "done", |l, s| count(l, s.effects_done)),
    (Key::ScoreDuplicated, "duplicated", |l, s| {
        count(l, s.effects_duplicated)
    }),
    (Key::ScoreLost, "lost", |l, s| count(l, s.effects_lost)),
    (Key::ScorePending, "pending", |l, s| {
        count(l, s.effects_pending)
    }),
    (Key::ScoreInconsistent, "inconsistent", |l, s| {
        count(l, s.inconsistent)
    }),
    (Key::ScoreConsistency, "consistency", |l, s| {
        Some(if s.requests == 0 {
            l.text(Key::NotYet).to_string()
        } else {
            format_duration_ms(l, s.consistency_ms_p99)
        })
    }),
    (Key::ScoreLag, "lag", |l, s| {
        let (now, max) = (s.lag_now?, s.lag_max?);
        Some(format!("{} / {}", count(l, now)?, count(l, max)?))
    }),
];

/// One world's scoreboard; `data-testid`s are `{world}-score-{metric}`.
#[component]
pub fn Scoreboard(world: World) -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let title = match world {
        World::Sync => Key::SyncPanelTitle,
        World::Event => Key::EventPanelTitle,
    };
    // Which cells a world has is fixed (lag is the event world's only); their values change.
    let metrics = METRICS
        .into_iter()
        .filter(|(_, _, value)| {
            explainer
                .frame
                .with_untracked(|f| value(Locale::En, &f.scores[world.index()]).is_some())
        })
        .map(|(key, metric, value)| {
            let value = move || {
                explainer
                    .frame
                    .with(|f| value(locale.get(), &f.scores[world.index()]))
                    .unwrap_or_default()
            };
            let warn = matches!(metric, "lost" | "duplicated" | "inconsistent");
            view! {
                <div class=if warn { "score warn" } else { "score" }>
                    <dt>{move || locale.get().text(key)}</dt>
                    <dd data-testid=format!("{}-score-{metric}", world.name())>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <dl
            class="scoreboard"
            data-testid=format!("{}-scoreboard", world.name())
            aria-label=move || {
                let l = locale.get();
                l.fill(Key::ScoreboardLabel, &[("world", l.text(title))])
            }
        >
            {metrics}
        </dl>
    }
}
