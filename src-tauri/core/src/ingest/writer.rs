//! Batched inserts of products and events inside one open transaction.

use std::collections::HashSet;

use rusqlite::{params, Statement, Transaction};
use rustc_hash::FxBuildHasher;

use super::borrowed::BorrowedInsert;
use super::dedup::{self, Bulk};
use super::stubs::PendingStubs;

/// A normalised behaviour event kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    View,
    Cart,
    Fav,
    Purchase,
    Other,
}

impl EventKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::View => "view",
            EventKind::Cart => "cart",
            EventKind::Fav => "fav",
            EventKind::Purchase => "purchase",
            EventKind::Other => "other",
        }
    }

    /// The kind of a stored name (anything unknown is `Other`).
    pub fn from_stored(s: &str) -> EventKind {
        match s {
            "view" => EventKind::View,
            "cart" => EventKind::Cart,
            "fav" => EventKind::Fav,
            "purchase" => EventKind::Purchase,
            _ => EventKind::Other,
        }
    }
}

/// A catalog row about to be stored. The first row seen for an id wins.
#[derive(Debug, Clone)]
pub struct NewProduct<'a> {
    pub id: &'a str,
    pub name_en: &'a str,
    pub name_zh: &'a str,
    pub category: &'a str,
    pub brand: &'a str,
    pub price_cents: i64,
    /// ISO 4217 code of `price_cents`.
    pub currency: &'a str,
    /// Image path or URL as text.
    pub image: Option<&'a str>,
}

/// A behaviour event about to be stored. `ts` is Unix seconds, UTC.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub ts: i64,
    pub user_id: &'a str,
    pub product_id: &'a str,
    pub kind: EventKind,
    pub price_cents: Option<i64>,
    pub session: &'a str,
    /// The source value where normalising lost information.
    pub raw: Option<&'a str>,
}

/// Prepared statements bound to one transaction and one import id.
pub struct EventWriter<'t> {
    tx: &'t Transaction<'t>,
    product: Statement<'t>,
    product_upsert: Statement<'t>,
    /// Indexed: insert unless the identity exists. Bulk: a plain insert.
    event: Statement<'t>,
    same: Statement<'t>,
    /// An event stored with no identity (a collision, or a row flagged in bulk mode).
    collision: Statement<'t>,
    import_id: i64,
    /// `Some` in the bulk strategy (see [`super::dedup`]).
    bulk: Option<Bulk>,
    /// Product ids already written in this transaction: skips repeated statements.
    seen: HashSet<String, FxBuildHasher>,
    /// Reused for hashing event identities (no allocation per row).
    ident_buf: Vec<u8>,
    /// [`ROWS_PER_INSERT`] rows per statement, prepared on first use; binds without copying.
    many: Option<BorrowedInsert<'t>>,
    /// Stub catalog rows waiting to be stored in id order ([`EventWriter::product_stub`]).
    stubs: PendingStubs,
    /// Their statement, prepared on first use; binds without copying.
    stub_insert: Option<BorrowedInsert<'t>>,
}

/// Rows per statement in [`EventWriter::events_new`].
pub const ROWS_PER_INSERT: usize = 32;

impl<'t> EventWriter<'t> {
    /// Prepare statements on `tx` writing events that belong to `import_id`, deduplicating
    /// row by row against the identity index.
    pub fn new(tx: &'t Transaction<'t>, import_id: i64) -> rusqlite::Result<Self> {
        Self::with_strategy(tx, import_id, None)
    }

    /// Like [`EventWriter::new`] for about `estimated_rows` events: picks the bulk strategy when
    /// the file is large next to the stored events (see [`super::dedup::begin`]).
    /// Call [`EventWriter::finish`] before committing.
    pub fn for_import(tx: &'t Transaction<'t>, import_id: i64, estimated_rows: u64) -> rusqlite::Result<Self> {
        let bulk = dedup::begin(tx, estimated_rows)?;
        Self::with_strategy(tx, import_id, bulk)
    }

    fn with_strategy(tx: &'t Transaction<'t>, import_id: i64, bulk: Option<Bulk>) -> rusqlite::Result<Self> {
        let insert = "INSERT INTO events(ts,user_id,product_id,kind,price_cents,session,import_id,raw,ident) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
        Ok(EventWriter {
            tx,
            product: tx.prepare(PendingStubs::INSERT)?,
            product_upsert: tx.prepare(
                "INSERT INTO products(id,name_en,name_zh,category,brand,price_cents,currency,image) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)
                 ON CONFLICT(id) DO UPDATE SET name_en=excluded.name_en, name_zh=excluded.name_zh, category=excluded.category,
                 brand=excluded.brand, price_cents=excluded.price_cents, currency=excluded.currency, image=excluded.image",
            )?,
            event: if bulk.is_some() { tx.prepare(insert)? } else { tx.prepare(&format!("{insert} ON CONFLICT(ident) WHERE ident IS NOT NULL DO NOTHING"))? },
            same: tx.prepare("SELECT ts = ?2 AND user_id = ?3 AND product_id = ?4 AND kind = ?5 AND price_cents IS ?6 AND session = ?7 FROM events WHERE ident = ?1")?,
            collision: tx.prepare("INSERT INTO events(ts,user_id,product_id,kind,price_cents,session,import_id,raw,ident) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,NULL)")?,
            import_id,
            bulk,
            seen: Default::default(),
            ident_buf: Vec::with_capacity(128),
            many: None,
            stubs: PendingStubs::default(),
            stub_insert: None,
        })
    }

