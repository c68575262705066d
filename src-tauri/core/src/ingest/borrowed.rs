//! A prepared statement that binds text without copying it.
//!
//! rusqlite binds every string with `SQLITE_TRANSIENT`: SQLite mallocs a buffer, copies the
//! string into it, and frees it on the next bind. The bulk event insert binds four strings per
//! row, and that malloc + copy + free cost about a third of its time (measured with `perf` on
//! the 1,000,000-row benchmark). [`BorrowedInsert`] binds with `SQLITE_STATIC` instead, which
//! is sound only while the strings outlive the statement's use of them; the type makes that a
//! borrow: values are bound, the statement is stepped and reset, and every binding is
//! cleared, all inside one [`BorrowedInsert::execute`] call whose values outlive it.

use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::ptr::NonNull;

use rusqlite::{ffi, Connection};

/// A prepared statement without result rows (an INSERT) whose text parameters are read in
/// place by SQLite. Finalised on drop; it cannot outlive the connection it borrows.
pub struct BorrowedInsert<'c> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: *mut ffi::sqlite3,
    _conn: PhantomData<&'c Connection>,
}

/// Binds one execution's parameters; every `&'v str` outlives the execution.
pub struct Binder<'s, 'v> {
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
    _values: PhantomData<(&'s mut (), &'v str)>,
}

impl<'c> BorrowedInsert<'c> {
    /// Prepare `sql` (one statement) on `conn`.
    ///
    /// Errors: SQLite's, e.g. a syntax error or an unknown table.
    pub fn prepare(conn: &'c Connection, sql: &str) -> rusqlite::Result<Self> {
        let len = c_int::try_from(sql.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, None))?;
        // SAFETY: the handle belongs to `conn`, which this value borrows for its whole life;
        // `sql` is valid for `len` bytes; SQLite writes the new statement into `stmt`.
        unsafe {
            let db = conn.handle();
            let mut stmt = std::ptr::null_mut();
            let rc = ffi::sqlite3_prepare_v3(db, sql.as_ptr().cast(), len, ffi::SQLITE_PREPARE_PERSISTENT as _, &mut stmt, std::ptr::null_mut());
            if rc != ffi::SQLITE_OK {
                return Err(failure(rc, Some(db)));
            }
            let stmt = NonNull::new(stmt).ok_or_else(|| failure(ffi::SQLITE_MISUSE, None))?;
            Ok(BorrowedInsert { stmt, db, _conn: PhantomData })
        }
    }

    /// Bind the parameters with `bind`, run the statement once, and clear the bindings again.
    /// Parameters `bind` leaves alone are NULL.
    ///
    /// Errors: the first failing bind (e.g. an index out of range), or the step's error (e.g.
    /// a constraint); the statement is reset and usable again either way.
    pub fn execute<'v>(&mut self, bind: impl FnOnce(&mut Binder<'_, 'v>) -> rusqlite::Result<()>) -> rusqlite::Result<()> {
        let stmt = self.stmt.as_ptr();
        let mut binder = Binder { stmt, db: self.db, _values: PhantomData };
        let bound = bind(&mut binder);
        // SAFETY: `stmt` is a live statement of `db`; the bound strings outlive this call
        // ('v), and clearing the bindings before returning leaves no pointer to them behind.
        unsafe {
            let outcome = match bound {
                Ok(()) => match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_DONE | ffi::SQLITE_ROW => Ok(()),
                    _ => Err(()),
                },
                Err(e) => {
                    ffi::sqlite3_reset(stmt);
                    ffi::sqlite3_clear_bindings(stmt);
                    return Err(e);
                }
            };
            // sqlite3_reset repeats the step's error code; the message is read before it.
            let error = outcome.err().map(|()| failure(ffi::sqlite3_extended_errcode(self.db), Some(self.db)));
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
            error.map_or(Ok(()), Err)
        }
    }
}

impl Drop for BorrowedInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and finalised exactly once.
        unsafe { ffi::sqlite3_finalize(self.stmt.as_ptr()) };
    }
}

