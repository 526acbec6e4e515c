//! Ripple: synchronous calls and event-driven pub/sub, simulated side by side.
//!
//! `sim` is the deterministic, sans-IO simulation core; `live` turns it into
//! frames, dots and chart data for the explainer; `text` reads every user-facing
//! string from per-language data files and `i18n` speaks them. All three are plain Rust and tested natively. `ui` is the
//! Leptos front end and exists only when compiling for the browser.

pub mod i18n;
pub mod live;
pub mod sim;
pub mod template;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod ui;
