//! The architecture editor's state: a draft scenario changed one typed field or one tree edit at a time, checked by the core's own validation, with undo and redo.
//!
//! The draft never reaches the simulation by itself: [`Editor::apply`] hands over a
//! scenario only when the core accepts it, so the last valid run keeps playing while
//! someone types. What was typed is kept as text per field until it parses, so a
//! half-written number is neither lost nor applied. This module must not know about
//! the browser; the UI draws what [`Editor`] says and calls its methods.

use crate::i18n::Key;
use crate::sim::dist::DurationDist;
use crate::sim::scenario::{
    Arrivals, CallMode, Consumers, RequestKind, ServiceSpec, limits, read_value,
};
use crate::sim::{Problem, Scenario, ScenarioError};
use std::collections::BTreeMap;

/// Edits kept for undo (the issue asks for at least 50).
pub const HISTORY_MAX: usize = 100;

/// One field of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceField {
    Name,
    Effect,
    Workers,
    QueueCapacity,
    /// The service-time distribution's kind: constant, uniform, exponential or lognormal.
    TimeKind,
    /// The distribution's first or second parameter (see [`time_params`]).
    TimeParam(u8),
    ErrorRate,
    CallMode,
}

/// One field of a request kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KindField {
    Name,
    Weight,
}

/// One field of the workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkloadField {
    /// The arrival pattern: poisson, constant or bursty.
    Pattern,
    Rate,
    BurstRate,
    EveryMs,
    BurstMs,
    Users,
}

/// One field of the event world's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventField {
    Brokers,
    Partitions,
    ReplicationFactor,
    /// Instances of the group that is this service (a direct callee of the entry).
    Instances(usize),
}

/// A field the editor can change, by position in the draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Service(usize, ServiceField),
    Kind(usize, KindField),
    Workload(WorkloadField),
    Event(EventField),
}

/// The names of a distribution's parameters, in the order [`ServiceField::TimeParam`] counts them.
pub fn time_params(dist: &DurationDist) -> &'static [&'static str] {
    match dist {
        DurationDist::Constant { .. } => &["value"],
        DurationDist::Uniform { .. } => &["min", "max"],
        DurationDist::Exponential { .. } => &["mean"],
        DurationDist::Lognormal { .. } => &["median", "p99"],
    }
}

