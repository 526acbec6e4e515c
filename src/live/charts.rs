//! Chart data: per-bucket series for both worlds on one time axis, read from the core's time series.

use crate::sim::Action;
use crate::sim::Simulation;
use crate::sim::metrics::Bucket;

/// One point per time bucket: (bucket middle in seconds, value).
pub type Series = Vec<(f64, f64)>;

/// Everything the four charts draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    /// Simulated seconds shown on the shared x axis.
    pub span_s: f64,
    /// Per world (sync, event): share of settled requests that succeeded, per bucket.
    pub success: [Series; 2],
    /// Per world: p99 latency in milliseconds, per bucket.
    pub latency_ms_p99: [Series; 2],
    /// Per world: p99 time to consistency in milliseconds, of requests that became consistent in the bucket.
    pub consistency_ms_p99: [Series; 2],
    /// Per world: lost effects so far.
    pub lost_cumulative: [Series; 2],
    /// Per world: duplicated effects so far.
    pub duplicated_cumulative: [Series; 2],
    /// Event world: the largest lag over all groups, per bucket.
    pub lag: Series,
    /// Fault and action marks: (seconds, the action), worded by `annotate::action_text`.
    pub marks: Vec<(f64, Action)>,
}

impl ChartData {
    pub fn of(sim: &Simulation) -> ChartData {
        let series = sim.series();
        let width_s = series.width_us() as f64 / 1e6;
        let now_s = sim.now().as_secs_f64();
        // Only buckets that have started; the bucket in progress is partial but shown.
        let buckets: Vec<&Bucket> = series
            .buckets()
            .iter()
            .map(|b| &**b)
            .filter(|b| (b.start_us as f64 / 1e6) < now_s)
            .collect();
        let middle = |b: &Bucket| b.start_us as f64 / 1e6 + width_s / 2.0;
        let per_world = |f: &dyn Fn(&Bucket, usize) -> Option<f64>| -> [Series; 2] {
            [0, 1].map(|w| {
                buckets
                    .iter()
                    .filter_map(|b| f(b, w).map(|v| (middle(b), v)))
                    .collect()
            })
        };
        let success = per_world(&|b, w| {
            let world = &b.worlds[w];
            let settled = world.succeeded + world.failed;
            (settled > 0).then(|| world.succeeded as f64 / settled as f64)
        });
        let latency_ms_p99 = per_world(&|b, w| {
            let latency = &b.worlds[w].latency;
            (latency.count() > 0).then(|| latency.quantile_us(0.99) / 1_000.0)
        });
        let consistency_ms_p99 = per_world(&|b, w| {
            let waits = &b.worlds[w].consistency;
            (waits.count() > 0).then(|| waits.quantile_us(0.99) / 1_000.0)
        });
        let cumulative = |pick: fn(&Bucket, usize) -> u64| -> [Series; 2] {
            [0, 1].map(|w| {
                let mut total = 0;
                buckets
                    .iter()
                    .map(|b| {
                        total += pick(b, w);
                        (middle(b), total as f64)
                    })
                    .collect()
            })
        };
        let lag = buckets
            .iter()
            .map(|b| {
                (
                    middle(b),
                    b.lag_max.iter().copied().max().unwrap_or(0) as f64,
                )
            })
            .collect();
        ChartData {
            // A minute at least, so an early run is not squeezed against a long scenario's end.
            span_s: now_s.max(sim.end().as_secs_f64().min(60.0)),
            success,
            latency_ms_p99,
            consistency_ms_p99,
            lost_cumulative: cumulative(|b, w| b.worlds[w].effects_lost),
            duplicated_cumulative: cumulative(|b, w| b.worlds[w].effects_duplicated),
            lag,
            marks: marks(sim, now_s),
        }
    }
}

fn marks(sim: &Simulation, now_s: f64) -> Vec<(f64, Action)> {
    let mut marks: Vec<(f64, Action)> = sim
        .scenario()
        .faults
        .iter()
        .filter(|f| f.at_ms / 1_000.0 <= now_s)
        .map(|f| (f.at_ms / 1_000.0, f.action.clone()))
        .collect();
    marks.sort_by(|a, b| a.0.total_cmp(&b.0));
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    fn run_to(ms: u64) -> Simulation {
        let mut sim = Simulation::new(preset("signup").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(ms));
        sim
    }

    #[test]
    fn the_outage_shows_on_the_sync_side_only_and_is_marked() {
        let data = ChartData::of(&run_to(40_000));
        let during = |series: &Series| -> f64 {
            series
                .iter()
                .filter(|(t, _)| (22.0..34.0).contains(t))
                .map(|&(_, v)| v)
                .fold(f64::INFINITY, f64::min)
        };
        assert!(
            during(&data.success[0]) < 0.9,
            "sync sign-ups fail while analytics is down"
        );
        assert_eq!(
            during(&data.success[1]),
            1.0,
            "the event world keeps answering"
        );
        let lost = |w: usize| data.lost_cumulative[w].last().unwrap().1;
        assert!(lost(0) > 0.0);
        assert_eq!(lost(1), 0.0);
        let lag_peak = data.lag.iter().map(|&(_, v)| v).fold(0.0, f64::max);
        assert!(lag_peak > 10.0);
        let marks: Vec<(f64, String)> = data
            .marks
            .iter()
            .map(|(t, a)| {
                (
                    *t,
                    crate::live::annotate::action_text(crate::i18n::Locale::En, a),
                )
            })
            .collect();
        assert_eq!(
            marks,
            vec![
                (20.0, "kill analytics".to_string()),
                (35.0, "restore analytics".to_string())
            ]
        );
    }

    #[test]
    fn cumulative_series_never_decrease_and_nothing_is_drawn_past_now() {
        let data = ChartData::of(&run_to(12_500));
        for series in data
            .lost_cumulative
            .iter()
            .chain(&data.duplicated_cumulative)
        {
            assert!(series.windows(2).all(|w| w[0].1 <= w[1].1));
        }
        assert!(data.success[0].iter().all(|&(t, _)| t < 13.0));
        assert!(
            data.marks.is_empty(),
            "the kill at 20 s has not happened yet"
        );
        assert_eq!(data.span_s, 60.0);
    }

    #[test]
    fn time_to_consistency_is_charted_per_world_when_requests_become_consistent() {
        let mut sim = Simulation::new(preset("killed-consumer").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(75_000));
        let data = ChartData::of(&sim);
        let peak = |w: usize| {
            data.consistency_ms_p99[w]
                .iter()
                .map(|&(_, v)| v)
                .fold(0.0, f64::max)
        };
        assert_eq!(
            peak(0),
            0.0,
            "the sync world answers after its work is done"
        );
        // Restarted at 35 s, the group reads again once the old sessions expire (65 s): the
        // backlog's requests waited up to the outage plus that stall.
        assert!(peak(1) > 40_000.0, "{:?}", data.consistency_ms_p99[1]);
        let before: Vec<f64> = data.consistency_ms_p99[1]
            .iter()
            .filter(|(t, _)| *t < 19.0)
            .map(|&(_, v)| v)
            .collect();
        assert!(
            !before.is_empty() && before.iter().all(|&v| v < 500.0),
            "{before:?}"
        );
    }
}
