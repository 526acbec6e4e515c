//! The counters causes are computed from, kept as the core runs: time integrals of what each
//! service's jobs are doing, and failures by mechanism on each edge.
//!
//! Every call in a tree has one caller, so an edge is named by its callee. A time integral
//! is updated only when a job changes state, so the cost per event is a few additions; the
//! trace is never re-read.

use crate::sim::trace::{Reason, World};

/// The ways a call into a service can finally fail, as counted on its edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    Refused,
    Rejected,
    Timeout,
    Error,
    Crash,
    CircuitOpen,
    /// The callee could not read the version of the request (a breaking change).
    Schema,
}

impl Failure {
    pub const ALL: [Failure; 7] = [
        Failure::Refused,
        Failure::Rejected,
        Failure::Timeout,
        Failure::Error,
        Failure::Crash,
        Failure::CircuitOpen,
        Failure::Schema,
    ];

    /// The failure a call's reason counts as; reasons that never end a call count as errors.
    #[inline]
    pub fn of(reason: Reason) -> Failure {
        match reason {
            Reason::Refused => Failure::Refused,
            Reason::Rejected => Failure::Rejected,
            Reason::Timeout => Failure::Timeout,
            Reason::Crash => Failure::Crash,
            Reason::CircuitOpen => Failure::CircuitOpen,
            Reason::Schema => Failure::Schema,
            _ => Failure::Error,
        }
    }
}

/// How many jobs are in one state, and the job-microseconds spent in it so far.
///
/// Kept as sums of entry and exit times, so a change is two additions: the time in the
/// state is the exits minus the entries, plus `now` for each job still in it. The sums
/// wrap, and the difference is exact as long as the true total fits in 64 bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Integral {
    count: u64,
    entered_us: u64,
    left_us: u64,
}

impl Integral {
    #[inline]
    pub fn enter(&mut self, now_us: u64) {
        self.count += 1;
        self.entered_us = self.entered_us.wrapping_add(now_us);
    }

    #[inline]
    pub fn leave(&mut self, now_us: u64) {
        if self.count > 0 {
            self.count -= 1;
            self.left_us = self.left_us.wrapping_add(now_us);
        }
    }

    /// Job-microseconds up to `now_us`.
    pub fn total_at(&self, now_us: u64) -> u64 {
        self.left_us
            .wrapping_sub(self.entered_us)
            .wrapping_add(self.count.wrapping_mul(now_us))
    }
}

/// One service's counters in one world.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceCounters {
    /// Jobs doing the service's own work.
    pub working: Integral,
    /// Jobs held by a hung service.
    pub stuck: Integral,
    /// Caller jobs waiting on a call into this service (retries and backoff included).
    pub waited_on: Integral,
    /// Jobs that had to wait in the queue.
    pub queued: u64,
    /// Attempts sent into this service, and how many of them were retries.
    pub calls: u64,
    pub retries: u64,
    /// Arrivals refused (down or removed) or rejected (queue full), own work that failed,
    /// and jobs dropped by a crash or restart.
    pub refused: u64,
    pub rejected: u64,
    pub errors: u64,
    pub crashed: u64,
    /// Attempts into this service that failed, by failure.
    pub attempts_failed: [u64; 7],
    /// Calls into this service that failed for good (retries spent), by failure.
    pub gave_up: [u64; 7],
}

/// Plain totals of one service's counters at one moment, so two moments can be subtracted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceTotals {
    pub working_us: u64,
    pub stuck_us: u64,
    pub waited_on_us: u64,
    pub queued: u64,
    pub calls: u64,
    pub retries: u64,
    pub refused: u64,
    pub rejected: u64,
    pub errors: u64,
    pub crashed: u64,
    pub attempts_failed: [u64; 7],
    pub gave_up: [u64; 7],
}

impl ServiceCounters {
    fn totals(&self, now_us: u64) -> ServiceTotals {
        ServiceTotals {
            working_us: self.working.total_at(now_us),
            stuck_us: self.stuck.total_at(now_us),
            waited_on_us: self.waited_on.total_at(now_us),
            queued: self.queued,
            calls: self.calls,
            retries: self.retries,
            refused: self.refused,
            rejected: self.rejected,
            errors: self.errors,
            crashed: self.crashed,
            attempts_failed: self.attempts_failed,
            gave_up: self.gave_up,
        }
    }
}

fn minus(a: [u64; 7], b: [u64; 7]) -> [u64; 7] {
    std::array::from_fn(|i| a[i].saturating_sub(b[i]))
}

impl ServiceTotals {
    fn since(&self, start: &ServiceTotals) -> ServiceTotals {
        ServiceTotals {
            working_us: self.working_us.saturating_sub(start.working_us),
            stuck_us: self.stuck_us.saturating_sub(start.stuck_us),
            waited_on_us: self.waited_on_us.saturating_sub(start.waited_on_us),
            queued: self.queued.saturating_sub(start.queued),
            calls: self.calls.saturating_sub(start.calls),
            retries: self.retries.saturating_sub(start.retries),
            refused: self.refused.saturating_sub(start.refused),
            rejected: self.rejected.saturating_sub(start.rejected),
            errors: self.errors.saturating_sub(start.errors),
            crashed: self.crashed.saturating_sub(start.crashed),
            attempts_failed: minus(self.attempts_failed, start.attempts_failed),
            gave_up: minus(self.gave_up, start.gave_up),
        }
    }