/// A choice field's options: the core's serde name, and its label.
pub type Choices = [(&'static str, Key)];

pub const TIME_KINDS: &Choices = &[
    ("constant", Key::TimeConstant),
    ("uniform", Key::TimeUniform),
    ("exponential", Key::TimeExponential),
    ("lognormal", Key::TimeLognormal),
];
pub const PATTERNS: &Choices = &[
    ("poisson", Key::PatternPoisson),
    ("constant", Key::PatternConstant),
    ("bursty", Key::PatternBursty),
];
pub const CALL_MODES: &Choices = &[
    ("parallel", Key::CallParallel),
    ("sequential", Key::CallSequential),
];

/// The label key for a distribution parameter's name.
pub fn param_key(name: &str) -> Key {
    match name {
        "value" => Key::ParamValue,
        "min" => Key::ParamMin,
        "max" => Key::ParamMax,
        "median" => Key::ParamMedian,
        "p99" => Key::ParamP99,
        _ => Key::ParamMean,
    }
}

fn number(text: &str) -> Result<f64, Problem> {
    let value: f64 = text.trim().parse().map_err(|_| Problem::NotANumber {
        got: text.to_string(),
    })?;
    value
        .is_finite()
        .then_some(value)
        .ok_or(Problem::NotANumber {
            got: text.to_string(),
        })
}

fn whole(text: &str) -> Result<u32, Problem> {
    text.trim().parse().map_err(|_| Problem::NotAWholeNumber {
        got: text.to_string(),
        max: u32::MAX.to_string(),
    })
}

fn choice(text: &str, known: &Choices) -> Result<(), Problem> {
    let names: Vec<&str> = known.iter().map(|(name, _)| *name).collect();
    names
        .contains(&text)
        .then_some(())
        .ok_or_else(|| Problem::NotOneOf {
            got: text.to_string(),
            known: names.join(", "),
        })
}

/// Shows a number as the scenario format writes it (`20`, not `20.0`).
fn show(value: f64) -> String {
    crate::sim::scenario::json_number(value).to_string()
}

impl Field {
    /// The field's path as the core names it in a [`ScenarioError`].
    pub fn path(&self, scenario: &Scenario) -> String {
        match *self {
            Field::Service(s, field) => {
                let name = match field {
                    ServiceField::Name => "name".to_string(),
                    ServiceField::Effect => "effect".to_string(),
                    ServiceField::Workers => "workers".to_string(),
                    ServiceField::QueueCapacity => "queue_capacity".to_string(),
                    ServiceField::TimeKind => "service_time_ms".to_string(),
                    ServiceField::TimeParam(i) => {
                        let params = scenario
                            .services
                            .get(s)
                            .map_or(&[][..], |spec| time_params(&spec.service_time_ms));
                        let param = params.get(usize::from(i)).copied().unwrap_or("");
                        format!("service_time_ms.{param}")
                    }
                    ServiceField::ErrorRate => "error_rate".to_string(),
                    ServiceField::CallMode => "call_mode".to_string(),
                };
                format!("services[{s}].{name}")
            }
            Field::Kind(k, KindField::Name) => format!("workload.kinds[{k}].name"),
            Field::Kind(k, KindField::Weight) => format!("workload.kinds[{k}].weight"),
            Field::Workload(field) => format!("workload.{}", workload_path(field)),
            Field::Event(EventField::Brokers) => "event.brokers".into(),
            Field::Event(EventField::Partitions) => "event.partitions".into(),
            Field::Event(EventField::ReplicationFactor) => "event.replication_factor".into(),
            Field::Event(EventField::Instances(s)) => match &scenario.event.consumers {
                Consumers::Uniform(_) => "event.consumers".into(),
                Consumers::PerGroup(_) => {
                    let name = scenario.services.get(s).map_or("", |spec| &spec.name);
                    format!("event.consumers.{name}")
                }
            },
        }
    }

    /// The field's value in `scenario`, as the editor shows it.
    pub fn text(&self, scenario: &Scenario) -> String {
        match *self {
            Field::Service(s, field) => scenario
                .services
                .get(s)
                .map(|spec| service_text(spec, field))
                .unwrap_or_default(),
            Field::Kind(k, field) => scenario
                .workload
                .kinds
                .get(k)
                .map(|kind| match field {
                    KindField::Name => kind.name.clone(),
                    KindField::Weight => show(kind.weight),
                })
                .unwrap_or_default(),
            Field::Workload(field) => workload_text(&scenario.workload, field),
            Field::Event(field) => {
                let event = &scenario.event;
                match field {
                    EventField::Brokers => event.brokers.to_string(),
                    EventField::Partitions => event.partitions.to_string(),
                    EventField::ReplicationFactor => event.replication_factor.to_string(),
                    EventField::Instances(s) => {
                        let name = scenario.services.get(s).map_or("", |spec| &spec.name);
                        event.consumers.instances_for(name).to_string()
                    }
                }
            }
        }
    }

    /// Writes `text` into `scenario`; a text that does not parse is refused with its problem.
    /// Range and tree checks are left to the core's validation.
    pub fn write(&self, scenario: &mut Scenario, text: &str) -> Result<(), Problem> {
        match *self {
            Field::Service(s, field) => match scenario.services.get_mut(s) {
                Some(spec) => write_service(spec, field, text),
                None => Ok(()),
            },
            Field::Kind(k, field) => match scenario.workload.kinds.get_mut(k) {
                Some(kind) => {
                    match field {
                        KindField::Name => kind.name = text.trim().to_string(),
                        KindField::Weight => kind.weight = number(text)?,
                    }
                    Ok(())
                }
                None => Ok(()),
            },
            Field::Workload(field) => write_workload(&mut scenario.workload, field, text),
            Field::Event(field) => write_event(scenario, field, text),
        }
    }
}

fn workload_path(field: WorkloadField) -> &'static str {
    match field {
        WorkloadField::Pattern => "arrivals.kind",
        WorkloadField::Rate => "arrivals.rate_per_s",
        WorkloadField::BurstRate => "arrivals.burst_rate_per_s",
        WorkloadField::EveryMs => "arrivals.every_ms",
        WorkloadField::BurstMs => "arrivals.burst_ms",
        WorkloadField::Users => "users",
    }
}

fn service_text(spec: &ServiceSpec, field: ServiceField) -> String {
    let dist = &spec.service_time_ms;
    match field {
        ServiceField::Name => spec.name.clone(),
        ServiceField::Effect => spec.effect.clone(),
        ServiceField::Workers => spec.workers.to_string(),
        ServiceField::QueueCapacity => spec.queue_capacity.to_string(),
        ServiceField::TimeKind => TIME_KINDS[time_kind_index(dist)].0.to_string(),
        ServiceField::TimeParam(i) => time_values(dist)
            .get(usize::from(i))
            .map(|&v| show(v))
            .unwrap_or_default(),
        ServiceField::ErrorRate => show(spec.error_rate),
        ServiceField::CallMode => match spec.call_mode {
            CallMode::Parallel => "parallel".into(),
            CallMode::Sequential => "sequential".into(),
        },
    }
}

fn time_kind_index(dist: &DurationDist) -> usize {
    match dist {
        DurationDist::Constant { .. } => 0,
        DurationDist::Uniform { .. } => 1,
        DurationDist::Exponential { .. } => 2,
        DurationDist::Lognormal { .. } => 3,
    }
}

fn time_values(dist: &DurationDist) -> Vec<f64> {
    match *dist {
        DurationDist::Constant { value } => vec![value],
        DurationDist::Uniform { min, max } => vec![min, max],
        DurationDist::Exponential { mean } => vec![mean],
        DurationDist::Lognormal { median, p99 } => vec![median, p99],
    }
}

/// A distribution of `kind` with about the same mean as `from`, so switching kinds keeps the speed.
fn time_of_kind(kind: &str, from: &DurationDist) -> DurationDist {
    let mean = from.mean_ms().max(0.001);
    match kind {
        "constant" => DurationDist::Constant { value: mean },
        "uniform" => DurationDist::Uniform {
            min: mean / 2.0,
            max: mean * 1.5,
        },
        "lognormal" => DurationDist::Lognormal {
            median: mean,
            p99: mean * 4.0,
        },
        _ => DurationDist::Exponential { mean },
    }
}

fn write_service(spec: &mut ServiceSpec, field: ServiceField, text: &str) -> Result<(), Problem> {
    match field {
        ServiceField::Name => spec.name = text.trim().to_string(),
        ServiceField::Effect => spec.effect = text.to_string(),
        ServiceField::Workers => spec.workers = whole(text)?,
        ServiceField::QueueCapacity => spec.queue_capacity = whole(text)?,
        ServiceField::TimeKind => {
            choice(text, TIME_KINDS)?;
            spec.service_time_ms = time_of_kind(text, &spec.service_time_ms);
        }
        ServiceField::TimeParam(i) => {
            let value = number(text)?;
            let dist = &mut spec.service_time_ms;
            match (dist, i) {
                (DurationDist::Constant { value: v }, 0) => *v = value,
                (DurationDist::Uniform { min, .. }, 0) => *min = value,
                (DurationDist::Uniform { max, .. }, 1) => *max = value,
                (DurationDist::Exponential { mean }, 0) => *mean = value,
                (DurationDist::Lognormal { median, .. }, 0) => *median = value,
                (DurationDist::Lognormal { p99, .. }, 1) => *p99 = value,
                _ => {}
            }
        }
        ServiceField::ErrorRate => spec.error_rate = number(text)?,
        ServiceField::CallMode => {
            choice(text, CALL_MODES)?;
            spec.call_mode = match text {
                "sequential" => CallMode::Sequential,
                _ => CallMode::Parallel,
            };
        }
    }
    Ok(())
}

fn workload_text(workload: &crate::sim::scenario::Workload, field: WorkloadField) -> String {
    let arrivals = &workload.arrivals;
    let bursty = match *arrivals {
        Arrivals::Bursty {
            burst_rate_per_s,
            every_ms,
            burst_ms,
            ..
        } => Some((burst_rate_per_s, every_ms, burst_ms)),
        _ => None,
    };
    match field {
        WorkloadField::Pattern => match arrivals {
            Arrivals::Poisson { .. } => "poisson".into(),
            Arrivals::Constant { .. } => "constant".into(),
            Arrivals::Bursty { .. } => "bursty".into(),
        },
        WorkloadField::Rate => show(arrivals.rate_per_s()),
        WorkloadField::BurstRate => bursty.map(|b| show(b.0)).unwrap_or_default(),
        WorkloadField::EveryMs => bursty.map(|b| show(b.1)).unwrap_or_default(),
        WorkloadField::BurstMs => bursty.map(|b| show(b.2)).unwrap_or_default(),
        WorkloadField::Users => workload.users.to_string(),
    }
}

fn write_workload(
    workload: &mut crate::sim::scenario::Workload,
    field: WorkloadField,
    text: &str,
) -> Result<(), Problem> {
    let rate = workload.arrivals.rate_per_s();
    match field {
        WorkloadField::Pattern => {
            choice(text, PATTERNS)?;
            workload.arrivals = match text {
                "constant" => Arrivals::Constant { rate_per_s: rate },
                "bursty" => Arrivals::Bursty {
                    rate_per_s: rate,
                    burst_rate_per_s: rate * 5.0,
                    every_ms: 10_000.0,
                    burst_ms: 2_000.0,
                },
                _ => Arrivals::Poisson { rate_per_s: rate },
            };
        }
        WorkloadField::Rate => workload.arrivals.set_rate_per_s(number(text)?),
        WorkloadField::Users => workload.users = whole(text)?,
        WorkloadField::BurstRate | WorkloadField::EveryMs | WorkloadField::BurstMs => {
            let value = number(text)?;
            if let Arrivals::Bursty {
                burst_rate_per_s,
                every_ms,
                burst_ms,
                ..
            } = &mut workload.arrivals
            {
                *match field {
                    WorkloadField::BurstRate => burst_rate_per_s,
                    WorkloadField::EveryMs => every_ms,
                    _ => burst_ms,
                } = value;
            }
        }
    }
    Ok(())
}

fn write_event(scenario: &mut Scenario, field: EventField, text: &str) -> Result<(), Problem> {
    let value = whole(text)?;
    let event = &mut scenario.event;
    match field {
        EventField::Brokers => event.brokers = value,
        EventField::Partitions => event.partitions = value,
        EventField::ReplicationFactor => event.replication_factor = value,
        EventField::Instances(s) => {
            let groups: Vec<String> = scenario.services[0].calls.clone();
            let name = scenario.services.get(s).map(|spec| spec.name.clone());
            let mut map: BTreeMap<String, u32> = groups
                .iter()
                .map(|g| (g.clone(), event.consumers.instances_for(g)))
                .collect();
            if let Some(name) = name {
                map.insert(name, value);
            }
            event.consumers = Consumers::PerGroup(map);
        }
    }
    Ok(())
}

/// Renames every reference to a service from `old` to `name`: its caller's calls, the
/// kinds that touch it, its group's instance count and the actions aimed at it.
fn rename_references(scenario: &mut Scenario, old: &str, name: &str) {
    if old == name {
        return;
    }
    for spec in &mut scenario.services {
        for callee in spec.calls.iter_mut().filter(|c| **c == old) {
            *callee = name.to_string();
        }
    }
    for kind in &mut scenario.workload.kinds {
        for touched in kind.touches.iter_mut().filter(|t| **t == old) {
            *touched = name.to_string();
        }
    }
    if let Consumers::PerGroup(map) = &mut scenario.event.consumers
        && let Some(n) = map.remove(old)
    {
        map.insert(name.to_string(), n);
    }
    for fault in &mut scenario.faults {
        fault.action.rename_service(old, name);
    }
}

/// Whether `name` can stand for service `s`: a valid name no other service has.
fn fits(scenario: &Scenario, s: usize, name: &str) -> bool {
    let taken = (scenario.services.iter().enumerate()).any(|(i, spec)| i != s && spec.name == name);
    !taken && crate::sim::scenario::check_service_name(name).is_ok()
}

/// The scenario "Blank" opens: one entry service and the default workload.
pub fn blank_scenario() -> Scenario {
    let mut scenario: Scenario = read_value(serde_json::json!({
        "name": "my-system",
        "services": [{"name": "entry"}],
    }))
    .expect("the blank scenario has defaults");
    scenario.services[0].effect.clear();
    scenario
}

/// `prefix-N` with the smallest N not yet taken by `taken`.
fn unused_name(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|name| !taken(name))
        .expect("some number is free")
}

