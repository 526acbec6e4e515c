//! The sweep panel: pick a setting and a range, run the points in Web Workers, draw the capacity curves and say the knees.
//!
//! The points run in workers built from `src/bin/sweep-worker.rs`, one fewer than the
//! machine's cores (at least one), so the stage keeps its frame rate. Cancelling
//! terminates them; a new sweep starts new ones. What arrives goes into a plain
//! [`SweepRun`]; this file only moves messages and draws.

use super::UiLocale;
use super::files::{download, download_url, log_js_error};
use super::state::{Explainer, Notice};
use super::sweep_charts;
use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::live::sweep::{
    MAX_WORKERS, SWEEP_CHARTS, SweepRun, WorkerReply, knee_text, param_label, short_number,
    value_text,
};
use crate::sim::sweep::{MAX_POINTS, MIN_POINTS, Param, SweepSpec};
use crate::sim::{Problem, Scenario};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::{HtmlCanvasElement, MessageEvent, Worker};

/// Where the worker's loader is, relative to the page, so a sub-path host serves it too.
const WORKER_URL: &str = "./sweep-worker_loader.js";
/// Redraws of the curves at most this often while points arrive (the 10 Hz chart rule).
const REDRAW_MS: f64 = 100.0;

/// Where a sweep stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Running,
    Finished,
    Cancelled { done: usize, total: usize },
    Failed(Notice),
}

/// One worker and the handler that must live as long as it does.
struct Handle {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// The sweep's shared state: the run, its status, and the workers running it.
#[derive(Clone, Copy)]
pub struct Sweeper {
    pub run: RwSignal<Option<SweepRun>, LocalStorage>,
    pub status: RwSignal<Status>,
    /// The form's range, which a link can fill in.
    pub spec: RwSignal<Option<SweepSpec>>,
    pub open: RwSignal<bool>,
    workers: StoredValue<Vec<Handle>, LocalStorage>,
    next_job: StoredValue<u32>,
}

impl Sweeper {
    pub fn new() -> Sweeper {
        Sweeper {
            run: RwSignal::new_local(None),
            status: RwSignal::new(Status::Idle),
            spec: RwSignal::new(None),
            open: RwSignal::new(false),
            workers: StoredValue::new_local(Vec::new()),
            next_job: StoredValue::new(1),
        }
    }

    /// Checks `spec` against the scenario as it runs now (faults and the reader's actions
    /// included) and starts it; a refusal is named in the notice and nothing starts.
    pub fn start(&self, explainer: Explainer, spec: SweepSpec) {
        let base = current_scenario(explainer);
        let job = self.next_job.get_value();
        self.next_job.set_value(job.wrapping_add(1));
        let run = match SweepRun::start(&base, spec.clone(), job, super::now_ms()) {
            Ok(run) => run,
            Err(error) => {
                let notice = Notice::not_applied(&error.field, error.problem);
                explainer.notice.set(Some(notice));
                return;
            }
        };
        explainer.notice.set(None);
        self.stop_workers();
        let jobs = run.jobs(worker_count());
        self.spec.set(Some(spec));
        self.run.set(Some(run));
        self.status.set(Status::Running);
        let mut handles = Vec::new();
        for job in jobs {
            let text = serde_json::to_string(&job).expect("jobs always serialise");
            match self.spawn(text) {
                Ok(handle) => handles.push(handle),
                Err(error) => return self.fail(&error),
            }
        }
        self.workers.set_value(handles);
    }

