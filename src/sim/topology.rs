//! The resolved service tree: indices instead of names, request kinds as bitmasks, and which services exist now.

use super::dist::Sampler;
use super::scenario::{Scenario, ServiceSpec};

/// The service tree as the engine uses it. Index 0 is the entry service.
#[derive(Clone, Debug)]
pub struct Topology {
    pub specs: Vec<ServiceSpec>,
    pub samplers: Vec<Sampler>,
    /// Each service's caller; None for the entry.
    pub caller: Vec<Option<u8>>,
    /// Bit `s` set while service `s` exists (removed services keep their index).
    pub present: u16,
    pub kind_names: Vec<String>,
    /// Per kind, the services it touches, ancestors included, entry excluded.
    pub kind_touches: Vec<u16>,
    kind_cumulative: Vec<f64>,
}

impl Topology {
    pub fn new(scenario: &Scenario) -> Topology {
        let specs = scenario.services.clone();
        let samplers = specs.iter().map(|s| s.service_time_ms.sampler()).collect();
        let mut caller = vec![None; specs.len()];
        for (index, spec) in specs.iter().enumerate() {
            for callee in &spec.calls {
                let target = specs
                    .iter()
                    .position(|s| &s.name == callee)
                    .expect("validated topology");
                caller[target] = Some(index as u8);
            }
        }
        let all_but_entry = ((1u32 << specs.len()) - 1) as u16 & !1;
        let mut topology = Topology {
            present: ((1u32 << specs.len()) - 1) as u16,
            specs,
            samplers,
            caller,
            kind_names: Vec::new(),
            kind_touches: Vec::new(),
            kind_cumulative: Vec::new(),
        };
        if scenario.workload.kinds.is_empty() {
            topology.kind_names.push("request".to_string());
            topology.kind_touches.push(all_but_entry);
            topology.kind_cumulative.push(1.0);
        } else {
            let mut total = 0.0;
            for kind in &scenario.workload.kinds {
                let mask = if kind.touches.is_empty() {
                    all_but_entry
                } else {
                    kind.touches
                        .iter()
                        .map(|name| {
                            topology.ancestry_mask(topology.index_of(name).expect("validated kind"))
                        })
                        .fold(0, |a, b| a | b)
                };
                total += kind.weight;
                topology.kind_names.push(kind.name.clone());
                topology.kind_touches.push(mask);
                topology.kind_cumulative.push(total);
            }
        }
        topology
    }

    pub fn len(&self) -> usize {
        self.specs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    pub fn name(&self, service: usize) -> &str {
        &self.specs[service].name
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.specs.iter().position(|s| s.name == name)
    }

    pub fn is_present(&self, service: usize) -> bool {
        self.present & (1 << service) != 0
    }

    /// Direct children of the entry are consumer groups in the event world.
    pub fn is_group(&self, service: usize) -> bool {
        self.caller[service] == Some(0)
    }

    /// The entry's child whose subtree holds `service` (its consumer group in the event world).
    pub fn child_of_entry_above(&self, service: usize) -> Option<usize> {
        let mut at = service;
        loop {
            match self.caller.get(at).copied().flatten() {
                Some(0) => return Some(at),
                Some(parent) => at = parent as usize,
                None => return None,
            }
        }
    }

    /// The service and its callers up to, but not including, the entry.
    fn ancestry_mask(&self, service: usize) -> u16 {
        let mut mask = 0u16;
        let mut at = service;
        while at != 0 {
            mask |= 1 << at;
            match self.caller[at] {
                Some(parent) => at = parent as usize,
                None => break,
            }
        }
        mask
    }

    /// The service and everything below it.
    pub fn subtree_mask(&self, service: usize) -> u16 {
        let mut mask = 1u16 << service;
        // Callers always have smaller masks to resolve; iterate until stable (depth <= 16).
        loop {
            let before = mask;
            for (child, parent) in self.caller.iter().enumerate() {
                if let Some(parent) = parent
                    && mask & (1 << *parent) != 0
                {
                    mask |= 1 << child;
                }
            }
            if mask == before {
                return mask;
            }
        }
    }

    /// Picks a request kind from a uniform draw in [0, 1).
    pub fn pick_kind(&self, unit: f64) -> u8 {
        let total = *self.kind_cumulative.last().unwrap_or(&1.0);
        let target = unit * total;
        self.kind_cumulative
            .iter()
            .position(|&c| target < c)
            .unwrap_or(0) as u8
    }

    /// Adds a leaf under `caller`; kinds that reach the caller reach the new service too.
    pub fn add_service(&mut self, caller: usize, spec: ServiceSpec) -> usize {
        let index = self.specs.len();
        self.samplers.push(spec.service_time_ms.sampler());
        self.specs.push(spec);
        self.caller.push(Some(caller as u8));
        self.present |= 1 << index;
        for touches in &mut self.kind_touches {
            if caller == 0 || *touches & (1 << caller) != 0 {
                *touches |= 1 << index;
            }
        }
        index
    }
}
