//! The simulation core: one deterministic, sans-IO discrete-event engine for both worlds.
//!
//! This module must not know about the browser, the wall clock or any I/O. Time is
//! virtual ([`SimTime`]), randomness comes from one seed, and all state is `Clone`
//! so the UI can snapshot it for time travel.

mod time;

pub use time::SimTime;