/// The services in `root`'s subtree, `root` first.
fn subtree(scenario: &Scenario, root: usize) -> Vec<usize> {
    let mut found = vec![root];
    let mut at = 0;
    while at < found.len() {
        let calls = scenario.services[found[at]].calls.clone();
        found.extend(calls.iter().filter_map(|c| scenario.service_index(c)));
        at += 1;
    }
    found
}

/// What happened in one step of the history.
#[derive(Clone, Debug, PartialEq)]
struct State {
    draft: Scenario,
    /// What was typed into fields since the last tree change, so the inputs show it as typed.
    typed: BTreeMap<Field, String>,
    /// Services whose typed name is not usable yet (invalid or taken), with the name the
    /// rest of the draft still calls them by; the references follow once the name fits.
    renaming: BTreeMap<usize, String>,
    /// The scenario running when this state was current.
    applied: Scenario,
}

/// Names service `s` `name` in `state`'s draft; the references follow once the name fits.
fn rename(state: &mut State, s: usize, name: &str) {
    let draft = &mut state.draft;
    let referenced = (state.renaming.remove(&s)).unwrap_or_else(|| draft.services[s].name.clone());
    draft.services[s].name = name.to_string();
    if fits(draft, s, name) {
        rename_references(draft, &referenced, name);
    } else {
        state.renaming.insert(s, referenced);
    }
}

