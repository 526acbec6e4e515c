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

use crate::sim::Simulation;
use crate::sim::scenario::Fault;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Snapshots kept per branch; when full, every other one goes and the spacing doubles.
pub const SNAPSHOTS_MAX: usize = 128;
/// Simulated time between snapshots at the start of a run.
pub const FIRST_INTERVAL_US: u64 = 1_000_000;
/// Events between snapshots at the start of a run, whatever the simulated time: a seek
/// re-simulates at most this many (times the doublings the budget forced) before it shows.
pub const FIRST_INTERVAL_EVENTS: u64 = 250_000;
/// Branches kept; making one more drops the oldest that is not on show.
pub const BRANCHES_MAX: usize = 8;
/// Bytes all branches' snapshots may hold together, a chunk shared by several counted once.
pub const SNAPSHOT_BUDGET_BYTES: usize = 64 << 20;

/// The memory the snapshots of every branch hold, each shared chunk and snapshot counted once.
#[derive(Clone, Debug, Default)]
struct Footprint {
    /// Snapshot identity to the number of branches holding it.
    snapshots: BTreeMap<usize, u32>,
    /// Chunk identity to (the snapshots holding it, its bytes).
    chunks: BTreeMap<usize, (u32, usize)>,
    bytes: usize,
}

impl Footprint {
    fn add(&mut self, sim: &Rc<Simulation>) {
        let holders = self.snapshots.entry(Rc::as_ptr(sim) as usize).or_insert(0);
        *holders += 1;
        if *holders > 1 {
            return;
        }
        self.bytes += sim.own_bytes();
        let (chunks, bytes) = (&mut self.chunks, &mut self.bytes);
        sim.for_each_chunk(|c| {
            let entry = chunks.entry(c.id).or_insert((0, c.bytes));
            if entry.0 == 0 {
                *bytes += c.bytes;
            }
            entry.0 += 1;
        });
    }

    fn remove(&mut self, sim: &Rc<Simulation>) {
        let id = Rc::as_ptr(sim) as usize;
        let Some(holders) = self.snapshots.get_mut(&id) else {
            return;
        };
        *holders -= 1;
        if *holders > 0 {
            return;
        }
        self.snapshots.remove(&id);
        self.bytes = self.bytes.saturating_sub(sim.own_bytes());
        let (chunks, bytes) = (&mut self.chunks, &mut self.bytes);
        sim.for_each_chunk(|c| {
            if let Some(entry) = chunks.get_mut(&c.id) {
                entry.0 -= 1;
                if entry.0 == 0 {
                    *bytes = bytes.saturating_sub(entry.1);
                    chunks.remove(&c.id);
                }
            }
        });
    }
}

/// Snapshots of one branch, oldest first; the first is always t=0. Branches share the
/// snapshots of their common past.
#[derive(Clone, Debug)]
struct Snapshots {
    taken: Vec<Rc<Simulation>>,
    interval_us: u64,
    interval_events: u64,
}

impl Snapshots {
    fn starting_with(start: &Simulation, footprint: &mut Footprint) -> Snapshots {
        let first = Rc::new(start.snapshot());
        footprint.add(&first);
        Snapshots {
            taken: vec![first],
            interval_us: FIRST_INTERVAL_US,
            interval_events: FIRST_INTERVAL_EVENTS,
        }
    }

    fn newest(&self) -> (u64, u64) {
        self.taken
            .last()
            .map_or((0, 0), |s| (s.now().as_us(), s.events_simulated()))
    }

    /// Keeps a copy of `sim` if it is an interval of time or of events past the newest;
    /// thins when full. Returns whether it took one.
    fn offer(&mut self, sim: &Simulation, footprint: &mut Footprint) -> bool {
        let (newest_us, newest_events) = self.newest();
        let now_us = sim.now().as_us();
        let due = now_us >= newest_us + self.interval_us
            || (now_us > newest_us
                && sim.events_simulated() >= newest_events + self.interval_events);
        if !due {
            return false;
        }
        let snapshot = Rc::new(sim.snapshot());
        footprint.add(&snapshot);
        self.taken.push(snapshot);
        if self.taken.len() > SNAPSHOTS_MAX {
            self.thin(footprint);
        }
        true
    }

