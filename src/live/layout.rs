//! Where each part of the two panels sits: one coordinate system shared by the SVG and the particle canvas.
//!
//! Layouts depend only on the topology and the log's shape, never on live state,
//! so they change only when a service is added or removed or the scenario changes.

use crate::sim::Topology;

/// A point in panel coordinates (the SVG viewBox; the canvas is scaled to match).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// A rectangle in panel coordinates.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub fn contains(&self, at: Point) -> bool {
        at.x >= self.x
            && at.x <= self.x + self.width
            && at.y >= self.y
            && at.y <= self.y + self.height
    }
}

pub const PANEL_WIDTH: f32 = 640.0;
/// The caption under a service box ("166 done", a group's lag).
pub const CAPTION_HEIGHT: f32 = 15.0;
/// The leader and end-offset labels to the right of a partition strip.
pub const PARTITION_LABEL_WIDTH: f32 = 36.0;
pub const NODE_WIDTH: f32 = 104.0;
pub const NODE_HEIGHT: f32 = 52.0;
/// The entry drawn as the event world's producer: a smaller box.
pub const PRODUCER_WIDTH: f32 = 68.0;
pub const PRODUCER_HEIGHT: f32 = 48.0;
/// Characters of a name a box shows; longer names are shortened with "…".
pub const NAME_CHARS: usize = 12;
const COLUMN_GAP: f32 = 148.0;
/// Room left between two columns of boxes for an edge and a breaker label.
const EDGE_ROOM: f32 = 44.0;
const ROW_HEIGHT: f32 = 72.0;
const TOP: f32 = 56.0;
/// Left edge of the sync world's entry box (the users stand to its left).
const ENTRY_LEFT: f32 = 84.0;
/// Right margin every box keeps inside a stage.
const RIGHT_EDGE: f32 = PANEL_WIDTH - 6.0;
/// Centre of the event world's first column of groups.
const GROUPS_X: f32 = 458.0;
const GROUP_COLUMN_GAP: f32 = 118.0;
/// Indent per level when a group's subtree is too deep for columns.
const GROUP_INDENT: f32 = 40.0;
/// The broker circles (radius 13, the led-partition count under them).
const BROKER_GAP: f32 = 44.0;
const BROKER_ROW: f32 = 50.0;
/// The dead-letter queue's box, relative to its anchor point.
pub const DLQ_BOX: Rect = Rect {
    x: -14.0,
    y: -12.0,
    width: 80.0,
    height: 24.0,
};

/// `name` as a box shows it: at most `max_chars` characters, the last one "…" when cut.
pub fn short_name(name: &str, max_chars: usize) -> String {
    if name.chars().count() <= max_chars {
        return name.to_string();
    }
    let kept: String = name.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// An SVG path's `d` through `points`, as straight segments.
pub fn svg_path(points: &[Point]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}{} {}", if i == 0 { "M" } else { "L" }, p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An SVG path's `d` from `from` to `to` that turns twice, halfway across.
pub fn elbow_path(from: Point, to: Point) -> String {
    let mid = (from.x + to.x) / 2.0;
    format!("M{} {} H{} V{} H{}", from.x, from.y, mid, to.y, to.x)
}

/// The synchronous panel: the user, then the call tree left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncLayout {
    pub user: Point,
    /// Node centres by service index; None for removed services.
    pub nodes: Vec<Option<Point>>,
    /// Caller → callee pairs to draw.
    pub edges: Vec<(usize, usize)>,
    pub height: f32,
    /// Boxes are drawn at this scale (1 up to three levels), so five levels fit the width.
    pub node_scale: f32,
}

