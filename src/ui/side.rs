//! The tools beside the charts: add a consumer, change settings, follow one request.

use super::UiLocale;
use super::controls::{not_a_number, not_a_whole_number};
use super::state::{Explainer, LiveSettings, Notice};
use crate::i18n::{Key, Locale, format_duration_ms};
use crate::live::journey::{JourneyStep, Step, cause_of, is_traced, journey};
use crate::live::why;
use crate::live::{Intent, NewConsumer};
use crate::sim::Action;
use crate::sim::scenario::{Setting, SettingsPatch, StartFrom, read_value, serde_name};
use crate::sim::trace::World;
use leptos::prelude::*;

/// Name, processing time and start offset; "Add" puts it in both worlds.
#[component]
pub fn AddConsumer() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let name = RwSignal::new("audit".to_string());
    let time_ms = RwSignal::new("5".to_string());
    let earliest = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = time_ms.get_untracked();
        let service_time_ms = match typed.trim().parse::<f64>() {
            Ok(value) => value,
            Err(_) => {
                explainer.notice.set(Some(Notice::not_applied(
                    "service.service_time_ms",
                    not_a_number(&typed),
                )));
                return;
            }
        };
        let consumer = NewConsumer {
            name: name.get_untracked(),
            service_time_ms,
            start_from: if earliest.get_untracked() {
                StartFrom::Earliest
            } else {
                StartFrom::Latest
            },
        };
        explainer.send(Intent::AddConsumer(consumer));
    };
    view! {
        <form class="tool" data-testid="add-consumer" on:submit=submit>
            <h3>{move || locale.get().text(Key::AddConsumerTitle)}</h3>
            <p class="small">{move || locale.get().text(Key::AddConsumerNote)}</p>
            <label>
                <span>{move || locale.get().text(Key::ConsumerName)}</span>
                <input type="text" data-testid="consumer-name" maxlength="40" prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <label>
                <span>{move || locale.get().text(Key::ProcessingTime)}</span>
                <input type="number" min="0.1" step="any" class="narrow" data-testid="consumer-time" prop:value=time_ms
                    on:input=move |ev| time_ms.set(event_target_value(&ev)) />
            </label>
            <label>
                <span>{move || locale.get().text(Key::StartFromLabel)}</span>
                <select data-testid="consumer-start" on:change=move |ev| earliest.set(event_target_value(&ev) == "earliest")>
                    <option value="latest">{move || locale.get().text(Key::Latest)}</option>
                    <option value="earliest">{move || locale.get().text(Key::Earliest)}</option>
                </select>
            </label>
            <button type="submit" data-testid="consumer-add">{move || locale.get().text(Key::AddButton)}</button>
        </form>
    }
}

