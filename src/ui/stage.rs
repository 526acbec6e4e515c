//! The two drawings: the call tree (sync) and the log with its groups (event), as SVG with a dot canvas on top.
//!
//! Nodes are created once per layout, so keyboard focus survives the 10 Hz
//! refresh; only their attributes and texts follow the snapshot.

use super::state::{Explainer, Target};
use super::still::{Anchor, Views, edge_rate, group_reads};
use super::why::{WhyGeometry, why_caption, why_highlight, why_marker};
use super::{UiLocale, focus_target, now_ms};
use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::live::frame::{Frame, GroupView, NodeState, NodeView};
use crate::live::layout::{
    CELLS_SHOWN, NAME_CHARS, NODE_HEIGHT, NODE_WIDTH, PANEL_WIDTH, PARTITION_HEIGHT,
    PARTITION_WIDTH, PRODUCER_HEIGHT, PRODUCER_WIDTH, Point, elbow_path, short_name, svg_path,
};
use crate::live::traffic::Edge;
use crate::sim::trace::{BreakerPosition, World};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const HALF_W: f32 = NODE_WIDTH / 2.0;
const HALF_H: f32 = NODE_HEIGHT / 2.0;

/// The text for a node's state, e.g. "killed" or "slow ×4".
fn state_text(locale: Locale, node: &NodeView) -> String {
    state_words(locale, node.state(), node.slow_factor)
}

/// A state in words, as the drawing and the tables both say it.
pub(super) fn state_words(locale: Locale, state: NodeState, slow_factor: f64) -> String {
    match state {
        NodeState::Up => locale.text(Key::StateUp).to_string(),
        NodeState::Killed => locale.text(Key::StateKilled).to_string(),
        NodeState::Hung => locale.text(Key::StateHung).to_string(),
        NodeState::Slow => locale.fill(
            Key::StateSlow,
            &[("n", &format_number(locale, slow_factor, 0))],
        ),
    }
}

fn node_aria(locale: Locale, node: &NodeView) -> String {
    locale.fill(
        Key::NodeAria,
        &[
            ("name", &node.name),
            ("state", &state_text(locale, node)),
            ("busy", &node.busy.to_string()),
            ("workers", &node.workers.to_string()),
            ("queued", &node.queued.to_string()),
        ],
    )
}

/// Reads a service's view in the snapshot by reference, subscribing to the snapshot.
fn with_node<R>(
    frame: RwSignal<Frame>,
    world: World,
    service: usize,
    read: impl FnOnce(&NodeView) -> R,
) -> Option<R> {
    frame.with(|f| f.node(world, service).map(read))
}

/// Reads a consumer group and its service's view together, subscribing to the snapshot.
fn with_group<R>(
    frame: RwSignal<Frame>,
    service: usize,
    read: impl FnOnce(&NodeView, &GroupView) -> R,
) -> Option<R> {
    frame.with(|f| Some(read(f.node(World::Event, service)?, f.group(service)?)))
}

/// The DOM id of a focusable target in a panel.
pub fn target_id(world: World, target: Target) -> String {
    match target {
        Target::Service(s) => format!("{}-svc-{s}", world.name()),
        Target::Broker(b) => format!("{}-broker-{b}", world.name()),
    }
}

/// Enter opens the menu; arrows move focus along `order`.
fn on_target_key(
    ev: KeyboardEvent,
    explainer: Explainer,
    world: World,
    target: Target,
    order: &[Target],
) {
    let step: isize = match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            explainer.selected.set(Some(target));
            return;
        }
        "ArrowRight" | "ArrowDown" => 1,
        "ArrowLeft" | "ArrowUp" => -1,
        _ => return,
    };
    ev.prevent_default();
    let Some(here) = order.iter().position(|&t| t == target) else {
        return;
    };
    let next = (here as isize + step).rem_euclid(order.len() as isize) as usize;
    focus_target(world, order[next]);
}

/// What makes a stage node focusable and selectable, besides its drawing.
struct NodeFrame<C, A> {
    world: World,
    target: Target,
    /// The stage's keyboard order, for the arrow keys.
    order: Vec<Target>,
    transform: String,
    testid: String,
    class: C,
    aria: A,
}