/// The event panel: the user and producer, the topic's partitions, then the groups.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLayout {
    pub user: Point,
    pub producer: Point,
    /// Top-left corner of each partition strip.
    pub partitions: Vec<Point>,
    /// Centres of groups (direct children of the entry) and their deeper services, by service index.
    pub nodes: Vec<Option<Point>>,
    /// Deeper calls inside a group: caller → callee.
    pub edges: Vec<(usize, usize)>,
    pub brokers: Vec<Point>,
    pub dlq: Point,
    pub height: f32,
    /// A group's subtree is too deep for columns: each service gets a row, indented by level.
    pub indented: bool,
}

pub const PARTITION_X: f32 = 176.0;
pub const PARTITION_WIDTH: f32 = 176.0;
pub const PARTITION_HEIGHT: f32 = 26.0;
const PARTITION_GAP: f32 = 10.0;
/// How many of a partition's newest cells are drawn.
pub const CELLS_SHOWN: u64 = 16;

fn depth(topology: &Topology, service: usize) -> usize {
    let mut depth = 0;
    let mut at = service;
    while let Some(caller) = topology.caller[at] {
        depth += 1;
        at = caller as usize;
    }
    depth
}

/// The deepest present service's depth (0 for the entry alone).
fn deepest(topology: &Topology) -> usize {
    (0..topology.len())
        .filter(|&s| topology.is_present(s))
        .map(|s| depth(topology, s))
        .max()
        .unwrap_or(0)
}

fn children(topology: &Topology, service: usize) -> Vec<usize> {
    (0..topology.len())
        .filter(|&s| topology.is_present(s) && topology.caller[s] == Some(service as u8))
        .collect()
}

/// Gives leaves consecutive rows and centres each parent on its children.
fn place_rows(topology: &Topology, service: usize, next_row: &mut f32, rows: &mut [f32]) -> f32 {
    let kids = children(topology, service);
    let row = if kids.is_empty() {
        let row = *next_row;
        *next_row += 1.0;
        row
    } else {
        let placed: Vec<f32> = kids
            .iter()
            .map(|&kid| place_rows(topology, kid, next_row, rows))
            .collect();
        (placed[0] + placed[placed.len() - 1]) / 2.0
    };
    rows[service] = row;
    row
}

/// Gives every service of a subtree its own row, callers first (depth-first order).
fn place_rows_indented(topology: &Topology, service: usize, next_row: &mut f32, rows: &mut [f32]) {
    rows[service] = *next_row;
    *next_row += 1.0;
    for kid in children(topology, service) {
        place_rows_indented(topology, kid, next_row, rows);
    }
}

/// A service box centred on `at` at `scale`, with its caption underneath.
pub fn service_box(at: Point, scale: f32) -> Rect {
    Rect {
        x: at.x - NODE_WIDTH * scale / 2.0,
        y: at.y - NODE_HEIGHT * scale / 2.0,
        width: NODE_WIDTH * scale,
        height: (NODE_HEIGHT + CAPTION_HEIGHT) * scale,
    }
}

/// The users icon and its label, drawn around `at`.
fn users_box(at: Point) -> Rect {
    Rect {
        x: at.x - 16.0,
        y: at.y - 16.0,
        width: 32.0,
        height: 48.0,
    }
}

/// A broker's circle and the "NP" under it.
fn broker_box(at: Point) -> Rect {
    Rect {
        x: at.x - 14.0,
        y: at.y - 14.0,
        width: 28.0,
        height: 44.0,
    }
}

/// The elbow from the right of box `a` to the left of box `b`, turning halfway.
fn side_elbow(a: Point, b: Point, scale: f32) -> Vec<Point> {
    let half = NODE_WIDTH * scale / 2.0;
    let (from, to) = (Point { x: a.x + half, ..a }, Point { x: b.x - half, ..b });
    let mid = (from.x + to.x) / 2.0;
    vec![
        from,
        Point { x: mid, y: from.y },
        Point { x: mid, y: to.y },
        to,
    ]
}

