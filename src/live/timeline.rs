//! Time travel: bounded periodic snapshots of a run, seeking by re-simulation, and branches.
//!
//! A run is its base scenario plus the user's actions, each stamped with its time.
//! Because the core is deterministic, any moment can be rebuilt by taking the newest
//! snapshot at or before it and simulating forward, replaying the actions made after
//! that snapshot at their times. Acting in the past never throws the old future
//! away: it starts a new [`Branch`] that shares the old one's past.
//!
//! This module must not know about the browser or about drawing; it hands the
//! player a simulation and the actions still to replay.

use crate::sim::{Action, Simulation};

/// Snapshots kept per branch; when full, every other one goes and the spacing doubles.
pub const SNAPSHOTS_MAX: usize = 64;
/// Simulated time between snapshots at the start of a run.
pub const FIRST_INTERVAL_US: u64 = 1_000_000;
/// Branches kept; making one more drops the oldest that is not on show.
pub const BRANCHES_MAX: usize = 8;

/// Snapshots of one branch, oldest first; the first is always t=0.
#[derive(Clone, Debug)]
struct Snapshots {
    taken: Vec<Simulation>,
    interval_us: u64,
}

impl Snapshots {
    fn starting_with(start: &Simulation) -> Snapshots {
        Snapshots {
            taken: vec![start.snapshot()],
            interval_us: FIRST_INTERVAL_US,
        }
    }

    fn newest_us(&self) -> u64 {
        self.taken.last().map_or(0, |s| s.now().as_us())
    }

    /// Keeps a copy of `sim` if it is an interval past the newest; thins when full.
    fn offer(&mut self, sim: &Simulation) {
        if sim.now().as_us() < self.newest_us() + self.interval_us {
            return;
        }
        self.taken.push(sim.snapshot());
        if self.taken.len() > SNAPSHOTS_MAX {
            self.thin();
        }
    }

    /// Drops every other snapshot (t=0 stays) and doubles the spacing of new ones.
    fn thin(&mut self) {
        let mut index = 0;
        self.taken.retain(|_| {
            index += 1;
            index % 2 == 1
        });
        self.interval_us *= 2;
    }

    /// The newest snapshot at or before `t_us`.
    fn at_or_before(&self, t_us: u64) -> &Simulation {
        let after = self.taken.partition_point(|s| s.now().as_us() <= t_us);
        &self.taken[after.saturating_sub(1)]
    }

    /// The snapshots strictly before `t_us`, for a branch forked there.
    fn before(&self, t_us: u64) -> Snapshots {
        Snapshots {
            taken: self
                .taken
                .iter()
                .filter(|s| s.now().as_us() < t_us || s.now().as_us() == 0)
                .cloned()
                .collect(),
            interval_us: self.interval_us,
        }
    }
}

/// One future of the run: the user's actions on it, and how far it has been played.
#[derive(Clone, Debug)]
pub struct Branch {
    /// Shown to the user as "Branch N"; never reused.
    pub id: u32,
    /// The branch this one was forked from, and when.
    pub parent: Option<(u32, u64)>,
    /// The user's actions, in time order (the base scenario's own faults are not here).
    pub actions: Vec<Action>,
    /// The furthest simulated time this branch has reached.
    pub horizon_us: u64,
    snapshots: Snapshots,
}

impl Branch {
    /// The change that started this branch (None for the first branch).
    pub fn first_change(&self) -> Option<&Action> {
        let (_, fork_us) = self.parent?;
        self.actions
            .iter()
            .find(|a| crate::sim::SimTime::from_ms_f64(a.at_ms).as_us() >= fork_us)
    }

    /// Notes that this branch's run reached `sim`: moves the horizon, maybe snapshots.
    fn record(&mut self, sim: &Simulation) {
        self.horizon_us = self.horizon_us.max(sim.now().as_us());
        self.snapshots.offer(sim);
    }

    /// How many snapshots it holds (bounded by [`SNAPSHOTS_MAX`]).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.taken.len()
    }
}

/// Where to continue from: a snapshot and the actions to replay after it.
pub struct RestorePoint {
    pub sim: Simulation,
    pub pending: Vec<Action>,
}

/// Every branch of one run of one base scenario.
#[derive(Clone, Debug)]
pub struct Timeline {
    base_faults: usize,
    branches: Vec<Branch>,
    current: usize,
    next_id: u32,
}

impl Timeline {
    /// A timeline whose one branch starts at `start` (a fresh run of the base scenario).
    pub fn new(start: &Simulation) -> Timeline {
        Timeline {
            base_faults: start.scenario().faults.len(),
            branches: vec![Branch {
                id: 1,
                parent: None,
                actions: Vec::new(),
                horizon_us: start.now().as_us(),
                snapshots: Snapshots::starting_with(start),
            }],
            current: 0,
            next_id: 2,
        }
    }

