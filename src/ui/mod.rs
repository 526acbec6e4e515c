//! The browser UI: Leptos components that read plain data from the core and the catalog.
//!
//! Components never compute simulation results themselves; they render what
//! `crate::live` (and through it `crate::sim`) and `crate::i18n` give them.
//! Effects here only sync with the outside world: the `<html lang>` attribute,
//! the document title, the animation loop and focus.

mod animate;
mod charts;
mod controls;
mod editor;
mod embed;
mod files;
mod guide;
mod icons;
mod language;
mod measured;
mod panels;
mod scoreboard;
mod shortcuts;
mod side;
mod stage;
mod state;
mod still;
mod sweep;
mod sweep_charts;
mod texts;
mod timeline;
mod why;

use crate::i18n::{Key, Locale};
use crate::live::Intent;
use crate::sim::trace::World;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use language::LanguageSwitch;
pub use panels::WorldPanel;
pub use state::Explainer;

/// The current locale, shared through context. Only the language switch gets the setter.
#[derive(Clone, Copy)]
pub struct UiLocale(pub ReadSignal<Locale>);

/// A reactive text for `key` in the current locale.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let UiLocale(locale) = expect_context::<UiLocale>();
    move || locale.get().text(key)
}

/// Starts the page: fetches the reader's words, then puts the app where the static first
/// paint was. `main.rs` calls only this.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let start = texts::start(initial_locale().locale).await;
        mark("ripple:text-ready");
        // Starting the wasm and building the page are each a long task on a slow phone; a
        // task boundary between them lets input and painting in (total blocking time).
        next_task().await;
        remove_first_paint();
        mount_to_body(move || view! { <App start=start /> });
        mark("ripple:mounted");
    });
}

/// Resolves in a later task (a zero timer), so the work after it is a task of its own.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// How many parts of the page mount after the first task (see `App`).
const LATER_PARTS: u8 = 2;

/// Counts `later` up to [`LATER_PARTS`], one step a task, so each part mounts in its own task.
fn mount_later(later: RwSignal<u8>) {
    set_timeout(
        move || {
            later.update(|n| *n += 1);
            if later.get_untracked() < LATER_PARTS {
                mount_later(later);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// A named moment on the page's performance timeline, which the browser bench and
/// profilers read (`performance.getEntriesByName`).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The id of `index.html`'s still picture, drawn at build time (`live::first_paint`).
pub const FIRST_PAINT_ID: &str = "first-paint";

/// The still picture goes when the app draws, so the page never shows both.
fn remove_first_paint() {
    let still = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(FIRST_PAINT_ID));
    if let Some(still) = still {
        still.remove();
    }
}

/// The whole app: header, controls, the two world panels, charts and tools. `start` is what
/// [`start`] loaded; without it (component tests install their texts) the page's choice holds.
#[component]
pub fn App(#[prop(optional)] start: Option<texts::TextStart>) -> impl IntoView {
    let choice = initial_locale();
    let start_locale = start.as_ref().map_or(choice.locale, |s| s.locale);
    let (locale, set_locale) = signal(start_locale);
    provide_context(UiLocale(locale));
    Effect::new(move |_| sync_document_language(locale.get()));
    let explainer = Explainer::new();
    mark("ripple:explainer-ready");
    provide_context(explainer);
    let sweeper = sweep::Sweeper::new();
    provide_context(sweeper);
    let options = embed::options_from_url(explainer);
    if options.embed {
        // A docs page has no reader at the guide's elbow to press "Next".
        explainer.without_guide();
    }
    open_link(explainer);
    if let Some(rejected) = choice.rejected_param {
        // The link's other parameters were read; an unknown language is named, not a failure.
        explainer.notice.update(|notice| {
            notice.get_or_insert(state::Notice::not_applied(
                "lang",
                crate::i18n::unknown_language(&rejected),
            ));
        });
    }
    if let Some((file, problem)) = start.and_then(|s| s.failed) {
        explainer.notice.update(|notice| {
            notice.get_or_insert(state::Notice::not_applied(&file, problem));
        });
    }
    embed::listen(explainer, options.clone());
    let views = still::Views::new();
    provide_context(views);
    Effect::new(move |_| sync_still_class(views.still.get()));
    // A reader who asked for less motion starts an embed themselves.
    if options.autoplay && !views.still.get_untracked() {
        explainer.send(Intent::Play(true));
    }
    let canvases = animate::Canvases::new();
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            animate::start(explainer, canvases, locale, views);
        }
    });
    let shortcuts = shortcuts::ShortcutsOpen(RwSignal::new(false));
    provide_context(shortcuts);
    let _keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == " " && !typing_target(&ev) {
            ev.prevent_default();
            let playing = explainer.play.with_untracked(|p| p.playing);
            explainer.send(Intent::Play(!playing));
        } else if ev.key() == "?" && !in_text_field(&ev) {
            ev.prevent_default();
            shortcuts.0.update(|open| *open = !*open);
        }
    });
    if options.embed {
        return view! { <embed::EmbedApp options=options canvases=canvases /> }.into_any();
    }
    let later = RwSignal::new(0u8);
    mount_later(later);

    view! {
        // The first thing a keyboard reaches: past the controls and the guide to the stages.
        <a class="skip-link" href="#stages" data-testid="skip-link">{tr(Key::SkipToStages)}</a>
        <header class="app-header" data-testid="app-header">
            <div class="brand">
                <icons::RippleLogo />
                <h1>{tr(Key::AppName)}</h1>
            </div>
            <p class="tagline">{tr(Key::AppTagline)}</p>
            <LanguageSwitch locale=locale set_locale=set_locale />
        </header>
        // Everything between the header and the footer is the page's main landmark, so a
        // screen reader's landmark list has no content outside one.
        <main class="page">
            <controls::Controls />
            <shortcuts::ShortcutsPanel />
            <guide::Announcements />
            <controls::NoticeBar />
            <editor::ArchitectureEditor />
            <controls::ActionMenu />
            <div class="story">
                <guide::Narration />
                <guide::Annotations />
            </div>
            <section class="worlds" id="stages" tabindex="-1" aria-label=tr(Key::PanelsLabel)>
                <panels::SyncWorld canvas=canvases.sync />
                <panels::EventWorld canvas=canvases.event />
            </section>
            // What lies under the stages mounts in later tasks, a part a task: each task stays
            // short, so the page answers input sooner on a slow phone (total blocking time).
            <Show when=move || { later.get() >= 1 }>
                <timeline::Timeline />
                <section class="lower">
                    <figure class="charts" aria-label=tr(Key::ChartsLabel)>
                        <canvas node_ref=canvases.charts data-testid="charts" role="img" aria-label=tr(Key::ChartsLabel)></canvas>
                        <figcaption class="legend">
                            <span class="key sync">{tr(Key::LegendSync)}</span>
                            <span class="key event">{tr(Key::LegendEvent)}</span>
                            <timeline::ComparedKey />
                            <files::ChartExport />
                        </figcaption>
                        <still::ChartTables />
                    </figure>
                    <div class="tools">
                        <guide::Workshop />
                        <side::AddConsumer />
                        <side::Settings />
                        <side::Follow />
                        <files::Files />
                    </div>
                </section>
            </Show>
            <Show when=move || { later.get() >= 2 }>
                <sweep::SweepPanel />
                <controls::AboutRun />
            </Show>
        </main>
        <Show when=move || { later.get() >= 2 }>
            <footer class="app-footer">
                <p>{tr(Key::FooterDeterminism)}</p>
                <shortcuts::ShortcutsButton />
            </footer>
        </Show>
    }
    .into_any()
}

