//! Import and export: scenario and exercise JSON in ripple-sim's format, the report as JSON, the trace as JSON lines.

use super::UiLocale;
use super::state::{Explainer, Notice};
use crate::i18n::Key;
use crate::sim::exercise::Exercise;
use crate::sim::{Problem, Scenario};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file download named `name`.
pub(super) fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Offers the resource at `url` (a `data:` URL) as a download named `name`.
pub(super) fn download_url(name: &str, url: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(url);
    link.set_download(name);
    link.click();
    Ok(())
}

/// What the export buttons write.
#[derive(Clone, Copy)]
enum Export {
    /// The run's scenario including the user's actions, which then replay at their times.
    Scenario,
    Report,
    Trace,
}

impl Export {
    /// File name, MIME type and contents for the run as it stands.
    fn file(self, live: &crate::live::Live) -> (String, &'static str, String) {
        let sim = live.player.sim();
        let name = &sim.scenario().name;
        match self {
            Export::Scenario => {
                // The whole branch: the base's own faults, then every user action on it,
                // including those after the playhead.
                let scenario = live.branch_scenario();
                (
                    format!("{name}.json"),
                    "application/json",
                    scenario.to_json(),
                )
            }
            Export::Report => (
                format!("{name}-report.json"),
                "application/json",
                serde_json::to_string_pretty(&sim.report()).unwrap_or_default(),
            ),
            Export::Trace => {
                let (events, _) = sim.trace().since(0);
                let lines = events
                    .filter_map(|e| serde_json::to_string(e).ok())
                    .map(|line| line + "\n")
                    .collect();
                (format!("{name}-trace.jsonl"), "application/x-ndjson", lines)
            }
        }
    }
}

/// What an imported file turned out to be.
enum Imported {
    Scenario(Box<Scenario>),
    Exercise(Box<Exercise>),
}

/// An exercise has a `goal`; anything else is read as a scenario. Errors name the field.
fn read_import(text: &str) -> Result<Imported, crate::sim::ScenarioError> {
    let looks_like_exercise = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .is_some_and(|v| v.get("goal").is_some());
    if looks_like_exercise {
        Exercise::from_json(text).map(|e| Imported::Exercise(Box::new(e)))
    } else {
        Scenario::from_json(text).map(|s| Imported::Scenario(Box::new(s)))
    }
}

/// Import and export buttons.
#[component]
pub fn Files() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let export = move |kind: Export| {
        let (name, mime, text) = explainer.live.with_value(|live| kind.file(live));
        if let Err(error) = download(&name, mime, &text) {
            explainer
                .notice
                .set(Some(Notice::not_applied(&name, Problem::NotSaved {})));
            log_js_error(&error);
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            let Some(text) = text else {
                explainer
                    .notice
                    .set(Some(Notice::not_applied(&name, Problem::NotText {})));
                return;
            };
            if text.len() > crate::sim::exercise::MAX_FILE_BYTES {
                explainer.notice.set(Some(Notice::not_applied(
                    &name,
                    Problem::FileTooLarge {
                        max: crate::sim::exercise::MAX_FILE_BYTES.to_string(),
                    },
                )));
                return;
            }
            match read_import(&text) {
                Ok(Imported::Scenario(scenario)) => explainer.open_scenario(*scenario),
                Ok(Imported::Exercise(exercise)) => explainer.open_exercise(*exercise),
                Err(error) => {
                    let error = error.within(&name, ": ");
                    explainer
                        .notice
                        .set(Some(Notice::not_applied(&error.field, error.problem)));
                }
            }
        });
    };
    view! {
        <section class="tool" data-testid="files">
            <h3>{move || locale.get().text(Key::FilesTitle)}</h3>
            <p class="small">{move || locale.get().text(Key::FilesNote)}</p>
            <label class="file">
                <span>{move || locale.get().text(Key::ImportFile)}</span>
                <input type="file" accept=".json,application/json" data-testid="import-file" on:change=import />
            </label>
            <div class="row">
                <button type="button" data-testid="export-scenario" on:click=move |_| export(Export::Scenario)>
                    {move || locale.get().text(Key::ExportScenario)}
                </button>
                <button type="button" data-testid="export-report" on:click=move |_| export(Export::Report)>
                    {move || locale.get().text(Key::ExportReport)}
                </button>
                <button type="button" data-testid="export-trace" on:click=move |_| export(Export::Trace)>
                    {move || locale.get().text(Key::ExportTrace)}
                </button>
            </div>
            {move || explainer.attempt.with(Option::is_some).then(|| view! { <ExerciseExport /> })}
        </section>
    }
}

