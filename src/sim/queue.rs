//! The event queue: a binary heap keyed by `(time, sequence)`, so simultaneous events run in FIFO order.

use super::time::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Bits of a key's second word that hold the event's slot; the sequence number sits above
/// them, so `(time, word)` orders exactly as `(time, sequence)` does.
const SLOT_BITS: u32 = 24;
/// Events waiting at once, at most: far above what the core's own bounds let gather
/// (250,000 open requests, each with a few events pending).
pub const MAX_PENDING: usize = 1 << SLOT_BITS;

/// A heap entry: 16 bytes, compared as two integers; the event itself waits in a slot.
/// (Kept small because popping the heap was a quarter of a run's time with 40-byte entries.)
type Key = Reverse<(u64, u64)>;

#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Key>,
    /// Events by slot; a popped event's slot is reused (`free`), so this never outgrows
    /// the most events pending at once.
    slots: Vec<Option<E>>,
    free: Vec<u32>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// Schedules `event` at `time`; ties fire in the order they were pushed.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(event);
                slot
            }
            None => {
                assert!(
                    self.slots.len() < MAX_PENDING,
                    "more than {MAX_PENDING} events pending"
                );
                self.slots.push(Some(event));
                (self.slots.len() - 1) as u32
            }
        };
        // 40 bits of sequence: 10^12 events, past any run the scenario limits allow
        // (24 h at 100,000 requests/s is about 3 * 10^11).
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap
            .push(Reverse((time.0, (seq << SLOT_BITS) | u64::from(slot))));
    }

    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse((time, _))| SimTime(*time))
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let Reverse((time, word)) = self.heap.pop()?;
        let slot = (word & ((1 << SLOT_BITS) - 1)) as u32;
        let event = (self.slots[slot as usize].take()).expect("a key's slot holds its event");
        self.free.push(slot);
        Some((SimTime(time), event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn approx_bytes(&self) -> usize {
        size_of::<Self>()
            + self.heap.capacity() * size_of::<Key>()
            + self.slots.capacity() * size_of::<Option<E>>()
            + self.free.capacity() * size_of::<u32>()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_ties_in_insertion_order() {
        let mut queue = EventQueue::default();
        queue.push(SimTime(5), "late");
        queue.push(SimTime(1), "first");
        queue.push(SimTime(3), "tie-a");
        queue.push(SimTime(3), "tie-b");
        queue.push(SimTime(3), "tie-c");
        let order: Vec<_> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["first", "tie-a", "tie-b", "tie-c", "late"]);
    }
}
