//! How an import finds exact duplicate events.
//!
//! Every stored event carries a 64-bit identity hash ([`super::writer::identity`]) under the
//! unique index `events_ident`. Two strategies keep that invariant:
//!
//! - **Indexed** (a small file into a large project): each row is inserted with `ON CONFLICT
//!   (ident) DO NOTHING`, i.e. one random B-tree insert per row into an index that may be far
//!   bigger than the page cache.
//! - **Bulk** (a file that is large next to what is stored, e.g. a project's first import): the
//!   index is dropped inside the import's transaction, rows are appended, and a Bloom filter
//!   (seeded with the identities already stored) flags every row whose identity *may* have been
//!   seen. Flagged rows are stored with no identity and remembered; unflagged rows are certainly
//!   new. At the end the unique index is rebuilt by one sort (it cannot fail: unflagged
//!   identities are distinct) and each flagged row is settled in file order against it: an exact
//!   duplicate is deleted, a first occurrence gets its identity back, a true hash collision
//!   stays without one (a collision never drops an event — the same rule as the indexed path).
//!
//! Both strategies give the same stored events and counts (tested). Dropping the index happens
//! inside the transaction, so a cancel, an error or a killed process leaves it in place.

use rusqlite::{params, OptionalExtension, Transaction};

/// Blocked Bloom filter over event identities: each identity's bits fall in one 512-bit
/// block (one cache line), so a probe costs one memory access, not six. The identities are
/// already uniform hashes: the block comes from the high half, the bits from a remix.
pub struct Bloom {
    words: Vec<u64>,
    block_mask: u64,
}

/// Bits set per identity. With 16 bits per identity this gives well under 1% false positives.
const PROBES: u32 = 6;

impl Bloom {
    /// A filter sized for about `n` identities: 16 bits each, rounded up to a power of two,
    /// between 64 Kibit and 256 Mibit (32 MB).
    pub fn with_capacity(n: u64) -> Self {
        let bits = (n.saturating_mul(16)).clamp(1 << 16, 1 << 28).next_power_of_two();
        Bloom { words: vec![0; (bits / 64) as usize], block_mask: bits / 512 - 1 }
    }

