//! The keyboard shortcuts, listed in a panel that `?` (or the footer's button) opens.

use super::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// Whether the list is open; shared so the page's key handler and the button both reach it.
#[derive(Clone, Copy)]
pub struct ShortcutsOpen(pub RwSignal<bool>);

/// Every shortcut the page has, as (keys, what it does). Keys are written the same everywhere.
const SHORTCUTS: [(&str, Key); 7] = [
    ("Space", Key::ShortcutPlay),
    ("?", Key::ShortcutHelp),
    ("Tab", Key::ShortcutSkip),
    ("← → ↑ ↓", Key::ShortcutMove),
    ("Enter", Key::ShortcutActions),
    ("Esc", Key::ShortcutClose),
    ("Ctrl/⌘ Z · Ctrl/⌘ ⇧ Z", Key::ShortcutUndo),
];

/// The footer's button that opens the list, for people who do not know `?` yet.
#[component]
pub fn ShortcutsButton() -> impl IntoView {
    let ShortcutsOpen(open) = expect_context::<ShortcutsOpen>();
    view! {
        <button type="button" class="shortcuts-button" data-testid="shortcuts-button"
            aria-expanded=move || open.get().to_string() aria-controls="shortcuts"
            on:click=move |_| open.update(|o| *o = !*o)>
            {tr(Key::ShortcutsButton)}
        </button>
    }
}

/// The list itself: a non-modal panel that Esc or its Close button shuts.
#[component]
pub fn ShortcutsPanel() -> impl IntoView {
    let ShortcutsOpen(open) = expect_context::<ShortcutsOpen>();
    let close = NodeRef::<leptos::html::Button>::new();
    // Opening moves focus into the panel, so a keyboard user is where the list is.
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = close.get()
        {
            let _ = button.focus();
        }
    });
    let rows = SHORTCUTS
        .into_iter()
        .map(|(keys, what)| view! { <dt><kbd>{keys}</kbd></dt><dd>{tr(what)}</dd> })
        .collect_view();
    view! {
        <section id="shortcuts" class="shortcuts" role="dialog" aria-labelledby="shortcuts-title"
            data-testid="shortcuts" hidden=move || !open.get()
            on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
            <h2 id="shortcuts-title">{tr(Key::ShortcutsTitle)}</h2>
            <dl>{rows}</dl>
            <button type="button" node_ref=close data-testid="shortcuts-close" on:click=move |_| open.set(false)>
                {tr(Key::CloseMenu)}
            </button>
        </section>
    }
}
