//! Service-time and delay distributions, as written in scenario JSON and as sampled.

use super::problem::Problem;
use super::rng::SimRng;
use super::time::SimTime;
use rand_distr::{Distribution, Exp, LogNormal};
use serde::{Deserialize, Serialize};

/// z for the 99th percentile of the standard normal distribution.
const Z_P99: f64 = 2.326_347_874_040_841;

/// A distribution of durations in milliseconds, e.g. `{"kind": "exponential", "mean": 20}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DurationDist {
    Constant {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Exponential {
        mean: f64,
    },
    /// Lognormal, given the way people describe latency: its median and its p99.
    Lognormal {
        median: f64,
        p99: f64,
    },
}

impl DurationDist {
    /// Checks the parameters; the error says which one is wrong and why.
    pub fn validate(&self) -> Result<(), (&'static str, Problem)> {
        let sane = |name: &'static str, value: f64| {
            if !value.is_finite() || !(0.0..=3_600_000.0).contains(&value) {
                Err((name, Problem::range(0, 3_600_000, value)))
            } else {
                Ok(())
            }
        };
        match *self {
            DurationDist::Constant { value } => sane("value", value),
            DurationDist::Uniform { min, max } => {
                sane("min", min)?;
                sane("max", max)?;
                if max < min {
                    return Err((
                        "max",
                        Problem::NotBelow {
                            other: "min".into(),
                            min: min.to_string(),
                            got: max.to_string(),
                        },
                    ));
                }
                Ok(())
            }
            DurationDist::Exponential { mean } => {
                sane("mean", mean)?;
                if mean <= 0.0 {
                    return Err((
                        "mean",
                        Problem::AboveZero {
                            got: mean.to_string(),
                        },
                    ));
                }
                Ok(())
            }
            DurationDist::Lognormal { median, p99 } => {
                sane("median", median)?;
                sane("p99", p99)?;
                if median <= 0.0 {
                    return Err((
                        "median",
                        Problem::AboveZero {
                            got: median.to_string(),
                        },
                    ));
                }
                if p99 <= median {
                    return Err((
                        "p99",
                        Problem::Above {
                            other: "median".into(),
                            min: median.to_string(),
                            got: p99.to_string(),
                        },
                    ));
                }
                Ok(())
            }
        }
    }

    /// The distribution's mean in milliseconds (used by oracles and the UI).
    pub fn mean_ms(&self) -> f64 {
        match *self {
            DurationDist::Constant { value } => value,
            DurationDist::Uniform { min, max } => (min + max) / 2.0,
            DurationDist::Exponential { mean } => mean,
            DurationDist::Lognormal { median, p99 } => {
                let sigma = (p99 / median).ln() / Z_P99;
                median * (sigma * sigma / 2.0).exp()
            }
        }
    }

    /// The same shape stretched so its mean is `mean_ms` (a sweep of service time).
    pub fn with_mean_ms(&self, mean_ms: f64) -> DurationDist {
        let factor = mean_ms / self.mean_ms().max(1e-9);
        match *self {
            DurationDist::Constant { value } => DurationDist::Constant {
                value: value * factor,
            },
            DurationDist::Uniform { min, max } => DurationDist::Uniform {
                min: min * factor,
                max: max * factor,
            },
            DurationDist::Exponential { mean } => DurationDist::Exponential {
                mean: mean * factor,
            },
            DurationDist::Lognormal { median, p99 } => DurationDist::Lognormal {
                median: median * factor,
                p99: p99 * factor,
            },
        }
    }

    /// Prepares a sampler; call only on a validated distribution.
    pub fn sampler(&self) -> Sampler {
        match *self {
            DurationDist::Constant { value } => Sampler::Constant(SimTime::from_ms_f64(value)),
            DurationDist::Uniform { min, max } => Sampler::Uniform {
                min_ms: min,
                span_ms: max - min,
            },
            DurationDist::Exponential { mean } => {
                Sampler::Exponential(Exp::new(1.0 / mean.max(1e-9)).expect("validated mean"))
            }
            DurationDist::Lognormal { median, p99 } => {
                let sigma = (p99 / median).ln() / Z_P99;
                Sampler::Lognormal(LogNormal::new(median.ln(), sigma).expect("validated lognormal"))
            }
        }
    }
}

