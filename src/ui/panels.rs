//! A labelled world panel: heading, lede, what to watch for, then the live drawing and scoreboard.

use super::tr;
use crate::i18n::Key;
use crate::sim::trace::World;
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

/// The synchronous world's panel: the call tree and its scoreboard.
#[component]
pub fn SyncWorld(canvas: NodeRef<leptos::html::Canvas>) -> impl IntoView {
    view! {
        <WorldPanel
            testid="sync-panel"
            world="sync"
            title=Key::SyncPanelTitle
            lede=Key::SyncPanelLede
            watch=[Key::SyncPanelWatch1, Key::SyncPanelWatch2, Key::SyncPanelWatch3]
        >
            <super::stage::SyncStage canvas=canvas />
            <super::scoreboard::Scoreboard world=World::Sync />
            <super::still::StageTable world=World::Sync />
        </WorldPanel>
    }
}

/// The event-driven world's panel: the log, the groups and its scoreboard.
#[component]
pub fn EventWorld(canvas: NodeRef<leptos::html::Canvas>) -> impl IntoView {
    view! {
        <WorldPanel
            testid="event-panel"
            world="event"
            title=Key::EventPanelTitle
            lede=Key::EventPanelLede
            watch=[Key::EventPanelWatch1, Key::EventPanelWatch2, Key::EventPanelWatch3]
        >
            <super::stage::EventStage canvas=canvas />
            <super::scoreboard::Scoreboard world=World::Event />
            <super::still::StageTable world=World::Event />
        </WorldPanel>
    }
}
