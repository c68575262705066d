//! Project-level rules for the product rows of an import: one currency per project, and
//! catalog pictures resolved to files.
//!
//! * Currency: the project's currency is stored in `project_meta` (key `currency`); a project
//!   made before it was stored uses the currency most of its products have. The first import
//!   with products sets it — to `--currency` when given, else the currency of the file's first
//!   product row. A later row in another currency is rejected ("currency GBP, the project uses
//!   CNY", column `currency`), never mixed; `--currency` that contradicts the project's is an
//!   error before anything is read.
//! * Products derived from events (a behaviour export names products, it has no catalog rows)
//!   are in the file's currency: `--currency` when given, else the one its format fixes (REES46:
//!   USD), else the project's. A file whose format fixes another currency than the project's is
//!   refused as a whole before a row is read: every price in it is in that currency, so
//!   rejecting only the rows that happen to introduce a product would let the others in.
//! * Pictures: a catalog row's `image` naming a file — absolute, or relative to an `images/`
//!   folder next to the catalog or to the catalog's folder — is stored as its resolved absolute
//!   path. A relative path that leaves the catalog's folder, or a file that does not exist, is
//!   dropped with a note in the import summary (the row is kept). URLs are kept as text (never
//!   fetched).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use super::formats::{FieldError, ProductRow};
use super::IngestError;

/// The project's currency, if it has one: the stored one, else the one most of its products
/// have (projects from before the currency was stored, the demo store).
pub fn project_currency(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let stored: Option<String> = conn.query_row("SELECT value FROM project_meta WHERE key = 'currency'", [], |r| r.get(0)).optional()?;
    if stored.is_some() {
        return Ok(stored);
    }
    conn.query_row("SELECT currency FROM products GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1", [], |r| r.get(0)).optional()
}

/// Store `code` as the project's currency.
pub fn set_project_currency(conn: &Connection, code: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT OR REPLACE INTO project_meta(key, value) VALUES ('currency', ?1)", [code])?;
    Ok(())
}

/// The currencies a project may use (the import form offers them; the bindings carry them).
pub const CURRENCIES: [&str; 5] = ["CNY", "USD", "EUR", "GBP", "JPY"];

/// Normalise a currency code given by the user (`--currency`, the import form): one of
/// [`CURRENCIES`], or RMB for CNY. `None` for an unknown code.
pub fn parse_currency(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    if code == "RMB" {
        return Some("CNY");
    }
    CURRENCIES.into_iter().find(|c| *c == code)
}

/// Note counted when a catalog picture file does not exist.
pub const NOTE_IMAGE_MISSING: &str = "image file not found (row kept without picture)";
/// Note counted when a relative picture path leaves the catalog's folder.
pub const NOTE_IMAGE_OUTSIDE: &str = "image path leaves the catalog folder (row kept without picture)";

/// The checks of one import.
pub(crate) struct ProductChecks {
    /// The currency every product row must have (`None` until the first product row).
    currency: Option<String>,
    /// Whether the project had no currency before this import (it is stored at the end).
    new_currency: bool,
    /// The user's `--currency`.
    given: Option<&'static str>,
    /// The currency of products derived from the file's events (see [`Self::derive_for`]).
    derived: Option<String>,
    /// The catalog file's folder, canonical.
    dir: Option<PathBuf>,
}

impl ProductChecks {
    /// Checks for importing `catalog` into a project whose currency is `project` with the
    /// user's `--currency` (already checked against `project` by the caller).
    pub fn new(project: Option<String>, given: Option<&'static str>, catalog: &Path) -> ProductChecks {
        let new_currency = project.is_none();
        let currency = project.or_else(|| given.map(str::to_string));
        let dir = catalog.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d }).and_then(|d| d.canonicalize().ok());
        ProductChecks { currency, new_currency, given, derived: None, dir }
    }

    /// Settle the currency of the products the file derives from its events, once its format
    /// is known: `--currency`, else the one the format fixes (`fixed`), else the project's.
    ///
    /// Errors: `CurrencyConflict` when the format fixes a currency the project does not use
    /// (the file is refused before a row is read; `--currency` says otherwise if the file was
    /// converted).
    pub fn derive_for(&mut self, fixed: Option<&'static str>, display: &str) -> Result<(), IngestError> {
        if let (None, Some(f), Some(c)) = (self.given, fixed, &self.currency) {
            if f != c {
                return Err(IngestError::CurrencyConflict { path: display.into(), given: f.into(), project: c.clone() });
            }
        }
        self.derived = self.given.or(fixed).map(str::to_string).or_else(|| self.currency.clone());
        Ok(())
    }

    /// The currency to store as the project's at the end of the import, if it is new.
    pub fn currency_to_store(&self) -> Option<&str> {
        self.currency.as_deref().filter(|_| self.new_currency)
    }

    /// Check a product row and give the currency to store it in: a catalog row's own, a derived
    /// row's the file's (see [`Self::derive_for`]); it must be the project's (the first row fixes
    /// it for a project without one). Errors: a row in another currency.
    pub fn currency(&mut self, p: &ProductRow) -> Result<String, FieldError> {
        let row = match (&self.derived, p.authoritative) {
            (Some(d), false) => d.clone(),
            _ => p.currency.to_string(),
        };
        match &self.currency {
            None => {
                self.currency = Some(row.clone());
                Ok(row)
            }
            Some(c) if *c == row => Ok(row),
            Some(c) => Err(FieldError::new(
                "currency",
                format!("currency {row}, the project uses {c}: a file in another currency is not mixed in (convert its prices first)"),
                "row.currency_mismatch",
                [("currency", row.clone()), ("project", c.to_string())],
            )),
        }
    }

    /// The stored form of a row's `image`: a resolved absolute file path, a URL as is, or
    /// `None` with the note to count.
    pub fn image(&self, image: Option<&str>) -> (Option<String>, Option<&'static str>) {
        let Some(raw) = image.map(str::trim).filter(|s| !s.is_empty()) else {
            return (None, None);
        };
        if raw.contains("://") {
            return (Some(raw.to_string()), None);
        }
        let given = Path::new(raw);
        if given.is_absolute() {
            return match given.canonicalize() {
                Ok(p) if p.is_file() => (Some(p.to_string_lossy().into_owned()), None),
                _ => (None, Some(NOTE_IMAGE_MISSING)),
            };
        }
        let Some(dir) = &self.dir else {
            return (None, Some(NOTE_IMAGE_MISSING));
        };
        let mut outside = false;
        for candidate in [dir.join("images").join(given), dir.join(given)] {
            if let Ok(p) = candidate.canonicalize() {
                if !p.starts_with(dir) {
                    outside = true;
                } else if p.is_file() {
                    return (Some(p.to_string_lossy().into_owned()), None);
                }
            }
        }
        if outside || given.components().any(|c| c == std::path::Component::ParentDir) {
            (None, Some(NOTE_IMAGE_OUTSIDE))
        } else {
            (None, Some(NOTE_IMAGE_MISSING))
        }
    }
}
