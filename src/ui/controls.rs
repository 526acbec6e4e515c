//! Playback controls, the action menu for the selected service or broker, notices and the run line.

use super::UiLocale;
use super::state::{Explainer, Notice, Target};
use super::{focus_element, focus_target, now_ms};
use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::live::player::{SPEED_STEPS, position_of, speed_at};
use crate::live::{Intent, Rebuild};
use crate::sim::Action;
use crate::sim::Problem;
use crate::sim::scenario::{self, BrokerId, Compatibility, Setting, SettingsPatch};
use crate::sim::trace::World;
use leptos::prelude::*;

/// Play/pause, step, speed, reset, scenario, seed and arrival rate.
#[component]
pub fn Controls() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let play = explainer.play;
    let presets = move || {
        let l = locale.get();
        let shipped = Explainer::preset_names()
            .map(|name| {
                let title = crate::live::narration::guide(name).map_or(name, |g| g.title.get(l));
                view! { <option value=name>{title}</option> }
            })
            .collect_view();
        // An imported or edited system is named in the list too, so the control shows what runs.
        let own = explainer.preset_name.get();
        let own = (!Explainer::preset_names().any(|n| n == own)).then(|| {
            let title = l.fill(Key::OwnScenario, &[("name", &own)]);
            view! { <option value=own.clone()>{title}</option> }
        });
        view! { {own} {shipped} }
    };
    let seed = move || explainer.frame.with(|f| f.seed).to_string();
    let rate = move || explainer.settings.with(|s| s.rate_per_s).to_string();
    view! {
        <section class="controls" aria-label=move || locale.get().text(Key::ControlsLabel) data-testid="controls">
            <PlayButton />
            <button type="button" data-testid="step" on:click=move |_| { explainer.send(Intent::Step { wall_ms: now_ms() }); }>
                {move || locale.get().text(Key::Step)}
            </button>
            <button type="button" data-testid="reset" on:click=move |_| explainer.reset()>
                {move || locale.get().text(Key::Reset)}
            </button>
            <SpeedSlider />
            <label>
                <span>{move || locale.get().text(Key::ScenarioLabel)}</span>
                <select
                    data-testid="preset"
                    prop:value=move || explainer.preset_name.get()
                    on:change=move |ev| explainer.choose_preset(&event_target_value(&ev))
                >
                    {presets}
                </select>
            </label>
            <label>
                <span>{move || locale.get().text(Key::Seed)}</span>
                <input
                    type="number"
                    min="0"
                    class="narrow"
                    data-testid="seed"
                    prop:value=seed
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        match text.trim().parse::<u64>() {
                            Ok(seed) => {
                                let mut scenario = explainer.base.get_untracked();
                                scenario.seed = seed;
                                explainer.restart(scenario);
                            }
                            Err(_) => explainer.notice.set(Some(Notice::not_applied("seed", not_a_whole_number(&text)))),
                        }
                    }
                />
            </label>
            <label>
                <span>{move || locale.get().text(Key::ArrivalRate)}</span>
                <input
                    type="number"
                    min="0.1"
                    step="any"
                    class="narrow"
                    data-testid="rate"
                    prop:value=rate
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        match text.trim().parse::<f64>() {
                            Ok(rate) => {
                                let rate = SettingsPatch::one(Setting::RatePerS(rate));
                                explainer.send(Intent::Act(Action::Configure(rate)));
                            }
                            Err(_) => explainer
                                .notice
                                .set(Some(Notice::not_applied("workload.arrivals.rate_per_s", not_a_number(&text)))),
                        }
                    }
                />
            </label>
            <super::still::StillToggle />
            <Clock />
            <CapsNotice />
            <span class="status" role="status" data-testid="status">
                {move || {
                    let l = locale.get();
                    let p = play.get();
                    if let Some((rebuild, percent)) = p.rebuilding {
                        rebuild_text(l, &rebuild, percent)
                    } else if p.finished && !p.playing {
                        l.text(Key::StatusFinished).to_string()
                    } else if p.behind && p.playing {
                        l.text(Key::StatusBehind).to_string()
                    } else {
                        String::new()
                    }
                }}
            </span>
        </section>
    }
}

/// "Going to 4:12: re-simulating from the snapshot at 3:40 (62 %)."
fn rebuild_text(locale: Locale, rebuild: &Rebuild, percent: u8) -> String {
    let ms = |us: u64| format_duration_ms(locale, us as f64 / 1_000.0);
    locale.fill(
        Key::StatusRebuilding,
        &[
            ("to", &ms(rebuild.to_us)),
            ("from", &ms(rebuild.from_us)),
            ("percent", &percent.to_string()),
        ],
    )
}