    /// A worker that sends `job` once it says it is ready, and hands each reply on.
    fn spawn(&self, job: String) -> Result<Handle, JsValue> {
        let options = web_sys::WorkerOptions::new();
        options.set_name("ripple-sweep");
        let worker = Worker::new_with_options(WORKER_URL, &options)?;
        let sweeper = *self;
        let sender = worker.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            match serde_json::from_str::<WorkerReply>(&text) {
                Ok(WorkerReply::Ready) => {
                    if let Err(error) = sender.post_message(&JsValue::from_str(&job)) {
                        sweeper.fail(&error);
                    }
                }
                Ok(reply) => sweeper.receive(reply),
                Err(error) => sweeper.fail(&JsValue::from_str(&error.to_string())),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let sweeper = *self;
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |error: JsValue| {
            sweeper.fail(&error);
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The error handler is tiny and lives with the page; a terminated worker never calls it.
        on_error.forget();
        Ok(Handle {
            worker,
            _on_message: on_message,
        })
    }

    fn receive(&self, reply: WorkerReply) {
        let now = super::now_ms();
        let mut finished = false;
        match reply {
            WorkerReply::Point { job, index, point } => self.run.update(|run| {
                if let Some(run) = run.as_mut().filter(|r| r.job == job) {
                    run.receive(index, point, now);
                    finished = run.finished();
                }
            }),
            WorkerReply::Refused { field, message, .. } => {
                let notice = Notice::not_applied(&field, Problem::Unexplained { detail: message });
                self.stop_workers();
                self.status.set(Status::Failed(notice));
            }
            WorkerReply::Ready => {}
        }
        if finished {
            self.stop_workers();
            self.status.set(Status::Finished);
        }
    }

    /// The browser's reason goes to the console; the reader is told the sweep stopped.
    fn fail(&self, error: &JsValue) {
        log_js_error(error);
        self.stop_workers();
        let detail = error.as_string().unwrap_or_else(|| "worker error".into());
        let notice = Notice::not_applied("sweep", Problem::Unexplained { detail });
        self.status.set(Status::Failed(notice));
    }

    /// Stops the sweep where it is; the points that arrived stay on show.
    pub fn cancel(&self) {
        if self.status.get_untracked() != Status::Running {
            return;
        }
        self.stop_workers();
        let (done, total) = self
            .run
            .with_untracked(|r| r.as_ref().map_or((0, 0), |r| (r.done(), r.total())));
        self.status.set(Status::Cancelled { done, total });
    }

    fn stop_workers(&self) {
        self.workers.update_value(|workers| {
            for handle in workers.drain(..) {
                handle.worker.terminate();
            }
        });
    }
}

/// One worker fewer than the cores, so the page keeps one; at least one.
fn worker_count() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    ((cores as usize).saturating_sub(1)).clamp(1, MAX_WORKERS)
}

/// The scenario as it runs now: the base's own faults, then every action on this branch.
pub fn current_scenario(explainer: Explainer) -> Scenario {
    explainer.live.with_value(|live| live.branch_scenario())
}

/// The form's text fields, kept as typed so a bad value is named, never lost.
#[derive(Clone, Copy)]
struct Form {
    path: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    points: RwSignal<String>,
}

impl Form {
    /// Fills the range from a spec, or around the setting's current value.
    fn fill(&self, scenario: &Scenario, spec: Option<&SweepSpec>) {
        if let Some(spec) = spec {
            self.path.set(spec.path.clone());
            self.from.set(spec.from.to_string());
            self.to.set(spec.to.to_string());
            self.points.set(spec.points.to_string());
            return;
        }
        let param =
            Param::parse(scenario, &self.path.get_untracked()).unwrap_or(Param::ArrivalRate);
        let (from, to) = default_range(&param, param.current(scenario));
        self.from.set(from.to_string());
        self.to.set(to.to_string());
    }