    /// Whether the bulk strategy is in use.
    pub fn is_bulk(&self) -> bool {
        self.bulk.is_some()
    }

    /// In the bulk strategy, hand over the duplicate filter so that another thread can run it;
    /// its answers then come back through [`EventWriter::event_filtered`].
    pub fn take_filter(&mut self) -> Option<dedup::Bloom> {
        self.bulk.as_mut().and_then(Bulk::take_filter)
    }

    /// End the import's writes: store the buffered stub products, and in bulk mode rebuild
    /// the identity index and settle flagged rows. Returns how many events
    /// [`EventWriter::event`] reported as stored were in fact exact duplicates (always 0 in
    /// the indexed strategy). Must be called before committing when
    /// [`EventWriter::product_stub`] or the bulk strategy was used.
    pub fn finish(mut self) -> rusqlite::Result<u64> {
        self.store_stubs()?;
        match self.bulk.take() {
            Some(bulk) => dedup::finish(self.tx, bulk),
            None => Ok(0),
        }
    }

    /// Store events known to be new (the bulk strategy's filter answered `certainly_new` for
    /// each; `idents[i]` is `events[i]`'s identity), in order, [`ROWS_PER_INSERT`] per
    /// statement: one statement per row spends more time starting and resetting the VM than
    /// writing the row. Without the bulk strategy this is [`EventWriter::event_filtered`] row
    /// by row. Returns how many were stored as new.
    pub fn events_new(&mut self, events: &[NewEvent], idents: &[i64]) -> rusqlite::Result<u64> {
        debug_assert_eq!(events.len(), idents.len());
        if self.bulk.is_none() || events.len() < ROWS_PER_INSERT {
            let mut stored = 0;
            for (e, &ident) in events.iter().zip(idents) {
                stored += self.event_filtered(e, ident, true)? as u64;
            }
            return Ok(stored);
        }
        let mut chunks = events.chunks_exact(ROWS_PER_INSERT);
        let mut ids = idents.chunks_exact(ROWS_PER_INSERT);
        if self.many.is_none() {
            let rows = vec!["(?,?,?,?,?,?,?,?,?)"; ROWS_PER_INSERT].join(",");
            self.many = Some(BorrowedInsert::prepare(self.tx, &format!("INSERT INTO events(ts,user_id,product_id,kind,price_cents,session,import_id,raw,ident) VALUES {rows}"))?);
        }
        let many = self.many.as_mut().expect("prepared above");
        let import_id = self.import_id;
        for (chunk, ids) in (&mut chunks).zip(&mut ids) {
            many.execute(|p| {
                for (i, (e, &ident)) in chunk.iter().zip(ids).enumerate() {
                    let at = i * 9;
                    p.int(at + 1, e.ts)?;
                    p.text(at + 2, e.user_id)?;
                    p.text(at + 3, e.product_id)?;
                    p.text(at + 4, e.kind.as_str())?;
                    p.opt_int(at + 5, e.price_cents)?;
                    p.text(at + 6, e.session)?;
                    p.int(at + 7, import_id)?;
                    p.opt_text(at + 8, e.raw)?;
                    p.int(at + 9, ident)?;
                }
                Ok(())
            })?;
        }
        let mut stored = (events.len() - chunks.remainder().len()) as u64;
        for (e, &ident) in chunks.remainder().iter().zip(ids.remainder()) {
            stored += self.event_filtered(e, ident, true)? as u64;
        }
        Ok(stored)
    }

    /// Store a product unless one with that id exists.
    pub fn product(&mut self, p: &NewProduct) -> rusqlite::Result<()> {
        if self.seen.contains(p.id) {
            return Ok(());
        }
        self.product.execute(params![p.id, p.name_en, p.name_zh, p.category, p.brand, p.price_cents, p.currency])?;
        self.seen.insert(p.id.to_string());
        Ok(())
    }

    /// Store a placeholder product derived from an event unless one with that id exists by
    /// the time of [`EventWriter::finish`]: the same outcome as [`EventWriter::product`] (the
    /// first stub of an id wins; any stored or authoritative row beats a stub), but the rows
    /// are buffered and stored in id order. Stored one by one in file order, each landed on a
    /// random page of the catalog's B-tree; in order, consecutive rows share pages.
    pub fn product_stub(&mut self, p: &NewProduct) -> rusqlite::Result<()> {
        if self.stubs.push(p) {
            self.store_stubs()?;
        }
        Ok(())
    }