/// What an undo or redo asks of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Travel {
    /// Nothing to undo or redo.
    Nothing,
    /// Only the draft changed.
    Draft,
    /// The step crossed an Apply: this scenario must be started from t = 0.
    Restart(Box<Scenario>),
}

/// The editor: a draft, what was typed, and the history of both.
#[derive(Clone, Debug)]
pub struct Editor {
    history: Vec<State>,
    /// The state on show: `history[cursor]`.
    cursor: usize,
    /// The field the last edit typed into; further typing there joins that edit.
    typing: Option<Field>,
}

impl Editor {
    /// An editor whose draft is `running`, the scenario the page is playing.
    pub fn new(running: &Scenario) -> Editor {
        Editor {
            history: vec![State {
                draft: running.clone(),
                typed: BTreeMap::new(),
                renaming: BTreeMap::new(),
                applied: running.clone(),
            }],
            cursor: 0,
            typing: None,
        }
    }

    fn state(&self) -> &State {
        &self.history[self.cursor]
    }

    /// The scenario being edited, as far as it parses.
    pub fn draft(&self) -> &Scenario {
        &self.state().draft
    }

    /// The scenario running now, as the editor last applied or followed it.
    pub fn applied(&self) -> &Scenario {
        &self.state().applied
    }

    /// What a field's input shows: the text typed into it, else the draft's value.
    pub fn text(&self, field: Field) -> String {
        match self.state().typed.get(&field) {
            Some(text) => text.clone(),
            None => field.text(self.draft()),
        }
    }

    /// Records a new state after the one on show, dropping any redo and the oldest past the limit.
    fn push(&mut self, state: State) {
        self.history.truncate(self.cursor + 1);
        self.history.push(state);
        if self.history.len() > HISTORY_MAX {
            self.history.remove(0);
        }
        self.cursor = self.history.len() - 1;
    }

    /// Why the tree cannot change now: a field's text does not parse or a name does not
    /// fit yet. Tree changes move fields, so they wait until what was typed is usable.
    pub fn tree_blocked(&self) -> Option<ScenarioError> {
        if let Some(unparsed) = self.unparsed() {
            return Some(unparsed);
        }
        let naming = !self.state().renaming.is_empty();
        naming.then(|| self.error()).flatten()
    }

    /// The first typed text that does not parse, named by its field's path.
    fn unparsed(&self) -> Option<ScenarioError> {
        self.state().typed.iter().find_map(|(field, text)| {
            let mut scratch = self.draft().clone();
            let problem = field.write(&mut scratch, text).err()?;
            Some(ScenarioError {
                field: field.path(self.draft()),
                problem,
            })
        })
    }