/// The speed slider (0.1× to 50×, log scale) and its value.
#[component]
pub fn SpeedSlider() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let play = explainer.play;
    view! {
        <label class="speed">
            <span>{move || locale.get().text(Key::Speed)}</span>
            <input
                type="range"
                min="0"
                max=SPEED_STEPS.to_string()
                data-testid="speed"
                prop:value=move || position_of(play.with(|p| p.speed)).to_string()
                on:input=move |ev| {
                    if let Ok(position) = event_target_value(&ev).parse::<u32>() {
                        explainer.send(Intent::Speed(speed_at(position)));
                    }
                }
            />
            <output data-testid="speed-value">
                {move || {
                    let speed = play.with(|p| p.speed);
                    let decimals = if speed < 10.0 { 1 } else { 0 };
                    locale.get().fill(Key::SpeedValue, &[("n", &format_number(locale.get(), speed, decimals))])
                }}
            </output>
        </label>
    }
}

/// Play or pause, saying which it will do.
#[component]
pub fn PlayButton() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let play = explainer.play;
    view! {
        <button
            type="button"
            class="primary"
            data-testid="play"
            aria-pressed=move || play.with(|p| p.playing).to_string()
            on:click=move |_| { explainer.send(Intent::Play(!play.with_untracked(|p| p.playing))); }
        >
            {move || {
                let l = locale.get();
                if play.with(|p| p.playing) { l.text(Key::Pause) } else { l.text(Key::Play) }
            }}
        </button>
    }
}

/// The simulated time at the playhead ("t = 12.5 s").
#[component]
pub fn Clock() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    view! {
        <span class="clock" data-testid="clock">
            {move || {
                let l = locale.get();
                let now = explainer.frame.with(|f| f.now_ms);
                l.fill(Key::SimClock, &[("t", &format_duration_ms(l, now))])
            }}
        </span>
    }
}

