//! The stages and charts as tables, for readers who cannot see the drawings: rows read from the
//! snapshot and the chart series, refreshed by the page at most twice a second.

use super::charts::{ChartData, Series};
use super::frame::{Frame, NodeState};
use crate::i18n::Key;
use crate::sim::trace::World;
use std::collections::BTreeMap;

/// The shortest wall time between two refreshes of an open table.
pub const REFRESH_MS: f64 = 500.0;

/// One service in one world's table.
#[derive(Clone, Debug, PartialEq)]
pub struct StageRow {
    pub service: usize,
    pub name: String,
    pub state: NodeState,
    pub slow_factor: f64,
    pub busy: u32,
    pub workers: u32,
    pub queued: u32,
    pub queue_capacity: u32,
    /// Event world, consumer groups only: events written but not yet read.
    pub lag: Option<u64>,
    /// Times the service did its work, replays included.
    pub done: u64,
}

/// The services present in one world, in the drawing's order.
pub fn stage_rows(frame: &Frame, world: World) -> Vec<StageRow> {
    frame.nodes[world.index()]
        .iter()
        .enumerate()
        .filter(|(_, node)| node.present)
        .map(|(service, node)| StageRow {
            service,
            name: node.name.clone(),
            state: node.state(),
            slow_factor: node.slow_factor,
            busy: node.busy,
            workers: node.workers,
            queued: node.queued,
            queue_capacity: node.queue_capacity,
            lag: match world {
                World::Event => frame.group(service).map(|g| g.lag),
                World::Sync => None,
            },
            done: node.executions,
        })
        .collect()
}

/// A column of a chart's table: which line, and in which world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub line: Key,
    pub world: World,
}

/// One chart's data: a row per time bucket, a cell per line (empty where the line has no point).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartTable {
    pub columns: Vec<Column>,
    /// (bucket middle in simulated seconds, one value per column).
    pub rows: Vec<(f64, Vec<Option<f64>>)>,
}

/// The lines of chart `index` (in [`crate::live::charts`] order: success, latency, lost and
/// duplicated, lag), each with the key of its name.
fn lines(data: &ChartData, index: usize) -> Vec<(Column, &Series)> {
    fn both(line: Key, series: &[Series; 2]) -> [(Column, &Series); 2] {
        World::BOTH.map(|world| (Column { line, world }, &series[world.index()]))
    }
    match index {
        0 => both(Key::ChartSuccess, &data.success).to_vec(),
        1 => [
            both(Key::TableLatency, &data.latency_ms_p99),
            both(Key::TableConsistency, &data.consistency_ms_p99),
        ]
        .concat(),
        2 => [
            both(Key::TableLost, &data.lost_cumulative),
            both(Key::TableDuplicated, &data.duplicated_cumulative),
        ]
        .concat(),
        _ => vec![(
            Column {
                line: Key::ChartLag,
                world: World::Event,
            },
            &data.lag,
        )],
    }
}

/// Chart `index` as a table, its rows in time order.
pub fn chart_table(data: &ChartData, index: usize) -> ChartTable {
    let lines = lines(data, index);
    // Keyed by whole microseconds, so the same bucket in two series is one row.
    let mut rows: BTreeMap<u64, Vec<Option<f64>>> = BTreeMap::new();
    for (column, (_, series)) in lines.iter().enumerate() {
        for &(at_s, value) in series.iter() {
            let row = rows
                .entry((at_s * 1e6).round() as u64)
                .or_insert_with(|| vec![None; lines.len()]);
            row[column] = Some(value);
        }
    }
    ChartTable {
        columns: lines.iter().map(|(c, _)| *c).collect(),
        rows: rows
            .into_iter()
            .map(|(at_us, values)| (at_us as f64 / 1e6, values))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::scenario::Target;
    use crate::sim::{Action, SimTime, Simulation};

    fn run(name: &str, ms: u64) -> Simulation {
        let mut sim = Simulation::new(preset(name).expect("preset")).expect("valid");
        sim.run_until(SimTime::from_ms(ms));
        sim
    }

    #[test]
    fn a_stage_table_lists_every_service_with_its_state_and_counts() {
        let mut sim = run("happy-path", 5_000);
        sim.inject(Action::Kill(Target::Service("analytics".into())))
            .expect("kill");
        sim.run_until(SimTime::from_ms(8_000));
        let frame = Frame::of(&sim);
        for world in World::BOTH {
            let rows = stage_rows(&frame, world);
            let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(names, ["signup", "email", "template", "analytics", "cache"]);
            let analytics = rows.iter().find(|r| r.name == "analytics").expect("row");
            assert_eq!(analytics.state, NodeState::Killed);
            assert!(rows.iter().all(|r| r.busy <= r.workers));
            let email = rows.iter().find(|r| r.name == "email").expect("row");
            assert!(email.done > 0, "{world:?}: email did work");
        }
        // Lag is a consumer group's: the killed analytics group falls behind, the entry has none.
        let event = stage_rows(&frame, World::Event);
        assert_eq!(event[0].lag, None);
        assert!(event[3].lag.is_some_and(|lag| lag > 0), "{:?}", event[3]);
        assert!(
            stage_rows(&frame, World::Sync)
                .iter()
                .all(|r| r.lag.is_none())
        );
    }

    #[test]
    fn a_chart_table_holds_every_point_of_every_line() {
        let data = ChartData::of(&run("signup", 40_000));
        for index in 0..4 {
            let table = chart_table(&data, index);
            let lines = lines(&data, index);
            assert_eq!(table.columns.len(), lines.len());
            for (column, (_, series)) in lines.iter().enumerate() {
                let cells: Vec<(f64, f64)> = table
                    .rows
                    .iter()
                    .filter_map(|(at, values)| values[column].map(|v| (*at, v)))
                    .collect();
                assert_eq!(cells.len(), series.len(), "chart {index}, column {column}");
                for ((at, v), (sat, sv)) in cells.iter().zip(series.iter()) {
                    assert!((at - sat).abs() < 1e-6 && v == sv);
                }
            }
            assert!(table.rows.windows(2).all(|w| w[0].0 < w[1].0));
        }
        assert!(!chart_table(&data, 0).rows.is_empty());
    }
}