    /// Drops every other snapshot (t=0 stays) and doubles the spacing of new ones.
    fn thin(&mut self, footprint: &mut Footprint) {
        let mut index = 0;
        self.taken.retain(|s| {
            index += 1;
            let keep = index % 2 == 1;
            if !keep {
                footprint.remove(s);
            }
            keep
        });
        self.interval_us *= 2;
        self.interval_events *= 2;
    }

    /// The newest snapshot at or before `t_us`.
    fn at_or_before(&self, t_us: u64) -> &Simulation {
        let after = self.taken.partition_point(|s| s.now().as_us() <= t_us);
        &self.taken[after.saturating_sub(1)]
    }

    /// The snapshots strictly before `t_us`, for a branch forked there (shared, not copied).
    fn before(&self, t_us: u64, footprint: &mut Footprint) -> Snapshots {
        let taken: Vec<Rc<Simulation>> = self
            .taken
            .iter()
            .filter(|s| s.now().as_us() < t_us || s.now().as_us() == 0)
            .cloned()
            .collect();
        for snapshot in &taken {
            footprint.add(snapshot);
        }
        Snapshots {
            taken,
            interval_us: self.interval_us,
            interval_events: self.interval_events,
        }
    }

    fn release(&self, footprint: &mut Footprint) {
        for snapshot in &self.taken {
            footprint.remove(snapshot);
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
    pub actions: Vec<Fault>,
    /// The furthest simulated time this branch has reached.
    pub horizon_us: u64,
    snapshots: Snapshots,
}

impl Branch {
    /// The change that started this branch (None for the first branch).
    pub fn first_change(&self) -> Option<&Fault> {
        let (_, fork_us) = self.parent?;
        self.actions
            .iter()
            .find(|a| crate::sim::SimTime::from_ms_f64(a.at_ms).as_us() >= fork_us)
    }

    /// How many snapshots it holds (bounded by [`SNAPSHOTS_MAX`]).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.taken.len()
    }
}

fn snapshot_step_us(snapshots: &Snapshots) -> u64 {
    (snapshots.interval_us / 8).max(1_000)
}

/// Where to continue from: a snapshot and the actions to replay after it.
pub struct RestorePoint {
    pub sim: Simulation,
    pub pending: Vec<Fault>,
}

/// Every branch of one run of one base scenario.
#[derive(Clone, Debug)]
pub struct Timeline {
    base_faults: usize,
    branches: Vec<Branch>,
    current: usize,
    next_id: u32,
    footprint: Footprint,
    budget_bytes: usize,
    /// Times the budget made a branch's snapshots sparser; shown as a reached cap.
    thinned_for_budget: u64,
}

impl Timeline {
    /// A timeline whose one branch starts at `start` (a fresh run of the base scenario).
    pub fn new(start: &Simulation) -> Timeline {
        Timeline::with_budget(start, SNAPSHOT_BUDGET_BYTES)
    }

    /// Like [`Timeline::new`], keeping every branch's snapshots within `budget_bytes` together.
    pub fn with_budget(start: &Simulation, budget_bytes: usize) -> Timeline {
        let mut footprint = Footprint::default();
        let snapshots = Snapshots::starting_with(start, &mut footprint);
        Timeline {
            base_faults: start.scenario().faults.len(),
            branches: vec![Branch {
                id: 1,
                parent: None,
                actions: Vec::new(),
                horizon_us: start.now().as_us(),
                snapshots,
            }],
            current: 0,
            next_id: 2,
            footprint,
            budget_bytes,
            thinned_for_budget: 0,
        }
    }

    /// The bytes every branch's snapshots hold together, shared ones counted once.
    pub fn snapshot_bytes(&self) -> usize {
        self.footprint.bytes
    }

