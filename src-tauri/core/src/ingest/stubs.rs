//! Stub catalog rows of one import, buffered and stored in id order.
//!
//! Event files imply a placeholder product for every product id they mention (the first
//! stub of an id wins; anything already stored wins over a stub). Stored one by one in file
//! order, each stub lands on a random page of the catalog's B-trees; sorted by id, consecutive
//! rows share pages. The rows are kept in one text buffer (no allocation per row), so binding
//! them reads memory in order.

use std::ops::Range;

use super::borrowed::BorrowedInsert;
use super::writer::NewProduct;

/// Buffered stub rows; [`PendingStubs::push`] says when to store them.
#[derive(Default)]
pub(super) struct PendingStubs {
    text: String,
    rows: Vec<Pending>,
}

/// One row: its text fields as ranges of the buffer.
struct Pending {
    /// id, name_en, name_zh, category, brand, currency.
    fields: [Range<u32>; 6],
    price_cents: i64,
}

/// Rows kept before they are stored. Large enough that sorting pays, small enough that the
/// store work interleaves with parsing (it overlaps the parser thread's work on the next
/// batches) and the buffer stays around a megabyte.
const ROWS: usize = 8 * 1024;

impl PendingStubs {
    /// The statement [`PendingStubs::store`] (and the writer's row-by-row stub) runs: insert
    /// unless the id exists.
    pub(super) const INSERT: &'static str = "INSERT OR IGNORE INTO products(id,name_en,name_zh,category,brand,price_cents,currency) VALUES (?1,?2,?3,?4,?5,?6,?7)";

    /// Buffer `p` (its image is not kept: stubs have none). `true` when it is time to store.
    pub(super) fn push(&mut self, p: &NewProduct) -> bool {
        let mut span = |s: &str| {
            let start = self.text.len() as u32;
            self.text.push_str(s);
            start..self.text.len() as u32
        };
        let fields = [span(p.id), span(p.name_en), span(p.name_zh), span(p.category), span(p.brand), span(p.currency)];
        self.rows.push(Pending { fields, price_cents: p.price_cents });
        self.rows.len() >= ROWS || self.text.len() >= u32::MAX as usize / 2
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Store every buffered row with `insert` (prepared from [`PendingStubs::INSERT`]) in id
    /// order, and empty the buffer. Of two rows with one id the earlier is stored (the sort is
    /// stable and the insert ignores the later one).
    ///
    /// Errors: the store's; the buffer is emptied either way (the transaction is then rolled
    /// back by the caller).
    pub(super) fn store(&mut self, insert: &mut BorrowedInsert) -> rusqlite::Result<()> {
        let text = &self.text;
        let field = |r: &Range<u32>| &text[r.start as usize..r.end as usize];
        self.rows.sort_by(|a, b| field(&a.fields[0]).cmp(field(&b.fields[0])));
        let stored = self.rows.iter().try_for_each(|row| {
            insert.execute(|p| {
                for (i, r) in row.fields[..5].iter().enumerate() {
                    p.text(i + 1, field(r))?;
                }
                p.int(6, row.price_cents)?;
                p.text(7, field(&row.fields[5]))
            })
        });
        self.rows.clear();
        self.text.clear();
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn product<'a>(id: &'a str, name: &'a str) -> NewProduct<'a> {
        NewProduct { id, name_en: name, name_zh: name, category: "c", brand: "b", price_cents: 1, currency: "USD", image: None }
    }

    #[test]
    fn the_first_stub_of_an_id_wins_and_stored_rows_win_over_stubs() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE products(id TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_zh TEXT NOT NULL, category TEXT NOT NULL,
             brand TEXT NOT NULL, price_cents INTEGER NOT NULL, currency TEXT NOT NULL);
             INSERT INTO products VALUES ('9','stored','stored','c','b',5,'CNY');",
        )
        .unwrap();
        let mut pending = PendingStubs::default();
        for (id, name) in [("3", "first 3"), ("9", "stub 9"), ("1", "first 1"), ("3", "second 3"), ("10", "ten")] {
            assert!(!pending.push(&product(id, name)));
        }
        let mut insert = BorrowedInsert::prepare(&c, PendingStubs::INSERT).unwrap();
        pending.store(&mut insert).unwrap();
        assert!(pending.is_empty());
        let rows: Vec<(String, String, i64, String)> = c
            .prepare("SELECT id, name_en, price_cents, currency FROM products ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let names: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        // stored in id order (text order: "1" < "10" < "3"), the earlier stub of "3" kept
        assert_eq!(names, [("9", "stored"), ("1", "first 1"), ("10", "ten"), ("3", "first 3")]);
        assert_eq!((rows[1].2, rows[1].3.as_str()), (1, "USD"));
    }

    #[test]
    fn it_asks_to_be_stored_when_full() {
        let mut pending = PendingStubs::default();
        let asked = (0..ROWS).map(|i| pending.push(&product(&i.to_string(), "x"))).filter(|&a| a).count();
        assert_eq!(asked, 1);
    }
}
