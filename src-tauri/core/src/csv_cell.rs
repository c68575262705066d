//! CSV/TSV injection: every CSV the studio writes goes through [`write_row`], so no cell a
//! user or an imported file controls can run as a spreadsheet formula.
//!
//! The rule (OWASP "CSV injection"): a text cell that starts with `=`, `+`, `-`, `@`, TAB or
//! CR gets a leading single quote `'`, which spreadsheets (Excel, LibreOffice, Google Sheets)
//! take as "this is text". So a campaign named `=HYPERLINK("http://x","y")` arrives as the
//! text `'=HYPERLINK("http://x","y")`, never as a link or a formula.
//!
//! **Numbers stay numbers.** A cell that parses as a finite number (`-0.53`, `-3`, `+1e-5`) is
//! left as it is: the studio writes its figures (negative lifts, standardised features,
//! intervals) as such, and a finite decimal number cannot be a formula, so numeric columns
//! stay numeric in every spreadsheet. `-inf`, `-NaN` and `-2+3` are not finite numbers and are
//! quoted.
//!
//! **Trade-off.** The quote is part of the cell's text for tools that are not spreadsheets:
//! Google Ads Editor's CSV import, for example, would show a headline or campaign name as
//! `'=…` verbatim. That is accepted: a name or headline starting with one of these characters
//! is rare and can be renamed, while opening the file in a spreadsheet (which marketers do)
//! must never run it. The JSON files (manifest, Meta feed, audit JSON) keep every text exactly.
//!
//! Leaf module: only the `csv` crate.

use std::borrow::Cow;
use std::io::Write;

/// The first characters that make a spreadsheet evaluate a cell.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, made inert: prefixed with `'` when it starts with one of [`FORMULA_STARTS`] and is
/// not a finite number; otherwise unchanged (borrowed).
pub fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Write one record with every cell passed through [`inert`]. Use this instead of
/// `csv::Writer::write_record` for every CSV or TSV the studio writes (headers included; they
/// are constant and pass unchanged). Errors: the writer's.
pub fn write_row<W, I, T>(w: &mut csv::Writer<W>, row: I) -> csv::Result<()>
where
    W: Write,
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    w.write_record(row.into_iter().map(|c| inert(c.as_ref()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_finite_numbers_do_not() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+1+1", "'+1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-NaN", "'-NaN"),
            ("+", "'+"),
        ] {
            assert_eq!(inert(cell), want, "{cell:?}");
        }
        for same in ["-0.53", "-3", "+1e-5", "-1.7976931348623157e308", "0", "Double 11", "a=b", "", "'=already", "１=1", "https://x/?a=1"] {
            assert_eq!(inert(same), same, "{same:?}");
        }
    }

    #[test]
    fn write_row_quotes_every_hostile_cell_and_keeps_numbers() {
        let mut w = csv::Writer::from_writer(Vec::new());
        write_row(&mut w, ["name", "value"]).unwrap();
        write_row(&mut w, ["=1+1", "-0.25"]).unwrap();
        write_row(&mut w, [String::from("@cmd"), String::from("-2+3")]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "name,value\n'=1+1,-0.25\n'@cmd,'-2+3\n");
    }

    /// Every `.rs` file under `dir`, recursively.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = e.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn no_csv_writer_in_the_core_cli_or_shell_bypasses_write_row() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["core/src", "cli", "src"] {
            sources(&root.join(dir), &mut files);
        }
        assert!(files.len() > 50, "found the sources ({})", files.len());
        let offenders: Vec<String> =
            files.iter().filter(|f| !f.ends_with("csv_cell.rs")).filter(|f| std::fs::read_to_string(f).unwrap().contains(concat!("write", "_record("))).map(|f| f.display().to_string()).collect();
        assert!(offenders.is_empty(), "CSV written without csv_cell::write_row in {offenders:?}");
    }
}