impl SyncLayout {
    /// Where text is drawn. Dots pass behind these, so a busy edge never hides a
    /// service's name, load or count.
    pub fn text_boxes(&self) -> Vec<Rect> {
        std::iter::once(users_box(self.user))
            .chain(
                self.nodes
                    .iter()
                    .flatten()
                    .map(|&at| service_box(at, self.node_scale)),
            )
            .collect()
    }

    pub fn new(topology: &Topology) -> SyncLayout {
        let mut rows = vec![0.0; topology.len()];
        let mut next_row = 0.0;
        let entry_row = place_rows(topology, 0, &mut next_row, &mut rows);
        // Columns share the width left of the right margin; boxes shrink only when they must.
        let columns = deepest(topology) as f32 + 1.0;
        let span = RIGHT_EDGE - ENTRY_LEFT;
        let width = NODE_WIDTH.min((span - (columns - 1.0) * EDGE_ROOM) / columns);
        let gap = if columns > 1.0 {
            COLUMN_GAP.min((span - width) / (columns - 1.0))
        } else {
            COLUMN_GAP
        };
        let node_scale = width / NODE_WIDTH;
        let row_height = ROW_HEIGHT * node_scale.max(0.85);
        let y_of = |row: f32| TOP + row * row_height;
        let nodes = (0..topology.len())
            .map(|s| {
                topology.is_present(s).then(|| Point {
                    x: ENTRY_LEFT + width / 2.0 + depth(topology, s) as f32 * gap,
                    y: y_of(rows[s]),
                })
            })
            .collect();
        SyncLayout {
            user: Point {
                x: 32.0,
                y: y_of(entry_row),
            },
            nodes,
            edges: present_edges(topology, |_| true),
            height: y_of(next_row.max(1.0) - 1.0) + (NODE_HEIGHT + CAPTION_HEIGHT) * node_scale,
            node_scale,
        }
    }

    /// The polyline an edge is drawn along, from caller to callee.
    pub fn edge_path(&self, from: usize, to: usize) -> Option<Vec<Point>> {
        let (a, b) = (
            self.nodes.get(from)?.as_ref()?,
            self.nodes.get(to)?.as_ref()?,
        );
        Some(side_elbow(*a, *b, self.node_scale))
    }
}

fn present_edges(topology: &Topology, keep: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    (1..topology.len())
        .filter(|&s| topology.is_present(s) && keep(s))
        .filter_map(|s| topology.caller[s].map(|c| (c as usize, s)))
        .collect()
}

impl EventLayout {
    /// Where text is drawn (see [`SyncLayout::text_boxes`]): the users, the producer, the
    /// groups and their services, and each partition's leader and end-offset labels.
    pub fn text_boxes(&self) -> Vec<Rect> {
        let producer = Rect {
            x: self.producer.x - PRODUCER_WIDTH / 2.0,
            y: self.producer.y - PRODUCER_HEIGHT / 2.0,
            width: PRODUCER_WIDTH,
            height: PRODUCER_HEIGHT,
        };
        let partition_labels = self.partitions.iter().map(|origin| Rect {
            x: origin.x + PARTITION_WIDTH + 2.0,
            y: origin.y,
            width: PARTITION_LABEL_WIDTH,
            height: PARTITION_HEIGHT,
        });
        [users_box(self.user), producer]
            .into_iter()
            .chain(self.nodes.iter().flatten().map(|&at| service_box(at, 1.0)))
            .chain(partition_labels)
            .collect()
    }

    /// Every box drawn on the stage: the text boxes, the brokers and the dead-letter queue.
    pub fn all_boxes(&self) -> Vec<Rect> {
        let dlq = Rect {
            x: self.dlq.x + DLQ_BOX.x,
            y: self.dlq.y + DLQ_BOX.y,
            ..DLQ_BOX
        };
        let mut boxes = self.text_boxes();
        boxes.extend(self.brokers.iter().map(|&b| broker_box(b)));
        boxes.push(dlq);
        boxes
    }

