//! The sweep worker: runs a sweep's points off the page's main thread and posts each back as JSON.
//!
//! Trunk builds it as a second wasm binary (`data-type="worker"` in index.html). It links
//! only the core and `live::sweep`'s message types, never Leptos. It says `ready` first,
//! because a worker drops messages that arrive before its handler is set; the page then
//! sends one [`SweepJob`] and the worker answers each point as it finishes. Cancelling
//! terminates the worker, so it never needs to listen while it runs.

#[cfg(target_arch = "wasm32")]
fn main() {
    use ripple::live::sweep::{SweepJob, WorkerReply};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::{Closure, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    // A refusal travels as English text, so the worker carries the English file (the page's
    // binary carries none; the worker loads only when a sweep starts).
    let _ = ripple::text::install(ripple::text::Lang::En, include_str!("../text/en.json"));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = {
        let scope = scope.clone();
        move |reply: &WorkerReply| {
            let text = serde_json::to_string(reply).expect("replies always serialise");
            // A page that went away cannot be told anything; the worker ends with it.
            let _ = scope.post_message(&JsValue::from_str(&text));
        }
    };
    let on_message = {
        let post = post.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            match serde_json::from_str::<SweepJob>(&text) {
                Ok(job) => WorkerReply::answer(&job, |reply| post(&reply)),
                Err(e) => post(&WorkerReply::Refused {
                    job: 0,
                    field: "job".into(),
                    message: e.to_string(),
                }),
            }
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    post(&WorkerReply::Ready);
}

/// Workers exist only in browsers; a native build of this binary only says so.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!("sweep-worker runs only in the browser; use `ripple-sim --sweep` natively");
    std::process::ExitCode::from(2)
}