/// The actions for the selected service or broker, applied to both worlds at once.
#[component]
pub fn ActionMenu() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let name_of = move |target: Target| match target {
        Target::Service(s) => explainer
            .shape
            .with(|shape| shape.names.get(s).cloned().unwrap_or_default()),
        Target::Broker(b) => BrokerId(b as u32).to_string(),
    };
    let close = move || {
        if let Some(target) = explainer.selected.get_untracked() {
            refocus(target);
        }
        explainer.selected.set(None);
    };
    let menu = move || {
        let target = explainer.selected.get()?;
        let name = name_of(target);
        let is_group = matches!(target, Target::Service(s) if explainer.shape.with(|shape| shape.groups.contains(&s)));
        let is_service = matches!(target, Target::Service(_));
        let removable = matches!(target, Target::Service(s) if s > 0);
        // Read inside closures, so the menu itself is not rebuilt (and focus kept) at every refresh.
        let instances = move || match target {
            Target::Service(s) => explainer
                .frame
                .with(|f| f.group(s).map_or(1, |g| g.instances.len() as u32)),
            Target::Broker(_) => 1,
        };
        // What the menu's actions aim at, as the core names it.
        let aim = move || match target {
            Target::Service(_) => scenario::Target::Service(name_of(target)),
            Target::Broker(b) => scenario::Target::Broker(BrokerId(b as u32)),
        };
        let act = move |make: fn(scenario::Target) -> Action| {
            explainer.send(Intent::Act(make(aim())));
        };
        let slow = move || {
            let service = name_of(target);
            explainer.send(Intent::Act(Action::Slow {
                service,
                factor: 4.0,
            }));
        };
        let remove = move || {
            explainer.send(Intent::Act(Action::RemoveService(name_of(target))));
        };
        let scale = move |group: &str, instances: u32| {
            let group = group.to_string();
            explainer.send(Intent::Act(Action::Scale { group, instances }));
        };
        let scale_controls = is_group.then(|| {
            let group = name.clone();
            let group_down = name.clone();
            view! {
                <span class="instances" data-testid="instances">
                    {move || locale.get().fill(Key::Instances, &[("n", &instances().to_string())])}
                </span>
                <button type="button" data-testid="scale-down" disabled=move || instances() <= 1
                    on:click=move |_| scale(&group_down, instances().saturating_sub(1).max(1))>
                    {move || locale.get().text(Key::ScaleDown)}
                </button>
                <button type="button" data-testid="scale-up"
                    on:click=move |_| scale(&group, instances() + 1)>
                    {move || locale.get().text(Key::ScaleUp)}
                </button>
            }
        });
        // Schema changes: the entry deploys versions, each group upgrades to read them.
        let deploy = move |compatibility: Compatibility| {
            explainer.send(Intent::Act(Action::DeployEventVersion(compatibility)));
        };
        let upgrade_group = name.clone();
        let upgrade = is_group.then(|| {
            view! {
                <button type="button" data-testid="action-upgrade"
                    on:click=move |_| { explainer.send(Intent::Act(Action::Upgrade(upgrade_group.clone()))); }>
                    {move || locale.get().text(Key::Upgrade)}
                </button>
            }
        });
        let is_entry = target == Target::Service(0);
        let deploys = is_entry.then(|| {
            view! {
                <button type="button" data-testid="action-deploy-compatible"
                    on:click=move |_| deploy(Compatibility::Compatible)>
                    {move || locale.get().text(Key::DeployCompatible)}
                </button>
                <button type="button" data-testid="action-deploy-breaking"
                    on:click=move |_| deploy(Compatibility::Breaking)>
                    {move || locale.get().text(Key::DeployBreaking)}
                </button>
            }
        });
        let title = name.clone();
        Some(view! {
            <div
                class="action-menu"
                role="dialog"
                aria-label=move || locale.get().fill(Key::ActionsFor, &[("name", &title)])
                data-testid="action-menu"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        close();
                    }
                }
            >
                <strong>{move || locale.get().fill(Key::ActionsFor, &[("name", &name)])}</strong>
                <button type="button" data-testid="action-kill" autofocus on:click=move |_| act(Action::Kill)>
                    {move || locale.get().text(Key::Kill)}
                </button>
                <Show when=move || is_service>
                    <button type="button" data-testid="action-hang" on:click=move |_| act(Action::Hang)>
                        {move || locale.get().text(Key::Hang)}
                    </button>
                    <button type="button" data-testid="action-slow" on:click=move |_| slow()>
                        {move || locale.get().text(Key::Slow)}
                    </button>
                </Show>
                <button type="button" data-testid="action-restore" on:click=move |_| act(Action::Restore)>
                    {move || locale.get().text(Key::Restore)}
                </button>
                {scale_controls}
                {upgrade}
                {deploys}
                <Show when=move || removable>
                    <button type="button" data-testid="action-remove" on:click=move |_| {
                        remove();
                        explainer.selected.set(None);
                    }>
                        {move || locale.get().text(Key::RemoveConsumer)}
                    </button>
                </Show>
                <button type="button" class="quiet" data-testid="action-close" on:click=move |_| close()>
                    {move || locale.get().text(Key::CloseMenu)}
                </button>
                <small>{move || locale.get().text(Key::BothWorldsNote)}</small>
            </div>
        })
    };
    // Focus moves into the menu when it opens, so keyboard users land on its first action.
    Effect::new(move |_| {
        if explainer.selected.get().is_some() {
            focus_first_action();
        }
    });
    view! { <div class="menu-slot" aria-live="polite">{menu}</div> }
}

fn focus_first_action() {
    let button = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-testid=action-kill]").ok().flatten());
    if let Some(button) = button {
        focus_element(&button);
    }
}

/// Back to the service or broker the menu was opened for.
fn refocus(target: Target) {
    let world = match target {
        Target::Service(_) => World::Sync,
        Target::Broker(_) => World::Event,
    };
    focus_target(world, target);
}

/// A message about the last thing that could not be applied.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    move || {
        explainer.notice.get().map(|notice| {
            let text = notice.text(locale.get());
            view! {
                <p class="notice" role="alert" data-testid="notice">{text}</p>
            }
        })
    }
}

/// Scenario, seed and trace hash: the same hash `ripple-sim` prints for this scenario and seed.
#[component]
pub fn AboutRun() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let legend = move || {
        let stride = explainer.play.with(|p| p.stride);
        locale
            .get()
            .fill(Key::ParticleLegend, &[("n", &stride.to_string())])
    };
    view! {
        <p class="about-run">
            <span data-testid="about-run">
                {move || {
                    explainer.frame.with(|f| {
                        let l = locale.get();
                        let template = l.text(Key::AboutRun);
                        // The hash sits in its own element so tests and people can copy it exactly.
                        let (before, after) = template.split_once("{hash}").unwrap_or((template, ""));
                        let fill = |part: &str| crate::i18n::fill_template(part, &[("scenario", &f.scenario), ("seed", &f.seed.to_string())]);
                        view! {
                            {fill(before)}
                            <code data-testid="trace-hash">{f.trace_hash.clone()}</code>
                            {fill(after)}
                        }
                    })
                }}
            </span>
            <span class="dot-key" aria-hidden="true">
                <span class="dot request"></span>{move || locale.get().text(Key::DotRequest)}
                <span class="dot reply"></span>{move || locale.get().text(Key::DotReply)}
                <span class="dot failure"></span>{move || locale.get().text(Key::DotFailure)}
                <span class="dot event"></span>{move || locale.get().text(Key::DotEvent)}
            </span>
            <span class="legend" data-testid="dot-legend" data-dots=move || explainer.play.with(|p| p.dots).to_string()>{legend}</span>
            <span class="hint">{move || locale.get().text(Key::KeyboardHint)}</span>
            <ShareLink />
        </p>
    }
}

