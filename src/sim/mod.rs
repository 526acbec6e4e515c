//! The simulation core: one deterministic, sans-IO discrete-event engine for both worlds.
//!
//! This module must not know about the browser, the wall clock or any I/O. Time is
//! virtual ([`SimTime`]), randomness comes from one seed forked per component
//! ([`rng::SimRng`]), and all state is `Clone` so the UI can snapshot it for time travel.

pub mod causes;
pub mod chunked;
mod consumers;
mod context;
pub mod dist;
mod engine;
pub mod episodes;
pub mod exercise;
pub mod exercises;
mod faults;
pub mod goal;
pub mod ids;
pub mod ledger;
mod log;
pub mod metrics;
pub mod presets;
pub mod problem;
pub mod queue;
mod report;
pub mod rng;
pub mod scenario;
pub mod schema;
mod services;
pub mod sweep;
mod time;
mod topology;
pub mod trace;
mod why;
mod wiring;

pub use consumers::Group;
pub use engine::{Simulation, TRACE_CAPACITY};
pub use ledger::{EffectCounts, KindCounts};
pub use log::{Entry, Log, Partition};
pub use problem::{Problem, ProblemCode};
pub use report::{EventWorldReport, GroupReport, Report, ServiceEffects, WorldReport};
pub use scenario::Action;
pub use scenario::{Scenario, ScenarioError};
pub use services::{Health, ServiceView};
pub use time::SimTime;
pub use topology::Topology;