    /// Ask the CPU to start loading `ident`'s block. Probing a batch of identities after
    /// prefetching them all overlaps their cache misses instead of paying them one by one.
    #[inline]
    pub fn prefetch(&self, ident: i64) {
        #[cfg(target_arch = "x86_64")]
        {
            let base = self.block_of(ident);
            // SAFETY: prefetching is a hint with no memory effects; the pointer is in bounds.
            unsafe { std::arch::x86_64::_mm_prefetch(self.words.as_ptr().add(base) as *const i8, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = ident;
    }

    fn block_of(&self, ident: i64) -> usize {
        ((((ident as u64) >> 32) & self.block_mask) * 8) as usize
    }

    /// Add `ident`; `true` when it may have been added before (all its bits were set).
    pub fn insert(&mut self, ident: i64) -> bool {
        let h = ident as u64;
        let base = self.block_of(ident);
        let block = &mut self.words[base..base + 8];
        let mix = h.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut seen = true;
        for i in 0..PROBES {
            let bit = (mix >> (64 - 9 * (i + 1))) & 511;
            let (w, b) = ((bit / 64) as usize, 1u64 << (bit % 64));
            seen &= block[w] & b != 0;
            block[w] |= b;
        }
        seen
    }
}

/// The bulk strategy's state: the filter (until someone else takes it over) and the flagged
/// rows (`(rowid, ident)`, file order).
pub struct Bulk {
    bloom: Option<Bloom>,
    flagged: Vec<(i64, i64)>,
}

impl Bulk {
    /// Whether to store the row under `ident` now (`true`) or flag it (store with no identity,
    /// then call [`Bulk::flag`] with its rowid). Without the filter every row is flagged.
    pub fn certainly_new(&mut self, ident: i64) -> bool {
        self.bloom.as_mut().is_some_and(|b| !b.insert(ident))
    }

    /// Hand the filter to a caller that will run it (e.g. on the parser thread) and report
    /// its answer per row.
    pub fn take_filter(&mut self) -> Option<Bloom> {
        self.bloom.take()
    }

    /// Remember a row stored without identity for settling.
    pub fn flag(&mut self, rowid: i64, ident: i64) {
        self.flagged.push((rowid, ident));
    }
}

/// The unique identity index, exactly as migration v12 creates it. Partial: events without an
/// identity stay out of it, so a rebuild sorts plain integers (see the migration's note).
pub const IDENT_INDEX: &str = "CREATE UNIQUE INDEX events_ident ON events(ident) WHERE ident IS NOT NULL";

/// Pick the strategy for importing about `estimated_rows` rows. Bulk when the stored events
/// are at most three times as many (rebuilding the index then costs less than maintaining it
/// row by row); in bulk mode the existing identities seed the filter and the index is dropped.
pub fn begin(tx: &Transaction, estimated_rows: u64) -> rusqlite::Result<Option<Bulk>> {
    // max(id) bounds the row count from above and costs one B-tree descent.
    let stored: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
    if stored as u64 > estimated_rows.saturating_mul(3) {
        return Ok(None);
    }
    let mut bloom = Bloom::with_capacity(stored as u64 + estimated_rows);
    {
        let mut q = tx.prepare("SELECT ident FROM events WHERE ident IS NOT NULL")?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            bloom.insert(r.get(0)?);
        }
    }
    tx.execute_batch("DROP INDEX events_ident;")?;
    Ok(Some(Bulk { bloom: Some(bloom), flagged: Vec::new() }))
}

/// Rebuild the unique identity index and settle the flagged rows. Returns how many flagged
/// rows were exact duplicates (and were deleted).
pub fn finish(tx: &Transaction, bulk: Bulk) -> rusqlite::Result<u64> {
    // The parser thread is done by now: let SQLite's sorter use a second core.
    tx.execute_batch(&format!("PRAGMA threads = 2; {IDENT_INDEX}; PRAGMA threads = 0;"))?;
    let mut holder = tx.prepare("SELECT id FROM events WHERE ident = ?1")?;
    let mut same = tx.prepare(
        "SELECT a.ts = b.ts AND a.user_id = b.user_id AND a.product_id = b.product_id AND a.kind = b.kind
                AND a.price_cents IS b.price_cents AND a.session = b.session
         FROM events a, events b WHERE a.id = ?1 AND b.id = ?2",
    )?;
    let mut claim = tx.prepare("UPDATE events SET ident = ?1 WHERE id = ?2")?;
    let mut delete = tx.prepare("DELETE FROM events WHERE id = ?1")?;
    let mut duplicates = 0;
    for (rowid, ident) in bulk.flagged {
        match holder.query_row([ident], |r| r.get::<_, i64>(0)).optional()? {
            None => {
                claim.execute(params![ident, rowid])?;
            }
            Some(first) => {
                if same.query_row(params![first, rowid], |r| r.get::<_, bool>(0))? {
                    delete.execute([rowid])?;
                    duplicates += 1;
                }
            }
        }
    }
    Ok(duplicates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bloom_never_forgets_an_identity() {
        let mut b = Bloom::with_capacity(10_000);
        let ids: Vec<i64> = (0..10_000u64).map(|i| xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes()) as i64).collect();
        for &i in &ids {
            b.insert(i);
        }
        assert!(ids.iter().all(|&i| b.insert(i)), "no false negatives");
    }

    #[test]
    fn bloom_false_positives_stay_under_one_percent() {
        let mut b = Bloom::with_capacity(100_000);
        let mut fp = 0;
        for i in 0..100_000u64 {
            fp += b.insert(xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes()) as i64) as u32;
        }
        assert!(fp < 1_000, "{fp} false positives in 100k distinct identities");
    }

    use crate::ingest::writer::{identity, EventKind, EventWriter, NewEvent};
    use crate::store::Project;

    type Stored = Vec<(i64, String, String, String, Option<i64>, String, bool)>;

    /// Import `later` after `earlier` (and a planted collision) with the chosen strategy;
    /// returns the stored events and the duplicate count of the second import.
    fn import_twice(earlier: &[NewEvent], later: &[NewEvent], bulk: bool) -> (Stored, u64) {
        let mut p = Project::open_in_memory().unwrap();
        let tx = p.conn_mut().transaction().unwrap();
        for i in 1..=2 {
            tx.execute("INSERT INTO imports(file_name,fingerprint,format,rows_read,rows_imported,rows_duplicate,rows_rejected,imported_at) VALUES ('f',?1,'t',0,0,0,0,'t')", [i]).unwrap();
        }
        {
            let mut w = EventWriter::new(&tx, 1).unwrap();
            for e in earlier {
                w.event(e).unwrap();
            }
        }
        // A different event squatting on the identity of (7, "c", "x", view): a hash collision.
        let squat = identity(7, "c", "x", "view", None, "");
        tx.execute("INSERT INTO events(ts,user_id,product_id,kind,session,import_id,ident) VALUES (1,'squatter','y','cart','',1,?1)", [squat]).unwrap();
        let mut duplicates = 0;
        {
            let mut w = if bulk { EventWriter::for_import(&tx, 2, 1_000_000).unwrap() } else { EventWriter::new(&tx, 2).unwrap() };
            assert_eq!(w.is_bulk(), bulk);
            for e in later {
                duplicates += !w.event(e).unwrap() as u64;
            }
            duplicates += w.finish().unwrap();
        }
        let stored = tx
            .prepare("SELECT ts,user_id,product_id,kind,price_cents,session,ident IS NOT NULL FROM events ORDER BY ts,user_id,product_id,kind,price_cents,session,ident IS NOT NULL")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let index: String = tx.query_row("SELECT sql FROM sqlite_master WHERE name = 'events_ident'", [], |r| r.get(0)).unwrap();
        assert_eq!(index, IDENT_INDEX, "the unique identity index is back, as the migrations define it");
        (stored, duplicates)
    }

    fn ev(ts: i64, user: &'static str, product: &'static str) -> NewEvent<'static> {
        NewEvent { ts, user_id: user, product_id: product, kind: EventKind::View, price_cents: None, session: "", raw: None }
    }