/// Sync and event settings; a change applies from now on (a new branch if now is in the past).
#[component]
pub fn Settings() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    // The fields show the settings in force at the playhead.
    let base = move |read: fn(&LiveSettings) -> String| move || explainer.settings.with(read);
    let flag = move |read: fn(&LiveSettings) -> bool| move || explainer.settings.with(read);
    let send = move |setting: Setting| {
        explainer.send(Intent::Act(Action::Configure(SettingsPatch::one(setting))));
    };
    // A number as typed, times `scale` (seconds shown, milliseconds set).
    let number = move |make: fn(f64) -> Setting, scale: f64| {
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            match text.trim().parse::<f64>() {
                Ok(value) => send(make(value * scale)),
                Err(_) => explainer.notice.set(Some(Notice::not_applied(
                    make(0.0).path(),
                    not_a_number(&text),
                ))),
            }
        }
    };
    let whole = move |make: fn(u32) -> Setting| {
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            match text.trim().parse::<u32>() {
                Ok(value) => send(make(value)),
                Err(_) => explainer.notice.set(Some(Notice::not_applied(
                    make(0).path(),
                    not_a_whole_number(&text),
                ))),
            }
        }
    };
    // The options' values are the scenario format's own names, so they read as the file would.
    let choice = move |make: fn(&str) -> Option<Setting>| {
        move |ev: leptos::ev::Event| {
            if let Some(setting) = make(&event_target_value(&ev)) {
                send(setting);
            }
        }
    };
    let toggle = move |make: fn(bool) -> Setting| {
        move |ev: leptos::ev::Event| send(make(event_target_checked(&ev)))
    };
    view! {
        <form class="tool settings" data-testid="settings" on:submit=|ev| ev.prevent_default()>
            <h3>{move || locale.get().text(Key::SettingsTitle)}</h3>
            <p class="small">{move || locale.get().text(Key::SettingsNote)}</p>
            <fieldset>
                <legend>{move || locale.get().text(Key::SyncSettings)}</legend>
                <label>
                    <span>{move || locale.get().text(Key::TimeoutMs)}</span>
                    <input type="number" min="1" step="any" class="narrow" data-testid="set-timeout"
                        prop:value=base(|s| s.sync.timeout_ms.to_string())
                        on:change=number(Setting::TimeoutMs, 1.0) />
                </label>
                <label>
                    <span>{move || locale.get().text(Key::Retries)}</span>
                    <input type="number" min="0" step="1" class="narrow" data-testid="set-retries"
                        prop:value=base(|s| s.sync.retry.max_retries.to_string())
                        on:change=whole(Setting::MaxRetries) />
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="set-breaker"
                        prop:checked=flag(|s| s.sync.circuit_breaker.enabled)
                        on:change=toggle(Setting::BreakerEnabled) />
                    <span>{move || locale.get().text(Key::Breaker)}</span>
                </label>
            </fieldset>
            <fieldset>
                <legend>{move || locale.get().text(Key::EventSettings)}</legend>
                <label>
                    <span>{move || locale.get().text(Key::Acks)}</span>
                    <select data-testid="set-acks"
                        prop:value=base(|s| serde_name(&s.event.acks))
                        on:change=choice(|name| named(name).map(Setting::Acks))>
                        <option value="0">"0"</option>
                        <option value="1">"1"</option>
                        <option value="all">"all"</option>
                    </select>
                </label>
                <label>
                    <span>{move || locale.get().text(Key::CommitMode)}</span>
                    <select data-testid="set-commit"
                        prop:value=base(|s| serde_name(&s.event.commit))
                        on:change=choice(|name| named(name).map(Setting::Commit))>
                        <option value="before_processing">{move || locale.get().text(Key::CommitBefore)}</option>
                        <option value="after_processing">{move || locale.get().text(Key::CommitAfter)}</option>
                        <option value="auto">{move || locale.get().text(Key::CommitAuto)}</option>
                    </select>
                </label>
                <label>
                    <span>{move || locale.get().text(Key::RetentionS)}</span>
                    <input type="number" min="0.001" step="any" class="narrow" data-testid="set-retention"
                        prop:value=base(|s| (s.event.retention_ms / 1_000.0).to_string())
                        on:change=number(Setting::RetentionMs, 1_000.0) />
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="set-idempotent"
                        prop:checked=flag(|s| s.event.idempotent)
                        on:change=toggle(Setting::Idempotent) />
                    <span>{move || locale.get().text(Key::Idempotent)}</span>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="set-dlq"
                        prop:checked=flag(|s| s.event.dlq)
                        on:change=toggle(Setting::Dlq) />
                    <span>{move || locale.get().text(Key::DlqSetting)}</span>
                </label>
                <label>
                    <span>{move || locale.get().text(Key::MaxPollRecords)}</span>
                    <input type="number" min="1" step="1" class="narrow" data-testid="set-max-poll-records"
                        prop:value=base(|s| s.event.max_poll_records.to_string())
                        on:change=whole(Setting::MaxPollRecords) />
                </label>
                <label>
                    <span>{move || locale.get().text(Key::SessionTimeoutS)}</span>
                    <input type="number" min="0.001" step="any" class="narrow" data-testid="set-session-timeout"
                        prop:value=base(|s| (s.event.session_timeout_ms / 1_000.0).to_string())
                        on:change=number(Setting::SessionTimeoutMs, 1_000.0) />
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="set-schema-registry"
                        prop:checked=flag(|s| s.event.schema_registry)
                        on:change=toggle(Setting::SchemaRegistry) />
                    <span>{move || locale.get().text(Key::SchemaRegistry)}</span>
                </label>
                <label>
                    <span>{move || locale.get().text(Key::PublishMode)}</span>
                    <select data-testid="set-publish"
                        prop:value=base(|s| serde_name(&s.event.publish))
                        on:change=choice(|name| named(name).map(Setting::Publish))>
                        <option value="dual_write">{move || locale.get().text(Key::PublishDualWrite)}</option>
                        <option value="outbox">{move || locale.get().text(Key::PublishOutbox)}</option>
                    </select>
                </label>
                <label>
                    <span>{move || locale.get().text(Key::OutboxPollMs)}</span>
                    <input type="number" min="1" step="any" class="narrow" data-testid="set-outbox-poll"
                        prop:value=base(|s| s.event.outbox_poll_ms.to_string())
                        on:change=number(Setting::OutboxPollMs, 1.0) />
                </label>
            </fieldset>
        </form>
    }
}