    pub fn budget_bytes(&self) -> usize {
        self.budget_bytes
    }

    /// How often the byte budget made snapshots sparser (seeks then re-simulate more).
    pub fn thinned_for_budget(&self) -> u64 {
        self.thinned_for_budget
    }

    /// The simulated time between new snapshots of the current branch.
    pub fn snapshot_interval_us(&self) -> u64 {
        self.current().snapshots.interval_us
    }

    /// The most events a seek on the current branch re-simulates as the snapshots are spaced now.
    pub fn snapshot_interval_events(&self) -> u64 {
        self.current().snapshots.interval_events
    }

    /// Thins branches, those not on show first, until all snapshots fit the budget together.
    /// Thinning by spacing, never refusing, keeps every moment reachable: a seek just
    /// re-simulates further.
    fn enforce_budget(&mut self) {
        while self.footprint.bytes > self.budget_bytes {
            // Branches not on show go sparse first; any branch can go down to its t=0.
            let current = self.current;
            let fullest = (0..self.branches.len())
                .filter(|&i| self.branches[i].snapshots.taken.len() > 1)
                .max_by_key(|&i| (i != current, self.branches[i].snapshots.taken.len()));
            let Some(index) = fullest else {
                return;
            };
            self.branches[index].snapshots.thin(&mut self.footprint);
            self.thinned_for_budget += 1;
        }
    }

    /// Like [`Timeline::new`], with `actions` already on the first branch (a shared link).
    pub fn with_actions(start: &Simulation, actions: Vec<Fault>) -> Timeline {
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
        let branch = &mut self.branches[self.current];
        branch.horizon_us = branch.horizon_us.max(sim.now().as_us());
        if branch.snapshots.offer(sim, &mut self.footprint) {
            self.enforce_budget();
        }
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

    fn fork(&mut self, sim: &Simulation, actions: Vec<Fault>) {
        let now_us = sim.now().as_us();
        let parent = &self.branches[self.current];
        let branch = Branch {
            id: self.next_id,
            parent: Some((parent.id, now_us)),
            actions,
            horizon_us: now_us,
            snapshots: parent.snapshots.before(now_us, &mut self.footprint),
        };
        self.next_id += 1;
        if self.branches.len() == BRANCHES_MAX {
            let shown = self.current;
            let oldest = (0..self.branches.len()).find(|&i| i != shown).unwrap_or(0);
            let dropped = self.branches.remove(oldest);
            dropped.snapshots.release(&mut self.footprint);
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

    /// The time of the current branch's newest snapshot at or before `t_us`.
    pub fn snapshot_time_at_or_before(&self, t_us: u64) -> u64 {
        self.current().snapshots.at_or_before(t_us).now().as_us()
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
        let point = Self::restore_point_of(&self.branches[index], self.base_faults, t_us);
        let mut player = super::player::Player::resumed(point.sim, point.pending);
        while player.sim().now().as_us() < t_us {
            let now_us = player.sim().now().as_us();
            let step_us = snapshot_step_us(&self.branches[index].snapshots);
            player.run_to(crate::sim::SimTime::from_us((now_us + step_us).min(t_us)));
            // Snapshots only: the horizon marks what the user has played, which this is not.
            let snapshots = &mut self.branches[index].snapshots;
            if snapshots.offer(player.sim(), &mut self.footprint) {
                self.enforce_budget();
            }
        }
        Some(player.into_sim())
    }

    /// How far to simulate between offers of a snapshot while seeking: a fraction of the
    /// time spacing, so a spacing by events is honoured too.
    pub fn snapshot_step_us(&self) -> u64 {
        snapshot_step_us(&self.current().snapshots)
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
        // An hour in at most SNAPSHOTS_MAX snapshots: the spacing grew from 1 s to fit.
        let least_us = 3_600 * FIRST_INTERVAL_US / SNAPSHOTS_MAX as u64;
        assert!(timeline.snapshot_interval_us() >= least_us);
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