    /// Final failures on this edge, all mechanisms together.
    pub fn gave_up_total(&self) -> u64 {
        self.gave_up.iter().sum()
    }

    pub fn gave_up_as(&self, failure: Failure) -> u64 {
        self.gave_up[failure as usize]
    }

    pub fn attempts_failed_as(&self, failure: Failure) -> u64 {
        self.attempts_failed[failure as usize]
    }
}

/// One world's counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorldCounters {
    services: Vec<ServiceCounters>,
    /// Requests answered with failure.
    pub user_failed: u64,
    /// Effects lost because a broker crashed or had no leader (the event world's log).
    pub lost_on_broker: u64,
    /// Effects lost because retention deleted the event before a group read it.
    pub lost_to_retention: u64,
    /// Requests the event world's producer gave up on (no acknowledgement in time).
    pub producer_failed: u64,
    /// Requests whose event a schema registry refused at the producer.
    pub schema_refused: u64,
}

/// One world's totals at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorldTotals {
    pub services: Vec<ServiceTotals>,
    pub user_failed: u64,
    pub lost_on_broker: u64,
    pub lost_to_retention: u64,
    pub producer_failed: u64,
    pub schema_refused: u64,
}

impl WorldTotals {
    /// What happened between `start` and this moment.
    pub fn since(&self, start: &WorldTotals) -> WorldTotals {
        let empty = ServiceTotals::default();
        let services = self
            .services
            .iter()
            .enumerate()
            .map(|(s, now)| now.since(start.services.get(s).unwrap_or(&empty)))
            .collect();
        WorldTotals {
            services,
            user_failed: self.user_failed.saturating_sub(start.user_failed),
            lost_on_broker: self.lost_on_broker.saturating_sub(start.lost_on_broker),
            lost_to_retention: self
                .lost_to_retention
                .saturating_sub(start.lost_to_retention),
            producer_failed: self.producer_failed.saturating_sub(start.producer_failed),
            schema_refused: self.schema_refused.saturating_sub(start.schema_refused),
        }
    }

    /// One service's totals (zero for a service this window never saw).
    pub fn service(&self, service: usize) -> ServiceTotals {
        self.services.get(service).cloned().unwrap_or_default()
    }
}

impl WorldCounters {
    /// One service's counters, growing the table for a service added at run time.
    #[inline]
    pub fn service(&mut self, service: usize) -> &mut ServiceCounters {
        if service >= self.services.len() {
            self.services
                .resize(service + 1, ServiceCounters::default());
        }
        &mut self.services[service]
    }

    pub fn totals(&self, now_us: u64) -> WorldTotals {
        WorldTotals {
            services: self.services.iter().map(|s| s.totals(now_us)).collect(),
            user_failed: self.user_failed,
            lost_on_broker: self.lost_on_broker,
            lost_to_retention: self.lost_to_retention,
            producer_failed: self.producer_failed,
            schema_refused: self.schema_refused,
        }
    }

    pub fn approx_bytes(&self) -> usize {
        self.services.capacity() * size_of::<ServiceCounters>()
    }
}

/// Both worlds' counters: what `Cx` carries for every part to write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CauseCounters {
    worlds: [WorldCounters; 2],
}

impl CauseCounters {
    #[inline]
    pub fn world(&mut self, world: World) -> &mut WorldCounters {
        &mut self.worlds[world.index()]
    }

    pub fn totals(&self, world: World, now_us: u64) -> WorldTotals {
        self.worlds[world.index()].totals(now_us)
    }

    pub fn approx_bytes(&self) -> usize {
        self.worlds.iter().map(WorldCounters::approx_bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integral_counts_job_time_between_changes() {
        let mut waiting = Integral::default();
        waiting.enter(1_000);
        waiting.enter(2_000);
        waiting.leave(5_000);
        // One job from 1,000 to 5,000 and one from 2,000 on: 4,000 + 3,000, then 1 more.
        assert_eq!(waiting.total_at(5_000), 7_000);
        assert_eq!(waiting.total_at(6_000), 8_000);
    }

    #[test]
    fn totals_subtract_to_a_window() {
        let mut counters = WorldCounters::default();
        counters.service(2).rejected = 5;
        let start = counters.totals(0);
        counters.service(2).rejected = 12;
        counters.service(3).working.enter(100);
        let window = counters.totals(1_100).since(&start);
        assert_eq!(window.service(2).rejected, 7);
        assert_eq!(window.service(3).working_us, 1_000);
        assert_eq!(window.service(9), ServiceTotals::default());
    }
}
