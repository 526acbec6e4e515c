//! The guide beside the panels: the preset's narration with its pointer, the live annotations, and workshop exercises.

use super::UiLocale;
use super::state::Explainer;
use crate::i18n::{Key, Locale, condition_line, verdict_headline};
use crate::live::narration::guide;
use crate::live::why;
use crate::live::workshop::Attempt;
use crate::sim::exercise::Exercise;
use crate::sim::exercises::EXERCISES;
use crate::sim::goal::show_number;
use leptos::prelude::*;
use serde_json::Value;

/// The class that outlines the part of the screen a narration step talks about.
const POINTED_CLASS: &str = "pointed";

/// Moves the outline to the element with `data-testid` = `testid` (or removes it).
fn point_at(testid: Option<&str>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // At most one element is outlined; the bound only guards against a DOM that fights back.
    for _ in 0..8 {
        match document.query_selector(&format!(".{POINTED_CLASS}")) {
            Ok(Some(element)) => {
                let _ = element.class_list().remove_1(POINTED_CLASS);
            }
            _ => break,
        }
    }
    if let Some(testid) = testid
        && let Ok(Some(element)) = document.query_selector(&format!("[data-testid=\"{testid}\"]"))
    {
        let _ = element.class_list().add_1(POINTED_CLASS);
    }
}

/// The page's one polite live region: what just happened, said once, at most every 1.5 s
/// (`live::announce`). Out of sight; the same moments are on screen for sighted readers.
#[component]
pub fn Announcements() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let text = move || {
        let l = locale.get();
        explainer.said.with(|said| said.as_ref().map(|a| a.text(l)))
    };
    view! {
        <p class="visually-hidden" aria-live="polite" data-testid="announcer">{text}</p>
    }
}

/// The narration: the current step, its pointer on the screen, and "Next".
#[component]
pub fn Narration() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let step = move || {
        let state = explainer.guide.get();
        state.current.and_then(|i| state.steps.get(i)).copied()
    };
    // Syncs the outline with the outside world (the DOM), after the view has rendered.
    Effect::new(move |_| {
        let pointed = step().map(|s| s.points_at);
        // Re-run when the layout changes, as the pointed node may be re-created.
        explainer.shape.with(|s| s.version);
        point_at(pointed);
    });
    let title = move || {
        let l = locale.get();
        guide(&explainer.preset_name.get()).map(|g| g.title.get(l).to_string())
    };
    let hidden = move || {
        explainer.attempt.with(Option::is_some) || explainer.guide.with(|g| g.steps.is_empty())
    };
    view! {
        <section class="guide" data-testid="narration" aria-label=move || locale.get().text(Key::GuideLabel)
            hidden=hidden>
            <h2>
                <span class="guide-kicker">{move || locale.get().text(Key::GuideLabel)}</span>
                " "
                <span data-testid="narration-title">{title}</span>
            </h2>
            {move || {
                let l = locale.get();
                let state = explainer.guide.get();
                let total = state.steps.len();
                match step() {
                    None => view! {
                        <p class="guide-text" data-testid="narration-text">{l.text(Key::GuidePressPlay)}</p>
                    }.into_any(),
                    Some(step) => {
                        let n = state.current.unwrap_or(0) + 1;
                        let counter = l.fill(Key::GuideStepOf, &[
                            ("n", &n.to_string()),
                            ("total", &total.to_string()),
                        ]);
                        let finished = n == total && !state.waiting;
                        let unstarted = explainer.frame.with(|f| f.now_ms == 0.0)
                            && !explainer.play.with(|p| p.playing);
                        view! {
                            <p class="guide-counter" data-testid="narration-step" data-step=n>{counter}</p>
                            <p class="guide-text" data-testid="narration-text" data-points-at=step.points_at>
                                {step.text.get(l)}
                            </p>
                            {state.waiting.then(|| view! {
                                <p class="guide-waiting" data-testid="narration-waiting">{l.text(Key::GuideWaiting)}</p>
                            })}
                            {finished.then(|| view! { <p class="small">{l.text(Key::GuideDone)}</p> })}
                            {unstarted.then(|| view! { <p class="small">{l.text(Key::GuidePressPlay)}</p> })}
                        }.into_any()
                    }
                }
            }}
            <button type="button" data-testid="narration-next"
                disabled=move || explainer.guide.with(|g| g.current.map_or(0, |c| c + 1) >= g.steps.len())
                on:click=move |_| explainer.next_step()>
                {move || locale.get().text(Key::GuideNext)}
            </button>
        </section>
    }
}