impl<'v> Binder<'_, 'v> {
    /// Bind an integer to parameter `i` (1-based).
    pub fn int(&mut self, i: usize, v: i64) -> rusqlite::Result<()> {
        // SAFETY: a live statement; an out-of-range index is reported, not undefined.
        self.check(unsafe { ffi::sqlite3_bind_int64(self.stmt, i as c_int, v) })
    }

    /// Bind an integer, or NULL for `None`.
    pub fn opt_int(&mut self, i: usize, v: Option<i64>) -> rusqlite::Result<()> {
        match v {
            Some(v) => self.int(i, v),
            None => Ok(()), // cleared bindings are NULL
        }
    }

    /// Bind `s` to parameter `i` without copying it.
    pub fn text(&mut self, i: usize, s: &'v str) -> rusqlite::Result<()> {
        let len = c_int::try_from(s.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, None))?;
        // SAFETY: `s` is valid UTF-8 for `len` bytes and outlives the execution ('v), after
        // which the binding is cleared; SQLITE_STATIC tells SQLite not to copy or free it.
        self.check(unsafe { ffi::sqlite3_bind_text(self.stmt, i as c_int, s.as_ptr().cast(), len, ffi::SQLITE_STATIC()) })
    }

    /// Bind text, or NULL for `None`.
    pub fn opt_text(&mut self, i: usize, s: Option<&'v str>) -> rusqlite::Result<()> {
        match s {
            Some(s) => self.text(i, s),
            None => Ok(()),
        }
    }

    fn check(&self, rc: c_int) -> rusqlite::Result<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(failure(rc, Some(self.db)))
        }
    }
}

/// rusqlite's error for SQLite result code `rc`, with the connection's message when known.
fn failure(rc: c_int, db: Option<*mut ffi::sqlite3>) -> rusqlite::Error {
    // SAFETY: `db` is a live connection; sqlite3_errmsg returns a NUL-terminated string it owns.
    let message = db.map(|db| unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned());
    rusqlite::Error::SqliteFailure(ffi::Error::new(rc), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t(a INTEGER, b TEXT NOT NULL, c TEXT, UNIQUE(a))").unwrap();
        c
    }

    #[test]
    fn stores_what_was_bound_and_nulls_what_was_not() {
        let c = table();
        {
            let mut ins = BorrowedInsert::prepare(&c, "INSERT INTO t(a,b,c) VALUES (?1,?2,?3)").unwrap();
            for (a, b) in [(1, String::from("one")), (2, String::from("两"))] {
                ins.execute(|p| {
                    p.int(1, a)?;
                    p.text(2, &b)
                })
                .unwrap();
            }
            // The strings bound above are gone; the next row must not see them.
            ins.execute(|p| {
                p.int(1, 3)?;
                p.text(2, "")?;
                p.opt_text(3, Some("c"))
            })
            .unwrap();
        }
        let rows: Vec<(i64, String, Option<String>)> =
            c.prepare("SELECT a,b,c FROM t ORDER BY a").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
        assert_eq!(rows, vec![(1, "one".into(), None), (2, "两".into(), None), (3, "".into(), Some("c".into()))]);
    }

    #[test]
    fn a_constraint_error_is_reported_and_the_statement_stays_usable() {
        let c = table();
        let mut ins = BorrowedInsert::prepare(&c, "INSERT INTO t(a,b) VALUES (?1,?2)").unwrap();
        ins.execute(|p| {
            p.int(1, 1)?;
            p.text(2, "x")
        })
        .unwrap();
        let err = ins
            .execute(|p| {
                p.int(1, 1)?;
                p.text(2, "y")
            })
            .unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation), "{err}");
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        let err = ins.execute(|p| p.int(1, 2)).unwrap_err(); // b left NULL: NOT NULL fails
        assert!(err.to_string().contains("NOT NULL"), "{err}");
        let err = ins.execute(|p| p.int(7, 2)).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ParameterOutOfRange));
        ins.execute(|p| {
            p.int(1, 2)?;
            p.text(2, "z")
        })
        .unwrap();
        let n: i64 = c.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn a_bad_statement_is_an_error_not_a_panic() {
        let c = table();
        let err = BorrowedInsert::prepare(&c, "INSERT INTO nowhere VALUES (1)").err().expect("no such table");
        assert!(err.to_string().contains("nowhere"), "{err}");
    }
}
