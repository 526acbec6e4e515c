//! The timeline under the panels: scrub to any moment, jump to a fault, switch and compare branches.

use super::UiLocale;
use super::scoreboard::METRICS;
use super::state::{BranchView, Explainer};
use crate::i18n::{Key, Locale, format_duration_ms};
use crate::live::Intent;
use crate::live::annotate::action_text;
use crate::sim::scenario::Fault;
use crate::sim::trace::World;
use leptos::prelude::*;

/// The scrubber's resolution: one step is this many simulated milliseconds.
const SCRUB_STEP_MS: f64 = 100.0;
/// The marks strip's width in SVG units (it stretches to the track).
const STRIP_WIDTH: f64 = 1_000.0;

/// "kill analytics at 10.0 s"
fn mark_text(locale: Locale, fault: &Fault) -> String {
    locale.fill(
        Key::MarkAt,
        &[
            ("action", &action_text(locale, &fault.action)),
            ("time", &format_duration_ms(locale, fault.at_ms)),
        ],
    )
}

fn branch_text(locale: Locale, branch: &BranchView) -> String {
    let id = branch.id.to_string();
    match (&branch.parent, &branch.first_change) {
        (Some((parent, at_ms)), Some(change)) => locale.fill(
            Key::BranchFrom,
            &[
                ("id", &id),
                ("parent", &parent.to_string()),
                ("time", &format_duration_ms(locale, *at_ms)),
                ("change", &action_text(locale, &change.action)),
            ],
        ),
        _ => locale.fill(Key::BranchOriginal, &[("id", &id)]),
    }
}

/// The timeline under the panels: the scrubber, where acting would branch, and the branches.
#[component]
pub fn Timeline() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    view! {
        <section class="timeline" data-testid="timeline" aria-label=move || locale.get().text(Key::TimelineLabel)>
            <Scrubber />
            <p class="timeline-line">
                <span class="past-hint" data-testid="timeline-past" hidden=move || !explainer.in_past.get()>
                    {move || locale.get().text(Key::TimelinePast)}
                </span>
            </p>
            <Branches />
        </section>
    }
}

