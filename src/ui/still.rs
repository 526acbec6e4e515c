//! The still view (no moving dots: traffic as steady numbers on the edges) and the stages and
//! charts as tables, for readers who cannot use or do not want the moving pictures.

use super::UiLocale;
use super::stage::state_words;
use super::state::Explainer;
use crate::i18n::{Key, Locale, format_number};
use crate::live::charts::ChartData;
use crate::live::layout::Point;
use crate::live::tables::{ChartTable, StageRow, chart_table, stage_rows};
use crate::live::traffic::{Edge, short_rate};
use crate::sim::trace::World;
use leptos::prelude::*;

/// What the loop publishes for the still view and the tables, at most twice a second.
#[derive(Clone, Copy)]
pub struct Views {
    /// No moving dots: set from the reader's motion preference, and by the page's toggle.
    pub still: RwSignal<bool>,
    /// Published traffic per edge, per world (only while the still view is on).
    pub traffic: RwSignal<[Vec<(Edge, f64)>; 2]>,
    /// Each world's services as table rows.
    pub rows: RwSignal<[Vec<StageRow>; 2]>,
    /// The charts' series while their tables are open; None while closed, so nothing is copied.
    pub chart_data: RwSignal<Option<ChartData>>,
    /// Which charts' tables are open.
    pub charts_open: RwSignal<[bool; 4]>,
}

impl Views {
    pub fn new() -> Views {
        Views {
            still: RwSignal::new(prefers_reduced_motion()),
            traffic: RwSignal::new([Vec::new(), Vec::new()]),
            rows: RwSignal::new([Vec::new(), Vec::new()]),
            chart_data: RwSignal::new(None),
            charts_open: RwSignal::new([false; 4]),
        }
    }

    /// The published rate on one edge, subscribing to the traffic.
    pub fn rate(&self, world: World, edge: Edge) -> f64 {
        self.traffic.with(|t| {
            t[world.index()]
                .iter()
                .find(|(e, _)| *e == edge)
                .map_or(0.0, |(_, r)| *r)
        })
    }
}

impl Default for Views {
    fn default() -> Self {
        Views::new()
    }
}

/// The reader's `prefers-reduced-motion: reduce`, read once when the page starts.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches())
}

/// The page's toggle for the still view.
#[component]
pub fn StillToggle() -> impl IntoView {
    let views = expect_context::<Views>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    view! {
        <label class="still-toggle">
            <input
                type="checkbox"
                data-testid="still-view"
                prop:checked=move || views.still.get()
                on:change=move |ev| views.still.set(event_target_checked(&ev))
            />
            <span>{move || locale.get().text(Key::StillView)}</span>
        </label>
    }
}

/// Where an edge's number sits against its point: ending there (just before the arrow into a
/// box) or starting there.
#[derive(Clone, Copy)]
pub enum Anchor {
    Start,
    End,
}

/// A label's width in SVG units at the stage's 10 px type: CJK glyphs are about twice as wide.
fn label_width(text: &str) -> f32 {
    let glyphs: f32 = text
        .chars()
        .map(|c| if c as u32 >= 0x2e80 { 10.0 } else { 5.8 })
        .sum();
    glyphs + 6.0
}

/// A steady number on an edge, on a small plate so it reads over the lines; only in the still view.
pub fn edge_rate(world: World, edge: Edge, at: Point, anchor: Anchor, key: Key) -> impl IntoView {
    let views = expect_context::<Views>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let label = move || {
        locale
            .get()
            .fill(key, &[("n", &short_rate(views.rate(world, edge)))])
    };
    let (text_anchor, text_x) = match anchor {
        Anchor::Start => ("start", at.x + 3.0),
        Anchor::End => ("end", at.x - 3.0),
    };
    let plate_x = move || match anchor {
        Anchor::Start => at.x,
        Anchor::End => at.x - label_width(&label()),
    };
    view! {
        <Show when=move || views.still.get()>
            <g class="edge-rate" data-testid="edge-rate">
                <rect x=plate_x y=at.y - 6.5 width=move || label_width(&label()) height=13 rx=3 />
                <text x=text_x y=at.y + 3.5 text-anchor=text_anchor>{label}</text>
            </g>
        </Show>
    }
}

/// In the still view, what a consumer group reads a second, in place of its done count.
pub fn group_reads(views: Views, locale: Locale, group: usize) -> Option<String> {
    views.still.get().then(|| {
        let rate = views.rate(World::Event, Edge::Fetches { group: group as u8 });
        locale.fill(Key::ReadRate, &[("n", &short_rate(rate))])
    })
}