    /// The spec as typed; a field that is not a number is named.
    fn spec(&self) -> Result<SweepSpec, Notice> {
        let number = |field: &str, text: String| {
            text.trim().parse::<f64>().map_err(|_| {
                Notice::not_applied(field, Problem::ExpectedNumber { got: text.clone() })
            })
        };
        let points_text = self.points.get_untracked();
        let points = points_text.trim().parse::<u32>().map_err(|_| {
            let problem = Problem::range(MIN_POINTS, MAX_POINTS, &points_text);
            Notice::not_applied("sweep.points", problem)
        })?;
        Ok(SweepSpec {
            path: self.path.get_untracked(),
            from: number("sweep.from", self.from.get_untracked())?,
            to: number("sweep.to", self.to.get_untracked())?,
            points,
        })
    }
}

/// Half to twice the current value (eight times for load, whose knee lies far above it).
fn default_range(param: &Param, current: f64) -> (f64, f64) {
    let current = if current > 0.0 { current } else { 1.0 };
    let high = if *param == Param::ArrivalRate {
        8.0
    } else {
        2.0
    };
    if param.is_whole() {
        let low = (current / 2.0).floor().max(1.0);
        (low, (current * high).ceil().max(low + 1.0))
    } else {
        (tidy(current / 2.0), tidy(current * high))
    }
}

fn tidy(value: f64) -> f64 {
    (value * 1_000.0).round() / 1_000.0
}

/// The button that opens the panel, and the panel.
#[component]
pub fn SweepPanel() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let sweeper = expect_context::<Sweeper>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let form = Form {
        path: RwSignal::new(Param::ArrivalRate.path(&explainer.base.get_untracked())),
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
        points: RwSignal::new("10".into()),
    };
    let toggle = move |_| {
        if !sweeper.open.get_untracked() {
            let scenario = current_scenario(explainer);
            form.fill(&scenario, sweeper.spec.get_untracked().as_ref());
        }
        sweeper.open.update(|o| *o = !*o);
    };
    // A link's sweep fills the form when it arrives.
    Effect::new(move |_| {
        if let Some(spec) = sweeper.spec.get() {
            form.fill(&explainer.base.get_untracked(), Some(&spec));
        }
    });
    view! {
        <div class="editor-bar">
            <button type="button" data-testid="open-sweep" aria-expanded=move || sweeper.open.get().to_string()
                aria-controls="sweep" on:click=toggle>
                {move || locale.get().text(Key::SweepOpen)}
            </button>
        </div>
        <Show when=move || sweeper.open.get()>
            <section id="sweep" class="sweep" data-testid="sweep" aria-labelledby="sweep-title">
                <h3 id="sweep-title">{move || locale.get().text(Key::SweepTitle)}</h3>
                <p class="note">{move || locale.get().text(Key::SweepLede)}</p>
                {sweep_form(explainer, sweeper, form, locale)}
                <SweepResults />
            </section>
        </Show>
    }
}

fn sweep_form(
    explainer: Explainer,
    sweeper: Sweeper,
    form: Form,
    locale: ReadSignal<Locale>,
) -> impl IntoView {
    let options = move || {
        let l = locale.get();
        let scenario = explainer.base.get();
        Param::all(&scenario)
            .into_iter()
            .map(|p| {
                let path = p.path(&scenario);
                view! { <option value=path.clone()>{param_label(l, &p, &scenario)}</option> }
            })
            .collect_view()
    };
    let choose = move |ev| {
        form.path.set(event_target_value(&ev));
        form.fill(&current_scenario(explainer), None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.spec() {
            Ok(spec) => sweeper.start(explainer, spec),
            Err(notice) => explainer.notice.set(Some(notice)),
        }
    };
    let field = move |key: Key, id: &'static str, value: RwSignal<String>| {
        view! {
            <label>
                <span>{move || locale.get().text(key)}</span>
                <input type="text" inputmode="decimal" data-testid=id
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <form class="sweep-form" on:submit=submit>
            <label>
                <span>{move || locale.get().text(Key::SweepParam)}</span>
                <select data-testid="sweep-param" prop:value=move || form.path.get() on:change=choose>
                    {options}
                </select>
            </label>
            {field(Key::SweepFrom, "sweep-from", form.from)}
            {field(Key::SweepTo, "sweep-to", form.to)}
            {field(Key::SweepPoints, "sweep-points", form.points)}
            <button type="submit" data-testid="sweep-run"
                disabled=move || sweeper.status.get() == Status::Running>
                {move || locale.get().text(Key::SweepRun)}
            </button>
        </form>
    }
}

fn progress(sweeper: Sweeper, locale: ReadSignal<Locale>) -> impl IntoView {
    let counts = move || {
        sweeper
            .run
            .with(|r| r.as_ref().map_or((0, 0), |r| (r.done(), r.total())))
    };
    let text = move || {
        let l = locale.get();
        let (done, total) = counts();
        let (done_s, total_s) = (done.to_string(), total.to_string());
        match sweeper.status.get() {
            Status::Idle => String::new(),
            Status::Running => {
                let eta = sweeper.run.with(|r| r.as_ref()?.eta_ms(super::now_ms()));
                match eta {
                    Some(left) => {
                        let left = format_duration_ms(l, left);
                        let args = [("done", &*done_s), ("total", &*total_s), ("left", &*left)];
                        l.fill(Key::SweepProgress, &args)
                    }
                    None => l.fill(
                        Key::SweepStarting,
                        &[("done", &done_s), ("total", &total_s)],
                    ),
                }
            }
            Status::Finished => {
                let took = sweeper
                    .run
                    .with(|r| r.as_ref().map_or(0.0, |r| r.elapsed_ms(0.0)));
                let time = format_duration_ms(l, took);
                l.fill(Key::SweepFinished, &[("total", &total_s), ("time", &time)])
            }
            Status::Cancelled { done, total } => l.fill(
                Key::SweepCancelled,
                &[("done", &done.to_string()), ("total", &total.to_string())],
            ),
            Status::Failed(notice) => l.fill(Key::SweepFailed, &[("reason", &notice.text(l))]),
        }
    };
    let running = move || sweeper.status.get() == Status::Running;
    view! {
        <div class="sweep-progress" data-testid="sweep-status">
            <Show when=running>
                <progress data-testid="sweep-progress" max=move || counts().1.to_string()
                    value=move || counts().0.to_string()></progress>
            </Show>
            <span role="status">{text}</span>
            <Show when=running>
                <button type="button" class="quiet" data-testid="sweep-cancel" on:click=move |_| sweeper.cancel()>
                    {move || locale.get().text(Key::SweepCancel)}
                </button>
            </Show>
        </div>
    }
}

/// Progress, knees, curves, point buttons and exports: the panel's lower half, which an
/// embed shows alone when its link carries a sweep.
#[component]
pub fn SweepResults() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let sweeper = expect_context::<Sweeper>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    view! {
        {progress(sweeper, locale)}
        {results(explainer, sweeper, locale)}
    }
}

fn results(explainer: Explainer, sweeper: Sweeper, locale: ReadSignal<Locale>) -> impl IntoView {
    let has_points = move || {
        sweeper
            .run
            .with(|r| r.as_ref().is_some_and(|r| r.done() > 0))
    };
    let knees = move || {
        let l = locale.get();
        sweeper.run.with(|run| {
            let Some(run) = run.as_ref() else {
                return Vec::new();
            };
            let table = run.table();
            let param = &run.sweep.param;
            (table.knees.iter())
                .map(|k| view! { <li>{knee_text(l, param, k)}</li> })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=has_points>
            <h4>{move || locale.get().text(Key::SweepKnees)}</h4>
            <ul class="knees" data-testid="sweep-knees">{knees}</ul>
            {charts(explainer, sweeper, locale)}
            {data_table(sweeper, locale)}
            {point_buttons(explainer, sweeper, locale)}
            {exports(explainer, sweeper, locale)}
        </Show>
    }
}

/// The five curves; redrawn when points arrive (at most every [`REDRAW_MS`]) or the language changes.
fn charts(explainer: Explainer, sweeper: Sweeper, locale: ReadSignal<Locale>) -> impl IntoView {
    let canvases: [NodeRef<leptos::html::Canvas>; 5] = std::array::from_fn(|_| NodeRef::new());
    let last_draw = StoredValue::new(f64::NEG_INFINITY);
    let redraw = move |l: Locale| {
        last_draw.set_value(super::now_ms());
        sweeper.run.with_untracked(|run| {
            let points = run.as_ref().map(|r| r.arrived()).unwrap_or_default();
            for (index, canvas) in canvases.iter().enumerate() {
                if let Some(canvas) = canvas.get_untracked() {
                    sweep_charts::draw_on(&canvas, &points, index, l);
                }
            }
        });
    };
    Effect::new(move |_| {
        let l = locale.get();
        let finished = sweeper
            .run
            .with(|r| r.as_ref().is_none_or(SweepRun::finished));
        // The last point always draws; between, a redraw waits its turn.
        if finished || super::now_ms() - last_draw.get_value() >= REDRAW_MS {
            redraw(l);
        }
    });
    let click = move |index: usize, ev: leptos::ev::MouseEvent| {
        let Some(canvas) = canvases[index].get_untracked() else {
            return;
        };
        let canvas: &HtmlCanvasElement = &canvas;
        let width = f64::from(canvas.client_width());
        let points = sweeper
            .run
            .with_untracked(|r| r.as_ref().map(|r| r.arrived()));
        let at = points.and_then(|p| sweep_charts::point_at(&p, f64::from(ev.offset_x()), width));
        if let Some(at) = at {
            open_point(explainer, sweeper, at);
        }
    };
    let figures = (0..SWEEP_CHARTS.len())
        .map(|index| {
            let (key, _) = SWEEP_CHARTS[index];
            view! {
                <figure class="sweep-chart">
                    <canvas node_ref=canvases[index] data-testid=format!("sweep-chart-{index}") role="img"
                        aria-label=move || locale.get().text(key)
                        on:click=move |ev| click(index, ev)></canvas>
                    <figcaption>
                        <button type="button" class="quiet" data-testid=format!("sweep-png-{index}")
                            on:click=move |_| save_png(explainer, sweeper, index, locale.get_untracked())>"PNG"</button>
                        <button type="button" class="quiet" data-testid=format!("sweep-svg-{index}")
                            on:click=move |_| save_svg(explainer, sweeper, index, locale.get_untracked())>"SVG"</button>
                    </figcaption>
                </figure>
            }
        })
        .collect_view();
    view! {
        <div class="sweep-charts" role="group" aria-label=move || locale.get().text(Key::SweepChartsLabel)>
            {figures}
        </div>
    }
}

/// Opens the run at point `index` (by arrival order) in the main view, at t = 0.
fn open_point(explainer: Explainer, sweeper: Sweeper, index: usize) {
    let scenario = sweeper.run.with_untracked(|run| {
        let run = run.as_ref()?;
        let arrived: Vec<usize> = (0..run.total())
            .filter(|&i| run.points[i].is_some())
            .collect();
        run.sweep.scenarios.get(*arrived.get(index)?).cloned()
    });
    if let Some(scenario) = scenario {
        explainer.open_scenario(scenario);
    }
}

/// The curves' numbers as a table, for anyone who reads numbers rather than lines.
fn data_table(sweeper: Sweeper, locale: ReadSignal<Locale>) -> impl IntoView {
    let rows = move || {
        let l = locale.get();
        sweeper.run.with(|run| {
            let Some(run) = run.as_ref() else {
                return Vec::new();
            };
            let param = run.sweep.param.clone();
            let percent = |x: f64| format!("{}%", short_number(l, x * 100.0));
            let count = |n: u64| format_number(l, n as f64, 0);
            (run.arrived().into_iter())
                .map(|p| {
                    view! {
                        <tr>
                            <th scope="row">{value_text(l, &param, p.value)}</th>
                            <td>{percent(p.sync.success_rate)}</td>
                            <td>{percent(p.event.success_rate)}</td>
                            <td>{short_number(l, p.sync.p99_ms)}</td>
                            <td>{short_number(l, p.event.p99_ms)}</td>
                            <td>{count(p.sync.wrong_effects())}</td>
                            <td>{count(p.event.wrong_effects())}</td>
                            <td>{count(p.max_lag)}</td>
                            <td>{short_number(l, p.event.consistency_p99_ms)}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let head = move |key: Key, world: Key| {
        view! { <th scope="col">{move || locale.get().text(key)}" · "{move || locale.get().text(world)}</th> }
    };
    let t = move |key: Key| move || locale.get().text(key);
    view! {
        <details class="data-table">
            <summary data-testid="sweep-table-open">{t(Key::SweepTable)}</summary>
            <div class="table-scroll" tabindex="0">
                <table data-testid="sweep-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::SweepParam)}</th>
                            {head(Key::ChartSuccess, Key::LegendSync)}
                            {head(Key::ChartSuccess, Key::LegendEvent)}
                            {head(Key::SweepChartP99, Key::LegendSync)}
                            {head(Key::SweepChartP99, Key::LegendEvent)}
                            {head(Key::SweepChartWrong, Key::LegendSync)}
                            {head(Key::SweepChartWrong, Key::LegendEvent)}
                            <th scope="col">{t(Key::SweepMaxLag)}</th>
                            {head(Key::SweepChartConsistency, Key::LegendEvent)}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

fn point_buttons(
    explainer: Explainer,
    sweeper: Sweeper,
    locale: ReadSignal<Locale>,
) -> impl IntoView {
    let buttons = move || {
        let l = locale.get();
        sweeper.run.with(|run| {
            let Some(run) = run.as_ref() else {
                return Vec::new();
            };
            let param = run.sweep.param.clone();
            (run.arrived().into_iter().enumerate())
                .map(|(i, p)| {
                    let value = value_text(l, &param, p.value);
                    let label = l.fill(Key::SweepOpenPoint, &[("value", &value)]);
                    view! {
                        <button type="button" class="quiet" data-testid=format!("sweep-point-{i}")
                            aria-label=label on:click=move |_| open_point(explainer, sweeper, i)>
                            {short_number(l, p.value)}
                        </button>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="sweep-points" role="group" aria-label=move || locale.get().text(Key::SweepPointsLabel)>
            <span>{move || locale.get().text(Key::SweepPointsLabel)}</span>
            {buttons}
        </div>
    }
}

fn exports(explainer: Explainer, sweeper: Sweeper, locale: ReadSignal<Locale>) -> impl IntoView {
    let save = move |csv: bool| {
        let Some(table) = sweeper
            .run
            .with_untracked(|r| r.as_ref().map(SweepRun::table))
        else {
            return;
        };
        let (file, mime, text) = if csv {
            (
                format!("{}-sweep.csv", table.scenario),
                "text/csv",
                table.to_csv(),
            )
        } else {
            let json = serde_json::to_string_pretty(&table).unwrap_or_default();
            (
                format!("{}-sweep.json", table.scenario),
                "application/json",
                json,
            )
        };
        if let Err(error) = download(&file, mime, &text) {
            log_js_error(&error);
            explainer
                .notice
                .set(Some(Notice::not_applied(&file, Problem::NotSaved {})));
        }
    };
    view! {
        <p class="sweep-export">
            <span>{move || locale.get().text(Key::SweepExport)}</span>
            <button type="button" class="quiet" data-testid="sweep-csv" on:click=move |_| save(true)>"CSV"</button>
            <button type="button" class="quiet" data-testid="sweep-json" on:click=move |_| save(false)>"JSON"</button>
        </p>
    }
}

fn chart_file(sweeper: Sweeper, index: usize, extension: &str) -> String {
    let scenario = sweeper
        .run
        .with_untracked(|r| r.as_ref().map(|r| r.base.name.clone()));
    let (_, part) = SWEEP_CHARTS[index];
    format!("{}-sweep-{part}.{extension}", scenario.unwrap_or_default())
}

fn save_svg(explainer: Explainer, sweeper: Sweeper, index: usize, locale: Locale) {
    let file = chart_file(sweeper, index, "svg");
    let points = sweeper
        .run
        .with_untracked(|r| r.as_ref().map(|r| r.arrived()));
    let saved = sweep_charts::svg(&points.unwrap_or_default(), index, locale)
        .map_err(|e| JsValue::from_str(&e))
        .and_then(|svg| download(&file, "image/svg+xml", &svg));
    if let Err(error) = saved {
        not_saved(explainer, &file, &error);
    }
}

fn save_png(explainer: Explainer, sweeper: Sweeper, index: usize, locale: Locale) {
    let file = chart_file(sweeper, index, "png");
    let points = sweeper
        .run
        .with_untracked(|r| r.as_ref().map(|r| r.arrived()));
    let saved = sweep_charts::png_canvas(&points.unwrap_or_default(), index, locale)
        .map_err(|e| JsValue::from_str(&e))
        .and_then(|canvas| canvas.to_data_url())
        .and_then(|url| download_url(&file, &url));
    if let Err(error) = saved {
        not_saved(explainer, &file, &error);
    }
}

fn not_saved(explainer: Explainer, file: &str, error: &JsValue) {
    log_js_error(error);
    explainer
        .notice
        .set(Some(Notice::not_applied(file, Problem::NotSaved {})));
}
