//! Live annotations: one sentence per settled fault episode and one when the run ends, with the real numbers, from translated templates.
//!
//! The figures come from the core's fault episodes and report (ledger and lag),
//! never from the UI's own counting; the words come from the i18n catalog, one
//! whole-sentence template per kind of event, so no language is glued together
//! from English fragments. Sentences are rebuilt for the current locale on every
//! render, so switching language re-words what is already shown.

use crate::i18n::{Key, Locale, format_duration_ms, format_number};
use crate::sim::Simulation;
use crate::sim::causes::Cause;
use crate::sim::episodes::Episode;
use crate::sim::scenario::{Action, ActionKind, Compatibility, Setting, SettingsPatch, Target};
use crate::sim::trace::{Reason, World};

use super::why;

/// A short phrase for a fault or user action, such as "kill analytics" or "set acks=all".
pub fn action_text(locale: Locale, action: &Action) -> String {
    let (mut factor, mut instances, mut settings) = (String::new(), String::new(), String::new());
    let target = match action {
        Action::AddService { service, .. } => service.name.clone(),
        other => other.target_name(),
    };
    match action {
        Action::Slow { factor: f, .. } => factor = format_number(locale, *f, 0),
        Action::Scale { instances: n, .. } => instances = n.to_string(),
        Action::Configure(patch) => settings = settings_text(patch),
        _ => {}
    }
    let key = match action.kind() {
        ActionKind::Kill => Key::ActionKill,
        ActionKind::Hang => Key::ActionHang,
        ActionKind::Slow => Key::ActionSlow,
        ActionKind::Restore => Key::ActionRestore,
        ActionKind::AddService => Key::ActionAdd,
        ActionKind::RemoveService => Key::ActionRemove,
        ActionKind::Scale => Key::ActionScale,
        ActionKind::Configure => Key::ActionConfigure,
        ActionKind::DeployEventVersion => match action {
            Action::DeployEventVersion(Compatibility::Breaking) => Key::ActionDeployBreaking,
            _ => Key::ActionDeployCompatible,
        },
        ActionKind::Upgrade => Key::ActionUpgrade,
    };
    locale.fill(
        key,
        &[
            ("target", &target),
            ("factor", &factor),
            ("n", &instances),
            ("settings", &settings),
        ],
    )
}