/// The exercise being attempted as a file, and the learner's settings as a solution file
/// (`ripple-sim --check NAME --solution FILE` reads it).
#[component]
fn ExerciseExport() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let save = move |settings_only: bool| {
        let Some(attempt) = explainer.attempt.get_untracked() else {
            return;
        };
        let name = attempt.exercise.name.clone();
        let (file, text) = if settings_only {
            (
                format!("{name}-settings.json"),
                serde_json::to_string_pretty(&attempt.settings).unwrap_or_default(),
            )
        } else {
            (format!("{name}.exercise.json"), attempt.exercise.to_json())
        };
        if let Err(error) = download(&file, "application/json", &text) {
            explainer
                .notice
                .set(Some(Notice::not_applied(&file, Problem::NotSaved {})));
            log_js_error(&error);
        }
    };
    view! {
        <div class="row">
            <button type="button" data-testid="export-exercise" on:click=move |_| save(false)>
                {move || locale.get().text(Key::ExportExercise)}
            </button>
            <button type="button" data-testid="export-settings" on:click=move |_| save(true)>
                {move || locale.get().text(Key::ExportSettings)}
            </button>
        </div>
    }
}

/// Exports one chart, as the run stands, as PNG or SVG.
#[component]
pub fn ChartExport() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let chosen = RwSignal::new(0usize);
    let file_stem = move || {
        let scenario = explainer.frame.with_untracked(|f| f.scenario.clone());
        let (_, chart) = super::charts::CHARTS[chosen.get_untracked()];
        format!("{scenario}-{chart}")
    };
    let fail = move |file: &str, error: JsValue| {
        log_js_error(&error);
        explainer
            .notice
            .set(Some(Notice::not_applied(file, Problem::NotSaved {})));
    };
    let save_svg = move |_| {
        let file = format!("{}.svg", file_stem());
        let l = locale.get_untracked();
        let svg = explainer.live.with_value(|live| {
            super::charts::chart_svg(live.player.sim(), chosen.get_untracked(), l)
        });
        match svg {
            Ok(svg) => {
                if let Err(error) = download(&file, "image/svg+xml", &svg) {
                    fail(&file, error);
                }
            }
            Err(error) => fail(&file, JsValue::from_str(&error)),
        }
    };
    let save_png = move |_| {
        let file = format!("{}.png", file_stem());
        let l = locale.get_untracked();
        let canvas = explainer.live.with_value(|live| {
            super::charts::chart_canvas(live.player.sim(), chosen.get_untracked(), l)
        });
        let url = canvas
            .map_err(|e| JsValue::from_str(&e))
            .and_then(|c| c.to_data_url());
        match url.and_then(|url| download_url(&file, &url)) {
            Ok(()) => {}
            Err(error) => fail(&file, error),
        }
    };
    let options = move || {
        let l = locale.get();
        super::charts::CHARTS
            .iter()
            .enumerate()
            .map(|(index, (key, _))| view! { <option value=index.to_string()>{l.text(*key)}</option> })
            .collect_view()
    };
    view! {
        <span class="chart-export">
            <label>
                <span>{move || locale.get().text(Key::ExportChart)}</span>
                <select
                    data-testid="export-chart"
                    prop:value=move || chosen.get().to_string()
                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {options}
                </select>
            </label>
            <button type="button" class="quiet" data-testid="export-png" on:click=save_png>"PNG"</button>
            <button type="button" class="quiet" data-testid="export-svg" on:click=save_svg>"SVG"</button>
        </span>
    }
}

/// The browser's own reason a save failed, for a developer's console; the reader gets a notice.
pub(super) fn log_js_error(error: &JsValue) {
    web_sys::console::error_1(error);
}
