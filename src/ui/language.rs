//! The language switch: the one component that writes the locale.

use super::state::{Explainer, Notice};
use super::{texts, tr};
use crate::i18n::{Key, Locale};
use leptos::prelude::*;

/// Shows `option` once its words are in: at once if they are, else after fetching its file.
/// The simulation is not touched, so the clock, trace and scoreboards carry on.
fn switch(option: Locale, set_locale: WriteSignal<Locale>, explainer: Explainer) {
    if crate::text::is_loaded(option) {
        set_locale.set(option);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match texts::load(option).await {
            Ok(()) => set_locale.set(option),
            Err(reason) => {
                let (file, problem) = texts::not_switched(option, reason);
                explainer
                    .notice
                    .set(Some(Notice::not_applied(&file, problem)));
            }
        }
    });
}

/// Buttons for en / 繁體中文 / 日本語; switching keeps all other state.
#[component]
pub fn LanguageSwitch(
    locale: ReadSignal<Locale>,
    set_locale: WriteSignal<Locale>,
) -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let buttons = Locale::ALL
        .into_iter()
        .map(|option| {
            view! {
                <button
                    type="button"
                    class="lang-option"
                    lang=option.tag()
                    data-testid=format!("lang-{}", option.tag())
                    aria-pressed=move || (locale.get() == option).to_string()
                    on:click=move |_| switch(option, set_locale, explainer)
                >
                    {option.endonym()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="lang-switch" role="group" aria-label=tr(Key::LanguageLabel) data-testid="lang-switch">
            {buttons}
        </div>
    }
}