/// `configure` settings as short `name=value` pairs: `acks=all, idempotent=true`.
fn settings_text(patch: &SettingsPatch) -> String {
    patch
        .iter()
        .map(Setting::short_text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Annotations kept on screen; older ones scroll away.
pub const ANNOTATIONS_MAX: usize = 8;
/// Causes told per world for an episode, and at the end of a run.
const EPISODE_CAUSES: usize = 1;
const RUN_CAUSES: usize = 2;

/// The figures behind the end-of-run sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    pub duration_ms: f64,
    pub success_rate: [f64; 2],
    pub lost: [u64; 2],
    pub duplicated: [u64; 2],
    pub max_lag: u64,
    /// Time to consistency per world: p99 and max (ms), and requests told "done" still waiting.
    pub consistency_p99_ms: [f64; 2],
    pub consistency_max_ms: [f64; 2],
    pub consistency_pending: [u64; 2],
    /// Effects lost to a version a reader could not read, per world, and the events groups
    /// met that they could not read (parked or blocking, or still waiting).
    pub schema_lost: [u64; 2],
    pub unreadable: u64,
}

/// One annotation, as data; [`Annotation::sentence`] words it.
#[derive(Clone, Debug, PartialEq)]
pub enum Annotation {
    /// A fault episode; `run_ended` when it is reported because the run ended before it settled.
    Episode {
        episode: Episode,
        run_ended: bool,
        duration_ms: f64,
        /// Each world's largest cause over the episode (`live::why`).
        causes: Vec<(World, Cause)>,
    },
    RunEnded(RunSummary, Vec<(World, Cause)>),
}

fn count(locale: Locale, value: u64) -> String {
    format_number(locale, value as f64, 0)
}

fn percent(locale: Locale, rate: f64) -> String {
    format!("{}%", format_number(locale, rate * 100.0, 1))
}

impl Annotation {
    /// The annotation in `locale`.
    pub fn sentence(&self, locale: Locale) -> String {
        match self {
            Annotation::Episode {
                episode,
                run_ended,
                duration_ms,
                ..
            } => episode_sentence(locale, episode, *run_ended, *duration_ms),
            Annotation::RunEnded(summary, _) => run_ended_sentence(locale, summary),
        }
    }
}

fn run_ended_sentence(locale: Locale, summary: &RunSummary) -> String {
    let ms = |v: f64| format_duration_ms(locale, v);
    let gap = if locale == Locale::En { " " } else { "" };
    let consistency = locale.fill(
        Key::RunEndedConsistency,
        &[
            ("sync_p99", &ms(summary.consistency_p99_ms[0])),
            ("event_p99", &ms(summary.consistency_p99_ms[1])),
            ("event_max", &ms(summary.consistency_max_ms[1])),
            ("pending", &count(locale, summary.consistency_pending[1])),
        ],
    );
    let ended = locale.fill(
        Key::RunEnded,
        &[
            ("duration", &format_duration_ms(locale, summary.duration_ms)),
            ("sync_ok", &percent(locale, summary.success_rate[0])),
            ("sync_lost", &count(locale, summary.lost[0])),
            ("sync_dup", &count(locale, summary.duplicated[0])),
            ("event_ok", &percent(locale, summary.success_rate[1])),
            ("event_lost", &count(locale, summary.lost[1])),
            ("event_dup", &count(locale, summary.duplicated[1])),
            ("max_lag", &count(locale, summary.max_lag)),
        ],
    );
    let schema = (summary.schema_lost != [0, 0] || summary.unreadable > 0).then(|| {
        locale.fill(
            Key::RunEndedSchema,
            &[
                ("sync", &count(locale, summary.schema_lost[0])),
                ("event", &count(locale, summary.schema_lost[1])),
                ("unreadable", &count(locale, summary.unreadable)),
            ],
        )
    });
    match schema {
        Some(schema) => format!("{ended}{gap}{consistency}{gap}{schema}"),
        None => format!("{ended}{gap}{consistency}"),
    }
}

impl Annotation {
    /// Why it happened: each cause as a paragraph, with its world, in `locale`.
    pub fn why(&self, locale: Locale) -> Vec<(World, String)> {
        let causes = match self {
            Annotation::Episode { causes, .. } | Annotation::RunEnded(_, causes) => causes,
        };
        causes
            .iter()
            .map(|(world, cause)| (*world, why::paragraph(locale, cause)))
            .collect()
    }
}

fn lag_clause(locale: Locale, episode: &Episode, run_ended: bool) -> String {
    let peak = count(locale, episode.lag_peak);
    match (episode.lagged(), episode.drained_ms, episode.restored_ms) {
        (false, _, _) => locale.text(Key::LagNormal).to_string(),
        (true, Some(drained), Some(restored)) => locale.fill(
            Key::LagDrained,
            &[
                ("peak", &peak),
                ("drain", &format_duration_ms(locale, drained - restored)),
            ],
        ),
        // Only episodes cut short by the end of the run are told before settling.
        _ => {
            debug_assert!(run_ended);
            locale.fill(Key::LagNotDrained, &[("peak", &peak)])
        }
    }
}

fn episode_sentence(
    locale: Locale,
    episode: &Episode,
    run_ended: bool,
    duration_ms: f64,
) -> String {
    let duration = format_duration_ms(locale, duration_ms);
    let factor = format_number(locale, episode.factor.unwrap_or(1.0), 0);
    let lag = lag_clause(locale, episode, run_ended);
    let key = if matches!(Target::named(&episode.target), Target::Broker(_)) {
        Key::EpisodeBroker
    } else {
        match episode.action {
            ActionKind::Hang => Key::EpisodeHang,
            ActionKind::Slow => Key::EpisodeSlow,
            _ => Key::EpisodeKill,
        }
    };
    locale.fill(
        key,
        &[
            ("target", &episode.target),
            ("duration", &duration),
            ("factor", &factor),
            ("sync_failed", &count(locale, episode.sync.failed)),
            ("sync_lost", &count(locale, episode.sync.lost)),
            ("event_failed", &count(locale, episode.event.failed)),
            ("event_lost", &count(locale, episode.event.lost)),
            ("lag", &lag),
        ],
    )
}

/// Which episodes and endings have been announced, and the annotations on show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    announced: Vec<(String, u64)>,
    ended: bool,
    shown: Vec<Annotation>,
    /// Annotations ever added (the list on show is capped, so its length cannot tell).
    added: usize,
}

impl Annotations {
    pub fn shown(&self) -> &[Annotation] {
        &self.shown
    }

    fn push(&mut self, annotation: Annotation) {
        if self.shown.len() == ANNOTATIONS_MAX {
            self.shown.remove(0);
        }
        self.shown.push(annotation);
        self.added += 1;
    }

