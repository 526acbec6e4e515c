//! Event versions: which version the entry writes now, and which versions each reader can read.
//!
//! The entry's event (in the sync world, its request to each callee) starts at version 1.
//! A deploy writes the next version, `compatible` (a field added) or `breaking` (a field
//! renamed or removed). A reader built for version `k` reads version `v` when no breaking
//! version lies between them, in either direction: an old reader skips an added field, a
//! new reader defaults a missing one. An upgrade teaches a reader the version written now,
//! and it keeps the ones it knew. A service added mid-run knows only the version of its day,
//! so replaying history from the earliest offset can meet events it cannot read.

use super::scenario::limits::{MAX_EVENT_VERSIONS, MAX_SERVICES};

/// Versions as bits: bit `v - 1` is version `v`.
type Versions = u64;

fn bit(version: u8) -> Versions {
    1 << (version - 1)
}

#[derive(Clone, Debug)]
pub struct Schemas {
    /// The version written now, from 1.
    version: u8,
    /// Versions that broke compatibility with the one before them.
    breaking: Versions,
    /// Per service, the versions its code was built or upgraded for.
    knows: [Versions; MAX_SERVICES],
    /// Per service, every version written so far that it can read: kept up to date on
    /// each change, so a read is one bit test on the hot path.
    readable: [Versions; MAX_SERVICES],
}

impl Default for Schemas {
    fn default() -> Schemas {
        Schemas {
            version: 1,
            breaking: 0,
            knows: [bit(1); MAX_SERVICES],
            readable: [bit(1); MAX_SERVICES],
        }
    }
}

impl Schemas {
    /// The version the entry writes now.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Whether `service` can read an event (or request) of `version`.
    #[inline]
    pub fn can_read(&self, service: usize, version: u8) -> bool {
        self.readable[service] & bit(version) != 0
    }

    /// The entry starts writing the next version; false once the limit is reached
    /// (validation refuses a timeline that would pass it).
    pub fn deploy(&mut self, breaking: bool) -> bool {
        if u16::from(self.version) >= MAX_EVENT_VERSIONS {
            return false;
        }
        self.version += 1;
        if breaking {
            self.breaking |= bit(self.version);
        }
        (0..MAX_SERVICES).for_each(|s| self.refresh(s));
        true
    }

    /// `service`'s code now also understands the version written now and the next one,
    /// so readers can be upgraded ahead of a deploy, the safe order for a breaking change.
    pub fn upgrade(&mut self, service: usize) {
        self.knows[service] |= bit(self.version);
        if u16::from(self.version) < MAX_EVENT_VERSIONS {
            self.knows[service] |= bit(self.version + 1);
        }
        self.refresh(service);
    }

    /// A service added now was written against the version of its day only.
    pub fn add_service(&mut self, service: usize) {
        self.knows[service] = bit(self.version);
        self.refresh(service);
    }

    fn refresh(&mut self, service: usize) {
        let knows = self.knows[service];
        self.readable[service] = (1..=self.version)
            .filter(|&v| (1..=self.version).any(|k| knows & bit(k) != 0 && self.bridges(k, v)))
            .fold(0, |mask, v| mask | bit(v));
    }

    /// No breaking version between `a` and `b`: one's reader reads the other's events.
    fn bridges(&self, a: u8, b: u8) -> bool {
        let (low, high) = (a.min(b), a.max(b));
        (low + 1..=high).all(|v| self.breaking & bit(v) == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatible_versions_are_read_both_ways_and_a_break_splits_readers() {
        let mut schemas = Schemas::default();
        assert!(schemas.deploy(false));
        assert!(
            schemas.can_read(1, 2),
            "an old reader skips the added field"
        );
        assert!(schemas.deploy(true));
        assert!(
            !schemas.can_read(1, 3),
            "a renamed field breaks the old reader"
        );
        assert!(schemas.can_read(1, 1) && schemas.can_read(1, 2));
        schemas.upgrade(1);
        assert!(
            schemas.can_read(1, 3) && schemas.can_read(1, 1),
            "upgraded: reads both"
        );
        schemas.upgrade(3);
        assert!(schemas.deploy(true));
        assert!(
            schemas.can_read(3, 4) && !schemas.can_read(5, 4),
            "an upgrade ahead of a deploy reads the version it brings"
        );
        schemas.add_service(2);
        assert!(schemas.can_read(2, 4));
        assert!(
            !schemas.can_read(2, 2) && !schemas.can_read(2, 1),
            "a new reader cannot read what came before the break"
        );
    }

    #[test]
    fn deploys_stop_at_the_limit() {
        let mut schemas = Schemas::default();
        let deployed = (0..100).filter(|_| schemas.deploy(false)).count();
        assert_eq!(deployed, usize::from(MAX_EVENT_VERSIONS) - 1);
        assert_eq!(u16::from(schemas.version()), MAX_EVENT_VERSIONS);
    }
}
