//! A labelled world panel: one for the synchronous call tree, one for the event log.

use super::{icons, tr};
use crate::i18n::Key;
use leptos::prelude::*;

/// One world's panel. `world` is `"sync"` or `"event"` and picks the accent and schematic.
#[component]
pub fn WorldPanel(
    testid: &'static str,
    world: &'static str,
    title: Key,
    lede: Key,
    watch: [Key; 3],
) -> impl IntoView {
    let heading_id = format!("{testid}-title");
    let labelled_by = heading_id.clone();
    let points = watch
        .into_iter()
        .map(|key| view! { <li>{tr(key)}</li> })
        .collect_view();
    let schematic = if world == "sync" {
        icons::SyncSchematic().into_any()
    } else {
        icons::EventSchematic().into_any()
    };
    view! {
        <section class=format!("world world-{world}") data-testid=testid aria-labelledby=labelled_by>
            <h2 id=heading_id>{tr(title)}</h2>
            <p class="lede">{tr(lede)}</p>
            <div class="schematic">{schematic}</div>
            <h3>{tr(Key::WatchHeading)}</h3>
            <ul class="watch">{points}</ul>
        </section>
    }
}