    /// Adds an annotation for each episode that settled since the last call, and one
    /// for the run's end. Returns how many were added.
    pub fn update(&mut self, sim: &Simulation) -> usize {
        let before = self.added;
        let fresh: Vec<Episode> = sim
            .settled_episodes()
            .filter(|e| !self.was_announced(e))
            .cloned()
            .collect();
        let now_ms = sim.now().as_ms_f64();
        for episode in fresh {
            self.announce(sim, episode, false, now_ms);
        }
        if !self.ended && sim.now() >= sim.end() {
            self.ended = true;
            let report = sim.report();
            for episode in report.episodes.iter().filter(|e| !e.is_settled()) {
                if !self.was_announced(episode) {
                    self.announce(sim, episode.clone(), true, now_ms);
                }
            }
            let causes = why::over_span(sim, 0.0, now_ms, RUN_CAUSES);
            self.push(Annotation::RunEnded(
                RunSummary {
                    duration_ms: report.simulated_ms,
                    success_rate: [
                        report.sync.success_rate(),
                        report.event.world.success_rate(),
                    ],
                    lost: [report.sync.effects.lost, report.event.world.effects.lost],
                    duplicated: [
                        report.sync.effects.duplicated,
                        report.event.world.effects.duplicated,
                    ],
                    max_lag: report.event.max_lag,
                    consistency_p99_ms: [
                        report.sync.time_to_consistency_ms.p99,
                        report.event.world.time_to_consistency_ms.p99,
                    ],
                    consistency_max_ms: [
                        report.sync.time_to_consistency_ms.max,
                        report.event.world.time_to_consistency_ms.max,
                    ],
                    consistency_pending: [
                        report.sync.time_to_consistency_ms.pending,
                        report.event.world.time_to_consistency_ms.pending,
                    ],
                    schema_lost: [
                        report.sync.effects.lost_by_reason[Reason::Schema as usize],
                        report.event.world.effects.lost_by_reason[Reason::Schema as usize],
                    ],
                    unreadable: report.event.groups.values().map(|g| g.unreadable).sum(),
                },
                causes,
            ));
        }
        self.added - before
    }

    fn was_announced(&self, episode: &Episode) -> bool {
        let key = (episode.target.clone(), episode.started_ms.to_bits());
        self.announced.contains(&key)
    }

