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
const COLUMN_GAP: f32 = 148.0;
const ROW_HEIGHT: f32 = 72.0;
const TOP: f32 = 56.0;

/// The synchronous panel: the user, then the call tree left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncLayout {
    pub user: Point,
    /// Node centres by service index; None for removed services.
    pub nodes: Vec<Option<Point>>,
    /// Caller → callee pairs to draw.
    pub edges: Vec<(usize, usize)>,
    pub height: f32,
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

/// A service box centred on `at`, with its caption underneath.
fn service_box(at: Point) -> Rect {
    Rect {
        x: at.x - NODE_WIDTH / 2.0,
        y: at.y - NODE_HEIGHT / 2.0,
        width: NODE_WIDTH,
        height: NODE_HEIGHT + CAPTION_HEIGHT,
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

impl SyncLayout {
    /// Where text is drawn. Dots pass behind these, so a busy edge never hides a
    /// service's name, load or count.
    pub fn text_boxes(&self) -> Vec<Rect> {
        std::iter::once(users_box(self.user))
            .chain(self.nodes.iter().flatten().map(|&at| service_box(at)))
            .collect()
    }

    pub fn new(topology: &Topology) -> SyncLayout {
        let mut rows = vec![0.0; topology.len()];
        let mut next_row = 0.0;
        let entry_row = place_rows(topology, 0, &mut next_row, &mut rows);
        let y_of = |row: f32| TOP + row * ROW_HEIGHT;
        let nodes = (0..topology.len())
            .map(|s| {
                topology.is_present(s).then(|| Point {
                    x: 136.0 + depth(topology, s) as f32 * COLUMN_GAP,
                    y: y_of(rows[s]),
                })
            })
            .collect();
        let edges = present_edges(topology, |_| true);
        SyncLayout {
            user: Point {
                x: 32.0,
                y: y_of(entry_row),
            },
            nodes,
            edges,
            height: y_of(next_row.max(1.0) - 1.0) + NODE_HEIGHT,
        }
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
            .chain(self.nodes.iter().flatten().map(|&at| service_box(at)))
            .chain(partition_labels)
            .collect()
    }

    pub fn new(topology: &Topology, partitions: usize, brokers: usize) -> EventLayout {
        let partition_rows: Vec<Point> = (0..partitions)
            .map(|p| Point {
                x: PARTITION_X,
                y: TOP + p as f32 * (PARTITION_HEIGHT + PARTITION_GAP),
            })
            .collect();
        let log_bottom = TOP + partitions as f32 * (PARTITION_HEIGHT + PARTITION_GAP);
        // Groups and their subtrees stack on the right, one row per leaf.
        let mut rows = vec![0.0; topology.len()];
        let mut next_row = 0.0;
        for group in children(topology, 0) {
            place_rows(topology, group, &mut next_row, &mut rows);
        }
        let group_rows = next_row.max(1.0);
        let nodes = (0..topology.len())
            .map(|s| {
                (s != 0 && topology.is_present(s)).then(|| Point {
                    x: 458.0 + (depth(topology, s) as f32 - 1.0) * 118.0,
                    y: TOP + 8.0 + rows[s] * ROW_HEIGHT,
                })
            })
            .collect();
        let groups_bottom = TOP + group_rows * ROW_HEIGHT;
        let bottom = log_bottom.max(groups_bottom);
        let middle = (TOP + bottom - PARTITION_GAP) / 2.0 - PARTITION_HEIGHT / 2.0;
        let brokers = (0..brokers)
            .map(|b| Point {
                x: PARTITION_X + 16.0 + b as f32 * 44.0,
                y: bottom + 22.0,
            })
            .collect();
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
            dlq: Point {
                x: PARTITION_X + PARTITION_WIDTH - 40.0,
                y: bottom + 22.0,
            },
            height: bottom + 52.0,
        }
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
}