    /// Changes the draft with `edit` as one undoable step; typing is over.
    fn edit(&mut self, edit: impl FnOnce(&mut Scenario)) {
        if self.tree_blocked().is_some() {
            return;
        }
        let mut next = self.state().clone();
        edit(&mut next.draft);
        next.typed.clear();
        self.typing = None;
        self.push(next);
    }

    /// The page now runs `running` (a preset, an import, a link): the draft starts from it.
    /// A step of its own, so an undo brings back what was being edited.
    pub fn follow(&mut self, running: &Scenario) {
        if self.applied() != running {
            self.typing = None;
            self.push(State {
                draft: running.clone(),
                typed: BTreeMap::new(),
                renaming: BTreeMap::new(),
                applied: running.clone(),
            });
        }
    }

    /// Types `text` into `field`. Text that parses goes into the draft; the rest is kept as
    /// typed, with its problem. Typing on in the same field stays one undoable step.
    pub fn set(&mut self, field: Field, text: &str) {
        let mut next = self.state().clone();
        next.typed.insert(field, text.to_string());
        match field {
            Field::Service(s, ServiceField::Name) if s < next.draft.services.len() => {
                rename(&mut next, s, text.trim())
            }
            // Text that does not parse stays typed, with its problem; the draft keeps the value.
            _ => field.write(&mut next.draft, text).unwrap_or(()),
        }
        if self.typing == Some(field) && self.cursor + 1 == self.history.len() && self.cursor > 0 {
            self.history[self.cursor] = next;
        } else {
            self.push(next);
        }
        self.typing = Some(field);
    }

    /// Why `field`'s text cannot be used: it does not parse, or the core refuses the draft there.
    pub fn problem_at(&self, field: Field) -> Option<Problem> {
        if let Some(text) = self.state().typed.get(&field) {
            let mut scratch = self.draft().clone();
            if let Err(problem) = field.write(&mut scratch, text) {
                return Some(problem);
            }
        }
        // A name that does not fit yet is told at once, whatever else the draft lacks.
        if let Field::Service(s, ServiceField::Name) = field
            && self.state().renaming.contains_key(&s)
        {
            let name = field.text(self.draft());
            let problem = match crate::sim::scenario::check_service_name(&name) {
                Err(error) => error.problem,
                Ok(()) => Problem::UsedTwice { name },
            };
            return Some(problem);
        }
        let error = self.draft().validate().err()?;
        // The core names the second of two equal names; the one being typed is told too.
        let same_name = match (&error.problem, field) {
            (Problem::UsedTwice { name }, Field::Service(_, ServiceField::Name)) => {
                *name == field.text(self.draft())
            }
            _ => false,
        };
        (same_name || error.field == field.path(self.draft())).then_some(error.problem)
    }

    /// The first reason the draft cannot be applied: a field that does not parse, else the
    /// core's own validation, with the field's path.
    pub fn error(&self) -> Option<ScenarioError> {
        self.unparsed().or_else(|| self.draft().validate().err())
    }

    /// Whether the draft differs from what runs.
    pub fn changed(&self) -> bool {
        self.draft() != self.applied()
    }

    /// Hands over the draft to run from t = 0, if it is valid; else says what is wrong.
    pub fn apply(&mut self) -> Result<Scenario, ScenarioError> {
        if let Some(error) = self.error() {
            return Err(error);
        }
        let mut draft = self.draft().clone();
        // An edited preset is no longer the preset: its guide and its claim would not fit it.
        let shipped = crate::sim::presets::preset(&draft.name);
        if shipped.is_some_and(|shipped| shipped != draft) {
            draft.name = format!("{}-edited", draft.name);
            draft.expect.clear();
        }
        self.typing = None;
        self.push(State {
            draft: draft.clone(),
            typed: BTreeMap::new(),
            renaming: BTreeMap::new(),
            applied: draft.clone(),
        });
        Ok(draft)
    }

    /// Starts the draft over from a blank system with a single entry service.
    pub fn start_blank(&mut self) {
        self.edit(|draft| *draft = blank_scenario());
    }

    /// Why no callee can be added under `parent`, if so: the core's limits on size and shape.
    pub fn cannot_add_under(&self, parent: usize) -> Option<Problem> {
        let draft = self.draft();
        if draft.services.len() >= limits::MAX_SERVICES {
            return Some(Problem::too_many(
                limits::MAX_SERVICES,
                draft.services.len() + 1,
            ));
        }
        let calls = draft.services.get(parent)?.calls.len();
        if calls >= limits::MAX_FAN_OUT {
            return Some(Problem::too_many(limits::MAX_FAN_OUT, calls + 1));
        }
        (self.level(parent) >= limits::MAX_DEPTH).then(|| Problem::TooDeep {
            name: draft.services[parent].name.clone(),
            max: limits::MAX_DEPTH.to_string(),
        })
    }

    /// The service the rest of the draft calls `name`, pending renames included.
    fn referenced(&self, name: &str) -> Option<usize> {
        let state = self.state();
        let by_pending = state.renaming.iter().find(|(_, old)| *old == name);
        match by_pending {
            Some((&s, _)) => Some(s),
            None => (state.draft.services.iter().enumerate())
                .position(|(i, s)| s.name == name && !state.renaming.contains_key(&i)),
        }
    }

