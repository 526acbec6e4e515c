//! The browser UI: Leptos components that read plain data from the core and the catalog.
//!
//! Components never compute simulation results themselves; they render what
//! `crate::sim` and `crate::i18n` give them. Effects here only sync with the
//! outside world (the `<html lang>` attribute, the document title).

mod icons;
mod language;
mod panels;

use crate::i18n::{Key, Locale};
use leptos::prelude::*;

pub use language::LanguageSwitch;
pub use panels::WorldPanel;

/// The current locale, shared through context. Only the language switch gets the setter.
#[derive(Clone, Copy)]
pub struct UiLocale(pub ReadSignal<Locale>);

/// A reactive text for `key` in the current locale.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let UiLocale(locale) = expect_context::<UiLocale>();
    move || locale.get().text(key)
}

/// The whole app: header, the two world panels and the footer.
#[component]
pub fn App() -> impl IntoView {
    let (locale, set_locale) = signal(initial_locale());
    provide_context(UiLocale(locale));
    Effect::new(move |_| sync_document_language(locale.get()));

    view! {
        <header class="app-header" data-testid="app-header">
            <div class="brand">
                <icons::RippleLogo />
                <h1>{tr(Key::AppName)}</h1>
            </div>
            <p class="tagline">{tr(Key::AppTagline)}</p>
            <LanguageSwitch locale=locale set_locale=set_locale />
        </header>
        <main class="worlds" aria-label=tr(Key::PanelsLabel)>
            <WorldPanel
                testid="sync-panel"
                world="sync"
                title=Key::SyncPanelTitle
                lede=Key::SyncPanelLede
                watch=[Key::SyncPanelWatch1, Key::SyncPanelWatch2, Key::SyncPanelWatch3]
            />
            <WorldPanel
                testid="event-panel"
                world="event"
                title=Key::EventPanelTitle
                lede=Key::EventPanelLede
                watch=[Key::EventPanelWatch1, Key::EventPanelWatch2, Key::EventPanelWatch3]
            />
        </main>
        <footer class="app-footer">
            <p>{tr(Key::FooterDeterminism)}</p>
        </footer>
    }
}

/// `?lang=` first, then the browser's language.
fn initial_locale() -> Locale {
    let window = web_sys::window();
    let lang_param = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("lang"));
    let browser_language = window.as_ref().and_then(|w| w.navigator().language());
    Locale::choose(lang_param.as_deref(), browser_language.as_deref()).locale
}

/// Keeps `<html lang>` and the title in step so screen readers pick the right voice.
fn sync_document_language(locale: Locale) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", locale.tag());
    }
    document.set_title(&format!(
        "{} — {}",
        locale.text(Key::AppName),
        locale.text(Key::SyncPanelTitle)
    ));
}