/// A service, producer, group or broker as one focusable button on its stage: Enter opens
/// its actions, the arrows move along `order`, a click selects it.
fn focusable<C, A>(
    explainer: Explainer,
    node: NodeFrame<C, A>,
    drawing: impl IntoView,
) -> impl IntoView
where
    C: Fn() -> String + Send + Sync + 'static,
    A: Fn() -> String + Send + Sync + 'static,
{
    let NodeFrame {
        world,
        target,
        order,
        transform,
        testid,
        class,
        aria,
    } = node;
    let selected = move || explainer.selected.get() == Some(target);
    view! {
        <g
            id=target_id(world, target)
            class=move || format!("{}{}", class(), if selected() { " selected" } else { "" })
            transform=transform
            tabindex="0"
            role="button"
            data-testid=testid
            aria-label=aria
            on:click=move |ev| {
                ev.stop_propagation();
                explainer.selected.set(Some(target));
            }
            on:keydown=move |ev| on_target_key(ev, explainer, world, target, &order)
        >
            {drawing}
        </g>
    }
}

/// One service box: name, state, worker slots and queue.
fn service_node(
    explainer: Explainer,
    world: World,
    service: usize,
    (at, scale): (Point, f32),
    order: Vec<Target>,
) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let frame = explainer.frame;
    let name = frame.with_untracked(|f| {
        f.node(world, service)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    });
    let workers = frame
        .with_untracked(|f| f.node(world, service).map_or(1, |n| n.workers))
        .max(1);
    let slots = workers.min(16);
    let slot_width = (NODE_WIDTH - 12.0) / slots as f32;
    let slot_views = (0..slots)
        .map(|i| {
            let filled = move || {
                with_node(frame, world, service, |n| {
                    // With more than 16 workers each slot stands for a share of the pool.
                    let share = n.busy as f32 / n.workers.max(1) as f32 * slots as f32;
                    (i as f32) < share.ceil()
                })
                .unwrap_or(false)
            };
            view! {
                <rect
                    class=move || if filled() { "slot busy" } else { "slot" }
                    x=6.0 + i as f32 * slot_width
                    y=NODE_HEIGHT - 14.0
                    width=(slot_width - 1.5).max(1.0)
                    height=8
                />
            }
        })
        .collect_view();
    let target = Target::Service(service);
    focusable(
        explainer,
        NodeFrame {
            world,
            target,
            order,
            transform: format!(
                "translate({} {}) scale({scale})",
                at.x - HALF_W * scale,
                at.y - HALF_H * scale
            ),
            testid: format!("{}-node-{name}", world.name()),
            class: move || {
                let state = with_node(frame, world, service, |n| n.state().css()).unwrap_or("up");
                format!("svc state-{state}")
            },
            aria: move || {
                with_node(frame, world, service, |n| node_aria(locale.get(), n)).unwrap_or_default()
            },
        },
        view! {
            <rect class="svc-box" width=NODE_WIDTH height=NODE_HEIGHT rx=8 />
            {killed_cross(4.0, 4.0, NODE_WIDTH - 4.0, NODE_HEIGHT - 4.0)}
            {name_text(&name, 8.0, 16.0, NAME_CHARS, "start")}
            <text class="svc-state" x=NODE_WIDTH - 8.0 y=16 text-anchor="end">
                {move || with_node(frame, world, service, state_badge).unwrap_or_default()}
            </text>
            <text class="svc-load" x=8 y=31>
                {move || {
                    with_node(frame, world, service, |n| {
                            let l = locale.get();
                            let busy = l.fill(
                                Key::WorkersShort,
                                &[("busy", &n.busy.to_string()), ("workers", &n.workers.to_string())],
                            );
                            if n.queued > 0 {
                                format!("{busy} · {}", l.fill(Key::QueueShort, &[("n", &n.queued.to_string())]))
                            } else {
                                busy
                            }
                        })
                        .unwrap_or_default()
                }}
            </text>
            <text class="svc-done" x=2 y=NODE_HEIGHT + 11.0 data-testid=format!("{}-done-{name}", world.name())>
                {move || with_node(frame, world, service, |n| done_text(locale.get(), service, n)).unwrap_or_default()}
            </text>
            {slot_views}
        },
    )
}

