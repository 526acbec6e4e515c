//! A labelled world panel: heading, lede, what to watch for, then the live drawing and scoreboard.

use super::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// One world's panel. `world` is `"sync"` or `"event"` and picks the accent.
#[component]
pub fn WorldPanel(
    testid: &'static str,
    world: &'static str,
    title: Key,
    lede: Key,
    watch: [Key; 3],
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{testid}-title");
    let labelled_by = heading_id.clone();
    let points = watch
        .into_iter()
        .map(|key| view! { <li>{tr(key)}</li> })
        .collect_view();
    view! {
        <section class=format!("world world-{world}") data-testid=testid aria-labelledby=labelled_by>
            <h2 id=heading_id>{tr(title)}</h2>
            <p class="lede">{tr(lede)}</p>
            <details class="watch-details">
                <summary>{tr(Key::WatchHeading)}</summary>
                <ul class="watch">{points}</ul>
            </details>
            {children()}
        </section>
    }
}