/// A unit enum from the name the scenario format writes for it (the inverse of [`serde_name`]).
fn named<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    read_value(serde_json::Value::String(name.to_string())).ok()
}

fn step_text(locale: Locale, step: &JourneyStep) -> String {
    let t = format_duration_ms(locale, step.time_ms);
    let result = |ok: bool| locale.text(if ok { Key::ResultOk } else { Key::ResultFailed });
    match &step.step {
        Step::Arrival { kind } => locale.fill(Key::JourneyArrival, &[("t", &t), ("kind", kind)]),
        Step::Call { from, to, attempt } => locale.fill(
            Key::JourneyCall,
            &[
                ("t", &t),
                ("from", from),
                ("to", to),
                ("n", &(u32::from(*attempt) + 1).to_string()),
            ],
        ),
        Step::CallFailed { from, to, reason } => locale.fill(
            Key::JourneyCallFailed,
            &[
                ("t", &t),
                ("from", from),
                ("to", to),
                ("reason", reason.name()),
            ],
        ),
        Step::Work { service } => locale.fill(Key::JourneyWork, &[("t", &t), ("service", service)]),
        Step::Lost { service, reason } => locale.fill(
            Key::JourneyLost,
            &[("t", &t), ("service", service), ("reason", reason.name())],
        ),
        Step::Responded { ok, latency_ms } => locale.fill(
            Key::JourneyResponded,
            &[
                ("t", &t),
                ("result", result(*ok)),
                ("latency", &format_duration_ms(locale, *latency_ms)),
            ],
        ),
        Step::Appended { partition, offset } => locale.fill(
            Key::JourneyAppended,
            &[
                ("t", &t),
                ("p", &partition.to_string()),
                ("o", &offset.to_string()),
            ],
        ),
        Step::Fetched {
            group,
            instance,
            redelivery,
            batch,
        } => locale.fill(
            if *redelivery {
                Key::JourneyRefetched
            } else {
                Key::JourneyFetched
            },
            &[
                ("t", &t),
                ("group", group),
                ("i", &instance.to_string()),
                ("n", &batch.to_string()),
            ],
        ),
        Step::Processed { group } => {
            locale.fill(Key::JourneyProcessed, &[("t", &t), ("group", group)])
        }
        Step::DeadLettered { group } => {
            locale.fill(Key::JourneyDeadLettered, &[("t", &t), ("group", group)])
        }
    }
}

/// One request's journey in both worlds, side by side.
#[component]
pub fn Follow() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let typed = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked();
        match text.trim().parse::<u64>() {
            Ok(id) => explainer.following.set(Some(id)),
            Err(_) => explainer.notice.set(Some(Notice::not_applied(
                "request",
                not_a_whole_number(&text),
            ))),
        }
    };
    let steps = move || {
        let request = explainer.following.get()?;
        explainer.frame.track();
        let worlds = explainer
            .live
            .with_value(|live| journey(live.player.sim(), request));
        let l = locale.get();
        if !is_traced(&worlds) {
            return Some(view! {
                <p class="small" data-testid="journey-none">{l.fill(Key::FollowNone, &[("id", &request.to_string())])}</p>
            }.into_any());
        }
        let causes = explainer.live.with_value(|live| {
            World::BOTH.map(|w| cause_of(live.player.sim(), w, &worlds[w.index()]))
        });
        let column = |index: usize, title: Key, testid: &'static str| {
            let items = worlds[index]
                .iter()
                .map(|step| view! { <li>{step_text(l, step)}</li> })
                .collect_view();
            let why = causes[index].as_ref().map(|cause| view! {
                <p class="why-journey" data-testid=format!("{testid}-why")>{why::paragraph(l, cause)}</p>
            });
            view! {
                <div class="journey-world">
                    <h4>{l.text(title)}</h4>
                    <ol data-testid=testid>{items}</ol>
                    {why}
                </div>
            }
        };
        Some(
            view! {
                <div class="journey" data-testid="journey">
                    <p class="small">{format!("#{request}")}</p>
                    {column(0, Key::SyncPanelTitle, "journey-sync")}
                    {column(1, Key::EventPanelTitle, "journey-event")}
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <form class="tool follow" data-testid="follow" on:submit=submit>
            <h3>{move || locale.get().text(Key::FollowTitle)}</h3>
            <label>
                <span>{move || locale.get().text(Key::FollowPrompt)}</span>
                <input type="number" min="0" class="narrow" data-testid="follow-id" prop:value=typed
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <button type="submit" data-testid="follow-go">{move || locale.get().text(Key::FollowButton)}</button>
            {steps}
        </form>
    }
}