/// "N done" for services that have an effect (not the entry).
fn done_text(locale: Locale, service: usize, node: &NodeView) -> String {
    if service == 0 {
        return String::new();
    }
    locale.fill(
        Key::DoneShort,
        &[("n", &format_number(locale, node.executions as f64, 0))],
    )
}

/// The cross over a killed box (shown by CSS), from corner (x1, y1) to corner (x2, y2).
fn killed_cross(x1: f32, y1: f32, x2: f32, y2: f32) -> impl IntoView {
    view! {
        <line class="mark-killed" x1=x1 y1=y1 x2=x2 y2=y2 />
        <line class="mark-killed" x1=x2 y1=y1 x2=x1 y2=y2 />
    }
}

/// A short symbol for the state, so it never rests on colour alone.
fn state_badge(node: &NodeView) -> String {
    match node.state() {
        NodeState::Up => String::new(),
        NodeState::Killed => "X".into(),
        NodeState::Hung => "||".into(),
        NodeState::Slow => format!("×{}", node.slow_factor.round()),
    }
}

/// A service's name as its box shows it, with the whole name as the box's tooltip.
fn name_text(name: &str, x: f32, y: f32, max_chars: usize, anchor: &'static str) -> impl IntoView {
    view! {
        <text class="svc-name" x=x y=y text-anchor=anchor>
            {short_name(name, max_chars)}
            <title>{name.to_string()}</title>
        </text>
    }
}

fn user_icon(at: Point) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    view! {
        <g class="users" transform=format!("translate({} {})", at.x, at.y) aria-hidden="true">
            <circle cx=0 cy=-8 r=7 />
            <path d="M-12 12 C-12 0 12 0 12 12 Z" />
            <text y=28 text-anchor="middle">{move || locale.get().text(Key::Users)}</text>
        </g>
    }
}

/// The canvas the dots are drawn on, laid over the SVG.
fn dot_canvas(canvas: NodeRef<leptos::html::Canvas>) -> impl IntoView {
    view! { <canvas class="dots" node_ref=canvas aria-hidden="true"></canvas> }
}

/// Clicking empty space on a stage follows the request whose dot is under the pointer.
fn follow_click(explainer: Explainer, world: World, ev: leptos::ev::MouseEvent) {
    let Some(target) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let rect = target.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return;
    }
    let scale = f64::from(PANEL_WIDTH) / rect.width();
    let point = Point {
        x: ((f64::from(ev.client_x()) - rect.left()) * scale) as f32,
        y: ((f64::from(ev.client_y()) - rect.top()) * scale) as f32,
    };
    let found = explainer
        .live
        // The dots on screen are where the last frame drew them, not where they are now.
        .with_value(|live| {
            let drawn_ms = live.drawn_at_ms().unwrap_or_else(now_ms);
            live.particles.request_near(world, point, 10.0, drawn_ms)
        });
    if let Some(request) = found {
        explainer.following.set(Some(request));
    }
    explainer.selected.set(None);
}