/// The scrubbable track with the current branch's faults and actions marked (they seek on click).
#[component]
pub fn Scrubber() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    // A seek on its way shows where it goes: the thumb stays under the reader's pointer.
    let now_ms = move || {
        let going_ms = explainer
            .play
            .with(|p| p.rebuilding.map(|(r, _)| r.to_us as f64 / 1_000.0));
        going_ms.unwrap_or_else(|| explainer.frame.with(|f| f.now_ms))
    };
    // The track covers the scenario and anything played beyond its end.
    let span_ms = move || {
        explainer
            .frame
            .with(|f| f.end_ms)
            .max(explainer.horizon_ms.get())
    };
    let x_of = move |at_ms: f64| (at_ms / span_ms().max(1.0) * STRIP_WIDTH).clamp(0.0, STRIP_WIDTH);
    let time_text = move || {
        let l = locale.get();
        l.fill(
            Key::TimelineTime,
            &[
                ("now", &format_duration_ms(l, now_ms())),
                ("end", &format_duration_ms(l, span_ms())),
            ],
        )
    };
    let seek_ms = move |ms: f64| {
        let t_us = (ms.max(0.0) * 1_000.0) as u64;
        explainer.send(Intent::Seek { t_us });
    };
    let marks = move || {
        explainer.branches.with(|b| {
            b.marks
                .iter()
                .enumerate()
                .map(|(index, action)| {
                    let user = index >= b.base_marks;
                    let at_ms = action.at_ms;
                    let label = {
                        let action = action.clone();
                        move || mark_text(locale.get(), &action)
                    };
                    let label_for_title = label.clone();
                    view! {
                        <g
                            class=if user { "mark user" } else { "mark scripted" }
                            role="button"
                            tabindex="0"
                            data-testid="timeline-mark"
                            aria-label=label
                            on:click=move |_| seek_ms(at_ms)
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    seek_ms(at_ms);
                                }
                            }
                        >
                            <title>{label_for_title}</title>
                            <rect class="hit" x=move || x_of(at_ms) - 6.0 y="0" width="12" height="24"></rect>
                            <line x1=move || x_of(at_ms) x2=move || x_of(at_ms) y1="2" y2="22"></line>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    view! {
            <div class="timeline-track">
                <svg class="timeline-marks" viewBox=format!("0 0 {STRIP_WIDTH} 24") preserveAspectRatio="none">
                    <rect class="played" x="0" y="0" height="24" width=move || x_of(explainer.horizon_ms.get())></rect>
                    <rect class="playhead" y="0" width="3" height="24" x=move || x_of(now_ms()) - 1.5></rect>
                    {marks}
                </svg>
                <input
                    type="range"
                    min="0"
                    step=SCRUB_STEP_MS.to_string()
                    max=move || span_ms().to_string()
                    data-testid="timeline-scrub"
                    aria-label=move || locale.get().text(Key::TimelineScrub)
                    aria-valuetext=time_text
                    prop:value=move || now_ms().to_string()
                    on:input=move |ev| {
                        if let Ok(ms) = event_target_value(&ev).parse::<f64>() {
                            seek_ms(ms);
                        }
                    }
                />
                <output data-testid="timeline-time">{time_text}</output>
            </div>
    }
}

/// The branch list (each with its first change), switching, and the comparison table.
#[component]
fn Branches() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let items = move || {
        let l = locale.get();
        explainer.branches.with(|b| {
            b.list
                .iter()
                .map(|branch| {
                    let id = branch.id;
                    let current = id == b.current;
                    view! {
                        <li>
                            <button
                                type="button"
                                class:current=current
                                aria-pressed=current.to_string()
                                data-testid=format!("branch-{id}")
                                on:click=move |_| { explainer.send(Intent::SwitchBranch(id)); }
                            >
                                {branch_text(l, branch)}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let options = move || {
        let l = locale.get();
        explainer.branches.with(|b| {
            b.list
                .iter()
                .filter(|branch| branch.id != b.current)
                .map(|branch| {
                    let id = branch.id.to_string();
                    let text = l.fill(Key::CompareBranch, &[("id", &id)]);
                    view! { <option value=id>{text}</option> }
                })
                .collect_view()
        })
    };
    let has_others = move || explainer.branches.with(|b| b.list.len() > 1);
    view! {
        <div class="branches" data-testid="branches" hidden=move || !has_others()>
            <h3>{move || locale.get().text(Key::BranchesTitle)}</h3>
            <p class="small">{move || locale.get().text(Key::BranchesNote)}</p>
            <ol>{items}</ol>
            <label>
                <span>{move || locale.get().text(Key::CompareWith)}</span>
                <select
                    data-testid="compare-branch"
                    prop:value=move || explainer.compare_with.get().map(|id| id.to_string()).unwrap_or_default()
                    on:change=move |ev| explainer.compare(event_target_value(&ev).parse::<u32>().ok())
                >
                    <option value="">{move || locale.get().text(Key::CompareNone)}</option>
                    {options}
                </select>
            </label>
            <Comparison />
        </div>
    }
}

/// This branch's scoreboards beside the compared branch's, at the same moment.
#[component]
fn Comparison() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let table = move || {
        let other_scores = explainer.compared.get()?;
        let other = explainer.compare_with.get()?;
        let l = locale.get();
        let (this, scores, now_ms) = explainer.frame.with(|f| {
            (
                explainer.branches.with(|b| b.current),
                f.scores.clone(),
                f.now_ms,
            )
        });
        let title = l.fill(
            Key::CompareTitle,
            &[
                ("this", &this.to_string()),
                ("other", &other.to_string()),
                ("time", &format_duration_ms(l, now_ms)),
            ],
        );
        let head = |id: u32| l.fill(Key::CompareBranch, &[("id", &id.to_string())]);
        let rows = METRICS
            .iter()
            .map(|(key, metric, value)| {
                let cell = |score| value(l, score).unwrap_or_else(|| "—".to_string());
                view! {
                    <tr data-testid=format!("compare-{metric}")>
                        <th scope="row">{l.text(*key)}</th>
                        <td>{cell(&scores[World::Sync.index()])}</td>
                        <td>{cell(&other_scores[World::Sync.index()])}</td>
                        <td>{cell(&scores[World::Event.index()])}</td>
                        <td>{cell(&other_scores[World::Event.index()])}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="compare" data-testid="branch-compare">
                <caption>{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{l.text(Key::CompareMetric)}</th>
                        <th scope="col">{format!("{} · {}", l.text(Key::LegendSync), head(this))}</th>
                        <th scope="col">{format!("{} · {}", l.text(Key::LegendSync), head(other))}</th>
                        <th scope="col">{format!("{} · {}", l.text(Key::LegendEvent), head(this))}</th>
                        <th scope="col">{format!("{} · {}", l.text(Key::LegendEvent), head(other))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! { {table} }
}

/// "Faded lines: branch 2" beside the chart legend, while comparing.
#[component]
pub fn ComparedKey() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    move || {
        let other = explainer.compare_with.get()?;
        explainer.compared.with(Option::is_some).then(|| {
            let text = locale
                .get()
                .fill(Key::CompareFaded, &[("id", &other.to_string())]);
            view! { <span class="key faded" data-testid="compare-key">{text}</span> }
        })
    }
}
