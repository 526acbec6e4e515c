//! Import and export: scenario and exercise JSON in ripple-sim's format, the report as JSON, the trace as JSON lines.

use super::UiLocale;
use super::state::{Explainer, Notice};
use crate::i18n::Key;
use crate::sim::Scenario;
use crate::sim::exercise::Exercise;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file download named `name`.
fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
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
    fn file(self, sim: &crate::sim::Simulation) -> (String, &'static str, String) {
        let name = &sim.scenario().name;
        match self {
            Export::Scenario => (
                format!("{name}.json"),
                "application/json",
                sim.scenario().to_json(),
            ),
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
        let (name, mime, text) = explainer
            .live
            .with_value(|live| kind.file(live.player.sim()));
        if let Err(error) = download(&name, mime, &text) {
            explainer
                .notice
                .set(Some(Notice::not_applied(&name, format!("{error:?}"))));
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
                    .set(Some(Notice::not_applied(&name, "cannot be read as text")));
                return;
            };
            if text.len() > crate::sim::exercise::MAX_FILE_BYTES {
                explainer
                    .notice
                    .set(Some(Notice::not_applied(&name, "is larger than 1 MB")));
                return;
            }
            match read_import(&text) {
                Ok(Imported::Scenario(scenario)) => {
                    explainer.preset_name.set(scenario.name.clone());
                    explainer.attempt.set(None);
                    explainer.restart(*scenario);
                }
                Ok(Imported::Exercise(exercise)) => explainer.open_exercise(*exercise),
                Err(error) => {
                    let field = if error.field.is_empty() {
                        name.clone()
                    } else {
                        format!("{name}: {}", error.field)
                    };
                    explainer
                        .notice
                        .set(Some(Notice::not_applied(&field, error.message)));
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
        </section>
    }
}
