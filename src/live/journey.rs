//! Following one request: its steps in each world, read back from the trace ring.

use crate::sim::Simulation;
use crate::sim::trace::{Reason, TraceKind, World};

/// One step of a request's journey. Services and groups are names, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Arrival {
        kind: String,
    },
    Call {
        from: String,
        to: String,
        attempt: u8,
    },
    CallFailed {
        from: String,
        to: String,
        reason: Reason,
    },
    Work {
        service: String,
    },
    Lost {
        service: String,
        reason: Reason,
    },
    Responded {
        ok: bool,
        latency_ms: f64,
    },
    Appended {
        partition: u16,
        offset: u64,
    },
    Fetched {
        group: String,
        instance: u8,
        redelivery: bool,
        /// Events in the poll it came in.
        batch: u16,
    },
    Processed {
        group: String,
    },
    DeadLettered {
        group: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct JourneyStep {
    pub time_ms: f64,
    pub step: Step,
}

/// The request's steps per world (sync, event), oldest first; empty if it left the trace ring.
pub fn journey(sim: &Simulation, request: u64) -> [Vec<JourneyStep>; 2] {
    let topology = sim.topology();
    let name = |s: u8| topology.name(s as usize).to_string();
    let mut worlds: [Vec<JourneyStep>; 2] = [Vec::new(), Vec::new()];
    let (events, _) = sim.trace().since(0);
    for event in events {
        let step = match event.kind {
            TraceKind::Arrival { request: r, kind } if r == request => Step::Arrival {
                kind: topology
                    .kind_names
                    .get(kind as usize)
                    .cloned()
                    .unwrap_or_default(),
            },
            TraceKind::CallSent {
                request: r,
                from,
                to,
                attempt,
            } if r == request => Step::Call {
                from: name(from),
                to: name(to),
                attempt,
            },
            TraceKind::CallFailed {
                request: r,
                from,
                to,
                reason,
            } if r == request => Step::CallFailed {
                from: name(from),
                to: name(to),
                reason,
            },
            TraceKind::WorkDone {
                request: r,
                service,
                ok: true,
            } if r == request => Step::Work {
                service: name(service),
            },
            TraceKind::Lost {
                request: r,
                service,
                reason,
            } if r == request => Step::Lost {
                service: name(service),
                reason,
            },
            TraceKind::Responded {
                request: r,
                ok,
                latency_us,
            } if r == request => Step::Responded {
                ok,
                latency_ms: latency_us as f64 / 1_000.0,
            },
            TraceKind::Appended {
                request: r,
                partition,
                offset,
            } if r == request => Step::Appended { partition, offset },
            TraceKind::Fetched {
                request: r,
                group,
                instance,
                redelivery,
                batch,
                ..
            } if r == request => Step::Fetched {
                group: name(group),
                instance,
                redelivery,
                batch,
            },
            TraceKind::Processed {
                request: r,
                group,
                ok: true,
                ..
            } if r == request => Step::Processed { group: name(group) },
            TraceKind::DeadLettered {
                request: r, group, ..
            } if r == request => Step::DeadLettered { group: name(group) },
            _ => continue,
        };
        worlds[event.world.index()].push(JourneyStep {
            time_ms: event.time_us as f64 / 1_000.0,
            step,
        });
    }
    worlds
}

/// Convenience for the UI: whether anything of `request` is still in the trace.
pub fn is_traced(journey: &[Vec<JourneyStep>; 2]) -> bool {
    World::BOTH.iter().any(|w| !journey[w.index()].is_empty())
}

/// A request slower than this, or an event processed this long after it was appended, was delayed.
pub const DELAYED_MS: f64 = 1_000.0;

/// When a request's journey went wrong in one world, and the services involved (none: any).
fn trouble(steps: &[JourneyStep]) -> Option<(f64, f64, Vec<&str>)> {
    let appended_ms = steps.iter().find_map(|s| match s.step {
        Step::Appended { .. } => Some(s.time_ms),
        _ => None,
    });
    steps.iter().find_map(|s| {
        let t = s.time_ms;
        match &s.step {
            Step::CallFailed { from, to, .. } => {
                Some((t - DELAYED_MS, t, vec![from.as_str(), to.as_str()]))
            }
            Step::Lost { service, .. } => Some((t - DELAYED_MS, t, vec![service.as_str()])),
            Step::Responded { ok: false, .. } => Some((t - DELAYED_MS, t, Vec::new())),
            Step::Responded {
                ok: true,
                latency_ms,
            } if *latency_ms >= DELAYED_MS => Some((t - latency_ms, t, Vec::new())),
            Step::Processed { group } | Step::DeadLettered { group } => {
                let since = appended_ms?;
                (t - since >= DELAYED_MS).then(|| (since, t, vec![group.as_str()]))
            }
            _ => None,
        }
    })
}

/// Why this request failed or was delayed in `world`, from the run's causes at that moment.
pub fn cause_of(
    sim: &Simulation,
    world: World,
    steps: &[JourneyStep],
) -> Option<crate::sim::causes::Cause> {
    let (from_ms, to_ms, services) = trouble(steps)?;
    sim.causes()
        .of(world)
        .filter(|c| c.overlaps(from_ms, to_ms))
        .filter(|c| services.is_empty() || c.chain.iter().any(|s| services.contains(&s.as_str())))
        .max_by_key(|c| c.count)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    #[test]
    fn a_signup_is_called_in_the_sync_world_and_appended_then_fetched_in_the_event_world() {
        let mut sim = Simulation::new(preset("happy-path").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(5_000));
        // Find a sign-up (kind 0) from the first second; it has long settled by 5 s.
        let (mut events, _) = sim.trace().since(0);
        let request = events
            .find_map(|e| match e.kind {
                TraceKind::Arrival { request, kind: 0 } => Some(request),
                _ => None,
            })
            .unwrap();
        let [sync, event] = journey(&sim, request);
        assert!(is_traced(&[sync.clone(), event.clone()]));
        assert_eq!(
            sync[0].step,
            Step::Arrival {
                kind: "signup".into()
            }
        );
        let calls: Vec<&str> = sync
            .iter()
            .filter_map(|s| match &s.step {
                Step::Call { to, .. } => Some(to.as_str()),
                _ => None,
            })
            .collect();
        for callee in ["email", "template", "analytics", "cache"] {
            assert!(calls.contains(&callee), "sync calls {callee}: {calls:?}");
        }
        assert!(
            sync.iter()
                .any(|s| matches!(s.step, Step::Responded { ok: true, .. }))
        );
        assert!(
            event
                .iter()
                .any(|s| matches!(s.step, Step::Appended { .. }))
        );
        let fetched_by: Vec<&str> = event
            .iter()
            .filter_map(|s| match &s.step {
                Step::Fetched { group, .. } => Some(group.as_str()),
                _ => None,
            })
            .collect();
        for group in ["email", "analytics", "cache"] {
            assert!(
                fetched_by.contains(&group),
                "event fetched by {group}: {fetched_by:?}"
            );
        }
        assert!(sync.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
    }

    #[test]
    fn an_unknown_request_has_no_journey() {
        let sim = Simulation::new(preset("happy-path").unwrap()).unwrap();
        assert!(!is_traced(&journey(&sim, 12_345)));
    }

    #[test]
    fn a_failed_request_is_told_why_from_the_runs_causes() {
        let mut sim = Simulation::new(preset("killed-consumer").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(30_000));
        // A request the sync world failed while analytics was down.
        let (mut events, _) = sim.trace().since(0);
        let request = events
            .find_map(|e| match e.kind {
                TraceKind::Responded {
                    request, ok: false, ..
                } if e.world == World::Sync => Some(request),
                _ => None,
            })
            .expect("a failed request in the trace");
        let [sync, event] = journey(&sim, request);
        let cause = cause_of(&sim, World::Sync, &sync).expect("a cause for the failure");
        assert_eq!(cause.root, "analytics");
        assert!(cause.chain.contains(&"analytics".to_string()), "{cause:?}");
        assert_eq!(
            cause_of(&sim, World::Event, &event)
                .map(|c| c.mechanism)
                .filter(|m| !m.is_lag()),
            None
        );
    }
}
