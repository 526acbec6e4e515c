//! The compact embedded layout (`?embed=1`) and the postMessage bridge to the host page.

use super::animate::Canvases;
use super::controls::{Clock, NoticeBar, PlayButton, SpeedSlider};
use super::state::{Explainer, Notice};
use super::timeline::Scrubber;
use super::{location_search, tr};
use crate::i18n::Key;
use crate::live::Intent;
use crate::live::embed::{
    Command, EmbedOptions, StateEvent, WorldCounts, error_json, without_embed_params,
};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The embed options in the page's URL; a bad one is named and the defaults kept.
pub fn options_from_url(explainer: Explainer) -> EmbedOptions {
    match EmbedOptions::decode(&location_search()) {
        Ok(options) => options,
        Err(error) => {
            explainer
                .notice
                .set(Some(Notice::not_applied(&error.param, error.problem)));
            // `embed=1` was asked for even if another option was bad: keep the compact layout.
            EmbedOptions {
                embed: location_search().contains("embed=1"),
                ..EmbedOptions::default()
            }
        }
    }
}

/// The full app's address for this view: the same query without the embed options.
fn full_app_url() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        without_embed_params(&location_search())
    )
}

/// The embedded view: a minimal play bar, the chosen panels, and a link to the full app.
#[component]
pub fn EmbedApp(options: EmbedOptions, canvases: Canvases) -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let parts = options.parts;
    let controls = options.controls;
    // Autoplay held back for a reader who asked for less motion: they need a way to start it.
    let views = expect_context::<super::still::Views>();
    let held = options.autoplay && views.still.get_untracked();
    let play_button = (controls.play || held).then(|| view! { <PlayButton /> });
    let held_note = held.then(|| {
        view! { <p class="embed-held" role="status" data-testid="embed-held">{tr(Key::EmbedStill)}</p> }
    });
    let speed = controls.speed.then(|| view! { <SpeedSlider /> });
    let sync = parts
        .sync
        .then(|| view! { <super::panels::SyncWorld canvas=canvases.sync /> });
    let event = parts
        .event
        .then(|| view! { <super::panels::EventWorld canvas=canvases.event /> });
    let charts = parts.charts.then(|| {
        view! {
            <figure class="charts" aria-label=tr(Key::ChartsLabel)>
                <canvas node_ref=canvases.charts data-testid="charts" role="img" aria-label=tr(Key::ChartsLabel)></canvas>
                <super::still::ChartTables />
            </figure>
        }
    });
    let single = parts.sync != parts.event;
    // A link that carries a sweep shows its curves here too.
    let sweeper = expect_context::<super::sweep::Sweeper>();
    let has_sweep = move || sweeper.spec.get().is_some();
    view! {
        <main class="embed" data-testid="embed" aria-label=tr(Key::EmbedLabel)>
            // A page's one top heading, for screen readers' heading list; the docs page shows its own.
            <h1 class="visually-hidden">{tr(Key::AppName)}</h1>
            <div class="embed-bar" data-testid="embed-bar">
                {play_button}
                <Clock />
                {controls.timeline.then(|| view! { <div class="embed-scrub"><Scrubber /></div> })}
                {speed}
                <a class="full-app" href=full_app_url() target="_blank" rel="noopener" data-testid="open-full-app">
                    {tr(Key::OpenFullApp)}
                </a>
            </div>
            {held_note}
            <NoticeBar />
            <section class="worlds" class:single=single aria-label=tr(Key::PanelsLabel)>
                {sync}
                {event}
            </section>
            {charts}
            <Show when=has_sweep>
                <super::sweep::SweepResults />
            </Show>
            <p class="embed-run">
                <code data-testid="trace-hash">{move || explainer.frame.with(|f| f.trace_hash.clone())}</code>
            </p>
        </main>
    }
}

/// The state a host page is told about.
fn state_now(explainer: Explainer) -> StateEvent {
    let (playing, branch) = (
        explainer.play.with_untracked(|p| p.playing),
        explainer.branches.with_untracked(|b| b.current),
    );
    explainer.live.with_value(|live| {
        let sim = live.player.sim();
        let report = sim.report();
        StateEvent {
            playing,
            t_us: sim.now().as_us(),
            end_us: sim.end().as_us(),
            trace_hash: sim.trace().hash_hex(),
            scenario: sim.scenario().name.clone(),
            branch,
            sync: WorldCounts::of(&report.sync),
            event: WorldCounts::of(&report.event.world),
        }
    })
}

/// Posts `message` to the host page, addressed to each origin allowed to hear it.
fn post_to_host(message: &str, options: &EmbedOptions) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    let own = window.location().origin().unwrap_or_default();
    // The browser delivers only to a parent whose origin matches, so the state never
    // reaches a page that is not allowed to drive the view.
    for origin in std::iter::once(&own).chain(&options.allow) {
        let _ = parent.post_message(&JsValue::from_str(message), origin);
    }
}

/// Answers commands from allowed origins and tells the host about changes of state.
pub fn listen(explainer: Explainer, options: EmbedOptions) {
    let own_origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let for_messages = options.clone();
    let handle = window_event_listener(leptos::ev::message, move |ev| {
        if !for_messages.allows(&ev.origin(), &own_origin) {
            return;
        }
        let data = ev.data();
        let text = match data.as_string() {
            Some(text) => text,
            None => match js_sys::JSON::stringify(&data) {
                Ok(text) => text.as_string().unwrap_or_default(),
                Err(_) => return,
            },
        };
        let Some(command) = Command::from_json(&text) else {
            return;
        };
        match command {
            Ok(command) => {
                run(explainer, command);
                post_to_host(&state_now(explainer).to_json(), &for_messages);
            }
            Err(error) => post_to_host(&error_json(&error), &for_messages),
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
    // Changes the host did not ask for (the run finished, a click inside the frame).
    let watched = options.clone();
    Effect::new(move |_| {
        let _ = explainer.play.with(|p| (p.playing, p.finished));
        let _ = explainer.branches.with(|b| b.current);
        post_to_host(&state_now(explainer).to_json(), &watched);
    });
}

fn run(explainer: Explainer, command: Command) {
    let intent = match command {
        Command::Play => Intent::Play(true),
        Command::Pause => Intent::Play(false),
        Command::Seek { t_us } => Intent::Seek { t_us },
        Command::Inject(action) => Intent::Act(*action),
        Command::State => return,
    };
    explainer.send(intent);
}
