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

/// The page fetches its words; these tests hand the app all three files up front.
fn install_texts() {
    use ripple::text::{Lang, install};
    for (lang, source) in [
        (Lang::En, include_str!("../src/text/en.json")),
        (Lang::ZhHant, include_str!("../src/text/zh-Hant.json")),
        (Lang::Ja, include_str!("../src/text/ja.json")),
    ] {
        install(lang, source).expect("the shipped text files parse");
    }
}

/// Mounts the app into a fresh container, so tests do not see each other's DOM.
fn mount_app() -> HtmlElement {
    install_texts();
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), || leptos::view! { <App /> });
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

/// Clicks the element matching `selector` inside `root` (SVG elements included).
fn click(root: &HtmlElement, selector: &str) {
    let element = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"));
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    element.dispatch_event(&event).unwrap();
}

fn class_of(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .get_attribute("class")
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn killing_a_service_from_its_menu_marks_it_in_both_worlds_and_restore_clears_it() {
    let root = mount_app();
    click(&root, "[data-testid=sync-node-cache]");
    settle().await;
    assert!(text_of(&root, "[data-testid=action-menu]").contains("Actions for cache"));
    click(&root, "[data-testid=action-kill]");
    settle().await;
    assert!(class_of(&root, "[data-testid=sync-node-cache]").contains("state-killed"));
    assert!(class_of(&root, "[data-testid=event-node-cache]").contains("state-killed"));
    assert!(!class_of(&root, "[data-testid=sync-node-email]").contains("state-killed"));
    click(&root, "[data-testid=action-restore]");
    settle().await;
    assert!(class_of(&root, "[data-testid=sync-node-cache]").contains("state-up"));
}

#[wasm_bindgen_test]
async fn stepping_advances_the_clock_the_scoreboards_and_the_trace_hash() {
    let root = mount_app();
    // What lies under the stages (the run's hash among it) mounts a few tasks later.
    for _ in 0..3 {
        settle().await;
    }
    let hash_at_zero = text_of(&root, "[data-testid=trace-hash]");
    for _ in 0..10 {
        click(&root, "[data-testid=step]");
    }
    settle().await;
    assert_eq!(text_of(&root, "[data-testid=clock]"), "t = 1.0 s");
    assert_ne!(text_of(&root, "[data-testid=trace-hash]"), hash_at_zero);
    let done: u64 = text_of(&root, "[data-testid=sync-score-done]")
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(done > 0, "a second of traffic has done some effects");
    assert_eq!(text_of(&root, "[data-testid=event-score-lost]"), "0");
}