    pub fn new(topology: &Topology, partitions: usize, brokers: usize) -> EventLayout {
        let partition_rows: Vec<Point> = (0..partitions)
            .map(|p| Point {
                x: PARTITION_X,
                y: TOP + p as f32 * (PARTITION_HEIGHT + PARTITION_GAP),
            })
            .collect();
        let log_bottom = TOP + partitions as f32 * (PARTITION_HEIGHT + PARTITION_GAP);
        let (nodes, group_rows, indented) = group_nodes(topology);
        let groups_bottom = TOP + group_rows * ROW_HEIGHT;
        let bottom = log_bottom.max(groups_bottom);
        let middle = (TOP + bottom - PARTITION_GAP) / 2.0 - PARTITION_HEIGHT / 2.0;
        // Brokers in rows under the log, as many to a row as the width holds.
        let per_row = ((RIGHT_EDGE - PARTITION_X - 16.0) / BROKER_GAP) as usize;
        let brokers: Vec<Point> = (0..brokers)
            .map(|b| Point {
                x: PARTITION_X + 16.0 + (b % per_row) as f32 * BROKER_GAP,
                y: bottom + 22.0 + (b / per_row) as f32 * BROKER_ROW,
            })
            .collect();
        let broker_rows = brokers.len().div_ceil(per_row).max(1) as f32;
        EventLayout {
            user: Point { x: 32.0, y: middle },
            producer: Point {
                x: 100.0,
                y: middle,
            },
            partitions: partition_rows,
            nodes,
            edges: present_edges(topology, |s| topology.caller[s] != Some(0)),
            brokers,
            // Under the producer, so any number of brokers has the row under the log.
            dlq: Point {
                x: 24.0 - DLQ_BOX.x,
                y: bottom + 22.0,
            },
            height: bottom + 52.0 + (broker_rows - 1.0) * BROKER_ROW,
            indented,
        }
    }

    /// The polyline an edge inside a group is drawn along, from caller to callee: side
    /// to side between columns, or down the left of the caller's subtree when indented.
    pub fn edge_path(&self, from: usize, to: usize) -> Option<Vec<Point>> {
        let (a, b) = (
            *self.nodes.get(from)?.as_ref()?,
            *self.nodes.get(to)?.as_ref()?,
        );
        if !self.indented {
            return Some(side_elbow(a, b, 1.0));
        }
        let x = a.x - NODE_WIDTH / 2.0 + GROUP_INDENT / 2.0;
        let below = a.y + NODE_HEIGHT / 2.0 + CAPTION_HEIGHT;
        let end = Point {
            x: b.x - NODE_WIDTH / 2.0,
            y: b.y,
        };
        Some(vec![Point { x, y: below }, Point { x, y: b.y }, end])
    }

    /// Where the cell for `offset` sits on partition `p`, given the partition's end offset.
    pub fn cell_centre(&self, p: usize, offset: u64, end: u64) -> Point {
        let Some(origin) = self.partitions.get(p) else {
            return self.producer;
        };
        let from_end = end.saturating_sub(offset).min(CELLS_SHOWN) as f32;
        let cell = PARTITION_WIDTH / CELLS_SHOWN as f32;
        Point {
            x: origin.x + PARTITION_WIDTH - (from_end + 0.5) * cell,
            y: origin.y + PARTITION_HEIGHT / 2.0,
        }
    }
}