    fn announce(&mut self, sim: &Simulation, episode: Episode, run_ended: bool, now_ms: f64) {
        if self.announced.len() == crate::sim::episodes::EPISODES_MAX {
            self.announced.remove(0);
        }
        self.announced
            .push((episode.target.clone(), episode.started_ms.to_bits()));
        let duration_ms = episode.duration_ms(now_ms);
        let until_ms = episode.settled_ms.unwrap_or(now_ms);
        let causes = why::over_span(sim, episode.started_ms, until_ms, EPISODE_CAUSES);
        self.push(Annotation::Episode {
            episode,
            run_ended,
            duration_ms,
            causes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    fn run_until(name: &str, until_ms: u64) -> Simulation {
        let mut sim = Simulation::new(preset(name).unwrap()).unwrap();
        sim.run_until(SimTime::from_ms(until_ms));
        sim
    }

    #[test]
    fn a_settled_kill_is_told_once_with_the_ledgers_numbers() {
        let mut annotations = Annotations::default();
        let mut sim = run_until("killed-consumer", 30_000);
        annotations.update(&sim);
        assert!(
            annotations.shown().is_empty(),
            "nothing has settled at 30 s"
        );
        // Restarted at 35 s, the group waits for the old sessions to expire (65 s), then drains.
        sim.run_until(SimTime::from_ms(80_000));
        annotations.update(&sim);
        annotations.update(&sim);
        let [annotation] = annotations.shown() else {
            panic!("{:?}", annotations.shown())
        };
        let report = sim.report();
        let sentence = annotation.sentence(Locale::En);
        let expected_start = format!(
            "analytics was down for 15.0 s: the sync world failed {} requests and lost {} effects; the event world failed 0 and lost 0. Lag peaked at {}",
            report.sync.failed,
            report.sync.effects.lost,
            format_number(Locale::En, report.event.max_lag as f64, 0)
        );
        assert!(
            sentence.starts_with(&expected_start),
            "{sentence}\nvs\n{expected_start}"
        );
        assert!(
            sentence.contains("drained") && sentence.contains("after the restore"),
            "{sentence}"
        );
    }

    #[test]
    fn an_episode_says_why_in_each_world_and_switching_language_rewords_it() {
        let mut annotations = Annotations::default();
        let sim = run_until("hung-leaf", 60_000);
        annotations.update(&sim);
        let episode = annotations
            .shown()
            .iter()
            .find(|a| matches!(a, Annotation::Episode { .. }))
            .expect("the hang is told");
        let why = episode.why(Locale::En);
        let sync = &why.iter().find(|(w, _)| *w == World::Sync).unwrap().1;
        assert!(sync.contains("signup rejected"), "{sync}");
        assert!(
            sync.contains("The chain: signup → email → template."),
            "{sync}"
        );
        assert!(sync.contains("template was hung from 15.0 s."), "{sync}");
        let event = &why.iter().find(|(w, _)| *w == World::Event).unwrap().1;
        assert!(event.contains("waiting on template"), "{event}");
        let ja = episode.why(Locale::Ja);
        assert!(
            ja[0].1.contains("連鎖：signup → email → template。"),
            "{:?}",
            ja
        );
        let Some(Annotation::RunEnded(_, causes)) = annotations.shown().last() else {
            panic!("the run's end is told last")
        };
        assert_eq!(causes[0].1.root, "template", "{causes:?}");
    }

    #[test]
    fn every_language_gets_its_own_sentence_with_the_same_numbers() {
        let mut annotations = Annotations::default();
        let sim = run_until("killed-consumer", 80_000);
        annotations.update(&sim);
        let episode = &annotations.shown()[0];
        let zh = episode.sentence(Locale::ZhHant);
        let ja = episode.sentence(Locale::Ja);
        assert!(zh.contains("停止了") && zh.contains("滯後"), "{zh}");
        assert!(ja.contains("停止しました") && ja.contains("ラグ"), "{ja}");
        let sync_failed = sim.report().sync.failed.to_string();
        for sentence in [&zh, &ja] {
            assert!(sentence.contains(&sync_failed), "{sentence}");
            assert!(
                !sentence.contains('{'),
                "a placeholder was left: {sentence}"
            );
        }
    }

    #[test]
    fn the_end_of_a_run_counts_what_a_breaking_version_cost_in_each_language() {
        let mut annotations = Annotations::default();
        let sim = run_until("breaking-change", 60_000);
        annotations.update(&sim);
        let Some(end) = annotations.shown().last() else {
            panic!("the run's end is told")
        };
        let report = sim.report();
        let lost = |effects: &crate::sim::ledger::EffectCounts| {
            format_number(
                Locale::En,
                effects.lost_by_reason[Reason::Schema as usize] as f64,
                0,
            )
        };
        let unreadable: u64 = report.event.groups.values().map(|g| g.unreadable).sum();
        let en = end.sentence(Locale::En);
        let told = format!(
            "Schema changes cost {} effects in the sync world, where readers refused the new version at once, and {} in the event world, where groups met {} events",
            lost(&report.sync.effects),
            lost(&report.event.world.effects),
            unreadable
        );
        assert!(en.contains(&told), "{en}\nvs {told}");
        assert!(end.sentence(Locale::Ja).contains("スキーマ変更"));
        assert!(end.sentence(Locale::ZhHant).contains("結構描述變更"));
        let quiet = run_until("killed-consumer", 90_000);
        let mut annotations = Annotations::default();
        annotations.update(&quiet);
        let end = annotations.shown().last().unwrap().sentence(Locale::En);
        assert!(
            !end.contains("Schema"),
            "no schema change, no sentence: {end}"
        );
    }

    #[test]
    fn the_end_of_a_run_is_summed_up_and_a_broker_crash_is_worded_for_brokers() {
        let mut annotations = Annotations::default();
        let sim = run_until("acks-zero-broker-crash", 60_000);
        annotations.update(&sim);
        let sentences: Vec<String> = annotations
            .shown()
            .iter()
            .map(|a| a.sentence(Locale::En))
            .collect();
        assert_eq!(sentences.len(), 2, "{sentences:?}");
        let lost = sim.report().event.world.effects.lost;
        assert!(sentences[0].starts_with(&format!(
            "broker-0 was down for 15.0 s: the event world failed 0 requests and lost {lost} events"
        )), "{}", sentences[0]);
        assert!(
            sentences[1].starts_with("The run ended at 1.0 min."),
            "{}",
            sentences[1]
        );
        assert!(
            sentences[1].contains("100.0% of requests succeeded"),
            "{}",
            sentences[1]
        );
        let consistency = &sim.report().event.world.time_to_consistency_ms;
        let told = format!(
            "the event world within {}, and at most {}.",
            format_duration_ms(Locale::En, consistency.p99),
            format_duration_ms(Locale::En, consistency.max)
        );
        assert!(sentences[1].contains(&told), "{}\nvs {told}", sentences[1]);
    }

    #[test]
    fn an_episode_still_open_at_the_end_says_so() {
        let mut scenario = preset("killed-consumer").unwrap();
        scenario.faults.truncate(1);
        let mut sim = Simulation::new(scenario).unwrap();
        sim.run_to_end();
        let mut annotations = Annotations::default();
        annotations.update(&sim);
        let first = annotations.shown()[0].sentence(Locale::En);
        assert!(
            first.contains("had not drained when the run ended"),
            "{first}"
        );
        assert!(
            first.starts_with("analytics was down for 1.2 min"),
            "{first}"
        );
    }
}
