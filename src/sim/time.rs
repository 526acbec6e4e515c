//! Virtual time: an integer count of simulated microseconds.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in simulated time, in microseconds since the start of the run.
///
/// Integer time keeps runs bit-for-bit identical natively and in wasm: floating
/// point accumulation would let the two drift apart.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub const fn from_us(us: u64) -> SimTime {
        SimTime(us)
    }

    pub const fn from_ms(ms: u64) -> SimTime {
        SimTime(ms.saturating_mul(1_000))
    }

    /// Converts fractional milliseconds, rounding to the nearest microsecond and
    /// clamping negatives and NaN to zero.
    pub fn from_ms_f64(ms: f64) -> SimTime {
        if ms.is_nan() || ms <= 0.0 {
            return SimTime::ZERO;
        }
        let us = (ms * 1_000.0).round();
        if us >= u64::MAX as f64 {
            SimTime::MAX
        } else {
            SimTime(us as u64)
        }
    }

    pub const fn as_us(self) -> u64 {
        self.0
    }

    pub fn as_ms_f64(self) -> f64 {
        self.0 as f64 / 1_000.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }

    /// The time between `earlier` and `self`, or zero if `earlier` is later.
    pub const fn saturating_since(self, earlier: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(earlier.0))
    }
}

impl Add for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for SimTime {
    fn add_assign(&mut self, rhs: SimTime) {
        *self = *self + rhs;
    }
}

impl Sub for SimTime {
    type Output = SimTime;
    fn sub(self, rhs: SimTime) -> SimTime {
        self.saturating_since(rhs)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} ms", self.as_ms_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_and_clamp() {
        assert_eq!(SimTime::from_ms(3), SimTime(3_000));
        assert_eq!(SimTime::from_ms_f64(1.2345), SimTime(1_235));
        assert_eq!(SimTime::from_ms_f64(-5.0), SimTime::ZERO);
        assert_eq!(SimTime::from_ms_f64(f64::NAN), SimTime::ZERO);
        assert_eq!(SimTime::from_ms_f64(f64::INFINITY), SimTime::MAX);
        assert_eq!(SimTime(2_500).as_ms_f64(), 2.5);
    }

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(SimTime::MAX + SimTime(1), SimTime::MAX);
        assert_eq!(SimTime(1) - SimTime(5), SimTime::ZERO);
        assert_eq!(SimTime(9).saturating_since(SimTime(4)), SimTime(5));
    }
}