    /// Like [`Timeline::new`], with `actions` already on the first branch (a shared link).
    pub fn with_actions(start: &Simulation, actions: Vec<Action>) -> Timeline {
        let mut timeline = Timeline::new(start);
        timeline.branches[0].actions = actions;
        timeline
    }

    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }

    pub fn current(&self) -> &Branch {
        &self.branches[self.current]
    }

    pub fn branch(&self, id: u32) -> Option<&Branch> {
        self.branches.iter().find(|b| b.id == id)
    }

    /// Notes that the current branch's run reached `sim`: moves the horizon, maybe snapshots.
    pub fn record(&mut self, sim: &Simulation) {
        self.branches[self.current].record(sim);
    }

    /// Whether acting now would start a new branch: the current one has been played past now.
    pub fn is_past(&self, now_us: u64) -> bool {
        now_us < self.current().horizon_us
    }

    /// Records an action `sim` has just applied. At the branch's head it joins the branch;
    /// in its past it starts a new branch holding the actions `sim` has applied so far.
    pub fn acted(&mut self, sim: &Simulation, was_past: bool) {
        let user_actions =
            &sim.scenario().faults[self.base_faults.min(sim.scenario().faults.len())..];
        if was_past {
            self.fork(sim, user_actions.to_vec());
        } else if let Some(action) = user_actions.last() {
            self.branches[self.current].actions.push(action.clone());
        }
        self.record(sim);
    }

    fn fork(&mut self, sim: &Simulation, actions: Vec<Action>) {
        let now_us = sim.now().as_us();
        let parent = self.current();
        let branch = Branch {
            id: self.next_id,
            parent: Some((parent.id, now_us)),
            actions,
            horizon_us: now_us,
            snapshots: parent.snapshots.before(now_us),
        };
        self.next_id += 1;
        if self.branches.len() == BRANCHES_MAX {
            let shown = self.current;
            let oldest = (0..self.branches.len()).find(|&i| i != shown).unwrap_or(0);
            self.branches.remove(oldest);
            if oldest < self.current {
                self.current -= 1;
            }
        }
        self.branches.push(branch);
        self.current = self.branches.len() - 1;
    }

    /// Makes branch `id` the current one; false if there is no such branch.
    pub fn switch_to(&mut self, id: u32) -> bool {
        match self.branches.iter().position(|b| b.id == id) {
            Some(index) => {
                self.current = index;
                true
            }
            None => false,
        }
    }

    /// Where to start rebuilding the current branch at `t_us`.
    pub fn restore_point(&self, t_us: u64) -> RestorePoint {
        Self::restore_point_of(self.current(), self.base_faults, t_us)
    }

    fn restore_point_of(branch: &Branch, base_faults: usize, t_us: u64) -> RestorePoint {
        let sim = branch.snapshots.at_or_before(t_us).clone();
        let applied = sim.scenario().faults.len().saturating_sub(base_faults);
        let pending = branch.actions.get(applied..).unwrap_or_default().to_vec();
        RestorePoint { sim, pending }
    }

    /// Branch `id` rebuilt at `t_us`, without touching the current run (for comparing).
    /// The way there is snapshotted on that branch, so comparing again as the current
    /// run plays on costs one interval of simulation, not the whole gap.
    pub fn state_of(&mut self, id: u32, t_us: u64) -> Option<Simulation> {
        let index = self.branches.iter().position(|b| b.id == id)?;
        let branch = &mut self.branches[index];
        let point = Self::restore_point_of(branch, self.base_faults, t_us);
        let mut player = super::player::Player::resumed(point.sim, point.pending);
        while player.sim().now().as_us() < t_us {
            let now_us = player.sim().now().as_us();
            let next_us = (now_us + branch.snapshots.interval_us).min(t_us);
            player.run_to(crate::sim::SimTime::from_us(next_us));
            // Snapshots only: the horizon marks what the user has played, which this is not.
            branch.snapshots.offer(player.sim());
        }
        Some(player.into_sim())
    }

    /// The spacing new snapshots of the current branch are taken at.
    pub fn snapshot_interval_us(&self) -> u64 {
        self.current().snapshots.interval_us
    }

    /// The base scenario's own fault count (user actions follow it in a run's faults).
    pub fn base_faults(&self) -> usize {
        self.base_faults
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;
    use crate::sim::presets::preset;

    fn start() -> Simulation {
        Simulation::new(preset("happy-path").unwrap()).unwrap()
    }

    #[test]
    fn snapshots_stay_bounded_over_a_long_run_by_thinning_old_ones() {
        let mut sim = start();
        let mut timeline = Timeline::new(&sim);
        for second in 1..=3_600 {
            sim.run_until(SimTime::from_ms(second * 1_000));
            timeline.record(&sim);
            assert!(timeline.current().snapshot_count() <= SNAPSHOTS_MAX);
        }
        let snapshots = &timeline.current().snapshots.taken;
        assert_eq!(snapshots[0].now(), SimTime::ZERO, "t=0 is always kept");
        // An hour in 64 snapshots: the spacing grew from 1 s to at least 56 s.
        assert!(timeline.snapshot_interval_us() >= 56 * FIRST_INTERVAL_US);
        assert!(snapshots.len() >= SNAPSHOTS_MAX / 2);
        let times: Vec<u64> = snapshots.iter().map(|s| s.now().as_us()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    }

    #[test]
    fn a_restore_point_is_the_newest_snapshot_at_or_before_the_time() {
        let mut sim = start();
        let mut timeline = Timeline::new(&sim);
        for second in 1..=10 {
            sim.run_until(SimTime::from_ms(second * 1_000));
            timeline.record(&sim);
        }
        assert_eq!(
            timeline.restore_point(4_500_000).sim.now(),
            SimTime::from_ms(4_000)
        );
        assert_eq!(
            timeline.restore_point(4_000_000).sim.now(),
            SimTime::from_ms(4_000)
        );
        assert_eq!(timeline.restore_point(0).sim.now(), SimTime::ZERO);
        assert_eq!(
            timeline.restore_point(99_000_000).sim.now(),
            SimTime::from_ms(10_000)
        );
    }
}
