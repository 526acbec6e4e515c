//! The event queue: a binary heap keyed by `(time, sequence)`, so simultaneous events run in FIFO order.

use super::time::SimTime;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

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
    /// Events pushed in time order (`push_in_order`): call timeouts, whose length is one
    /// setting, so each expires after the one before. A deque takes them without sifting;
    /// pops merge both by `(time, sequence)`, so the order is the heap's own.
    fifo: VecDeque<(u64, u64, E)>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            fifo: VecDeque::new(),
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

    /// Like `push`, for an event no earlier than the last one pushed this way; an earlier
    /// one (the timeout was shortened mid-run) goes to the heap, so order never suffers.
    #[inline]
    pub fn push_in_order(&mut self, time: SimTime, event: E) {
        if self.fifo.back().is_some_and(|&(last, _, _)| time.0 < last) {
            return self.push(time, event);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.fifo.push_back((time.0, seq, event));
    }

    /// The heap's next `(time, sequence)`, if any.
    fn heap_next(&self) -> Option<(u64, u64)> {
        self.heap
            .peek()
            .map(|Reverse((time, word))| (*time, word >> SLOT_BITS))
    }

    pub fn peek_time(&self) -> Option<SimTime> {
        let fifo = self.fifo.front().map(|&(time, _, _)| time);
        let heap = self.heap_next().map(|(time, _)| time);
        match (heap, fifo) {
            (Some(h), Some(f)) => Some(SimTime(h.min(f))),
            (h, f) => h.or(f).map(SimTime),
        }
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let fifo_first = match (self.fifo.front(), self.heap_next()) {
            (Some(&(time, seq, _)), Some(heap)) => (time, seq) < heap,
            (front, _) => front.is_some(),
        };
        if fifo_first {
            let (time, _, event) = self.fifo.pop_front()?;
            return Some((SimTime(time), event));
        }
        let Reverse((time, word)) = self.heap.pop()?;
        let slot = (word & ((1 << SLOT_BITS) - 1)) as u32;
        let event = (self.slots[slot as usize].take()).expect("a key's slot holds its event");
        self.free.push(slot);
        Some((SimTime(time), event))
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.fifo.len()
    }

    pub fn approx_bytes(&self) -> usize {
        size_of::<Self>()
            + self.heap.capacity() * size_of::<Key>()
            + self.slots.capacity() * size_of::<Option<E>>()
            + self.free.capacity() * size_of::<u32>()
            + self.fifo.capacity() * size_of::<(u64, u64, E)>()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty() && self.fifo.is_empty()
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

    #[test]
    fn events_pushed_in_order_merge_with_the_heap_by_time_then_push_order() {
        let mut queue = EventQueue::default();
        queue.push_in_order(SimTime(4), "fifo-4");
        queue.push(SimTime(4), "heap-4");
        queue.push_in_order(SimTime(9), "fifo-9");
        queue.push(SimTime(2), "heap-2");
        // Earlier than the last one in order: it goes to the heap and still fires first.
        queue.push_in_order(SimTime(1), "late-1");
        queue.push(SimTime(9), "heap-9");
        assert_eq!(queue.peek_time(), Some(SimTime(1)));
        assert_eq!(queue.len(), 6);
        let order: Vec<_> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            ["late-1", "heap-2", "fifo-4", "heap-4", "fifo-9", "heap-9"]
        );
        assert!(queue.is_empty());
    }
}
