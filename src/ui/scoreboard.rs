//! The scoreboard under each panel: the same figures in the same places for both worlds.

use super::UiLocale;
use super::state::Explainer;
use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::live::frame::Scoreboard as Score;
use crate::sim::trace::World;
use leptos::prelude::*;

fn rows(locale: Locale, score: &Score) -> Vec<(Key, &'static str, String)> {
    let number = |n: u64| format_number(locale, n as f64, 0);
    let mut rows = vec![
        (
            Key::ScoreSuccess,
            "success",
            score.success_rate.map_or_else(
                || locale.text(Key::NotYet).to_string(),
                |rate| format!("{}%", format_number(locale, rate * 100.0, 1)),
            ),
        ),
        (
            Key::ScoreP99,
            "p99",
            if score.requests == 0 {
                locale.text(Key::NotYet).to_string()
            } else {
                format_duration_ms(locale, score.latency_ms_p99)
            },
        ),
        (Key::ScoreDone, "done", number(score.effects_done)),
        (
            Key::ScoreDuplicated,
            "duplicated",
            number(score.effects_duplicated),
        ),
        (Key::ScoreLost, "lost", number(score.effects_lost)),
        (Key::ScorePending, "pending", number(score.effects_pending)),
        (
            Key::ScoreInconsistent,
            "inconsistent",
            number(score.inconsistent),
        ),
    ];
    if let (Some(now), Some(max)) = (score.lag_now, score.lag_max) {
        rows.push((
            Key::ScoreLag,
            "lag",
            format!("{} / {}", number(now), number(max)),
        ));
    }
    rows
}

/// One world's scoreboard; `data-testid`s are `{world}-score-{metric}`.
#[component]
pub fn Scoreboard(world: World) -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let title = match world {
        World::Sync => Key::SyncPanelTitle,
        World::Event => Key::EventPanelTitle,
    };
    // The rows are fixed per world; only their values change.
    let metrics = explainer
        .frame
        .with_untracked(|f| rows(Locale::En, &f.scores[world.index()]))
        .into_iter()
        .enumerate()
        .map(|(index, (key, metric, _))| {
            let value = move || {
                explainer.frame.with(|f| {
                    rows(locale.get(), &f.scores[world.index()])
                        .get(index)
                        .map(|row| row.2.clone())
                        .unwrap_or_default()
                })
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
