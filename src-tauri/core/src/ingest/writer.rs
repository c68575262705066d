//! Batched inserts of products and events inside one open transaction.

use rusqlite::{params, Statement, Transaction};

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
    product: Statement<'t>,
    product_upsert: Statement<'t>,
    event: Statement<'t>,
    import_id: i64,
    /// Product ids already written in this transaction: skips repeated statements.
    seen: std::collections::HashSet<String>,
}

impl<'t> EventWriter<'t> {
    /// Prepare statements on `tx` writing events that belong to `import_id`.
    pub fn new(tx: &'t Transaction<'t>, import_id: i64) -> rusqlite::Result<Self> {
        Ok(EventWriter {
            product: tx.prepare(
                "INSERT OR IGNORE INTO products(id,name_en,name_zh,category,brand,price_cents,currency) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            )?,
            product_upsert: tx.prepare(
                "INSERT INTO products(id,name_en,name_zh,category,brand,price_cents,currency) VALUES (?1,?2,?3,?4,?5,?6,?7)
                 ON CONFLICT(id) DO UPDATE SET name_en=excluded.name_en, name_zh=excluded.name_zh, category=excluded.category,
                 brand=excluded.brand, price_cents=excluded.price_cents, currency=excluded.currency",
            )?,
            event: tx.prepare(
                "INSERT OR IGNORE INTO events(ts,user_id,product_id,kind,price_cents,session,import_id,raw) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            )?,
            import_id,
            seen: Default::default(),
        })
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

    /// Store a product from an authoritative catalog, replacing what is stored for that id.
    pub fn product_replace(&mut self, p: &NewProduct) -> rusqlite::Result<()> {
        self.product_upsert.execute(params![p.id, p.name_en, p.name_zh, p.category, p.brand, p.price_cents, p.currency])?;
        self.seen.insert(p.id.to_string());
        Ok(())
    }

    /// Store an event; returns `false` when it is an exact duplicate of a stored one.
    pub fn event(&mut self, e: &NewEvent) -> rusqlite::Result<bool> {
        let n = self.event.execute(params![
            e.ts,
            e.user_id,
            e.product_id,
            e.kind.as_str(),
            e.price_cents,
            e.session,
            self.import_id,
            e.raw
        ])?;
        Ok(n == 1)
    }
}
