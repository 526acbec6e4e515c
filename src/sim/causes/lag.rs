//! What each consumer group was doing, sampled at every housekeeping tick, for the lag causes.
//!
//! A group's state changes with rebalances, crashes, elections and poison events, none of
//! which the hot path should pay for; a 100 ms sample is cheap and as fine as the charts.

/// What a group was doing at one tick, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupState {
    /// No instance alive.
    Down,
    /// Restarted instances wait for the crashed members' sessions to time out.
    SessionsPending,
    Rebalancing,
    /// A partition it is behind on has no leader.
    NoLeader,
    /// An instance keeps failing on a poison event.
    Blocked {
        partition: u16,
        offset: u64,
    },
    /// Every active instance is processing.
    AllBusy,
    Flowing,
}

impl GroupState {
    fn slot(self) -> usize {
        match self {
            GroupState::Down => 0,
            GroupState::SessionsPending => 1,
            GroupState::Rebalancing => 2,
            GroupState::NoLeader => 3,
            GroupState::Blocked { .. } => 4,
            GroupState::AllBusy => 5,
            GroupState::Flowing => 6,
        }
    }
}

/// One group's samples since the window opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupWindow {
    /// Ticks per state, in [`GroupState`] order.
    pub ticks: [u32; 7],
    /// The last poison event seen blocking a partition.
    pub blocked: Option<(u16, u64)>,
    /// Ticks when the oldest unread event was close to retention's deletion.
    pub retention_risk: u32,
    pub lag_start: u64,
    pub lag_end: u64,
    /// Instances at the last sample.
    pub instances: u32,
}

impl GroupWindow {
    pub fn ticks_total(&self) -> u32 {
        self.ticks.iter().sum()
    }

    /// The state the group spent most ticks in, other than flowing; worst first on ties.
    pub fn dominant(&self) -> Option<GroupState> {
        let (slot, ticks) = (0..6)
            .map(|s| (s, self.ticks[s]))
            .max_by_key(|&(s, t)| (t, 6 - s))?;
        if ticks == 0 {
            return None;
        }
        Some(match slot {
            0 => GroupState::Down,
            1 => GroupState::SessionsPending,
            2 => GroupState::Rebalancing,
            3 => GroupState::NoLeader,
            4 => {
                let (partition, offset) = self.blocked.unwrap_or_default();
                GroupState::Blocked { partition, offset }
            }
            _ => GroupState::AllBusy,
        })
    }

    /// The share of ticks spent in `state`.
    pub fn share(&self, state: GroupState) -> f64 {
        let total = self.ticks_total();
        if total == 0 {
            return 0.0;
        }
        f64::from(self.ticks[state.slot()]) / f64::from(total)
    }

    pub fn growth(&self) -> u64 {
        self.lag_end.saturating_sub(self.lag_start)
    }
}

/// Every group's window, by service index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LagSamples {
    groups: Vec<Option<GroupWindow>>,
}

/// One group's state at one tick.
#[derive(Clone, Copy, Debug)]
pub struct GroupSample {
    pub service: usize,
    pub state: GroupState,
    pub at_risk: bool,
    pub lag: u64,
    pub instances: u32,
}

impl LagSamples {
    pub fn sample(&mut self, sample: GroupSample) {
        if self.groups.len() <= sample.service {
            self.groups.resize(sample.service + 1, None);
        }
        let window = self.groups[sample.service].get_or_insert(GroupWindow {
            lag_start: sample.lag,
            ..GroupWindow::default()
        });
        window.ticks[sample.state.slot()] += 1;
        if let GroupState::Blocked { partition, offset } = sample.state {
            window.blocked = Some((partition, offset));
        }
        window.retention_risk += u32::from(sample.at_risk);
        window.lag_end = sample.lag;
        window.instances = sample.instances;
    }

    /// The windows that closed, by service; each group's next window starts at its lag now.
    pub fn close(&mut self) -> Vec<(usize, GroupWindow)> {
        let mut closed = Vec::new();
        for (service, slot) in self.groups.iter_mut().enumerate() {
            if let Some(window) = slot.take() {
                *slot = Some(GroupWindow {
                    lag_start: window.lag_end,
                    lag_end: window.lag_end,
                    instances: window.instances,
                    ..GroupWindow::default()
                });
                closed.push((service, window));
            }
        }
        closed
    }

    pub fn approx_bytes(&self) -> usize {
        self.groups.capacity() * size_of::<Option<GroupWindow>>()
    }
}