    fn store_stubs(&mut self) -> rusqlite::Result<()> {
        if self.stubs.is_empty() {
            return Ok(());
        }
        if self.stub_insert.is_none() {
            self.stub_insert = Some(BorrowedInsert::prepare(self.tx, PendingStubs::INSERT)?);
        }
        self.stubs.store(self.stub_insert.as_mut().expect("prepared above"))
    }

    /// Store a product from an authoritative catalog, replacing what is stored for that id.
    pub fn product_replace(&mut self, p: &NewProduct) -> rusqlite::Result<()> {
        self.product_upsert.execute(params![p.id, p.name_en, p.name_zh, p.category, p.brand, p.price_cents, p.currency, p.image])?;
        self.seen.insert(p.id.to_string());
        Ok(())
    }

    /// Store an event; returns `false` when it is an exact duplicate of a stored one.
    ///
    /// Duplicates are found by the 64-bit [`identity`] hash (unique index); a hash match is
    /// confirmed field by field, and a true collision is stored with no identity, so a
    /// collision can never drop a real event. In the bulk strategy a possible duplicate is
    /// stored and settled by [`EventWriter::finish`], which reports how many were duplicates.
    pub fn event(&mut self, e: &NewEvent) -> rusqlite::Result<bool> {
        let ident = identity_into(&mut self.ident_buf, e.ts, e.user_id, e.product_id, e.kind.as_str(), e.price_cents, e.session);
        self.event_with_identity(e, ident)
    }

    /// [`EventWriter::event`] with its [`identity`] computed by the caller (e.g. on another
    /// thread). `ident` must be `identity(e…)`.
    pub fn event_with_identity(&mut self, e: &NewEvent, ident: i64) -> rusqlite::Result<bool> {
        let certainly_new = self.bulk.as_mut().is_some_and(|b| b.certainly_new(ident));
        self.event_filtered(e, ident, certainly_new)
    }

    /// [`EventWriter::event_with_identity`] where the caller ran the filter from
    /// [`EventWriter::take_filter`]: `certainly_new` is its answer for `ident` (ignored in the
    /// indexed strategy).
    pub fn event_filtered(&mut self, e: &NewEvent, ident: i64, certainly_new: bool) -> rusqlite::Result<bool> {
        let kind = e.kind.as_str();
        if let Some(bulk) = &mut self.bulk {
            if certainly_new {
                self.event.execute(params![e.ts, e.user_id, e.product_id, kind, e.price_cents, e.session, self.import_id, e.raw, ident])?;
            } else {
                self.collision.execute(params![e.ts, e.user_id, e.product_id, kind, e.price_cents, e.session, self.import_id, e.raw])?;
                bulk.flag(self.tx.last_insert_rowid(), ident);
            }
            return Ok(true);
        }
        let n = self.event.execute(params![e.ts, e.user_id, e.product_id, kind, e.price_cents, e.session, self.import_id, e.raw, ident])?;
        if n == 1 {
            return Ok(true);
        }
        let same: bool = self.same.query_row(params![ident, e.ts, e.user_id, e.product_id, kind, e.price_cents, e.session], |r| r.get(0))?;
        if same {
            return Ok(false);
        }
        self.collision.execute(params![e.ts, e.user_id, e.product_id, kind, e.price_cents, e.session, self.import_id, e.raw])?;
        Ok(true)
    }
}

/// The identity of an event (defined in the store, whose migration v3 backfills it).
pub use crate::store::identity::identity;
pub(crate) use crate::store::identity::identity_into;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_stable_and_field_sensitive() {
        let a = identity(1, "u", "p", "view", Some(100), "s");
        assert_eq!(a, identity(1, "u", "p", "view", Some(100), "s"));
        assert_ne!(a, identity(1, "u", "p", "view", None, "s"));
        assert_ne!(identity(1, "ab", "c", "view", None, ""), identity(1, "a", "bc", "view", None, ""), "length-prefixed");
        // pinned: stored hashes must never change between versions
        assert_eq!(identity(1_569_888_000, "541312140", "44600062", "view", Some(3579), "72d76fde"), PINNED);
    }

    const PINNED: i64 = 7_513_980_254_900_681_942;

    #[test]
    fn a_hash_collision_never_drops_an_event() {
        let mut p = crate::store::Project::open_in_memory().unwrap();
        let tx = p.conn_mut().transaction().unwrap();
        tx.execute("INSERT INTO imports(file_name,fingerprint,format,rows_read,rows_imported,rows_duplicate,rows_rejected,imported_at) VALUES ('t','t','t',0,0,0,0,'t')", []).unwrap();
        // Plant a different event under the identity the next event will have.
        let ident = identity(5, "u", "p", "view", None, "");
        tx.execute("INSERT INTO events(ts,user_id,product_id,kind,session,import_id,ident) VALUES (9,'x','y','cart','',1,?1)", [ident]).unwrap();
        {
            let mut w = EventWriter::new(&tx, 1).unwrap();
            let e = NewEvent { ts: 5, user_id: "u", product_id: "p", kind: EventKind::View, price_cents: None, session: "", raw: None };
            assert!(w.event(&e).unwrap(), "stored despite the collision");
        }
        let n: i64 = tx.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2);
    }
}
