//! Validation: every value against its range, the tree's shape and limits, and the fault timeline in time order.

use super::super::problem::Problem;
use super::{
    Action, Arrivals, Consumers, Scenario, ScenarioError, ServiceSpec, SettingsPatch, Target,
    error, limits,
};

impl Scenario {
    /// Checks every value against its range and the topology for a single rooted tree.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.duration_ms == 0 || self.duration_ms > limits::MAX_DURATION_MS {
            return Err(error(
                "duration_ms",
                Problem::range(1, limits::MAX_DURATION_MS, self.duration_ms),
            ));
        }
        check_range("network_latency_ms", self.network_latency_ms, 0.0, 60_000.0)?;
        self.validate_workload()?;
        validate_services(&self.services)?;
        self.validate_kinds()?;
        self.validate_sync()?;
        self.validate_event()?;
        self.validate_faults()?;
        if !self.expect.is_empty() {
            crate::sim::goal::Goal::parse(&self.expect).map_err(|e| error("expect", e.problem))?;
        }
        Ok(())
    }

    fn validate_workload(&self) -> Result<(), ScenarioError> {
        let rate = |field: &str, value: f64| check_range(field, value, 0.0, limits::MAX_RATE_PER_S);
        match self.workload.arrivals {
            Arrivals::Poisson { rate_per_s } | Arrivals::Constant { rate_per_s } => {
                rate("workload.arrivals.rate_per_s", rate_per_s)?
            }
            Arrivals::Bursty {
                rate_per_s,
                burst_rate_per_s,
                every_ms,
                burst_ms,
            } => {
                rate("workload.arrivals.rate_per_s", rate_per_s)?;
                rate("workload.arrivals.burst_rate_per_s", burst_rate_per_s)?;
                check_range(
                    "workload.arrivals.every_ms",
                    every_ms,
                    1.0,
                    limits::MAX_DURATION_MS as f64,
                )?;
                check_range("workload.arrivals.burst_ms", burst_ms, 0.0, every_ms)?;
            }
        }
        if self.workload.users == 0 {
            return Err(error(
                "workload.users",
                Problem::AtLeast {
                    min: "1".into(),
                    got: "0".into(),
                },
            ));
        }
        Ok(())
    }

    fn validate_kinds(&self) -> Result<(), ScenarioError> {
        let kinds = &self.workload.kinds;
        if kinds.len() > limits::MAX_KINDS {
            return Err(error(
                "workload.kinds",
                Problem::too_many(limits::MAX_KINDS, kinds.len()),
            ));
        }
        for (index, kind) in kinds.iter().enumerate() {
            let at = format!("workload.kinds[{index}]");
            check_name(&format!("{at}.name"), &kind.name)?;
            if kinds[..index].iter().any(|k| k.name == kind.name) {
                return Err(error(
                    format!("{at}.name"),
                    Problem::UsedTwice {
                        name: kind.name.clone(),
                    },
                ));
            }
            check_range(&format!("{at}.weight"), kind.weight, 0.0, 1e9)?;
            for (t, touched) in kind.touches.iter().enumerate() {
                match self.service_index(touched) {
                    None => {
                        return Err(error(
                            format!("{at}.touches[{t}]"),
                            Problem::NoSuchService {
                                name: touched.clone(),
                            },
                        ));
                    }
                    Some(0) => {
                        return Err(error(
                            format!("{at}.touches[{t}]"),
                            Problem::EntryInTouches {},
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if !kinds.is_empty() && kinds.iter().all(|k| k.weight == 0.0) {
            return Err(error("workload.kinds", Problem::NoKindWeight {}));
        }
        Ok(())
    }

    fn validate_sync(&self) -> Result<(), ScenarioError> {
        let sync = &self.sync;
        check_range(
            "sync.timeout_ms",
            sync.timeout_ms,
            0.001,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range(
            "sync.redeploy_ms",
            sync.redeploy_ms,
            0.0,
            limits::MAX_DURATION_MS as f64,
        )?;
        let retry = &sync.retry;
        if retry.max_retries > limits::MAX_RETRIES {
            return Err(error(
                "sync.retry.max_retries",
                Problem::range(0, limits::MAX_RETRIES, retry.max_retries),
            ));
        }
        check_range(
            "sync.retry.backoff_ms",
            retry.backoff_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        check_range("sync.retry.multiplier", retry.multiplier, 1.0, 10.0)?;
        check_range(
            "sync.retry.max_backoff_ms",
            retry.max_backoff_ms,
            0.0,
            limits::MAX_TIMEOUT_MS,
        )?;
        let breaker = &sync.circuit_breaker;
        if breaker.failure_threshold == 0 || breaker.failure_threshold > 1_000 {
            return Err(error(
                "sync.circuit_breaker.failure_threshold",
                Problem::range(1, 1_000, breaker.failure_threshold),
            ));
        }
        check_range(
            "sync.circuit_breaker.open_ms",
            breaker.open_ms,
            1.0,
            limits::MAX_TIMEOUT_MS,
        )
    }

    fn validate_event(&self) -> Result<(), ScenarioError> {
        let event = &self.event;
        check_count("event.brokers", event.brokers, 1, limits::MAX_BROKERS)?;
        check_count(
            "event.partitions",
            event.partitions,
            1,
            limits::MAX_PARTITIONS,
        )?;
        let factor = event.replication_factor;
        check_count("event.replication_factor", factor, 1, event.brokers).map_err(|e| {
            let Problem::Range { min, max, got } = e.problem else {
                return e;
            };
            error(e.field, Problem::RangeBelowBrokers { min, max, got })
        })?;
        check_range("event.retention_ms", event.retention_ms, 1.0, 1e12)?;
        let interval = event.auto_commit_interval_ms;
        let longest = limits::MAX_TIMEOUT_MS;
        check_range("event.auto_commit_interval_ms", interval, 1.0, longest)?;
        self.validate_consumers()?;
        check_range("event.poison_rate", event.poison_rate, 0.0, 1.0)?;
        let attempts = event.max_processing_attempts;
        check_count("event.max_processing_attempts", attempts, 1, 1_000)?;
        let delays = [
            ("event.rebalance_ms", event.rebalance_ms, 0.0),
            (
                "event.replication_delay_ms",
                event.replication_delay_ms,
                0.0,
            ),
            ("event.failover_ms", event.failover_ms, 0.0),
            ("event.session_timeout_ms", event.session_timeout_ms, 1.0),
            ("event.outbox_poll_ms", event.outbox_poll_ms, 1.0),
            (
                "event.producer_timeout_ms",
                event.producer_timeout_ms,
                0.001,
            ),
        ];
        for (field, value, min) in delays {
            check_range(field, value, min, longest)?;
        }
        let records = event.max_poll_records;
        check_count(
            "event.max_poll_records",
            records,
            1,
            limits::MAX_POLL_RECORDS,
        )?;
        let events = event.max_log_events;
        check_count("event.max_log_events", events, 1, limits::MAX_LOG_EVENTS)
    }

    /// Instances per group: one count for all, or a count per named group.
    fn validate_consumers(&self) -> Result<(), ScenarioError> {
        match &self.event.consumers {
            Consumers::Uniform(n) => check_count("event.consumers", *n, 0, limits::MAX_INSTANCES),
            Consumers::PerGroup(map) => {
                for (group, n) in map {
                    let field = format!("event.consumers.{group}");
                    if self.service_index(group).is_none() {
                        let name = group.clone();
                        return Err(error(field, Problem::NoSuchService { name }));
                    }
                    check_count(&field, *n, 0, limits::MAX_INSTANCES)?;
                }
                Ok(())
            }
        }
    }

    fn validate_faults(&self) -> Result<(), ScenarioError> {
        if self.faults.len() > limits::MAX_FAULTS {
            return Err(error(
                "faults",
                Problem::too_many(limits::MAX_FAULTS, self.faults.len()),
            ));
        }
        // The services that exist at each point of the timeline, checked in time order.
        let mut tree = TreeSoFar::of(&self.services);
        for index in self.faults_in_time_order() {
            let fault = &self.faults[index];
            let at = format!("faults[{index}]");
            check_range(
                &format!("{at}.at_ms"),
                fault.at_ms,
                0.0,
                limits::MAX_DURATION_MS as f64,
            )?;
            self.validate_action(&at, &fault.action, &mut tree)?;
        }
        Ok(())
    }

    /// Checks one action against the tree as it stands when the action fires.
    fn validate_action(
        &self,
        at: &str,
        action: &Action,
        tree: &mut TreeSoFar,
    ) -> Result<(), ScenarioError> {
        let not_a_target = |target: &str| {
            error(
                format!("{at}.target"),
                Problem::NotATarget {
                    target: target.to_string(),
                    last_broker: (self.event.brokers - 1).to_string(),
                },
            )
        };
        let service = |name: &str| match tree.has(name) {
            true => Ok(()),
            false => Err(not_a_target(name)),
        };
        let target = |target: &Target| match target {
            Target::Broker(b) if b.0 < self.event.brokers => Ok(()),
            Target::Broker(b) => Err(not_a_target(&b.to_string())),
            Target::Service(name) => service(name),
        };
        match action {
            Action::Kill(t) | Action::Restore(t) => target(t),
            Action::Hang(Target::Broker(b)) if b.0 < self.event.brokers => {
                Err(error(format!("{at}.action"), Problem::BrokerCannotHang {}))
            }
            Action::Hang(t) => target(t),
            Action::Slow {
                service: name,
                factor,
            } => {
                service(name)?;
                check_range(&format!("{at}.factor"), *factor, 1.0, 1_000.0)
            }
            Action::Scale { group, instances } => self.validate_scale(at, group, *instances, tree),
            Action::Upgrade(group) => self.validate_scale(at, group, 0, tree),
            Action::DeployEventVersion(_) => tree.deploy(at),
            Action::AddService {
                caller, service, ..
            } => tree.add(at, caller, service),
            Action::Configure(patch) => self.validate_patch(at, patch),
            Action::RemoveService(name) if tree.has(name) && !tree.is_entry(name) => Ok(()),
            Action::RemoveService(name) => Err(error(
                format!("{at}.target"),
                Problem::NotRemovable {
                    target: name.clone(),
                },
            )),
        }
    }

    fn validate_scale(
        &self,
        at: &str,
        group: &str,
        instances: u32,
        tree: &TreeSoFar,
    ) -> Result<(), ScenarioError> {
        if !tree.has(group) || tree.is_entry(group) || !self.is_consumer_group(group) {
            return Err(error(
                format!("{at}.target"),
                Problem::NotAGroup {
                    target: group.to_string(),
                },
            ));
        }
        if instances > limits::MAX_INSTANCES {
            return Err(error(
                format!("{at}.instances"),
                Problem::range(0, limits::MAX_INSTANCES, instances),
            ));
        }
        Ok(())
    }

    /// A `configure` patch must change something, and leave every setting in its range.
    fn validate_patch(&self, at: &str, patch: &SettingsPatch) -> Result<(), ScenarioError> {
        if patch.is_empty() {
            return Err(error(
                format!("{at}.set"),
                Problem::ConfigureNeedsSettings {},
            ));
        }
        let mut patched = self.settings_only();
        patch.write_into(&mut patched).map_err(|setting| {
            error(
                format!("{at}.set.{}", setting.path()),
                Problem::NoSuchSetting {},
            )
        })?;
        patched
            .validate_workload()
            .and_then(|()| patched.validate_sync())
            .and_then(|()| patched.validate_event())
            .map_err(|inner| error(format!("{at}.set.{}", inner.field), inner.problem))
    }

    /// A copy without services or faults, which a settings check does not need.
    fn settings_only(&self) -> Scenario {
        Scenario {
            name: String::new(),
            description: String::new(),
            expect: String::new(),
            seed: self.seed,
            duration_ms: self.duration_ms,
            network_latency_ms: self.network_latency_ms,
            workload: self.workload.clone(),
            services: Vec::new(),
            sync: self.sync.clone(),
            event: self.event.clone(),
            faults: Vec::new(),
        }
    }

    /// Whether `name` is (or, added later, will be) a direct child of the entry.
    fn is_consumer_group(&self, name: &str) -> bool {
        let entry = &self.services[0];
        entry.calls.iter().any(|c| c == name)
            || self.faults.iter().any(|f| match &f.action {
                Action::AddService {
                    caller, service, ..
                } => *caller == entry.name && service.name == name,
                _ => false,
            })
    }
}

/// The tree as the fault timeline has changed it so far: names, levels and callee counts,
/// so a service added mid-run keeps the tree's limits.
struct TreeSoFar {
    names: Vec<String>,
    levels: Vec<usize>,
    fan_out: Vec<usize>,
    /// Event versions deployed so far, the first included.
    versions: u16,
}

impl TreeSoFar {
    fn of(services: &[ServiceSpec]) -> TreeSoFar {
        TreeSoFar {
            names: services.iter().map(|s| s.name.clone()).collect(),
            levels: tree_levels(services),
            fan_out: services.iter().map(|s| s.calls.len()).collect(),
            versions: 1,
        }
    }

    /// Counts a deploy of the next event version at `at`; refused past the limit.
    fn deploy(&mut self, at: &str) -> Result<(), ScenarioError> {
        self.versions += 1;
        if self.versions > limits::MAX_EVENT_VERSIONS {
            let limit = usize::from(limits::MAX_EVENT_VERSIONS);
            let got = usize::from(self.versions);
            return Err(error(format!("{at}.action"), Problem::too_many(limit, got)));
        }
        Ok(())
    }

    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn is_entry(&self, name: &str) -> bool {
        self.names.first().is_some_and(|n| n == name)
    }

    /// Checks a service added under `caller` at `at`, and adds it.
    fn add(&mut self, at: &str, caller: &str, spec: &ServiceSpec) -> Result<(), ScenarioError> {
        let Some(caller) = self.names.iter().position(|n| n == caller) else {
            return Err(error(
                format!("{at}.target"),
                Problem::CallerNotAService {
                    target: caller.to_string(),
                },
            ));
        };
        if self.names.len() >= limits::MAX_SERVICES {
            return Err(error(
                format!("{at}.service"),
                Problem::too_many(limits::MAX_SERVICES, self.names.len() + 1),
            ));
        }
        if self.has(&spec.name) {
            return Err(error(
                format!("{at}.service.name"),
                Problem::AlreadyExists {
                    name: spec.name.clone(),
                },
            ));
        }
        if !spec.calls.is_empty() {
            return Err(error(
                format!("{at}.service.calls"),
                Problem::AddedServiceHasCalls {},
            ));
        }
        validate_service_fields(&format!("{at}.service"), spec)?;
        if self.fan_out[caller] >= limits::MAX_FAN_OUT {
            return Err(error(
                format!("{at}.target"),
                Problem::too_many(limits::MAX_FAN_OUT, self.fan_out[caller] + 1),
            ));
        }
        if self.levels[caller] + 1 > limits::MAX_DEPTH {
            return Err(error(
                format!("{at}.service.name"),
                Problem::TooDeep {
                    name: spec.name.clone(),
                    max: limits::MAX_DEPTH.to_string(),
                },
            ));
        }
        self.fan_out[caller] += 1;
        self.fan_out.push(0);
        self.levels.push(self.levels[caller] + 1);
        self.names.push(spec.name.clone());
        Ok(())
    }
}

/// Service names may not look like a broker's target name.
const BROKER_PREFIX: &str = "broker-";

fn check_count(field: &str, value: u32, min: u32, max: u32) -> Result<(), ScenarioError> {
    if value < min || value > max {
        Err(error(field, Problem::range(min, max, value)))
    } else {
        Ok(())
    }
}

fn check_range(field: &str, value: f64, min: f64, max: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(error(field, Problem::range(min, max, value)))
    }
}

/// Whether `name` is a valid service or kind name, as validation checks it.
pub fn check_service_name(name: &str) -> Result<(), ScenarioError> {
    check_name("name", name)
}

fn check_name(field: &str, name: &str) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with(BROKER_PREFIX);
    if ok {
        Ok(())
    } else {
        Err(error(
            field,
            Problem::BadName {
                name: name.to_string(),
            },
        ))
    }
}

fn validate_service_fields(at: &str, service: &ServiceSpec) -> Result<(), ScenarioError> {
    check_name(&format!("{at}.name"), &service.name)?;
    if service.workers == 0 || service.workers > limits::MAX_WORKERS {
        return Err(error(
            format!("{at}.workers"),
            Problem::range(1, limits::MAX_WORKERS, service.workers),
        ));
    }
    if service.queue_capacity > limits::MAX_QUEUE {
        return Err(error(
            format!("{at}.queue_capacity"),
            Problem::range(0, limits::MAX_QUEUE, service.queue_capacity),
        ));
    }
    service
        .service_time_ms
        .validate()
        .map_err(|(param, problem)| error(format!("{at}.service_time_ms.{param}"), problem))?;
    check_range(&format!("{at}.error_rate"), service.error_rate, 0.0, 1.0)
}

/// Each service's level in a valid tree: 1 for the entry, 2 for what it calls, and so on.
fn tree_levels(services: &[ServiceSpec]) -> Vec<usize> {
    let mut levels = vec![1; services.len()];
    // Callers may be listed after their callees, so settle the levels in passes (depth ≤ 5).
    for _ in 0..limits::MAX_DEPTH {
        for (index, service) in services.iter().enumerate() {
            for callee in &service.calls {
                if let Some(c) = services.iter().position(|s| &s.name == callee) {
                    levels[c] = levels[index] + 1;
                }
            }
        }
    }
    levels
}

/// The services must form one tree rooted at the first entry: every name known,
/// no service called twice, no cycle, nothing unreachable.
fn validate_services(services: &[ServiceSpec]) -> Result<(), ScenarioError> {
    if services.is_empty() {
        return Err(error("services", Problem::NeedsEntry {}));
    }
    if services.len() > limits::MAX_SERVICES {
        return Err(error(
            "services",
            Problem::too_many(limits::MAX_SERVICES, services.len()),
        ));
    }
    for (index, service) in services.iter().enumerate() {
        let at = format!("services[{index}]");
        validate_service_fields(&at, service)?;
        if services[..index].iter().any(|s| s.name == service.name) {
            return Err(error(
                format!("{at}.name"),
                Problem::UsedTwice {
                    name: service.name.clone(),
                },
            ));
        }
    }
    let caller = callers(services)?;
    validate_reachable(services, &caller)
}

/// Each service's one caller, by index; the calls must name services, once each, in a tree.
fn callers(services: &[ServiceSpec]) -> Result<Vec<Option<usize>>, ScenarioError> {
    let index_of = |name: &str| services.iter().position(|s| s.name == name);
    let mut caller: Vec<Option<usize>> = vec![None; services.len()];
    for (index, service) in services.iter().enumerate() {
        if service.calls.len() > limits::MAX_FAN_OUT {
            return Err(error(
                format!("services[{index}].calls"),
                Problem::too_many(limits::MAX_FAN_OUT, service.calls.len()),
            ));
        }
        for (c, callee) in service.calls.iter().enumerate() {
            let field = format!("services[{index}].calls[{c}]");
            let name = callee.clone();
            let Some(target) = index_of(callee) else {
                return Err(error(field, Problem::NoSuchService { name }));
            };
            if target == 0 || target == index {
                return Err(error(field, Problem::CallCycle { name }));
            }
            if let Some(previous) = caller[target] {
                let problem = if previous == index {
                    Problem::CallListedTwice { name }
                } else {
                    let caller = services[previous].name.clone();
                    Problem::AlreadyCalled { name, caller }
                };
                return Err(error(field, problem));
            }
            caller[target] = Some(index);
        }
    }
    Ok(caller)
}

/// With one caller each and the entry uncalled, a service is reachable iff following
/// callers ends at the entry; a loop means a cycle. Every level must fit the stage.
fn validate_reachable(
    services: &[ServiceSpec],
    caller: &[Option<usize>],
) -> Result<(), ScenarioError> {
    for start in 1..services.len() {
        let name = services[start].name.clone();
        let mut at = start;
        let mut steps = 0;
        loop {
            match caller[at] {
                Some(0) => break,
                Some(parent) => at = parent,
                None => {
                    let problem = Problem::Unreachable { name };
                    return Err(error(format!("services[{start}]"), problem));
                }
            }
            steps += 1;
            if steps > services.len() {
                let problem = Problem::CallsFormCycle {};
                return Err(error(format!("services[{start}].calls"), problem));
            }
        }
        // `steps` counts the callers between the entry and `start`: its level is two more.
        if steps + 2 > limits::MAX_DEPTH {
            let max = limits::MAX_DEPTH.to_string();
            let problem = Problem::TooDeep { name, max };
            return Err(error(format!("services[{start}]"), problem));
        }
    }
    Ok(())
}