/// Groups and their subtrees stacked on the right: in columns by level while the levels
/// fit the width, else one row per service, indented by level. Returns the centres, the
/// rows used, and whether the rows are indented.
fn group_nodes(topology: &Topology) -> (Vec<Option<Point>>, f32, bool) {
    let last_column = GROUPS_X + (deepest(topology) as f32 - 1.0) * GROUP_COLUMN_GAP;
    let indented = last_column + NODE_WIDTH / 2.0 > RIGHT_EDGE;
    let mut rows = vec![0.0; topology.len()];
    let mut next_row = 0.0;
    for group in children(topology, 0) {
        if indented {
            place_rows_indented(topology, group, &mut next_row, &mut rows);
        } else {
            place_rows(topology, group, &mut next_row, &mut rows);
        }
    }
    let step = if indented {
        GROUP_INDENT
    } else {
        GROUP_COLUMN_GAP
    };
    let nodes = (0..topology.len())
        .map(|s| {
            (s != 0 && topology.is_present(s)).then(|| Point {
                x: GROUPS_X + (depth(topology, s) as f32 - 1.0) * step,
                y: TOP + 8.0 + rows[s] * ROW_HEIGHT,
            })
        })
        .collect();
    (nodes, next_row.max(1.0), indented)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;

    fn signup() -> Topology {
        Topology::new(&preset("signup").unwrap())
    }

    #[test]
    fn the_call_tree_reads_left_to_right_with_parents_centred_on_children() {
        let layout = SyncLayout::new(&signup());
        let at = |s: usize| layout.nodes[s].unwrap();
        // signup(0) calls email(1), analytics(3), cache(4); email calls template(2).
        assert!(at(0).x < at(1).x && at(1).x < at(2).x);
        assert_eq!(at(1).x, at(3).x);
        assert_eq!(
            at(1).y,
            at(2).y,
            "a single child sits level with its parent"
        );
        assert_eq!(at(0).y, (at(1).y + at(4).y) / 2.0);
        assert!(layout.user.x < at(0).x);
        assert_eq!(layout.edges.len(), 4);
    }

    #[test]
    fn no_two_sync_nodes_overlap() {
        let layout = SyncLayout::new(&signup());
        let nodes: Vec<Point> = layout.nodes.iter().flatten().copied().collect();
        for (i, a) in nodes.iter().enumerate() {
            for b in &nodes[i + 1..] {
                let apart_x = (a.x - b.x).abs() >= NODE_WIDTH;
                let apart_y = (a.y - b.y).abs() >= NODE_HEIGHT;
                assert!(apart_x || apart_y, "{a:?} overlaps {b:?}");
            }
            assert!(
                a.x + NODE_WIDTH / 2.0 <= PANEL_WIDTH && a.y + NODE_HEIGHT / 2.0 <= layout.height
            );
        }
    }

    #[test]
    fn the_event_panel_has_a_strip_per_partition_and_groups_on_the_right() {
        let layout = EventLayout::new(&signup(), 6, 3);
        assert_eq!(layout.partitions.len(), 6);
        assert_eq!(layout.brokers.len(), 3);
        assert!(layout.nodes[0].is_none(), "the entry is the producer");
        for group in [1, 3, 4] {
            assert!(layout.nodes[group].unwrap().x > PARTITION_X + PARTITION_WIDTH);
        }
        assert!(layout.nodes[2].unwrap().x > layout.nodes[1].unwrap().x);
        for node in layout.nodes.iter().flatten() {
            assert!(
                node.x + NODE_WIDTH / 2.0 <= PANEL_WIDTH,
                "{node:?} leaves the panel"
            );
            // Room for the partition's leader and end-offset labels between strip and groups.
            assert!(node.x - NODE_WIDTH / 2.0 >= PARTITION_X + PARTITION_WIDTH + 40.0);
        }
        assert_eq!(
            layout.edges,
            vec![(1, 2)],
            "only calls inside a group are drawn as edges"
        );
    }

    #[test]
    fn text_boxes_cover_every_name_and_label_and_leave_the_edges_open() {
        let sync = SyncLayout::new(&signup());
        let boxes = sync.text_boxes();
        for at in sync.nodes.iter().flatten() {
            let caption = Point {
                x: at.x - NODE_WIDTH / 2.0 + 4.0,
                y: at.y + NODE_HEIGHT / 2.0 + 10.0,
            };
            assert!(boxes.iter().any(|b| b.contains(*at) && b.contains(caption)));
        }
        // The middle of the elbow from signup to email is free for dots.
        let (from, to) = (sync.nodes[0].unwrap(), sync.nodes[1].unwrap());
        let mid = Point {
            x: (from.x + to.x) / 2.0,
            y: to.y,
        };
        assert!(!boxes.iter().any(|b| b.contains(mid)));

        let event = EventLayout::new(&signup(), 6, 3);
        let boxes = event.text_boxes();
        assert_eq!(
            boxes.len(),
            2 + 4 + 6,
            "users, producer, four services, six label columns"
        );
        for (p, origin) in event.partitions.iter().enumerate() {
            let leader_label = Point {
                x: origin.x + PARTITION_WIDTH + 10.0,
                y: origin.y + 8.0,
            };
            assert!(boxes.iter().any(|b| b.contains(leader_label)));
            // The strip's cells stay open: an event is seen landing in its partition.
            let cell = event.cell_centre(p, 9, 10);
            assert!(!boxes.iter().any(|b| b.contains(cell)));
        }
    }

    #[test]
    fn newer_offsets_sit_further_right_and_old_ones_stop_at_the_left_edge() {
        let layout = EventLayout::new(&signup(), 2, 1);
        let newest = layout.cell_centre(0, 99, 100);
        let older = layout.cell_centre(0, 90, 100);
        let ancient = layout.cell_centre(0, 3, 100);
        assert!(newest.x > older.x && older.x > ancient.x);
        assert!(ancient.x >= PARTITION_X - PARTITION_WIDTH / CELLS_SHOWN as f32);
    }

    /// Whether two boxes share any area (touching edges do not count).
    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.width - 0.01
            && b.x < a.x + a.width - 0.01
            && a.y < b.y + b.height - 0.01
            && b.y < a.y + a.height - 0.01
    }

    /// Whether an axis-aligned segment passes through the inside of a box.
    fn crosses(from: Point, to: Point, rect: &Rect) -> bool {
        let (x0, x1) = (from.x.min(to.x), from.x.max(to.x));
        let (y0, y1) = (from.y.min(to.y), from.y.max(to.y));
        x0 < rect.x + rect.width - 0.5
            && rect.x + 0.5 < x1.max(x0 + 0.01)
            && y0 < rect.y + rect.height - 0.5
            && rect.y + 0.5 < y1.max(y0 + 0.01)
    }

    /// Checks a stage's boxes and edges; `node_box` gives a service's own box.
    fn check_stage(
        what: &str,
        boxes: &[Rect],
        height: f32,
        edges: &[(usize, usize, Vec<Point>)],
        node_box: impl Fn(usize) -> Rect,
    ) {
        for (i, a) in boxes.iter().enumerate() {
            let inside = a.x >= 0.0
                && a.y >= 0.0
                && a.x + a.width <= PANEL_WIDTH
                && a.y + a.height <= height;
            assert!(inside, "{what}: {a:?} leaves the stage (height {height})");
            for b in &boxes[i + 1..] {
                assert!(!overlap(a, b), "{what}: {a:?} overlaps {b:?}");
            }
        }
        for (from, to, path) in edges {
            let ends = [node_box(*from), node_box(*to)];
            for pair in path.windows(2) {
                for b in boxes.iter().filter(|b| !ends.contains(b)) {
                    let through = crosses(pair[0], pair[1], b);
                    assert!(!through, "{what}: edge {from}→{to} crosses {b:?}");
                }
            }
        }
    }

    fn check_layouts(what: &str, scenario: &crate::sim::Scenario) {
        let topology = Topology::new(scenario);
        let sync = SyncLayout::new(&topology);
        let edges: Vec<_> = (sync.edges.iter())
            .map(|&(a, b)| (a, b, sync.edge_path(a, b).unwrap()))
            .collect();
        let node = |s: usize| service_box(sync.nodes[s].unwrap(), sync.node_scale);
        let boxes = sync.text_boxes();
        check_stage(&format!("{what} sync"), &boxes, sync.height, &edges, node);
        let settings = &scenario.event;
        let (partitions, brokers) = (settings.partitions as usize, settings.brokers as usize);
        let event = EventLayout::new(&topology, partitions, brokers);
        let edges: Vec<_> = (event.edges.iter())
            .map(|&(a, b)| (a, b, event.edge_path(a, b).unwrap()))
            .collect();
        let node = |s: usize| service_box(event.nodes[s].unwrap(), 1.0);
        let boxes = event.all_boxes();
        check_stage(&format!("{what} event"), &boxes, event.height, &edges, node);
    }

    /// A random tree within the core's limits: each new service is called by a random
    /// service that still has room (fewer than 8 callees, fewer than 5 levels).
    fn random_scenario(seed: u64) -> crate::sim::Scenario {
        use crate::sim::scenario::limits::{MAX_DEPTH, MAX_FAN_OUT, MAX_SERVICES};
        let mut rng = crate::sim::rng::SimRng::fork(seed, 0);
        let count = 1 + rng.below(MAX_SERVICES as u64) as usize;
        let mut level = vec![1usize];
        let mut calls: Vec<Vec<String>> = vec![Vec::new()];
        for s in 1..count {
            let open: Vec<usize> = (0..s)
                .filter(|&p| calls[p].len() < MAX_FAN_OUT && level[p] < MAX_DEPTH)
                .collect();
            let parent = open[rng.below(open.len() as u64) as usize];
            calls[parent].push(format!("\"service-number-{s}\""));
            calls.push(Vec::new());
            level.push(level[parent] + 1);
        }
        let services: Vec<String> = (0..count)
            .map(|s| {
                format!(
                    r#"{{"name": "service-number-{s}", "calls": [{}]}}"#,
                    calls[s].join(",")
                )
            })
            .collect();
        let (partitions, brokers) = (1 + rng.below(24), 1 + rng.below(16));
        let json = format!(
            r#"{{"services": [{}], "event": {{"partitions": {partitions}, "brokers": {brokers}, "replication_factor": 1}}}}"#,
            services.join(",")
        );
        crate::sim::Scenario::from_json(&json).unwrap_or_else(|e| panic!("seed {seed}: {e}"))
    }

    #[test]
    fn every_preset_lays_out_without_overlaps_or_edges_through_boxes() {
        for (name, _) in crate::sim::presets::PRESETS {
            check_layouts(name, &preset(name).unwrap());
        }
    }

    #[test]
    fn any_tree_the_core_accepts_lays_out_without_overlaps_or_edges_through_boxes() {
        for seed in 0..400 {
            check_layouts(&format!("seed {seed}"), &random_scenario(seed));
        }
    }

    #[test]
    fn five_levels_fit_the_width_and_deep_groups_are_indented() {
        let chain: Vec<String> = (0..5)
            .map(|l| match l {
                4 => format!(r#"{{"name": "s{l}"}}"#),
                _ => format!(r#"{{"name": "s{l}", "calls": ["s{}"]}}"#, l + 1),
            })
            .collect();
        let json = format!(r#"{{"services": [{}]}}"#, chain.join(","));
        let topology = Topology::new(&crate::sim::Scenario::from_json(&json).unwrap());
        let sync = SyncLayout::new(&topology);
        assert!(
            sync.node_scale < 1.0 && sync.node_scale > 0.6,
            "{}",
            sync.node_scale
        );
        assert!(EventLayout::new(&topology, 3, 3).indented);
        let signup = EventLayout::new(&signup(), 6, 3);
        assert!(!signup.indented, "two levels under the log stay in columns");
        assert_eq!(SyncLayout::new(&signup_topology()).node_scale, 1.0);
        assert_eq!(short_name("fraud-check-service", 12), "fraud-check…");
        assert_eq!(short_name("email", 12), "email");
    }

    fn signup_topology() -> Topology {
        signup()
    }
}
