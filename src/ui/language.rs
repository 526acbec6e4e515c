//! The language switch: the one component that writes the locale.

use super::tr;
use crate::i18n::{Key, Locale};
use leptos::prelude::*;

/// Buttons for en / 繁體中文 / 日本語; switching keeps all other state.
#[component]
pub fn LanguageSwitch(
    locale: ReadSignal<Locale>,
    set_locale: WriteSignal<Locale>,
) -> impl IntoView {
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
                    on:click=move |_| set_locale.set(option)
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
