//! A look at a file before importing it: detected format and encoding, its columns, the first
//! rows, which columns look like contact data, and the column mapping to start from.

use std::path::Path;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::formats::{self, Format};
use super::records::{self, Layout, Next};
use super::{privacy, source, IngestError};
use crate::store::Project;

/// What the import dialog shows before the user commits to an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FilePreview {
    pub file: String,
    /// Detected format name, or `None` when a column mapping is needed.
    pub format: Option<String>,
    pub encoding: String,
    /// `csv`, `tsv`, `semicolon` or `jsonl`.
    pub layout: String,
    /// Header names (for a headerless format: `column 1`, `column 2`, …).
    pub columns: Vec<String>,
    /// Up to `rows` data records, as text.
    pub rows: Vec<Vec<String>>,
    /// Columns whose name or values look like e-mail addresses or phone numbers.
    pub pii_columns: Vec<String>,
    /// The column mapping to start from when the format needs one: the one remembered for
    /// files with this header, else a guess from the column names (contact columns left out).
    pub mapping: formats::guess::SuggestedMapping,
}

/// Preview `path`: up to `rows` records. Errors as for import (missing, empty, binary).
pub fn preview(project: &Project, path: &Path, rows: usize) -> Result<FilePreview, IngestError> {
    let display = path.display().to_string();
    let read_err = |source| IngestError::Read { path: display.clone(), source };
    if crate::input::check_regular(path).map_err(read_err)?.len() == 0 {
        return Err(IngestError::Empty { path: display });
    }
    let (reader, enc, _) = source::open(path).map_err(read_err)?;
    let (head, reader) = super::sniff::peek_first_line(reader).map_err(read_err)?;
    let first = super::sniff::first_line(&head).ok_or_else(|| IngestError::NotText { path: display.clone() })?;
    let layout = super::spaced::sniff_layout(&head, &first);
    let first_fields = super::sniff::first_record_fields(&first, layout);
    let refs: Vec<&str> = first_fields.iter().map(String::as_str).collect();
    let format = formats::detect(&refs);
    let has_header = format.as_ref().is_none_or(Format::has_header);
    let mut columns: Vec<String> = if has_header { first_fields.clone() } else { (1..=first_fields.len()).map(|i| format!("column {i}")).collect() };
    let mut data: Vec<Vec<String>> = Vec::new();
    records::for_each(
        reader,
        layout,
        has_header,
        &mut |h: &[&str]| -> Result<(), IngestError> {
            if has_header {
                columns = h.iter().map(|s| s.to_string()).collect();
            }
            Ok(())
        },
        &mut |r| {
            if let Ok(f) = r.fields {
                data.push(f.iter().map(|s| s.to_string()).collect());
            }
            Ok(if data.len() >= rows { Next::Stop } else { Next::Continue })
        },
    )
    .map_err(|e| match e {
        IngestError::Read { path, source } if path.is_empty() => IngestError::Read { path: display.clone(), source },
        other => other,
    })?;
    let pii_columns: Vec<String> =
        columns.iter().enumerate().filter(|(i, name)| privacy::is_pii_column(name) || data.iter().any(|r| r.get(*i).is_some_and(|v| privacy::looks_like_pii(v)))).map(|(_, n)| n.clone()).collect();
    let signature = super::sniff::signature_of(&first_fields);
    let remembered: Option<String> = project
        .conn()
        .query_row("SELECT mapping FROM import_mappings WHERE signature = ?1", [signature], |r| r.get(0))
        .optional()
        .map_err(|source| IngestError::Store { path: display.clone(), source })?;
    let remembered = remembered.and_then(|m| serde_json::from_str::<formats::generic::Mapping>(&m).ok());
    let mapping = formats::guess::suggest(&columns, remembered.as_ref(), &pii_columns);
    Ok(FilePreview {
        file: path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or(display),
        format: format.map(|f| f.name().to_string()),
        encoding: format!("{}{}{}", enc.encoding, if enc.bom { "+bom" } else { "" }, if enc.gzip { "+gzip" } else { "" }),
        layout: match layout {
            Layout::JsonLines => "jsonl",
            Layout::Delimited(b'\t') => "tsv",
            Layout::Delimited(b';') => "semicolon",
            Layout::Delimited(b'|') => "pipe",
            Layout::Delimited(_) => "csv",
            Layout::Spaces(_) => "spaces",
        }
        .into(),
        columns,
        rows: data,
        pii_columns,
        mapping,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_detects_format_and_flags_contact_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = Project::open_in_memory().unwrap();
        let f = dir.path().join("x.tsv");
        std::fs::write(&f, "uid\temail\tsku\tts\n1\ta@b.com\tA\t1700000000\n2\tc@d.com\tB\t1700000001\n").unwrap();
        let v = preview(&p, &f, 1).unwrap();
        assert_eq!((v.format, v.layout.as_str(), v.rows.len()), (None, "tsv", 1));
        assert_eq!(v.columns, ["uid", "email", "sku", "ts"]);
        assert_eq!(v.pii_columns, ["email"]);
        let t = dir.path().join("t.csv");
        std::fs::write(&t, "1,2268318,2520377,pv,1511544070\n").unwrap();
        let v = preview(&p, &t, 5).unwrap();
        assert_eq!(v.format.as_deref(), Some("taobao"));
        assert_eq!(v.columns[0], "column 1");
        assert_eq!(v.rows.len(), 1, "the first line is data for a headerless format");
    }
}
