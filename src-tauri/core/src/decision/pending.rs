//! The ranks still awaiting their reward, kept so that neither growth nor expiry ever stalls a
//! rank.
//!
//! One `HashMap` of every open event grows by doubling (copying every entry while the service's
//! lock is held: 20–50 ms at 150,000 entries on the 2-core bench machine) and was expired by a
//! `retain` over all of it every 500 ms (up to 13 ms). Here the events live in **generations**:
//! a new map is opened every [`Book::span`], sized from the previous generation (so at a steady
//! rate it never grows) and holding at most [`MAX_GENERATION`] events, and a generation is
//! dropped whole once its newest event is older than the reward window. Dropping is handed back
//! to the caller ([`Expired`]) so the memory is freed after the lock is released. A lookup checks
//! every generation, newest first: `window / span` (32) at low rates, one per 16,384 events held
//! at high ones (at 10,000 ranks/s and a 600 s window, 367 maps, ~10 µs).
//!
//! Invariant: generations are in opening order and every event of generation *i* was inserted
//! before generation *i + 1* was opened. An event past the window stays findable until its
//! generation is dropped; callers check its age (`at`) themselves.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// A generation takes events for at most `window / GENERATIONS`…
const GENERATIONS: u32 = 32;
/// …and at most this many events, so no map ever grows past it (a regrowth copies at most this
/// many entries, well under a millisecond) and the first generation, which has no predecessor
/// to be sized from, is cut short too.
pub const MAX_GENERATION: usize = 16_384;

struct Generation<T> {
    opened: Instant,
    newest: Instant,
    events: HashMap<String, T>,
}

/// Open events by id, in generations (see the module docs).
pub struct Book<T> {
    gens: VecDeque<Generation<T>>,
    span: Duration,
    window: Duration,
}

/// Generations that left the book: drop this after releasing the lock that guarded the book.
#[must_use = "drop it once the lock is released"]
pub struct Expired<T>(Vec<HashMap<String, T>>);

impl<T> Expired<T> {
    /// How many events left.
    pub fn len(&self) -> usize {
        self.0.iter().map(HashMap::len).sum()
    }

    /// Whether none did.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Book<T> {
    /// An empty book for rewards accepted for `window` after the rank.
    pub fn new(window: Duration) -> Book<T> {
        Book { gens: VecDeque::new(), span: (window / GENERATIONS).max(Duration::from_millis(100)), window }
    }

    /// How long one generation takes events.
    pub fn span(&self) -> Duration {
        self.span
    }

    /// The number of events held (expired ones not yet dropped included).
    pub fn len(&self) -> usize {
        self.gens.iter().map(|g| g.events.len()).sum()
    }

    /// Whether no event is held.
    pub fn is_empty(&self) -> bool {
        self.gens.iter().all(|g| g.events.is_empty())
    }

    /// Whether event `id` is held.
    pub fn contains(&self, id: &str) -> bool {
        self.gens.iter().rev().any(|g| g.events.contains_key(id))
    }

    /// Event `id`, if held.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.gens.iter().rev().find_map(|g| g.events.get(id))
    }

    /// Event `id` to change, if held.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.gens.iter_mut().rev().find_map(|g| g.events.get_mut(id))
    }

    /// Forget event `id`.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        self.gens.iter_mut().rev().find_map(|g| g.events.remove(id))
    }

    /// Hold event `id` (inserted `now`; the caller checks the id is not held yet).
    pub fn insert(&mut self, id: String, event: T, now: Instant) {
        let open_new = self.gens.back().is_none_or(|g| now.saturating_duration_since(g.opened) >= self.span || g.events.len() >= MAX_GENERATION);
        if open_new {
            // Sized for as many events as the last generation took, plus a quarter: at a steady
            // rate the new map never has to grow.
            let capacity = self.gens.back().map_or(0, |g| g.events.len() + g.events.len() / 4);
            self.gens.push_back(Generation { opened: now, newest: now, events: HashMap::with_capacity(capacity) });
        }
        let g = self.gens.back_mut().expect("a generation is open");
        g.newest = now;
        g.events.insert(id, event);
    }

    /// Take out every generation whose newest event is at least the window old at `now`.
    pub fn expire(&mut self, now: Instant) -> Expired<T> {
        let mut gone = Vec::new();
        while self.gens.front().is_some_and(|g| now.saturating_duration_since(g.newest) >= self.window) {
            gone.push(self.gens.pop_front().expect("checked").events);
        }
        Expired(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_found_across_generations_and_leave_whole_generations_at_the_window() {
        let window = Duration::from_secs(64);
        let mut b: Book<u32> = Book::new(window);
        assert_eq!(b.span(), Duration::from_secs(2));
        let t0 = Instant::now();
        for i in 0..100u32 {
            b.insert(format!("e{i}"), i, t0 + Duration::from_millis(100) * i);
        }
        // 10 s of events at 2 s per generation.
        assert_eq!(b.gens.len(), 5);
        assert_eq!(b.len(), 100);
        assert!(b.contains("e0") && b.contains("e99") && !b.contains("e100"));
        *b.get_mut("e3").unwrap() = 33;
        assert_eq!(b.get("e3"), Some(&33));
        assert_eq!(b.remove("e50"), Some(50));
        assert!(!b.contains("e50"));
        // Nothing leaves before the newest event of the first generation (e19, at 1.9 s) is a window old.
        assert!(b.expire(t0 + window + Duration::from_millis(1_899)).is_empty());
        let gone = b.expire(t0 + window + Duration::from_millis(1_900));
        assert_eq!(gone.len(), 20);
        assert!(!b.contains("e19") && b.contains("e20"));
        let rest = b.expire(t0 + window + Duration::from_secs(10));
        assert_eq!(rest.len(), 79);
        assert!(b.is_empty());
    }

    #[test]
    fn a_generation_is_cut_at_its_size_limit() {
        let mut b: Book<()> = Book::new(Duration::from_secs(600));
        let t0 = Instant::now();
        for i in 0..MAX_GENERATION + 10 {
            b.insert(format!("e{i}"), (), t0);
        }
        assert_eq!(b.gens.len(), 2);
        assert_eq!(b.gens[0].events.len(), MAX_GENERATION);
        assert!(b.contains("e0") && b.contains(&format!("e{}", MAX_GENERATION + 9)));
    }

    #[test]
    fn a_new_generation_is_sized_from_the_last_so_a_steady_rate_never_regrows_it() {
        let mut b: Book<()> = Book::new(Duration::from_secs(32));
        let t0 = Instant::now();
        for i in 0..1_000u32 {
            b.insert(format!("a{i}"), (), t0);
        }
        b.insert("b0".into(), (), t0 + Duration::from_secs(1));
        let cap = b.gens.back().unwrap().events.capacity();
        assert!(cap >= 1_250, "capacity {cap}");
        for i in 1..1_000u32 {
            b.insert(format!("b{i}"), (), t0 + Duration::from_secs(1));
        }
        assert_eq!(b.gens.back().unwrap().events.capacity(), cap, "no regrowth within the generation");
    }
}
