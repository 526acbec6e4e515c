//! Seeded randomness: one `u64` seed, forked into an independent stream per component.
//!
//! Each component (arrivals, each service in each world, the brokers...) draws from
//! its own stream, forked from the scenario seed by a fixed stream number. Adding a
//! draw in one component therefore never shifts the numbers another one sees.

use rand::Rng;
use rand_pcg::Pcg64Mcg;

/// Every stream number a run forks, named in one place so no two components share one.
pub mod streams {
    use crate::sim::trace::World;

    pub const ARRIVALS: u64 = 1;
    pub const KINDS: u64 = 2;
    pub const USERS: u64 = 3;
    pub const POISON: u64 = 4;

    /// Full-jitter draws for retries in one world (90 sync, 91 event).
    pub fn retries(world: World) -> u64 {
        90 + world.index() as u64
    }

    /// Service times and error draws of one service in one world: 100 + 64 per world + service.
    pub fn service(world: World, service: usize) -> u64 {
        100 + world.index() as u64 * 64 + service as u64
    }
}

/// A component's private random stream. `Clone` so a snapshot carries its position.
#[derive(Clone, Debug)]
pub struct SimRng(Pcg64Mcg);

/// SplitMix64's finaliser: spreads nearby stream numbers far apart.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimRng {
    /// The stream numbered `stream` of the run seeded with `seed`.
    pub fn fork(seed: u64, stream: u64) -> SimRng {
        let high = mix(seed ^ mix(stream));
        let low = mix(high ^ stream.rotate_left(17));
        SimRng(Pcg64Mcg::new(
            (u128::from(high) << 64) | u128::from(low) | 1,
        ))
    }

    /// A uniform float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// True with probability `p` (clamped to [0, 1]).
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && (p >= 1.0 || self.unit() < p)
    }

    /// A uniform integer in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.random_range(0..n.max(1))
    }

    /// Access for `rand_distr` samplers.
    pub fn inner(&mut self) -> &mut Pcg64Mcg {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_stream_repeat_exactly() {
        let mut a = SimRng::fork(42, 7);
        let mut b = SimRng::fork(42, 7);
        for _ in 0..100 {
            assert_eq!(a.unit().to_bits(), b.unit().to_bits());
        }
    }

    #[test]
    fn neighbouring_streams_and_seeds_differ() {
        let first = SimRng::fork(42, 7).unit();
        assert_ne!(first, SimRng::fork(42, 8).unit());
        assert_ne!(first, SimRng::fork(43, 7).unit());
    }

    #[test]
    fn chance_respects_its_edges_and_rate() {
        let mut rng = SimRng::fork(1, 1);
        assert!(!rng.chance(0.0));
        assert!(rng.chance(1.0));
        // 100k Bernoulli(0.3) draws: the standard error is 0.0015, so 0.01 is over 6 sigma.
        let hits = (0..100_000).filter(|_| rng.chance(0.3)).count();
        assert!((hits as f64 / 100_000.0 - 0.3).abs() < 0.01, "hits {hits}");
    }
}
