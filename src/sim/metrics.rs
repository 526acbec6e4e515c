//! Metrics: log-bucketed latency histograms and per-world time buckets that decimate when full.

use super::chunked::ChunkRef;
use serde::Serialize;
use std::rc::Rc;

/// A histogram of microsecond values with `2^BITS` sub-buckets per power of two
/// (BITS = 5 gives about 3 % resolution), covering 0 to about 50 days in fixed memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram<const BITS: u32> {
    counts: Vec<u64>,
    total: u64,
    sum_us: u128,
    max_us: u64,
}

impl<const BITS: u32> Default for Histogram<BITS> {
    fn default() -> Self {
        Histogram {
            counts: Vec::new(),
            total: 0,
            sum_us: 0,
            max_us: 0,
        }
    }
}

impl<const BITS: u32> Histogram<BITS> {
    const SUB: u64 = 1 << BITS;

    fn index(value: u64) -> usize {
        if value < 2 * Self::SUB {
            return value as usize;
        }
        let msb = 63 - u64::from(value.leading_zeros());
        let shift = msb - u64::from(BITS);
        ((shift + 1) * Self::SUB + ((value >> shift) - Self::SUB)) as usize
    }

    /// The midpoint of the values that fall in bucket `index`.
    fn value_at(index: usize) -> f64 {
        let index = index as u64;
        if index < 2 * Self::SUB {
            return index as f64;
        }
        let shift = index / Self::SUB - 1;
        let low = (Self::SUB + index % Self::SUB) << shift;
        low as f64 + ((1u64 << shift) as f64 - 1.0) / 2.0
    }

    pub fn record(&mut self, value_us: u64) {
        let index = Self::index(value_us);
        if index >= self.counts.len() {
            self.counts.resize(index + 1, 0);
        }
        self.counts[index] += 1;
        self.total += 1;
        self.sum_us += u128::from(value_us);
        self.max_us = self.max_us.max(value_us);
    }

    pub fn merge(&mut self, other: &Histogram<BITS>) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.sum_us += other.sum_us;
        self.max_us = self.max_us.max(other.max_us);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    /// Heap bytes of the counts.
    pub fn approx_bytes(&self) -> usize {
        self.counts.capacity() * 8
    }

    pub fn mean_us(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum_us as f64 / self.total as f64
        }
    }

    pub fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The value below which a fraction `q` of recorded values fall (0 when empty).
    pub fn quantile_us(&self, q: f64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Self::value_at(index).min(self.max_us as f64);
            }
        }
        self.max_us as f64
    }
}

/// Latency at report precision (about 3 %).
pub type LatencyHistogram = Histogram<5>;
/// Latency per time bucket, coarser (about 12 %) to keep buckets small.
pub type BucketHistogram = Histogram<3>;

/// One world's figures for one time bucket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorldBucket {
    pub arrivals: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub latency: BucketHistogram,
    /// Time to consistency of the requests that became consistent in this bucket.
    pub consistency: BucketHistogram,
    pub effects_done: u64,
    pub effects_duplicated: u64,
    pub effects_lost: u64,
    /// Largest sampled values during the bucket.
    pub in_flight_max: u64,
    pub busy_max: Vec<u32>,
    pub queue_max: Vec<u32>,
}

impl WorldBucket {
    fn merge(&mut self, other: &WorldBucket) {
        self.arrivals += other.arrivals;
        self.succeeded += other.succeeded;
        self.failed += other.failed;
        self.latency.merge(&other.latency);
        self.consistency.merge(&other.consistency);
        self.effects_done += other.effects_done;
        self.effects_duplicated += other.effects_duplicated;
        self.effects_lost += other.effects_lost;
        self.in_flight_max = self.in_flight_max.max(other.in_flight_max);
        merge_max(&mut self.busy_max, &other.busy_max);
        merge_max(&mut self.queue_max, &other.queue_max);
    }
}

pub(super) fn merge_max<T: Copy + Ord + Default>(mine: &mut Vec<T>, theirs: &[T]) {
    if theirs.len() > mine.len() {
        mine.resize(theirs.len(), T::default());
    }
    for (a, &b) in mine.iter_mut().zip(theirs) {
        *a = (*a).max(b);
    }
}

/// Both worlds' figures for one span of simulated time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bucket {
    pub start_us: u64,
    pub worlds: [WorldBucket; 2],
    /// Largest sampled lag per consumer group (by service index).
    pub lag_max: Vec<u64>,
}

/// Time buckets of fixed width; when `max_buckets` are full, neighbours merge and the width doubles.
#[derive(Clone, Debug)]
pub struct TimeSeries {
    width_us: u64,
    max_buckets: usize,
    /// Each bucket is shared between copies (time-travel snapshots) until one side writes it:
    /// only the bucket in progress changes, so copies share all the others.
    buckets: Vec<Rc<Bucket>>,
    /// The bucket last returned and its span, so the common case skips a division.
    cached: Option<(usize, u64, u64)>,
}