/// Milliseconds on the page's monotonic clock (`performance.now()`), the wall time the loop uses.
pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Moves keyboard focus to an HTML or SVG element.
pub(crate) fn focus_element(element: &web_sys::Element) {
    if let Some(svg) = element.dyn_ref::<web_sys::SvgElement>() {
        let _ = svg.focus();
    } else if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    }
}

/// Moves keyboard focus to a service or broker in one world's drawing.
pub(crate) fn focus_target(world: World, target: state::Target) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&stage::target_id(world, target)));
    if let Some(element) = element {
        focus_element(&element);
    }
}

/// Whether a key event's target is one of these elements (lower-case tag names).
fn target_is(ev: &web_sys::KeyboardEvent, tags: &[&str]) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| tags.contains(&e.tag_name().to_ascii_lowercase().as_str()))
}

/// `?` types a question mark in a field; everywhere else it opens the shortcuts.
fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    target_is(ev, &["input", "select", "textarea"])
}

/// Space types a space in fields and presses buttons; it plays or pauses everywhere else.
fn typing_target(ev: &web_sys::KeyboardEvent) -> bool {
    target_is(
        ev,
        &["input", "select", "textarea", "button", "summary", "option"],
    )
}

/// The page's query string (`?preset=…&t=…`), or empty.
pub(crate) fn location_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Opens the view a share link describes; a bad parameter is named and the default view kept.
fn open_link(explainer: Explainer) {
    match crate::live::share::SharedView::decode(&location_search()) {
        Ok(view) => {
            explainer.open_shared(&view);
            if let Some(spec) = view.sweep {
                let sweeper = expect_context::<sweep::Sweeper>();
                sweeper.open.set(true);
                sweeper.start(explainer, spec);
            }
        }
        Err(error) => explainer.notice.set(Some(state::Notice::not_applied(
            &error.param,
            error.problem,
        ))),
    }
}

/// `?lang=` first, then the browser's language; an unknown `?lang=` is kept to be named.
fn initial_locale() -> crate::i18n::LocaleChoice {
    let window = web_sys::window();
    let lang_param = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("lang"));
    let browser_language = window.as_ref().and_then(|w| w.navigator().language());
    Locale::choose(lang_param.as_deref(), browser_language.as_deref())
}

/// Marks the page for the still view, so CSS stops its own animations too, whichever way it was
/// chosen (the reader's preference or the page's toggle).
fn sync_still_class(still: bool) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = root.class_list().toggle_with_force("still", still);
    }
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