    /// The draft's services in tree order (each caller before its callees), with their levels.
    pub fn tree_order(&self) -> Vec<(usize, usize)> {
        let mut order = Vec::new();
        let mut stack = vec![(0usize, 1usize)];
        while let Some((s, level)) = stack.pop() {
            if order.iter().any(|&(seen, _)| seen == s) || order.len() > limits::MAX_SERVICES {
                continue;
            }
            order.push((s, level));
            let calls = &self.draft().services[s].calls;
            let callees: Vec<usize> = calls.iter().filter_map(|c| self.referenced(c)).collect();
            stack.extend(callees.into_iter().rev().map(|c| (c, level + 1)));
        }
        order
    }

    /// The name of the service that calls `service`, if any.
    pub fn caller_name(&self, service: usize) -> Option<String> {
        let draft = self.draft();
        let name = &draft.services.get(service)?.name;
        let caller = draft.services.iter().find(|s| s.calls.contains(name))?;
        Some(caller.name.clone())
    }

    /// A service's level in the draft's tree: 1 for the entry.
    pub fn level(&self, service: usize) -> usize {
        let order = self.tree_order();
        order
            .iter()
            .find(|&&(s, _)| s == service)
            .map_or(1, |&(_, level)| level)
    }

    /// Adds a new leaf called by `parent`, named `service-N`; returns its index.
    pub fn add_callee(&mut self, parent: usize) -> Option<usize> {
        if self.cannot_add_under(parent).is_some() || self.tree_blocked().is_some() {
            return None;
        }
        self.edit(|draft| {
            let name = unused_name("service", |n| draft.service_index(n).is_some());
            draft.services[parent].calls.push(name.clone());
            draft.services.push(ServiceSpec::named(&name));
        });
        Some(self.draft().services.len() - 1)
    }

    /// Removes `service` and everything it calls, with the references to them. The entry stays.
    pub fn remove_service(&mut self, service: usize) {
        if service == 0 || service >= self.draft().services.len() {
            return;
        }
        self.edit(|draft| {
            let gone: Vec<String> = subtree(draft, service)
                .into_iter()
                .map(|s| draft.services[s].name.clone())
                .collect();
            let is_gone = |name: &String| gone.contains(name);
            draft.services.retain(|s| !is_gone(&s.name));
            for spec in &mut draft.services {
                spec.calls.retain(|c| !is_gone(c));
            }
            for kind in &mut draft.workload.kinds {
                kind.touches.retain(|t| !is_gone(t));
            }
            if let Consumers::PerGroup(map) = &mut draft.event.consumers {
                map.retain(|group, _| !is_gone(group));
            }
            draft.faults.retain(|f| !is_gone(&f.action.target_name()));
        });
    }

    /// Adds a request kind, named `kind-N`, that touches every service.
    pub fn add_kind(&mut self) {
        self.edit(|draft| {
            let kinds = &mut draft.workload.kinds;
            let name = unused_name("kind", |n| kinds.iter().any(|k| k.name == n));
            kinds.push(RequestKind {
                name,
                weight: 1.0,
                touches: Vec::new(),
            });
        });
    }

    pub fn remove_kind(&mut self, kind: usize) {
        if kind < self.draft().workload.kinds.len() {
            self.edit(|draft| {
                draft.workload.kinds.remove(kind);
            });
        }
    }

    /// Whether `kind` touches `service` (a kind with no list touches every service).
    pub fn touches(&self, kind: usize, service: usize) -> bool {
        let draft = self.draft();
        let (Some(k), Some(spec)) = (draft.workload.kinds.get(kind), draft.services.get(service))
        else {
            return false;
        };
        k.touches.is_empty() || k.touches.contains(&spec.name)
    }

    /// Turns `service` on or off for `kind`; a kind left touching everything lists nothing.
    pub fn toggle_touch(&mut self, kind: usize, service: usize) {
        if service == 0 || kind >= self.draft().workload.kinds.len() {
            return;
        }
        let on = self.touches(kind, service);
        self.edit(|draft| {
            let all: Vec<String> = draft.services[1..].iter().map(|s| s.name.clone()).collect();
            let name = draft.services[service].name.clone();
            let touches = &mut draft.workload.kinds[kind].touches;
            if touches.is_empty() {
                *touches = all.clone();
            }
            if on {
                touches.retain(|t| *t != name);
            } else {
                touches.push(name);
            }
            if all.iter().all(|s| touches.contains(s)) {
                touches.clear();
            }
        });
    }

    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    pub fn can_redo(&self) -> bool {
        self.cursor + 1 < self.history.len()
    }

    /// The scenario an undo would restart, when it would cross an Apply.
    pub fn undo_restarts(&self) -> Option<&Scenario> {
        let before = self.history.get(self.cursor.checked_sub(1)?)?;
        (before.applied != *self.applied()).then_some(&before.applied)
    }

    /// The scenario a redo would restart, when it would cross an Apply.
    pub fn redo_restarts(&self) -> Option<&Scenario> {
        let after = self.history.get(self.cursor + 1)?;
        (after.applied != *self.applied()).then_some(&after.applied)
    }

    pub fn undo(&mut self) -> Travel {
        if !self.can_undo() {
            return Travel::Nothing;
        }
        let restart = self.undo_restarts().cloned();
        self.cursor -= 1;
        self.typing = None;
        restart.map_or(Travel::Draft, |s| Travel::Restart(Box::new(s)))
    }