/// This page's address with `query` (which starts with `?`).
fn page_url(query: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return query.to_string();
    };
    format!(
        "{}{}{query}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// The `<iframe>` snippet that embeds the view at `url` in a docs page.
pub fn embed_snippet(url: &str, title: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    format!(
        "<iframe src=\"{}&embed=1\" title=\"{}\" width=\"100%\" height=\"640\" loading=\"lazy\"></iframe>",
        escape(url),
        escape(title)
    )
}

/// "Copy link" and "Copy embed code": the URL that reopens this exact moment, or an
/// `<iframe>` showing it compactly; shown and put on the clipboard.
#[component]
fn ShareLink() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let shown = RwSignal::new(None::<(Key, String)>);
    let copy = move |what: Key| {
        let sweep = expect_context::<super::sweep::Sweeper>()
            .spec
            .get_untracked();
        let url = page_url(&explainer.share_query(locale.get_untracked(), sweep));
        let text = if what == Key::CopyEmbed {
            embed_snippet(&url, locale.get_untracked().text(Key::AppName))
        } else {
            url
        };
        // The clipboard may be refused (no permission); the text is shown either way.
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
        }
        shown.set(Some((what, text)));
    };
    view! {
        <button type="button" class="quiet" data-testid="copy-link" on:click=move |_| copy(Key::CopyLink)>
            {move || locale.get().text(Key::CopyLink)}
        </button>
        <button type="button" class="quiet" data-testid="copy-embed" on:click=move |_| copy(Key::CopyEmbed)>
            {move || locale.get().text(Key::CopyEmbed)}
        </button>
        {move || shown.get().map(|(what, text)| {
            let (testid, label) = if what == Key::CopyEmbed {
                ("embed-code", Key::EmbedCodeLabel)
            } else {
                ("share-url", Key::ShareLinkLabel)
            };
            view! {
                <input type="text" readonly class="share-url" data-testid=testid prop:value=text
                    aria-label=move || locale.get().text(label) />
            }
        })}
    }
}

/// The refusal for text that should have been a number.
pub(crate) fn not_a_number(text: &str) -> Problem {
    Problem::NotANumber {
        got: text.trim().to_string(),
    }
}

/// The refusal for text that should have been a whole number such as a seed or a request id.
pub(crate) fn not_a_whole_number(text: &str) -> Problem {
    Problem::NotAWholeNumber {
        got: text.trim().to_string(),
        max: u64::MAX.to_string(),
    }
}

/// The memory bounds the run has reached, each in one plain sentence; hidden while none is.
#[component]
fn CapsNotice() -> impl IntoView {
    use crate::live::caps::Cap;
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let sentence = move |cap: Cap| {
        let l = locale.get();
        let n = |value: f64| format_number(l, value, 0);
        match cap {
            Cap::LogSize { kept, deleted } => l.fill(
                Key::CapLogSize,
                &[
                    ("kept", &n(f64::from(kept))),
                    ("deleted", &n(deleted as f64)),
                ],
            ),
            Cap::OpenRequests { kept, folded } => l.fill(
                Key::CapOpenRequests,
                &[("kept", &n(kept as f64)), ("folded", &n(folded as f64))],
            ),
            Cap::Snapshots {
                budget_mib,
                thinned,
            } => l.fill(
                Key::CapSnapshots,
                &[
                    ("mib", &n(budget_mib as f64)),
                    ("thinned", &n(thinned as f64)),
                ],
            ),
        }
    };
    view! {
        <ul class="caps" data-testid="caps" role="status"
            aria-label=move || locale.get().text(Key::CapsLabel)
            hidden=move || explainer.caps.with(Vec::is_empty)>
            {move || explainer.caps.get().into_iter().map(|cap| view! { <li>{sentence(cap)}</li> }).collect_view()}
        </ul>
    }
}
