//! A deque stored in fixed-size, reference-counted (`Rc`) chunks, so copies of a run share what neither has changed.
//!
//! Time travel keeps dozens of copies of a running simulation. Most of a copy's
//! bulk (the ledger's open requests, the log's events, the metric buckets) is the
//! same as its neighbour's: a copy of a [`Chunked`] copies only the chunk pointers,
//! and a chunk is duplicated only when one side writes to it (`Rc::make_mut`).
//! [`Chunked::for_each_chunk`] names each chunk, so a budget can count a chunk
//! that several copies share once.
//!
//! This module must not know what it stores: it is plain storage.

use std::collections::VecDeque;
use std::rc::Rc;

/// A chunk's identity and its size in bytes, for counting shared memory once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChunkRef {
    pub id: usize,
    pub bytes: usize,
}

/// A double-ended queue of `T` in chunks of `CHUNK` items, shared copy-on-write between clones.
#[derive(Clone, Debug)]
pub struct Chunked<T, const CHUNK: usize> {
    chunks: VecDeque<Rc<Vec<T>>>,
    /// Items already popped from the front of the first chunk (the chunk itself is shared, so
    /// the front moves instead of the items).
    head: usize,
    len: usize,
}

impl<T, const CHUNK: usize> Default for Chunked<T, CHUNK> {
    fn default() -> Self {
        Chunked {
            chunks: VecDeque::new(),
            head: 0,
            len: 0,
        }
    }
}

impl<T: Clone, const CHUNK: usize> Chunked<T, CHUNK> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn locate(&self, index: usize) -> (usize, usize) {
        let at = self.head + index;
        (at / CHUNK, at % CHUNK)
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        let (chunk, slot) = self.locate(index);
        self.chunks[chunk].get(slot)
    }

    /// A writable item: its chunk is copied first if another clone shares it.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        if index >= self.len {
            return None;
        }
        let (chunk, slot) = self.locate(index);
        Rc::make_mut(&mut self.chunks[chunk]).get_mut(slot)
    }

    pub fn front(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn push_back(&mut self, item: T) {
        let full = self.chunks.back().is_none_or(|c| c.len() == CHUNK);
        if full {
            self.chunks.push_back(Rc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.back_mut().expect("a chunk with room");
        Rc::make_mut(last).push(item);
        self.len += 1;
    }

    /// Removes the oldest item; a shared chunk is left as it is and only skipped.
    pub fn pop_front(&mut self) -> Option<T> {
        let item = self.front()?.clone();
        self.head += 1;
        self.len -= 1;
        // Every chunk but the last is full, so the first is used up when the front reaches its end.
        if self.head == self.chunks[0].len() {
            self.chunks.pop_front();
            self.head = 0;
        }
        Some(item)
    }

    pub fn pop_back(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let last = self.chunks.back_mut().expect("non-empty");
        let item = Rc::make_mut(last).pop();
        self.len -= 1;
        if last.is_empty() || self.len == 0 {
            self.chunks.pop_back();
        }
        if self.len == 0 {
            self.chunks.clear();
            self.head = 0;
        }
        item
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        let head = self.head;
        self.chunks
            .iter()
            .enumerate()
            .flat_map(move |(i, c)| c[if i == 0 { head } else { 0 }..].iter())
    }

    /// Calls `visit` with every chunk this copy holds; copies that share a chunk name the same id.
    pub fn for_each_chunk(&self, mut visit: impl FnMut(ChunkRef)) {
        for chunk in &self.chunks {
            visit(ChunkRef {
                id: Rc::as_ptr(chunk) as usize,
                bytes: chunk.capacity().max(chunk.len()) * size_of::<T>(),
            });
        }
    }

    /// Bytes of this copy on its own, shared chunks included in full.
    pub fn approx_bytes(&self) -> usize {
        let mut bytes = self.chunks.capacity() * size_of::<Rc<Vec<T>>>();
        self.for_each_chunk(|c| bytes += c.bytes);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_deque_across_chunk_boundaries() {
        let mut chunked: Chunked<u32, 4> = Chunked::default();
        let mut model = VecDeque::new();
        for step in 0..500u32 {
            match step % 7 {
                0 | 3 => {
                    assert_eq!(chunked.pop_front(), model.pop_front());
                }
                5 => {
                    assert_eq!(chunked.pop_back(), model.pop_back());
                }
                _ => {
                    chunked.push_back(step);
                    model.push_back(step);
                }
            }
            assert_eq!(chunked.len(), model.len());
            assert!(chunked.iter().eq(model.iter()), "step {step}");
            for i in 0..model.len() {
                assert_eq!(chunked.get(i), model.get(i));
            }
        }
    }

    #[test]
    fn a_clone_shares_chunks_until_one_side_writes() {
        let mut a: Chunked<u64, 8> = Chunked::default();
        for i in 0..32 {
            a.push_back(i);
        }
        let mut b = a.clone();
        *b.get_mut(3).unwrap() = 99;
        b.push_back(32);
        let ids = |c: &Chunked<u64, 8>| {
            let mut ids = Vec::new();
            c.for_each_chunk(|r| ids.push(r.id));
            ids
        };
        let (ia, ib) = (ids(&a), ids(&b));
        assert_eq!(a.get(3), Some(&3), "the original is untouched");
        assert_eq!(b.get(3), Some(&99));
        assert_ne!(ia[0], ib[0], "the written chunk was copied");
        assert_eq!(ia[1..4], ib[1..4], "the others are shared");
        assert_eq!(ib.len(), 5);
    }
}
