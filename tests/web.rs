//! Component tests in headless Chromium: the app mounts, shows both worlds and switches language live.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use ripple::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Mounts the app into a fresh container, so tests do not see each other's DOM.
fn mount_app() -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), App);
    // The test owns the page for its whole life; unmounting is not part of what it checks.
    std::mem::forget(handle);
    container
}

fn text_of(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// Lets Leptos run the effects a click scheduled.
async fn settle() {
    TimeoutFuture::new(0).await;
}

#[wasm_bindgen_test]
fn both_world_panels_are_labelled() {
    let root = mount_app();
    assert_eq!(
        text_of(&root, "[data-testid=sync-panel] h2"),
        "Synchronous call tree"
    );
    assert_eq!(
        text_of(&root, "[data-testid=event-panel] h2"),
        "Event-driven log"
    );
    let labelled_by = root
        .query_selector("[data-testid=sync-panel]")
        .unwrap()
        .unwrap()
        .get_attribute("aria-labelledby")
        .unwrap();
    assert!(
        root.query_selector(&format!("#{labelled_by}"))
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn switching_language_retranslates_live_and_sets_html_lang() {
    let root = mount_app();
    let zh: HtmlElement = root
        .query_selector("[data-testid='lang-zh-Hant']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    zh.click();
    settle().await;
    assert_eq!(
        text_of(&root, "[data-testid=event-panel] h2"),
        "事件驅動日誌"
    );
    assert_eq!(zh.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("zh-Hant")
    );

    let ja: HtmlElement = root
        .query_selector("[data-testid=lang-ja]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    ja.click();
    settle().await;
    assert_eq!(
        text_of(&root, "[data-testid=sync-panel] h2"),
        "同期呼び出しツリー"
    );
    assert_eq!(zh.get_attribute("aria-pressed").as_deref(), Some("false"));
}
