//! Typed ids for the parts of a system: services, consumer groups, partitions and brokers.
//!
//! Each is the index the core keeps its tables by, in as few bytes as its limit allows, so
//! events stay small; the type says which table an index belongs to, so a partition number
//! can never be passed where a service is meant.

use std::fmt;

/// A service of the topology, by index; the entry is 0 (at most `limits::MAX_SERVICES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceId(pub u8);

/// A consumer group, by the service it runs: a child of the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u8);

/// A partition of the topic (at most `limits::MAX_PARTITIONS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartitionId(pub u16);

/// A broker of the event world, by number; files and links write it `broker-N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BrokerId(pub u32);

impl ServiceId {
    /// The service at table index `index` (validated scenarios keep it below 16).
    pub fn of(index: usize) -> ServiceId {
        ServiceId(index as u8)
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl GroupId {
    /// The group that runs service `index`.
    pub fn of(index: usize) -> GroupId {
        GroupId(index as u8)
    }

    /// The index of the group's service, which is also its index among the groups.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl PartitionId {
    /// The partition at index `index` (validated scenarios keep it below 256).
    pub fn of(index: usize) -> PartitionId {
        PartitionId(index as u16)
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl BrokerId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The prefix that names a broker as an action's target: `broker-0`, `broker-1`, ...
pub const BROKER_PREFIX: &str = "broker-";

impl fmt::Display for BrokerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{BROKER_PREFIX}{}", self.0)
    }
}