/// A ready-to-draw form of [`DurationDist`].
#[derive(Clone, Debug)]
pub enum Sampler {
    Constant(SimTime),
    Uniform { min_ms: f64, span_ms: f64 },
    Exponential(Exp<f64>),
    Lognormal(LogNormal<f64>),
}

impl Sampler {
    /// Draws one duration, scaled by `factor` (the `slow` fault's multiplier).
    pub fn sample(&self, rng: &mut SimRng, factor: f64) -> SimTime {
        let ms = match self {
            Sampler::Constant(t) => return SimTime::from_ms_f64(t.as_ms_f64() * factor),
            Sampler::Uniform { min_ms, span_ms } => min_ms + span_ms * rng.unit(),
            Sampler::Exponential(exp) => exp.sample(rng.inner()),
            Sampler::Lognormal(lognormal) => lognormal.sample(rng.inner()),
        };
        SimTime::from_ms_f64(ms * factor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_mean(dist: &DurationDist, n: usize) -> f64 {
        let sampler = dist.sampler();
        let mut rng = SimRng::fork(9, 9);
        (0..n)
            .map(|_| sampler.sample(&mut rng, 1.0).as_ms_f64())
            .sum::<f64>()
            / n as f64
    }

    #[test]
    fn sample_means_match_the_stated_means() {
        // 200k draws; tolerance 1.5 % is above 5 standard errors for each of these.
        for dist in [
            DurationDist::Constant { value: 7.0 },
            DurationDist::Uniform {
                min: 2.0,
                max: 10.0,
            },
            DurationDist::Exponential { mean: 20.0 },
            DurationDist::Lognormal {
                median: 10.0,
                p99: 40.0,
            },
        ] {
            let mean = sample_mean(&dist, 200_000);
            let expected = dist.mean_ms();
            assert!(
                (mean - expected).abs() / expected < 0.015,
                "{dist:?}: mean {mean} vs {expected}"
            );
        }
    }

    #[test]
    fn lognormal_hits_its_median_and_p99() {
        let dist = DurationDist::Lognormal {
            median: 10.0,
            p99: 40.0,
        };
        let sampler = dist.sampler();
        let mut rng = SimRng::fork(3, 3);
        let mut draws: Vec<f64> = (0..100_000)
            .map(|_| sampler.sample(&mut rng, 1.0).as_ms_f64())
            .collect();
        draws.sort_by(f64::total_cmp);
        let median = draws[50_000];
        let p99 = draws[99_000];
        assert!((median - 10.0).abs() < 0.3, "median {median}");
        assert!((p99 - 40.0).abs() < 2.0, "p99 {p99}");
    }

    #[test]
    fn bad_parameters_name_the_field() {
        assert_eq!(
            DurationDist::Exponential { mean: 0.0 }
                .validate()
                .unwrap_err()
                .0,
            "mean"
        );
        assert_eq!(
            DurationDist::Uniform { min: 5.0, max: 1.0 }
                .validate()
                .unwrap_err()
                .0,
            "max"
        );
        assert_eq!(
            DurationDist::Lognormal {
                median: 10.0,
                p99: 5.0
            }
            .validate()
            .unwrap_err()
            .0,
            "p99"
        );
        assert_eq!(
            DurationDist::Constant { value: f64::NAN }
                .validate()
                .unwrap_err()
                .0,
            "value"
        );
    }

    #[test]
    fn the_slow_factor_scales_every_draw() {
        let sampler = DurationDist::Constant { value: 4.0 }.sampler();
        let mut rng = SimRng::fork(1, 1);
        assert_eq!(sampler.sample(&mut rng, 3.0), SimTime::from_ms(12));
    }
}
