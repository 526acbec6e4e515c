//! Fetches a language's text file when the page starts in it or switches to it, once each.
//!
//! The browser's binary carries no words (`crate::text`), so the first download is code only.
//! The boot script starts fetching the reader's file while the wasm downloads
//! (`window.rippleText`, see `.ci/csp-loader.mjs`); this module takes that fetch if it is for
//! the language Rust chose, and fetches the file itself otherwise. A failure is a reason in
//! plain words, never a console error: the caller shows it and keeps a language it has.

use crate::i18n::Locale;
use crate::sim::Problem;
use crate::text;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the page starts with: its language, and why the reader's own could not be shown.
#[derive(Clone, Debug, PartialEq)]
pub struct TextStart {
    pub locale: Locale,
    /// The file that failed and why, when the page fell back to English.
    pub failed: Option<(String, Problem)>,
}

/// Loads the starting language's texts, falling back to English when they cannot be had.
pub async fn start(wanted: Locale) -> TextStart {
    let reason = match load(wanted).await {
        Ok(()) => {
            return TextStart {
                locale: wanted,
                failed: None,
            };
        }
        Err(reason) => reason,
    };
    // English is the fallback every lookup uses, so it is the one to try next; if it fails
    // too the page still starts (showing keys) and says why.
    if wanted != Locale::En {
        let _ = load(Locale::En).await;
    }
    TextStart {
        locale: Locale::En,
        failed: Some((
            wanted.file(),
            Problem::TextNotLoaded {
                language: wanted.endonym().to_string(),
                reason,
            },
        )),
    }
}

/// The refusal when switching to `wanted` failed for `reason`.
pub fn not_switched(wanted: Locale, reason: String) -> (String, Problem) {
    (
        wanted.file(),
        Problem::TextNotSwitched {
            language: wanted.endonym().to_string(),
            reason,
        },
    )
}

/// Makes `lang`'s texts available, fetching its file unless it is already in.
pub async fn load(lang: Locale) -> Result<(), String> {
    if text::is_loaded(lang) {
        return Ok(());
    }
    let source = match take_prefetched(lang) {
        Some(prefetched) => read_prefetched(prefetched).await?,
        None => fetch_text(&lang.file()).await?,
    };
    text::install(lang, &source).map_err(|e| format!("{}: {e}", lang.file()))
}

/// The boot script's fetch, if it was for `lang`; taken once, so a retry fetches afresh.
fn take_prefetched(lang: Locale) -> Option<JsValue> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("rippleText");
    let hint = js_sys::Reflect::get(&window, &key).ok()?;
    let tag = js_sys::Reflect::get(&hint, &JsValue::from_str("tag")).ok()?;
    if tag.as_string().as_deref() != Some(lang.tag()) {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    js_sys::Reflect::get(&hint, &JsValue::from_str("body")).ok()
}

/// The prefetch resolves to `{status, text}` and never rejects (a rejection nobody awaited
/// yet would be logged as an error), so its status is read here.
async fn read_prefetched(body: JsValue) -> Result<String, String> {
    let promise: js_sys::Promise = body.dyn_into().map_err(|_| "no fetch".to_string())?;
    let result = JsFuture::from(promise).await.map_err(describe)?;
    let field = |name: &str| js_sys::Reflect::get(&result, &JsValue::from_str(name)).ok();
    match field("text").and_then(|t| t.as_string()) {
        Some(text) => Ok(text),
        None => Err(status_reason(
            field("status").and_then(|s| s.as_f64()).unwrap_or(0.0),
        )),
    }
}

/// Fetches a file beside `index.html` as text.
async fn fetch_text(file: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(file))
        .await
        .map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(describe)?;
    if !response.ok() {
        return Err(status_reason(f64::from(response.status())));
    }
    let text = JsFuture::from(response.text().map_err(describe)?)
        .await
        .map_err(describe)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

fn status_reason(status: f64) -> String {
    if status > 0.0 {
        format!("HTTP {status}")
    } else {
        "network error".to_string()
    }
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "network error".to_string())
}