/// One world's services as a table, mounted only while open.
#[component]
pub fn StageTable(world: World) -> impl IntoView {
    let views = expect_context::<Views>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let open = RwSignal::new(false);
    let t = move |key: Key| move || locale.get().text(key);
    let with_lag = world == World::Event;
    let rows = move || {
        let l = locale.get();
        views.rows.with(|rows| {
            rows[world.index()]
                .iter()
                .map(|r| {
                    let lag = with_lag.then(|| {
                        let lag = r
                            .lag
                            .map_or("–".to_string(), |n| format_number(l, n as f64, 0));
                        view! { <td>{lag}</td> }
                    });
                    view! {
                        <tr class=format!("row-{}", r.state.css())>
                            <th scope="row">{r.name.clone()}</th>
                            <td>{state_words(l, r.state, r.slow_factor)}</td>
                            <td>{format!("{} / {}", r.busy, r.workers)}</td>
                            <td>{format!("{} / {}", r.queued, r.queue_capacity)}</td>
                            {lag}
                            <td>{format_number(l, r.done as f64, 0)}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let testid = format!("{}-table", world.name());
    view! {
        <details class="data-table" on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary data-testid=format!("{testid}-open")>{t(Key::StageAsTable)}</summary>
            <Show when=move || open.get()>
                <div class="table-scroll" tabindex="0">
                    <table data-testid=testid.clone()>
                        <thead>
                            <tr>
                                <th scope="col">{t(Key::ColService)}</th>
                                <th scope="col">{t(Key::ColState)}</th>
                                <th scope="col">{t(Key::ColBusy)}</th>
                                <th scope="col">{t(Key::ColQueue)}</th>
                                {with_lag.then(|| view! { <th scope="col">{t(Key::ChartLag)}</th> })}
                                <th scope="col">{t(Key::ColDone)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
        </details>
    }
}

fn cell(locale: Locale, line: Key, value: Option<f64>) -> String {
    let Some(value) = value else {
        return "–".to_string();
    };
    match line {
        Key::ChartSuccess => format!("{}%", format_number(locale, value * 100.0, 1)),
        Key::TableLatency | Key::TableConsistency => format_number(locale, value, 1),
        _ => format_number(locale, value, 0),
    }
}

fn chart_rows(locale: Locale, table: &ChartTable) -> Vec<AnyView> {
    table
        .rows
        .iter()
        .map(|(at_s, values)| {
            let cells = table
                .columns
                .iter()
                .zip(values)
                .map(|(c, v)| view! { <td>{cell(locale, c.line, *v)}</td> })
                .collect::<Vec<_>>();
            view! {
                <tr>
                    <th scope="row">{format_number(locale, *at_s, 1)}</th>
                    {cells}
                </tr>
            }
            .into_any()
        })
        .collect()
}

/// One chart's data as a table, mounted only while open.
fn chart_table_view(index: usize, title: Key) -> impl IntoView {
    let views = expect_context::<Views>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let explainer = expect_context::<Explainer>();
    let open = RwSignal::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        let is_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        open.set(is_open);
        views.charts_open.update(|o| o[index] = is_open);
        if !views.charts_open.with_untracked(|o| o.contains(&true)) {
            views.chart_data.set(None);
        } else if views.chart_data.with_untracked(Option::is_none) {
            // Opened while paused, the loop has nothing new to publish: read the series now.
            let data = explainer
                .live
                .with_value(|live| ChartData::of(live.player.sim()));
            views.chart_data.set(Some(data));
        }
    };
    let table = move || {
        views.chart_data.with(|data| {
            data.as_ref()
                .map(|d| chart_table(d, index))
                .unwrap_or_default()
        })
    };
    let head = move || {
        let l = locale.get();
        chart_table(&ChartData::default(), index)
            .columns
            .into_iter()
            .map(|c| {
                let world = match c.world {
                    World::Sync => Key::LegendSync,
                    World::Event => Key::LegendEvent,
                };
                view! { <th scope="col">{format!("{} · {}", l.text(c.line), l.text(world))}</th> }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <details class="data-table" on:toggle=on_toggle>
            <summary data-testid=format!("chart-table-{index}-open")>
                {move || { let l = locale.get(); l.fill(Key::ChartAsTable, &[("chart", l.text(title))]) }}
            </summary>
            <Show when=move || open.get()>
                <div class="table-scroll tall" tabindex="0">
                    <table data-testid=format!("chart-table-{index}")>
                        <thead>
                            <tr>
                                <th scope="col">{move || locale.get().text(Key::ColTime)}</th>
                                {head}
                            </tr>
                        </thead>
                        <tbody>{move || chart_rows(locale.get(), &table())}</tbody>
                    </table>
                </div>
            </Show>
        </details>
    }
}

/// Every chart's data as a table, one per chart, under the charts.
#[component]
pub fn ChartTables() -> impl IntoView {
    let tables = super::charts::CHARTS
        .iter()
        .enumerate()
        .map(|(index, (title, _))| chart_table_view(index, *title))
        .collect_view();
    view! { <div class="chart-tables" data-testid="chart-tables">{tables}</div> }
}

/// Keeps the tables' rows in step with the snapshot; the loop calls it twice a second at most.
pub fn publish_rows(views: Views, explainer: Explainer) {
    let rows = explainer
        .frame
        .with_untracked(|f| World::BOTH.map(|w| stage_rows(f, w)));
    if views.rows.with_untracked(|old| *old != rows) {
        views.rows.set(rows);
    }
}
