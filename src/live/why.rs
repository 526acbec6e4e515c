//! Why it failed, in words: each cause told as whole sentences from translated templates.
//!
//! The figures and the chain come from the core's causes (`sim::causes`); this module only
//! picks the templates (section `why` of the text files) and fills them, so switching
//! language re-words what is shown. It also picks which causes a moment or an episode shows.

use crate::i18n::{Locale, format_duration_ms, format_number};
use crate::sim::Simulation;
use crate::sim::causes::{Cause, Mechanism, RootState, top};
use crate::sim::trace::World;
use crate::template::fill_template;

/// Every template key this module asks for (a test checks each exists in three languages).
pub const KEYS: &[&str] = &[
    "world_sync",
    "world_event",
    "own_queue_full",
    "own_refused",
    "own_error_rate",
    "own_crash",
    "edge_queue_full",
    "edge_refused",
    "edge_timeout",
    "edge_circuit_open",
    "edge_error_rate",
    "edge_crash",
    "retries",
    "queued",
    "no_leader",
    "lost_on_broker_crash",
    "consumer_down",
    "waiting_on_callee",
    "blocked_partition",
    "rebalance",
    "session_timeout",
    "edge_schema",
    "schema_refused",
    "leader_election",
    "too_few_instances",
    "retention",
    "waits",
    "chain",
    "root_killed",
    "root_killed_since",
    "root_hung",
    "root_hung_since",
    "root_slowed",
    "root_slowed_since",
    "root_removed",
    "root_overloaded",
    "root_retry_storm",
    "root_error_rate",
    "root_broker_since",
    "none",
];

/// The share of the head's worker time on the first link from which the waits are told.
pub const WAITS_TOLD: f64 = 0.5;

/// How far back from the newest a story that goes on may sit.
const RECENT_STORIES: usize = 16;

/// Causes whose span ended this close to the moment shown are "now".
pub const CURRENT_MS: f64 = 2_000.0;

fn template(locale: Locale, key: &'static str) -> &'static str {
    crate::text::text(locale, "why", key)
}

/// "Sync world" or "Event world", for a cause's label.
pub fn world_label(locale: Locale, world: World) -> &'static str {
    match world {
        World::Sync => template(locale, "world_sync"),
        World::Event => template(locale, "world_event"),
    }
}

/// What the span's first sentence says, by mechanism and place.
fn head_key(cause: &Cause) -> &'static str {
    match (cause.mechanism, cause.at_edge) {
        (Mechanism::QueueFull, false) => "own_queue_full",
        (Mechanism::Refused, false) => "own_refused",
        (Mechanism::ErrorRate, false) => "own_error_rate",
        (Mechanism::Crash, false) => "own_crash",
        (Mechanism::QueueFull, true) => "edge_queue_full",
        (Mechanism::Refused, true) => "edge_refused",
        (Mechanism::Timeout, _) => "edge_timeout",
        (Mechanism::CircuitOpen, _) => "edge_circuit_open",
        (Mechanism::ErrorRate, true) => "edge_error_rate",
        (Mechanism::Crash, true) => "edge_crash",
        (Mechanism::Queued, _) => "queued",
        (Mechanism::NoLeader, _) => "no_leader",
        (Mechanism::LostOnBrokerCrash, _) => "lost_on_broker_crash",
        (Mechanism::ConsumerDown, _) => "consumer_down",
        (Mechanism::WaitingOnCallee, _) => "waiting_on_callee",
        (Mechanism::BlockedPartition, _) => "blocked_partition",
        (Mechanism::Rebalance, _) => "rebalance",
        (Mechanism::SessionTimeout, _) => "session_timeout",
        (Mechanism::LeaderElection, _) => "leader_election",
        (Mechanism::TooFewInstances, _) => "too_few_instances",
        (Mechanism::Retention, _) => "retention",
        (Mechanism::SchemaMismatch, _) => "edge_schema",
        (Mechanism::SchemaRefused, _) => "schema_refused",
    }
}

/// The root's sentence, if the head has not already said it.
fn root_key(cause: &Cause) -> Option<&'static str> {
    let since = cause.since_ms.is_some();
    Some(match cause.root_state {
        RootState::Killed if since => "root_killed_since",
        RootState::Killed => "root_killed",
        RootState::Hung if since => "root_hung_since",
        RootState::Hung => "root_hung",
        RootState::Slowed if since => "root_slowed_since",
        RootState::Slowed => "root_slowed",
        RootState::Removed => "root_removed",
        RootState::Overloaded => "root_overloaded",
        RootState::RetryStorm => "root_retry_storm",
        RootState::ErrorRate => "root_error_rate",
        RootState::BrokerDown if since => "root_broker_since",
        RootState::BrokerDown | RootState::Itself => return None,
    })
}

fn percent(locale: Locale, share: f64) -> String {
    format!("{}%", format_number(locale, share * 100.0, 0))
}