/// The synchronous call tree.
#[component]
pub fn SyncStage(canvas: NodeRef<leptos::html::Canvas>) -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let drawing = move || {
        explainer.shape.with(|shape| {
            let layout = &shape.geometry.sync;
            let order: Vec<Target> = (0..layout.nodes.len())
                .filter(|&s| layout.nodes[s].is_some())
                .map(Target::Service)
                .collect();
            let scale = layout.node_scale;
            let edges = layout
                .edges
                .iter()
                .filter_map(|&(from, to)| {
                    let path = layout.edge_path(from, to)?;
                    let turn = path[path.len() - 2];
                    let end = path[path.len() - 1];
                    let breaker = move || explainer.frame.with(|f| f.node(World::Sync, to).map_or(BreakerPosition::Closed, |n| n.breaker));
                    let calls = Edge::Call { from: from as u8, to: to as u8 };
                    Some(view! {
                        <path class=move || breaker_class(breaker()) d=svg_path(&path) />
                        <text class="breaker-label" x=turn.x + 4.0 y=end.y - 6.0>
                            {move || breaker_text(locale.get(), breaker())}
                        </text>
                        {edge_rate(World::Sync, calls, end, Anchor::End, Key::EdgeRate)}
                    })
                })
                .collect_view();
            let entry = layout.nodes[0].unwrap_or_default();
            let user = layout.user;
            let nodes = order
                .iter()
                .filter_map(|&t| match t {
                    Target::Service(s) => layout.nodes[s].map(|at| service_node(explainer, World::Sync, s, (at, scale), order.clone())),
                    Target::Broker(_) => None,
                })
                .collect_view();
            let diffs = layout
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(s, at)| at.map(|at| (s, at)))
                .map(|(s, at)| redeploy_callout(explainer, s, at))
                .collect_view();
            let why_geometry = WhyGeometry {
                nodes: layout.nodes.clone(),
                edges: layout.edges.iter().filter_map(|&(a, b)| Some(((a, b), layout.edge_path(a, b)?))).collect(),
                entry,
                scale,
            };
            let why_chain = why_highlight(explainer, World::Sync, &why_geometry);
            let why_mark = why_marker(explainer, World::Sync, &why_geometry);
            view! {
                <svg
                    class="stage-svg"
                    viewBox=format!("0 0 {} {}", PANEL_WIDTH, layout.height + 24.0)
                    role="group"
                    aria-label=move || locale.get().text(Key::SyncPanelTitle)
                >
                    {user_icon(user)}
                    <path class="edge" d=elbow_path(Point { x: user.x + 14.0, y: user.y }, Point { x: entry.x - HALF_W * scale, y: entry.y }) />
                    {edge_rate(World::Sync, Edge::Arrivals, Point { x: user.x + 16.0, y: entry.y + 12.0 }, Anchor::Start, Key::EdgeRate)}
                    {why_chain}
                    {edges}
                    {nodes}
                    {diffs}
                    {why_mark}
                </svg>
            }
        })
    };
    view! {
        // On a phone the drawing keeps a readable size and scrolls inside this box.
        <div class="stage-scroll">
            <div class="stage" data-testid="sync-stage" on:click=move |ev| follow_click(explainer, World::Sync, ev)>
                {drawing}
                {dot_canvas(canvas)}
            </div>
        </div>
        {why_caption(explainer, World::Sync)}
    }
}

fn breaker_text(locale: Locale, state: BreakerPosition) -> &'static str {
    match state {
        BreakerPosition::Open => locale.text(Key::BreakerOpen),
        BreakerPosition::HalfOpen => locale.text(Key::BreakerHalfOpen),
        BreakerPosition::Closed => "",
    }
}

/// The edge's class for a breaker, so CSS draws an open one red and a half-open one amber.
fn breaker_class(state: BreakerPosition) -> &'static str {
    match state {
        BreakerPosition::Closed => "edge",
        BreakerPosition::Open => "edge breaker-open",
        BreakerPosition::HalfOpen => "edge breaker-half-open",
    }
}

/// The code change a new consumer needs in the sync world: "redeploying" then "+ call audit".
fn redeploy_callout(explainer: Explainer, service: usize, at: Point) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let text = move || {
        explainer.frame.with(|f| {
            let node = f.node(World::Sync, service)?;
            let l = locale.get();
            if let Some(name) = &node.redeploying_to {
                return Some(l.fill(Key::Redeploying, &[("name", name)]));
            }
            let added: Vec<String> = node
                .added_calls
                .iter()
                .map(|name| l.fill(Key::CodeDiff, &[("name", name)]))
                .collect();
            (!added.is_empty()).then(|| added.join("  "))
        })
    };
    view! {
        <text
            class="diff"
            data-testid=format!("sync-diff-{service}")
            x=at.x - HALF_W
            y=at.y + HALF_H + 14.0
        >
            {move || text().unwrap_or_default()}
        </text>
    }
}

