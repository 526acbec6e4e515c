//! The simulation core: one deterministic, sans-IO discrete-event engine for both worlds.
//!
//! This module must not know about the browser, the wall clock or any I/O. Time is
//! virtual ([`SimTime`]), randomness comes from one seed forked per component
//! ([`rng::SimRng`]), and all state is `Clone` so the UI can snapshot it for time travel.

pub mod dist;
pub mod ledger;
pub mod metrics;
pub mod queue;
pub mod rng;
pub mod scenario;
mod time;
pub mod trace;

pub use scenario::{Scenario, ScenarioError};
pub use time::SimTime;