/// The live annotations: one sentence per settled fault, and one at the end of the run.
#[component]
pub fn Annotations() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    view! {
        <section class="notes" data-testid="annotations"
            hidden=move || explainer.notes.with(Vec::is_empty)
            aria-label=move || locale.get().text(Key::AnnotationsTitle)>
            <h2>{move || locale.get().text(Key::AnnotationsTitle)}</h2>
            <ul>
                {move || {
                    let l = locale.get();
                    explainer.notes.get().iter().rev().map(|note| {
                        let why = note.why(l).into_iter().map(|(world, text)| view! {
                            <li data-testid="why" data-world=world.name()>
                                <strong>{why::world_label(l, world)}</strong>" "{text}
                            </li>
                        }).collect_view();
                        view! {
                            <li data-testid="note">
                                <span data-testid="annotation">{note.sentence(l)}</span>
                                <ul class="why">{why}</ul>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </section>
    }
}

/// Known choices for enumerated settings, so they get a menu rather than a text field.
fn choices(path: &str) -> Option<&'static [&'static str]> {
    match path.rsplit('.').next()? {
        "acks" => Some(&["0", "1", "all"]),
        "commit" => Some(&["before_processing", "after_processing", "auto"]),
        "start_from" => Some(&["earliest", "latest"]),
        "call_mode" => Some(&["sequential", "parallel"]),
        "publish" => Some(&["dual_write", "outbox"]),
        "compatibility" => Some(&["compatible", "breaking"]),
        _ => None,
    }
}

/// Reads what the learner typed into a setting field as JSON of the setting's kind.
fn typed_value(current: &Value, text: &str) -> Result<Value, crate::sim::Problem> {
    match current {
        Value::Number(_) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .and_then(|v| {
                if v.fract() == 0.0 && v.abs() < 9e15 {
                    Some(Value::from(v as i64))
                } else {
                    serde_json::Number::from_f64(v).map(Value::Number)
                }
            })
            .ok_or_else(|| super::controls::not_a_number(text)),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// One allowed setting as a form control of its kind.
fn setting_control(explainer: Explainer, path: String, value: Value) -> AnyView {
    let testid = format!("exercise-setting-{path}");
    let label = path.clone();
    match value {
        Value::Bool(on) => {
            let path = path.clone();
            view! {
                <label class="check">
                    <input type="checkbox" data-testid=testid prop:checked=on
                        on:change=move |ev| explainer.set_exercise_setting(&path, Value::Bool(event_target_checked(&ev))) />
                    <code>{label}</code>
                </label>
            }
            .into_any()
        }
        Value::String(current) if choices(&path).is_some() => {
            let options = choices(&path)
                .unwrap_or_default()
                .iter()
                .map(|choice| view! { <option value=*choice selected=*choice == current>{*choice}</option> })
                .collect_view();
            view! {
                <label>
                    <code>{label}</code>
                    <select data-testid=testid
                        on:change=move |ev| explainer.set_exercise_setting(&path, Value::String(event_target_value(&ev)))>
                        {options}
                    </select>
                </label>
            }
            .into_any()
        }
        other => {
            let shown = match &other {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), show_number),
                v => v.to_string(),
            };
            view! {
                <label>
                    <code>{label}</code>
                    <input type="text" class="narrow" data-testid=testid prop:value=shown
                        on:change=move |ev| match typed_value(&other, &event_target_value(&ev)) {
                            Ok(value) => explainer.set_exercise_setting(&path, value),
                            Err(problem) => explainer.notice.set(Some(super::state::Notice::not_applied(&path, problem))),
                        } />
                </label>
            }
            .into_any()
        }
    }
}

/// The workshop: choose an exercise, change the allowed settings, check the goal.
#[component]
pub fn Workshop() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    // Shipped exercises are checked by tests, so each one loads; parse them once.
    let loaded = StoredValue::new(
        EXERCISES
            .iter()
            .filter_map(|(_, json)| Exercise::from_json(json).ok())
            .collect::<Vec<_>>(),
    );
    let choose = move |name: String| match loaded
        .with_value(|all| all.iter().find(|e| e.name == name).cloned())
    {
        Some(exercise) => explainer.open_exercise(exercise),
        None => explainer.close_exercise(),
    };
    let options = move || {
        let l = locale.get();
        loaded.with_value(|all| {
            all.iter()
                .map(|e| view! { <option value=e.name.clone()>{e.title.get(l).to_string()}</option> })
                .collect_view()
        })
    };
    let selected = move || {
        explainer.attempt.with(|a| {
            a.as_ref()
                .map(|a| a.exercise.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="tool workshop" data-testid="workshop">
            <h3>{move || locale.get().text(Key::WorkshopTitle)}</h3>
            <label>
                <span>{move || locale.get().text(Key::WorkshopChoose)}</span>
                <select data-testid="exercise" prop:value=selected on:change=move |ev| choose(event_target_value(&ev))>
                    <option value="">{move || locale.get().text(Key::WorkshopNone)}</option>
                    {options}
                </select>
            </label>
            {move || explainer.attempt.get().map(|attempt| attempt_view(explainer, locale.get(), attempt))}
        </section>
    }
}

fn attempt_view(explainer: Explainer, l: Locale, attempt: Attempt) -> impl IntoView {
    let lang = l;
    let exercise = &attempt.exercise;
    let controls = exercise
        .current_values(&attempt.settings)
        .into_iter()
        .map(|(path, value)| setting_control(explainer, path, value))
        .collect_view();
    let hints = exercise
        .hints
        .iter()
        .take(attempt.hints_shown)
        .map(|hint| view! { <li data-testid="exercise-hint">{hint.get(lang).to_string()}</li> })
        .collect_view();
    let more_hints = attempt.hints_shown < exercise.hints.len();
    let verdict = attempt.verdict.as_ref().map(|verdict| {
        let headline = verdict_headline(l, &verdict.conditions);
        let lines = verdict
            .conditions
            .iter()
            .map(|c| {
                let class = if c.holds { "holds" } else { "fails" };
                view! { <li class=class data-testid="exercise-condition">{condition_line(l, c)}</li> }
            })
            .collect_view();
        view! {
            <div class="verdict" class:passed=verdict.passed data-testid="exercise-verdict"
                data-passed=verdict.passed.to_string() role="status">
                <p><strong>{headline}</strong></p>
                <ul>{lines}</ul>
            </div>
        }
    });
    view! {
        <p class="brief" data-testid="exercise-brief">{exercise.brief.get(lang).to_string()}</p>
        <p class="small">{l.text(Key::WorkshopGoal)} ": " <code data-testid="exercise-goal">{exercise.goal.to_string()}</code></p>
        <fieldset>
            <legend>{l.text(Key::WorkshopSettings)}</legend>
            {controls}
        </fieldset>
        <div class="row">
            <button type="button" class="primary" data-testid="exercise-check" on:click=move |_| explainer.check_exercise()>
                {l.text(Key::WorkshopCheck)}
            </button>
            <button type="button" data-testid="exercise-reset" on:click=move |_| explainer.reset_exercise()>
                {l.text(Key::WorkshopReset)}
            </button>
            <button type="button" data-testid="exercise-hint-button" disabled=!more_hints on:click=move |_| explainer.show_hint()>
                {l.text(Key::WorkshopHint)}
            </button>
        </div>
        {verdict}
        <ul class="hints">{hints}</ul>
    }
}