/// The event log: producer, partitions, brokers, DLQ and the consumer groups.
#[component]
pub fn EventStage(canvas: NodeRef<leptos::html::Canvas>) -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let drawing = move || {
        explainer.shape.with(|shape| {
            let layout = &shape.geometry.event;
            let mut order: Vec<Target> = vec![Target::Service(0)];
            order.extend(
                (1..layout.nodes.len())
                    .filter(|&s| layout.nodes[s].is_some())
                    .map(Target::Service),
            );
            order.extend((0..layout.brokers.len()).map(Target::Broker));
            let producer = producer_node(explainer, layout.producer, order.clone());
            let partitions = layout
                .partitions
                .iter()
                .enumerate()
                .map(|(p, &origin)| partition_strip(explainer, p, origin, shape.groups.clone()))
                .collect_view();
            let edges = layout
                .edges
                .iter()
                .filter_map(|&(from, to)| {
                    let path = layout.edge_path(from, to)?;
                    Some(view! { <path class="edge" d=svg_path(&path) /> })
                })
                .collect_view();
            // Calls between services are short here, so their numbers sit above the boxes.
            let rates = layout
                .edges
                .iter()
                .filter_map(|&(from, to)| {
                    let end = *layout.edge_path(from, to)?.last()?;
                    let calls = Edge::Call { from: from as u8, to: to as u8 };
                    Some(edge_rate(World::Event, calls, end, Anchor::End, Key::EdgeRate))
                })
                .collect_view();
            let groups: Vec<usize> = shape.groups.clone();
            let nodes = (1..layout.nodes.len())
                .filter_map(|s| layout.nodes[s].map(|at| (s, at)))
                .map(|(s, at)| {
                    if groups.contains(&s) {
                        group_node(explainer, s, at, groups.iter().position(|&g| g == s).unwrap_or(0), order.clone()).into_any()
                    } else {
                        service_node(explainer, World::Event, s, (at, 1.0), order.clone()).into_any()
                    }
                })
                .collect_view();
            let brokers = layout
                .brokers
                .iter()
                .enumerate()
                .map(|(b, &at)| broker_node(explainer, b, at, order.clone()))
                .collect_view();
            let dlq = layout.dlq;
            let user = layout.user;
            let producer_at = layout.producer;
            let first_partition = layout.partitions.first().copied().unwrap_or_default();
            let partition_count = layout.partitions.len();
            let why_geometry = WhyGeometry {
                nodes: layout.nodes.clone(),
                edges: layout.edges.iter().filter_map(|&(a, b)| Some(((a, b), layout.edge_path(a, b)?))).collect(),
                entry: producer_at,
                scale: 1.0,
            };
            let why_chain = why_highlight(explainer, World::Event, &why_geometry);
            let why_mark = why_marker(explainer, World::Event, &why_geometry);
            view! {
                <svg
                    class="stage-svg"
                    viewBox=format!("0 0 {} {}", PANEL_WIDTH, layout.height)
                    role="group"
                    aria-label=move || locale.get().text(Key::EventPanelTitle)
                >
                    {user_icon(user)}
                    <path class="edge" d=elbow_path(Point { x: user.x + 14.0, y: user.y }, Point { x: producer_at.x - PRODUCER_WIDTH / 2.0, y: producer_at.y }) />
                    // The user's edge is short too: the number sits above the user.
                    {edge_rate(World::Event, Edge::Arrivals, Point { x: user.x - 14.0, y: user.y - 24.0 }, Anchor::Start, Key::EdgeRate)}
                    {edge_rate(World::Event, Edge::Appends, Point { x: producer_at.x - PRODUCER_WIDTH / 2.0, y: producer_at.y + PRODUCER_HEIGHT / 2.0 + 10.0 }, Anchor::Start, Key::AppendRate)}
                    <text class="topic-label" x=first_partition.x y=first_partition.y - 10.0>
                        {move || locale.get().fill(Key::TopicLabel, &[("n", &partition_count.to_string())])}
                    </text>
                    {partitions}
                    {why_chain}
                    {edges}
                    {producer}
                    {nodes}
                    {rates}
                    {brokers}
                    {why_mark}
                    <g class="dlq" transform=format!("translate({} {})", dlq.x, dlq.y) data-testid="dlq">
                        <rect x=-14 y=-12 width=80 height=24 rx=4 />
                        <text x=26 y=4 text-anchor="middle">
                            {move || {
                                let total = explainer.frame.with(|f| f.dlq_total);
                                locale.get().fill(Key::Dlq, &[("n", &total.to_string())])
                            }}
                        </text>
                    </g>
                </svg>
            }
        })
    };
    view! {
        // On a phone the drawing keeps a readable size and scrolls inside this box.
        <div class="stage-scroll">
            <div class="stage" data-testid="event-stage" on:click=move |ev| follow_click(explainer, World::Event, ev)>
                {drawing}
                {dot_canvas(canvas)}
            </div>
        </div>
        {why_caption(explainer, World::Event)}
    }
}