/// The cause as whole sentences, in order: what failed, the retries, the waits, the chain, the root.
pub fn sentences(locale: Locale, cause: &Cause) -> Vec<String> {
    let head = cause.chain.first().cloned().unwrap_or_default();
    let next = cause.chain.get(1).cloned().unwrap_or_else(|| head.clone());
    let args: [(&str, String); 14] = [
        ("head", head),
        ("next", next),
        ("root", cause.root.clone()),
        ("count", format_number(locale, cause.count as f64, 0)),
        ("retries", format_number(locale, cause.retries as f64, 0)),
        ("workers", cause.workers.to_string()),
        ("share", percent(locale, cause.share)),
        ("from", format_duration_ms(locale, cause.at)),
        ("to", format_duration_ms(locale, cause.end_ms())),
        (
            "since",
            format_duration_ms(locale, cause.since_ms.unwrap_or(0.0)),
        ),
        (
            "factor",
            format_number(locale, cause.factor.unwrap_or(1.0), 0),
        ),
        ("partition", cause.partition.unwrap_or(0).to_string()),
        ("offset", cause.offset.unwrap_or(0).to_string()),
        ("chain", cause.chain.join(" → ")),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let fill = |key: &'static str| fill_template(template(locale, key), &args);
    let mut told = vec![fill(head_key(cause))];
    if cause.at_edge && cause.retries > 0 {
        told.push(fill("retries"));
    }
    let sync_chain = !cause.mechanism.is_lag() && cause.chain.len() >= 2;
    // A small share is noise beside the chain: the waits are told when they explain the damage.
    if sync_chain && cause.share >= WAITS_TOLD {
        told.push(fill("waits"));
    }
    if cause.chain.len() >= 3 {
        told.push(fill("chain"));
    }
    told.extend(root_key(cause).map(fill));
    told
}

/// The cause as one paragraph, sentences joined as the language writes them.
pub fn paragraph(locale: Locale, cause: &Cause) -> String {
    let gap = if locale == Locale::En { " " } else { "" };
    sentences(locale, cause).join(gap)
}

/// The largest stories of each world over `[from_ms, to_ms]`, failures first.
pub fn over_span(sim: &Simulation, from_ms: f64, to_ms: f64, keep: usize) -> Vec<(World, Cause)> {
    World::BOTH
        .into_iter()
        .flat_map(|world| {
            let during = sim
                .causes()
                .of(world)
                .filter(|c| c.overlaps(from_ms, to_ms));
            top(during, keep).into_iter().map(move |c| (world, c))
        })
        .collect()
}

/// The cause each world is in now: the latest story whose span reaches the moment shown.
pub fn current(sim: &Simulation, world: World) -> Option<Cause> {
    let now_ms = sim.now().as_ms_f64();
    sim.causes()
        .of(world)
        .rev()
        // A story that goes on is extended in place, so it can sit behind newer, shorter ones.
        .take(RECENT_STORIES)
        .filter(|c| c.end_ms() + CURRENT_MS >= now_ms && c.at <= now_ms)
        .max_by_key(|c| (!c.mechanism.is_lag(), c.count))
        .cloned()
}

/// The "why" marker a stage shows: the cause the world is in now, and its chain as indices.
#[derive(Clone, Debug, PartialEq)]
pub struct WhyMark {
    pub cause: Cause,
    /// The chain's services by index, from the head; names the topology no longer has are left out.
    pub chain: Vec<usize>,
}

impl WhyMark {
    /// Where the marker goes: the service where the chain starts.
    pub fn head(&self) -> Option<usize> {
        self.chain.first().copied()
    }

    /// The chain's edges, caller first, for the stage to highlight.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.chain.windows(2).map(|pair| (pair[0], pair[1]))
    }
}

/// Each world's marker now, if the world is in a cause.
pub fn marks(sim: &Simulation) -> [Option<WhyMark>; 2] {
    World::BOTH.map(|world| {
        let cause = current(sim, world)?;
        let topology = sim.topology();
        let chain = cause
            .chain
            .iter()
            .filter_map(|name| topology.index_of(name))
            .collect();
        Some(WhyMark { cause, chain })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    #[test]
    fn the_marker_follows_the_story_that_goes_on_behind_shorter_newer_ones() {
        let mut sim = Simulation::new(preset("hung-leaf").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(31_500));
        // A timeout story (25 s to 27 s) was told after the full queue began, and ended.
        let newest = sim.causes().of(World::Sync).last().unwrap();
        assert!(newest.end_ms() < 29_000.0, "{newest:?}");
        let [sync, event] = marks(&sim);
        let sync = sync.expect("sign-up is still rejecting");
        assert_eq!(sync.cause.mechanism, Mechanism::QueueFull);
        assert_eq!(sync.chain, [0, 1, 2], "signup → email → template");
        assert_eq!(sync.edges().collect::<Vec<_>>(), [(0, 1), (1, 2)]);
        assert_eq!(event.expect("email lags").head(), Some(1));
    }

    #[test]
    fn a_quiet_run_has_no_marker() {
        let mut sim = Simulation::new(preset("happy-path").unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(20_000));
        assert_eq!(marks(&sim), [None, None]);
    }
}