    #[test]
    fn the_rebuilt_index_is_the_one_the_migrations_create() {
        let p = Project::open_in_memory().unwrap();
        let index: String = p.conn().query_row("SELECT sql FROM sqlite_master WHERE name = 'events_ident'", [], |r| r.get(0)).unwrap();
        assert_eq!(index, IDENT_INDEX);
        // Lookups by identity (settling, the indexed strategy's upsert) use it.
        let plan: String = p.conn().query_row("EXPLAIN QUERY PLAN SELECT id FROM events WHERE ident = 1", [], |r| r.get(3)).unwrap();
        assert!(plan.contains("events_ident"), "{plan}");
    }

    #[test]
    fn bulk_and_indexed_store_the_same_events() {
        let earlier = [ev(1, "a", "x"), ev(2, "b", "x")];
        let later = [ev(1, "a", "x"), ev(3, "a", "y"), ev(3, "a", "y"), ev(7, "c", "x"), ev(4, "d", "z"), ev(3, "a", "y"), ev(7, "c", "x")];
        let indexed = import_twice(&earlier, &later, false);
        let bulk = import_twice(&earlier, &later, true);
        assert_eq!(bulk, indexed);
        // a@1 repeats a stored event, a@3 repeats twice; c@7 collides with the squatter and is
        // stored (twice: a collision is never taken for a duplicate).
        assert_eq!(indexed.1, 3);
        assert_eq!(indexed.0.iter().filter(|r| r.1 == "c").count(), 2);
        assert_eq!(indexed.0.len(), 2 + 1 + 4);
    }

    #[test]
    fn bulk_and_indexed_agree_on_many_repeats() {
        let users: Vec<&'static str> = (0..40).map(|i| &*Box::leak(format!("u{i}").into_boxed_str())).collect();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let events: Vec<NewEvent> = (0..5_000)
            .map(|_| {
                let r = next();
                ev((r % 30) as i64, users[(r >> 8) as usize % 40], "p")
            })
            .collect();
        let (earlier, later) = events.split_at(1_000);
        let indexed = import_twice(earlier, later, false);
        let bulk = import_twice(earlier, later, true);
        assert_eq!(bulk, indexed);
        assert!(indexed.1 > 3_000, "the pool of 1,200 distinct events forces many duplicates");
    }
}