/// The entry service as the producer: a smaller box, focusable like any service.
fn producer_node(explainer: Explainer, at: Point, order: Vec<Target>) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let frame = explainer.frame;
    let name = frame.with_untracked(|f| {
        f.node(World::Event, 0)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    });
    let target = Target::Service(0);
    focusable(
        explainer,
        NodeFrame {
            world: World::Event,
            target,
            order,
            transform: format!(
                "translate({} {})",
                at.x - PRODUCER_WIDTH / 2.0,
                at.y - PRODUCER_HEIGHT / 2.0
            ),
            testid: format!("event-node-{name}"),
            class: move || {
                format!(
                    "svc producer state-{}",
                    with_node(frame, World::Event, 0, |n| n.state().css()).unwrap_or("up")
                )
            },
            aria: move || {
                with_node(frame, World::Event, 0, |n| node_aria(locale.get(), n))
                    .unwrap_or_default()
            },
        },
        view! {
            <rect class="svc-box" width=PRODUCER_WIDTH height=PRODUCER_HEIGHT rx=8 />
            {killed_cross(4.0, 4.0, PRODUCER_WIDTH - 4.0, PRODUCER_HEIGHT - 4.0)}
            {name_text(&name, PRODUCER_WIDTH / 2.0, 18.0, 8, "middle")}
            <text class="svc-load" x=PRODUCER_WIDTH / 2.0 y=34 text-anchor="middle">{move || locale.get().text(Key::Producer)}</text>
            // The event version it writes, once a deploy has changed it.
            <text class="version-badge" x=PRODUCER_WIDTH - 4.0 y=46 text-anchor="end">{move || {
                let l = locale.get();
                match frame.with(|f| f.event_version) {
                    1 => String::new(),
                    v => l.fill(Key::ProducerVersion, &[("v", &v.to_string())]),
                }
            }}</text>
        },
    )
}