impl TimeSeries {
    pub fn new(width_us: u64, max_buckets: usize) -> TimeSeries {
        TimeSeries {
            width_us: width_us.max(1),
            max_buckets: max_buckets.max(2) & !1,
            buckets: Vec::new(),
            cached: None,
        }
    }

    pub fn width_us(&self) -> u64 {
        self.width_us
    }

    pub fn buckets(&self) -> &[Rc<Bucket>] {
        &self.buckets
    }

    /// The bucket covering `time_us`, created (and older ones decimated) as needed.
    pub fn at(&mut self, time_us: u64) -> &mut Bucket {
        if let Some((index, start, end)) = self.cached
            && (start..end).contains(&time_us)
        {
            return Rc::make_mut(&mut self.buckets[index]);
        }
        loop {
            let index = (time_us / self.width_us) as usize;
            if index < self.max_buckets {
                while self.buckets.len() <= index {
                    let start_us = self.buckets.len() as u64 * self.width_us;
                    self.buckets.push(Rc::new(Bucket {
                        start_us,
                        ..Bucket::default()
                    }));
                }
                let start = index as u64 * self.width_us;
                self.cached = Some((index, start, start + self.width_us));
                return Rc::make_mut(&mut self.buckets[index]);
            }
            self.decimate();
        }
    }

    fn decimate(&mut self) {
        let mut merged = Vec::with_capacity(self.max_buckets);
        let mut pairs = std::mem::take(&mut self.buckets).into_iter();
        while let Some(mut first) = pairs.next() {
            if let Some(second) = pairs.next() {
                let first = Rc::make_mut(&mut first);
                for world in 0..2 {
                    first.worlds[world].merge(&second.worlds[world]);
                }
                merge_max(&mut first.lag_max, &second.lag_max);
            }
            merged.push(first);
        }
        self.width_us *= 2;
        self.buckets = merged;
        self.cached = None;
    }

    /// Bytes of this copy on its own, shared buckets included in full.
    pub fn approx_bytes(&self) -> usize {
        let mut bytes = size_of::<TimeSeries>() + self.buckets.capacity() * 8;
        self.for_each_chunk(|c| bytes += c.bytes);
        bytes
    }

    /// Each bucket as a shared chunk, for a budget that counts shared ones once.
    pub fn for_each_chunk(&self, mut visit: impl FnMut(ChunkRef)) {
        for bucket in &self.buckets {
            visit(ChunkRef {
                id: Rc::as_ptr(bucket) as usize,
                bytes: bucket.approx_bytes(),
            });
        }
    }
}

impl Bucket {
    fn approx_bytes(&self) -> usize {
        let world = |w: &WorldBucket| {
            w.latency.approx_bytes()
                + w.consistency.approx_bytes()
                + (w.busy_max.capacity() + w.queue_max.capacity()) * 4
        };
        size_of::<Bucket>()
            + self.worlds.iter().map(world).sum::<usize>()
            + self.lag_max.capacity() * 8
    }
}

/// Mean, percentiles and maximum in milliseconds, as the report prints them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LatencySummary {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl LatencySummary {
    pub fn of<const BITS: u32>(histogram: &Histogram<BITS>) -> LatencySummary {
        let ms = |us: f64| (us / 1_000.0 * 1_000.0).round() / 1_000.0;
        LatencySummary {
            mean: ms(histogram.mean_us()),
            p50: ms(histogram.quantile_us(0.50)),
            p95: ms(histogram.quantile_us(0.95)),
            p99: ms(histogram.quantile_us(0.99)),
            max: ms(histogram.max_us() as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_bucket_resolution() {
        let mut histogram = LatencyHistogram::default();
        for value in 1..=100_000u64 {
            histogram.record(value);
        }
        for (q, exact) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0)] {
            let got = histogram.quantile_us(q);
            assert!(
                (got - exact).abs() / exact < 0.035,
                "q{q}: {got} vs {exact}"
            );
        }
        assert_eq!(histogram.max_us(), 100_000);
        assert!((histogram.mean_us() - 50_000.5).abs() < 1e-6);
    }

    #[test]
    fn small_values_are_exact_and_empty_is_zero() {
        let mut histogram = LatencyHistogram::default();
        assert_eq!(histogram.quantile_us(0.99), 0.0);
        histogram.record(7);
        assert_eq!(histogram.quantile_us(0.5), 7.0);
    }

    #[test]
    fn a_full_series_decimates_instead_of_growing() {
        let mut series = TimeSeries::new(1_000, 4);
        for t in 0..16u64 {
            series.at(t * 1_000).worlds[0].arrivals += 1;
        }
        assert!(series.buckets().len() <= 4);
        assert_eq!(series.width_us(), 4_000);
        let total: u64 = series.buckets().iter().map(|b| b.worlds[0].arrivals).sum();
        assert_eq!(total, 16, "decimation keeps every count");
    }
}