    pub fn redo(&mut self) -> Travel {
        if !self.can_redo() {
            return Travel::Nothing;
        }
        let restart = self.redo_restarts().cloned();
        self.cursor += 1;
        self.typing = None;
        restart.map_or(Travel::Draft, |s| Travel::Restart(Box::new(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::scenario::{Action, Target};
    use crate::sim::{ProblemCode, Simulation};

    fn service(editor: &Editor, name: &str) -> usize {
        editor.draft().service_index(name).expect("service exists")
    }

    /// Builds checkout → {payment → fraud → risk, inventory, email} from blank, by the editor's own steps.
    fn checkout() -> Editor {
        let mut editor = Editor::new(&preset("happy-path").unwrap());
        editor.start_blank();
        editor.set(Field::Service(0, ServiceField::Name), "checkout");
        for (parent, name) in [
            ("checkout", "payment"),
            ("payment", "fraud"),
            ("fraud", "risk"),
            ("checkout", "inventory"),
            ("checkout", "email"),
        ] {
            let added = editor.add_callee(service(&editor, parent)).unwrap();
            editor.set(Field::Service(added, ServiceField::Name), name);
        }
        editor.add_kind();
        editor.add_kind();
        editor.set(Field::Kind(0, KindField::Name), "buy");
        editor.set(Field::Kind(1, KindField::Name), "browse");
        editor.toggle_touch(1, service(&editor, "email"));
        editor
    }

    #[test]
    fn a_system_built_from_blank_runs_and_travels_as_json() {
        let mut editor = checkout();
        assert_eq!(editor.error(), None);
        assert_eq!(editor.draft().services.len(), 6);
        assert_eq!(editor.level(service(&editor, "risk")), 4);
        assert!(!editor.touches(1, service(&editor, "email")));
        assert!(editor.touches(0, service(&editor, "email")));
        let scenario = editor.apply().expect("valid");
        let again = Scenario::from_json(&scenario.to_json()).expect("exported JSON reads back");
        let hash = |s: &Scenario| {
            let mut sim = Simulation::new(s.clone()).unwrap();
            sim.run_until(crate::sim::SimTime::from_us(5_000_000));
            sim.trace().hash()
        };
        assert_eq!(hash(&scenario), hash(&again));
    }

    #[test]
    fn bad_input_is_kept_as_typed_named_by_the_core_and_never_applied() {
        let mut editor = checkout();
        let running = editor.apply().unwrap();
        let email = service(&editor, "email");
        let workers = Field::Service(email, ServiceField::Workers);
        editor.set(workers, "8x");
        assert_eq!(editor.text(workers), "8x", "what was typed stays");
        assert_eq!(
            editor.problem_at(workers).map(|p| p.code()),
            Some(ProblemCode::NotAWholeNumber)
        );
        assert!(editor.apply().is_err());
        assert_eq!(editor.applied(), &running);
        let cases: [(Field, &str, ProblemCode); 4] = [
            (workers, "0", ProblemCode::Range),
            (
                Field::Service(email, ServiceField::Name),
                "payment",
                ProblemCode::UsedTwice,
            ),
            (
                Field::Service(email, ServiceField::Name),
                "risk",
                ProblemCode::UsedTwice,
            ),
            (
                Field::Service(email, ServiceField::Name),
                "e mail",
                ProblemCode::BadName,
            ),
        ];
        for (field, text, code) in cases {
            editor.set(field, text);
            let error = editor.error().expect("refused");
            assert_eq!(error.problem.code(), code, "{text}");
            let beside = editor.problem_at(field).map(|p| p.code());
            assert_eq!(
                beside,
                Some(code),
                "{text} is told beside the field typed in"
            );
            assert!(editor.apply().is_err());
            editor.set(field, &Field::text(&field, &running));
        }
        editor.set(Field::Service(email, ServiceField::TimeKind), "lognormal");
        editor.set(Field::Service(email, ServiceField::TimeParam(0)), "40");
        let p99 = Field::Service(email, ServiceField::TimeParam(1));
        editor.set(p99, "30");
        assert_eq!(
            editor.problem_at(p99).map(|p| p.code()),
            Some(ProblemCode::Above)
        );
        assert_eq!(
            editor.error().unwrap().field,
            format!("services[{email}].service_time_ms.p99")
        );
        editor.set(p99, "300");
        assert_eq!(editor.error(), None);
    }

    #[test]
    fn renaming_and_removing_carry_every_reference() {
        let mut editor = Editor::new(&preset("signup").unwrap());
        let analytics = service(&editor, "analytics");
        editor.set(Field::Event(EventField::Instances(analytics)), "3");
        editor.set(Field::Service(analytics, ServiceField::Name), "stats");
        let draft = editor.draft();
        assert!(draft.services[0].calls.contains(&"stats".to_string()));
        assert_eq!(draft.event.consumers.instances_for("stats"), 3);
        assert!(
            draft
                .faults
                .iter()
                .all(|f| f.action.target_name() != "analytics")
        );
        assert_eq!(editor.error(), None);
        let email = service(&editor, "email");
        let before = editor.draft().services.len();
        editor.remove_service(email);
        let draft = editor.draft();
        assert_eq!(
            draft.services.len(),
            before - 2,
            "email and the template it calls"
        );
        assert!(draft.service_index("template").is_none());
        assert_eq!(editor.error(), None);
    }

    #[test]
    fn the_tree_stays_within_the_cores_limits() {
        let mut editor = Editor::new(&blank_scenario());
        let mut parent = 0;
        for _ in 1..limits::MAX_DEPTH {
            parent = editor.add_callee(parent).unwrap();
        }
        // A value the core refuses is in the draft and does not stop tree changes; text that
        // does not parse does, because a tree change would move the field it waits in.
        editor.set(Field::Service(0, ServiceField::Workers), "0");
        assert_eq!(editor.tree_blocked(), None);
        editor.set(Field::Service(0, ServiceField::Workers), "zero");
        assert!(editor.tree_blocked().is_some());
        assert_eq!(editor.add_callee(0), None);
        editor.set(Field::Service(0, ServiceField::Workers), "8");
        let too_deep = editor.cannot_add_under(parent).map(|p| p.code());
        assert_eq!(too_deep, Some(ProblemCode::TooDeep));
        assert_eq!(editor.add_callee(parent), None);
        for _ in 0..limits::MAX_FAN_OUT - 1 {
            editor.add_callee(0).unwrap();
        }
        assert_eq!(
            editor.cannot_add_under(0).map(|p| p.code()),
            Some(ProblemCode::TooMany)
        );
        assert_eq!(editor.error(), None);
    }

    #[test]
    fn undo_and_redo_cover_fifty_edits_and_say_when_they_restart() {
        let mut editor = Editor::new(&blank_scenario());
        let applied_first = editor.applied().clone();
        let rate = Field::Workload(WorkloadField::Rate);
        editor.set(rate, "1");
        editor.set(rate, "12");
        editor.set(rate, "120");
        assert_eq!(
            editor.undo(),
            Travel::Draft,
            "typing in one field is one step"
        );
        assert_eq!(editor.text(rate), "40");
        assert_eq!(editor.redo(), Travel::Draft);
        let applied = editor.apply().unwrap();
        // Sixty edits, alternating fields so that none joins the one before.
        for n in 0..30 {
            editor.set(Field::Workload(WorkloadField::Users), &(n + 1).to_string());
            editor.set(rate, &(n + 1).to_string());
        }
        for _ in 0..60 {
            assert_eq!(editor.undo(), Travel::Draft);
        }
        assert_eq!(editor.text(rate), "120");
        assert_eq!(editor.undo_restarts(), Some(&applied_first));
        assert_eq!(
            editor.undo(),
            Travel::Restart(Box::new(applied_first.clone()))
        );
        assert_eq!(editor.redo(), Travel::Restart(Box::new(applied)));
        editor.follow(&preset("signup").unwrap());
        assert_eq!(editor.draft(), &preset("signup").unwrap());
        assert!(
            matches!(editor.undo(), Travel::Restart(_)),
            "the run before the preset comes back"
        );
        assert_eq!(editor.text(rate), "120");
    }

    #[test]
    fn a_hung_leaf_fails_both_kinds_in_sync_and_lags_only_its_group_in_events() {
        let mut editor = checkout();
        let mut scenario = editor.apply().unwrap();
        scenario.duration_ms = 20_000;
        scenario
            .faults
            .push(Action::Hang(Target::Service("risk".into())).at(2_000.0));
        let mut sim = Simulation::new(scenario).unwrap();
        sim.run_to_end();
        let report = sim.report();
        for kind in ["buy", "browse"] {
            let counts = &report.sync.by_kind[kind];
            assert!(counts.failed > 0, "sync {kind}: {counts:?}");
            assert_eq!(report.event.world.by_kind[kind].failed, 0, "event {kind}");
        }
        let groups = &report.event.groups;
        // Unprocessed events, not offset lag: auto-commit leaves every group's offsets behind.
        assert!(
            groups["payment"].unprocessed > 100,
            "{:?}",
            groups["payment"]
        );
        for other in ["inventory", "email"] {
            assert!(
                groups[other].unprocessed < 10,
                "{other}: {:?}",
                groups[other]
            );
        }
    }

    #[test]
    fn an_edited_preset_runs_under_its_own_name_and_the_tree_reads_in_order() {
        let mut editor = Editor::new(&preset("signup").unwrap());
        let order: Vec<usize> = editor.tree_order().iter().map(|&(s, _)| s).collect();
        let names: Vec<&str> = order
            .iter()
            .map(|&s| editor.draft().services[s].name.as_str())
            .collect();
        assert_eq!(names, ["signup", "email", "template", "analytics", "cache"]);
        editor.set(Field::Service(1, ServiceField::Workers), "3");
        let applied = editor.apply().unwrap();
        assert_eq!(applied.name, "signup-edited");
        assert!(
            applied.expect.is_empty(),
            "the preset's claim is not this system's"
        );
        assert!(!editor.changed());
        // A name being typed keeps its place in the tree.
        editor.set(Field::Service(1, ServiceField::Workers), "0");
        editor.set(Field::Service(1, ServiceField::Name), "e mail");
        assert_eq!(editor.tree_order().len(), 5);
        let told = editor.problem_at(Field::Service(1, ServiceField::Name));
        assert_eq!(
            told.map(|p| p.code()),
            Some(ProblemCode::BadName),
            "told beside the name too"
        );
        assert!(editor.tree_blocked().is_some());
    }
}