fn partition_strip(
    explainer: Explainer,
    p: usize,
    origin: Point,
    groups: Vec<usize>,
) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let frame = explainer.frame;
    let cell_width = PARTITION_WIDTH / CELLS_SHOWN as f32;
    let poll_groups = groups.clone();
    let cells = move || {
        frame.with(|f| {
            let Some(partition) = f.partitions.get(p) else {
                return Vec::new();
            };
            partition
                .cells
                .iter()
                .map(|cell| {
                    let from_end = (partition.end - cell.offset) as f32;
                    let x = PARTITION_WIDTH - from_end * cell_width;
                    let class = match (cell.poison, cell.committed_by_replicas) {
                        (true, _) => "cell poison",
                        (false, true) => "cell",
                        (false, false) => "cell unreplicated",
                    };
                    view! { <rect class=class x=x + 0.75 y=2 width=cell_width - 1.5 height=PARTITION_HEIGHT - 4.0 rx=2 /> }
                })
                .collect::<Vec<_>>()
        })
    };
    let markers = move || {
        frame.with(|f| {
            let Some(partition) = f.partitions.get(p) else {
                return Vec::new();
            };
            partition
                .committed
                .iter()
                .map(|&(group, offset)| {
                    let slot = groups.iter().position(|&g| g == group).unwrap_or(0);
                    let from_end = partition.end.saturating_sub(offset).min(CELLS_SHOWN) as f32;
                    let x = PARTITION_WIDTH - from_end * cell_width;
                    view! {
                        <path
                            class=format!("commit g{}", slot % 6)
                            d=format!("M{x} {} l-4 6 h8 z", PARTITION_HEIGHT)
                        />
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    // What each group has polled and not yet processed: a bar under the cells, in its colour.
    let polls = move || {
        frame.with(|f| {
            let Some(partition) = f.partitions.get(p) else {
                return Vec::new();
            };
            let x_of = |offset: u64| {
                let from_end = partition.end.saturating_sub(offset).min(CELLS_SHOWN) as f32;
                PARTITION_WIDTH - from_end * cell_width
            };
            partition
                .polls
                .iter()
                .map(|&(group, next, end)| {
                    let slot = poll_groups.iter().position(|&g| g == group).unwrap_or(0);
                    let (x0, x1) = (x_of(next), x_of(end));
                    view! {
                        <rect class=format!("poll g{}", slot % 6) x=x0 y=PARTITION_HEIGHT - 2.5
                            width=(x1 - x0).max(1.0) height=2.5 />
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let label = move || {
        frame.with(|f| {
            let l = locale.get();
            let Some(partition) = f.partitions.get(p) else {
                return String::new();
            };
            let leader = partition
                .leader
                .filter(|_| !partition.electing)
                .map_or_else(|| l.text(Key::NoLeader).to_string(), |b| b.to_string());
            l.fill(
                Key::PartitionAria,
                &[
                    ("p", &p.to_string()),
                    ("start", &partition.start.to_string()),
                    ("end", &partition.end.to_string()),
                    ("leader", &leader),
                ],
            )
        })
    };
    let leader_text = move || {
        frame.with(|f| {
            f.partitions
                .get(p)
                .and_then(|partition| partition.leader.filter(|_| !partition.electing))
                .map_or_else(|| "—".to_string(), |b| format!("B{b}"))
        })
    };
    let end_text = move || frame.with(|f| f.partitions.get(p).map_or(0, |x| x.end).to_string());
    view! {
        <g class="partition" transform=format!("translate({} {})", origin.x, origin.y) role="img" aria-label=label data-testid=format!("partition-{p}")>
            <text class="p-label" x=-6 y=PARTITION_HEIGHT / 2.0 + 4.0 text-anchor="end">{format!("P{p}")}</text>
            <rect class="strip" width=PARTITION_WIDTH height=PARTITION_HEIGHT rx=3 />
            {cells}
            {polls}
            {markers}
            <text class="p-leader" x=PARTITION_WIDTH + 6.0 y=10>{leader_text}</text>
            <text class="p-end" x=PARTITION_WIDTH + 6.0 y=PARTITION_HEIGHT - 1.0>{end_text}</text>
        </g>
    }
}

fn group_node(
    explainer: Explainer,
    service: usize,
    at: Point,
    slot: usize,
    order: Vec<Target>,
) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let views = expect_context::<Views>();
    let frame = explainer.frame;
    let name = frame.with_untracked(|f| {
        f.node(World::Event, service)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    });
    let target = Target::Service(service);
    let aria = move || {
        with_group(frame, service, |n, g| group_aria(locale.get(), n, g)).unwrap_or_default()
    };
    let instances = move || {
        with_group(frame, service, |_, g| {
                g.instances
                    .iter()
                    .enumerate()
                    .map(|(i, instance)| {
                        let class = match (instance.alive, instance.partitions.is_empty(), instance.busy) {
                            (false, _, _) => "inst dead",
                            (true, true, _) => "inst idle",
                            (true, false, true) => "inst busy",
                            (true, false, false) => "inst",
                        };
                        let parts = instance.partitions.iter().map(|p| format!("P{p}")).collect::<Vec<_>>().join(",");
                        view! {
                            <g class=class transform=format!("translate({} 30)", 8.0 + (i % 8) as f32 * 12.0)>
                                <circle r=4.5 cx=0 cy=0 />
                                <title>{parts}</title>
                            </g>
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let lag_width = move || {
        let lag = with_group(frame, service, |_, g| g.lag).unwrap_or(0) as f32;
        // Log scale: 1 event is visible, 10,000 fills the bar.
        (lag.max(0.0) + 1.0).log10() / 4.0 * (NODE_WIDTH - 12.0)
    };
    let status = move || {
        let l = locale.get();
        with_group(frame, service, |n, g| {
            let mut parts =
                vec![l.fill(Key::LagShort, &[("n", &format_number(l, g.lag as f64, 0))])];
            if n.state() != NodeState::Up {
                parts.insert(0, state_text(l, n));
            }
            // What holds the group back takes the place of its done count, so the line stays
            // within the node's column.
            let held = if let Some(version) = g.cannot_read {
                Some(l.fill(Key::CannotRead, &[("v", &version.to_string())]))
            } else if let Some(left_ms) = g.sessions_expire_in_ms {
                let left = format_duration_ms(l, left_ms);
                Some(l.fill(Key::SessionsPending, &[("t", &left)]))
            } else if g.rebalancing {
                Some(l.text(Key::Rebalancing).to_string())
            } else {
                None
            };
            // In the still view the group's reads a second stand for the dots it would fetch.
            parts.push(
                held.or_else(|| group_reads(views, l, service))
                    .unwrap_or_else(|| {
                        l.fill(
                            Key::DoneShort,
                            &[("n", &format_number(l, n.executions as f64, 0))],
                        )
                    }),
            );
            parts.join(" · ")
        })
        .unwrap_or_default()
    };
    focusable(
        explainer,
        NodeFrame {
            world: World::Event,
            target,
            order,
            transform: format!("translate({} {})", at.x - HALF_W, at.y - HALF_H),
            testid: format!("event-node-{name}"),
            class: move || {
                format!(
                    "svc group g{} state-{}",
                    slot % 6,
                    with_node(frame, World::Event, service, |n| n.state().css()).unwrap_or("up")
                )
            },
            aria,
        },
        view! {
            <rect class="svc-box" width=NODE_WIDTH height=NODE_HEIGHT rx=8 />
            {killed_cross(4.0, 4.0, NODE_WIDTH - 4.0, NODE_HEIGHT - 4.0)}
            <rect class="group-swatch" x=0 y=0 width=6 height=NODE_HEIGHT rx=3 />
            {name_text(&name, 10.0, 15.0, NAME_CHARS, "start")}
            <text class="svc-state" x=NODE_WIDTH - 8.0 y=15 text-anchor="end">
                {move || with_node(frame, World::Event, service, state_badge).unwrap_or_default()}
            </text>
            {instances}
            <rect class="lag-track" x=6 y=NODE_HEIGHT - 11.0 width=NODE_WIDTH - 12.0 height=6 rx=3 />
            <rect class="lag-bar" data-testid=format!("lag-bar-{name}") x=6 y=NODE_HEIGHT - 11.0 width=lag_width height=6 rx=3 />
            <text class="group-status" x=0 y=NODE_HEIGHT + 12.0 data-testid=format!("lag-{name}")>{status}</text>
        },
    )
}

/// A group's screen-reader label: state, lag, active and idle instances.
fn group_aria(l: Locale, n: &NodeView, g: &GroupView) -> String {
    l.fill(
        Key::GroupAria,
        &[
            ("name", &n.name),
            ("state", &state_text(l, n)),
            ("lag", &g.lag.to_string()),
            ("active", &g.active.to_string()),
            ("idle", &g.idle.to_string()),
        ],
    )
}

fn broker_node(
    explainer: Explainer,
    broker: usize,
    at: Point,
    order: Vec<Target>,
) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let frame = explainer.frame;
    let up = move || frame.with(|f: &Frame| f.brokers_up.get(broker).copied().unwrap_or(true));
    let leads = move || {
        frame.with(|f| {
            f.partitions
                .iter()
                .filter(|p| p.leader == Some(broker as u8) && !p.electing)
                .count()
        })
    };
    let target = Target::Broker(broker);
    focusable(
        explainer,
        NodeFrame {
            world: World::Event,
            target,
            order,
            transform: format!("translate({} {})", at.x, at.y),
            testid: format!("broker-{broker}"),
            class: move || format!("broker {}", if up() { "up" } else { "down" }),
            aria: move || {
                let l = locale.get();
                let state = if up() {
                    l.text(Key::StateUp)
                } else {
                    l.text(Key::StateKilled)
                };
                l.fill(
                    Key::BrokerAria,
                    &[("n", &broker.to_string()), ("state", state)],
                )
            },
        },
        view! {
            <circle r=13 />
            {killed_cross(-9.0, -9.0, 9.0, 9.0)}
            <text y=4 text-anchor="middle">{format!("B{broker}")}</text>
            <text class="leads" y=26 text-anchor="middle">{move || format!("{}P", leads())}</text>
        },
    )
}
