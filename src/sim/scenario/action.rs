//! Faults and user actions as typed values: each action carries exactly what it needs.
//!
//! Files and share links keep the flat form they have always had —
//! `{"at_ms": 15000, "action": "slow", "target": "analytics", "factor": 4}` — read through
//! [`FlatFault`] and turned into an [`Action`] at once, so a missing field is named while
//! reading and nothing downstream meets an action without what it needs.

use super::super::ids::BROKER_PREFIX;
pub use super::super::ids::BrokerId;
use super::settings::SettingsPatch;
use super::{ServiceSpec, StartFrom};
use serde::{Deserialize, Serialize};

/// What a kill, hang or restore aims at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Service(String),
    Broker(BrokerId),
}

impl Target {
    /// Reads a target as files write it: `broker-N` is a broker, anything else a service
    /// (`broker-x` too, which validation then reports as neither).
    pub fn named(name: &str) -> Target {
        match name.strip_prefix(BROKER_PREFIX).map(str::parse::<u32>) {
            Some(Ok(b)) => Target::Broker(BrokerId(b)),
            _ => Target::Service(name.to_string()),
        }
    }

    /// The name as files write it.
    pub fn name(&self) -> String {
        match self {
            Target::Service(name) => name.clone(),
            Target::Broker(b) => b.to_string(),
        }
    }
}

/// What kind of action, without its arguments: for menus, episodes and narration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Kill,
    Hang,
    Slow,
    Restore,
    AddService,
    RemoveService,
    Scale,
    /// Changes live settings from now on: the "what if I had set acks=all here".
    Configure,
    /// The entry starts writing the next version of its event (and of its requests).
    DeployEventVersion,
    /// A consumer group (and, in the sync world, the same callee) learns the version written now.
    Upgrade,
}

/// What a new event version does to readers of the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compatibility {
    /// An optional field added: every reader still reads it.
    Compatible,
    /// A field renamed or removed: readers of the old version cannot read it.
    Breaking,
}

/// A fault or user action, applied to both worlds at once.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Kill(Target),
    /// Validation refuses a broker here: brokers are killed and restored, never hung.
    Hang(Target),
    Slow {
        service: String,
        factor: f64,
    },
    Restore(Target),
    /// A new service under `caller`; under the entry it is a new consumer group in the event world.
    AddService {
        caller: String,
        service: Box<ServiceSpec>,
        start_from: Option<StartFrom>,
    },
    RemoveService(String),
    Scale {
        group: String,
        instances: u32,
    },
    Configure(SettingsPatch),
    DeployEventVersion(Compatibility),
    /// Validation accepts only a consumer group: a direct child of the entry.
    Upgrade(String),
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Kill(_) => ActionKind::Kill,
            Action::Hang(_) => ActionKind::Hang,
            Action::Slow { .. } => ActionKind::Slow,
            Action::Restore(_) => ActionKind::Restore,
            Action::AddService { .. } => ActionKind::AddService,
            Action::RemoveService(_) => ActionKind::RemoveService,
            Action::Scale { .. } => ActionKind::Scale,
            Action::Configure(_) => ActionKind::Configure,
            Action::DeployEventVersion(_) => ActionKind::DeployEventVersion,
            Action::Upgrade(_) => ActionKind::Upgrade,
        }
    }

    /// What the action aims at, as files write it; empty for `configure` and a deploy.
    pub fn target_name(&self) -> String {
        match self {
            Action::Kill(t) | Action::Hang(t) | Action::Restore(t) => t.name(),
            Action::Slow { service: name, .. }
            | Action::AddService { caller: name, .. }
            | Action::RemoveService(name)
            | Action::Scale { group: name, .. }
            | Action::Upgrade(name) => name.clone(),
            Action::Configure(_) | Action::DeployEventVersion(_) => String::new(),
        }
    }

    /// Renames every reference to service `old`, as the editor does when a service is renamed.
    pub fn rename_service(&mut self, old: &str, new: &str) {
        let name = match self {
            Action::Kill(Target::Service(name))
            | Action::Hang(Target::Service(name))
            | Action::Restore(Target::Service(name))
            | Action::Slow { service: name, .. }
            | Action::AddService { caller: name, .. }
            | Action::RemoveService(name)
            | Action::Scale { group: name, .. }
            | Action::Upgrade(name) => name,
            _ => return,
        };
        if name == old {
            *name = new.to_string();
        }
    }

    /// The action at simulated time `at_ms`.
    pub fn at(self, at_ms: f64) -> Fault {
        Fault {
            at_ms,
            action: self,
        }
    }
}

/// One entry of the fault timeline, applied to both worlds at the same simulated time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FlatFault", into = "FlatFault")]
pub struct Fault {
    pub at_ms: f64,
    pub action: Action,
}

/// The flat JSON form of a fault: a target string and the optional fields of every action.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatFault {
    at_ms: f64,
    action: ActionKind,
    /// A service name, or `broker-N`; for `add_service`, the caller; empty for `configure`.
    #[serde(default)]
    target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instances: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<ServiceSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_from: Option<StartFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    set: Option<SettingsPatch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    compatibility: Option<Compatibility>,
}

/// The message serde gives a missing field, so a missing argument reads like any other.
fn missing(field: &str) -> String {
    format!("missing field `{field}`")
}

impl TryFrom<FlatFault> for Fault {
    type Error = String;

    fn try_from(flat: FlatFault) -> Result<Fault, String> {
        let target = flat.target;
        let action = match flat.action {
            ActionKind::Kill => Action::Kill(Target::named(&target)),
            ActionKind::Hang => Action::Hang(Target::named(&target)),
            ActionKind::Restore => Action::Restore(Target::named(&target)),
            ActionKind::Slow => Action::Slow {
                service: target,
                factor: flat.factor.ok_or_else(|| missing("factor"))?,
            },
            ActionKind::AddService => Action::AddService {
                caller: target,
                service: Box::new(flat.service.ok_or_else(|| missing("service"))?),
                start_from: flat.start_from,
            },
            ActionKind::RemoveService => Action::RemoveService(target),
            ActionKind::Scale => Action::Scale {
                group: target,
                instances: flat.instances.ok_or_else(|| missing("instances"))?,
            },
            ActionKind::Configure => Action::Configure(flat.set.ok_or_else(|| missing("set"))?),
            ActionKind::DeployEventVersion => Action::DeployEventVersion(
                flat.compatibility.ok_or_else(|| missing("compatibility"))?,
            ),
            ActionKind::Upgrade => Action::Upgrade(target),
        };
        Ok(action.at(flat.at_ms))
    }
}

impl From<Fault> for FlatFault {
    fn from(fault: Fault) -> FlatFault {
        let mut flat = FlatFault {
            at_ms: fault.at_ms,
            action: fault.action.kind(),
            target: fault.action.target_name(),
            factor: None,
            instances: None,
            service: None,
            start_from: None,
            set: None,
            compatibility: None,
        };
        match fault.action {
            Action::Slow { factor, .. } => flat.factor = Some(factor),
            Action::Scale { instances, .. } => flat.instances = Some(instances),
            Action::AddService {
                service,
                start_from,
                ..
            } => {
                flat.service = Some(*service);
                flat.start_from = start_from;
            }
            Action::Configure(set) => flat.set = Some(set),
            Action::DeployEventVersion(compatibility) => flat.compatibility = Some(compatibility),
            Action::Kill(_)
            | Action::Hang(_)
            | Action::Restore(_)
            | Action::RemoveService(_)
            | Action::Upgrade(_) => {}
        }
        flat
    }
}
