//! What a file is, from its first lines: text or not, the header's fields, the remembered
//! mapping's signature, the format (named, mapped, detected or remembered) and the currency
//! checks of its products. Shared by the import loop ([`super::run`]) and the preview.

use std::io::{BufRead, Read};
use std::path::Path;

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::formats::{self, generic, Format};
use super::product_checks::{self, ProductChecks};
use super::records::Layout;
use super::{ImportOptions, IngestError};
use crate::store::Project;

/// The product checks of importing `path`: `opts.currency` must be a known code that agrees
/// with the project's currency. Errors: `BadCurrency`, `CurrencyConflict`, store failure.
pub(super) fn product_checks_for(project: &Project, path: &Path, opts: &ImportOptions, display: &str) -> Result<ProductChecks, IngestError> {
    let current = product_checks::project_currency(project.conn()).map_err(|source| IngestError::Store { path: display.into(), source })?;
    let given = match opts.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(g) => Some(product_checks::parse_currency(g).ok_or_else(|| IngestError::BadCurrency { path: display.into(), given: g.into() })?),
    };
    if let (Some(g), Some(c)) = (given, &current) {
        if g != c {
            return Err(IngestError::CurrencyConflict { path: display.into(), given: g.into(), project: c.clone() });
        }
    }
    Ok(ProductChecks::new(current, given, path))
}

/// The format of a file whose first record is `first`: `--map`, `--format`, detection by
/// header, or the mapping remembered for `signature`. Errors: `BadMapping`, `BadFormatName`,
/// `UnknownFormat`, store failure.
pub(super) fn choose_format(project: &Project, opts: &ImportOptions, first: &[String], signature: &str, path: &str) -> Result<Format, IngestError> {
    let fields: Vec<&str> = first.iter().map(String::as_str).collect();
    let bad_map = |source: generic::MappingError| IngestError::BadMapping { path: path.into(), source };
    if let Some(spec) = &opts.mapping {
        return generic::Mapping::parse(spec, &fields).map(Format::Generic).map_err(bad_map);
    }
    if let Some(name) = &opts.format {
        let lower: Vec<String> = first.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
        return match name.as_str() {
            "rees46" => Ok(Format::Rees46),
            "taobao" => Ok(Format::Taobao),
            "retailrocket" => Ok(Format::RetailRocket),
            "online_retail" => Ok(Format::OnlineRetail),
            "catalog" => generic::CatalogColumns::detect(&lower).map(Format::Catalog).ok_or_else(|| bad_map(generic::MappingError::CatalogColumns)),
            "generic" => Err(bad_map(generic::MappingError::NoMapping)),
            other => Err(IngestError::BadFormatName { path: path.into(), name: other.into() }),
        };
    }
    if let Some(f) = formats::detect(&fields) {
        return Ok(f);
    }
    let remembered: Option<String> = project
        .conn()
        .query_row("SELECT mapping FROM import_mappings WHERE signature = ?1", [signature], |r| r.get(0))
        .optional()
        .map_err(|source| IngestError::Store { path: path.into(), source })?;
    if let Some(m) = remembered.and_then(|m| serde_json::from_str(&m).ok()) {
        return Ok(Format::Generic(m));
    }
    Err(IngestError::UnknownFormat { path: path.into(), header: first.join(",").chars().take(120).collect() })
}

/// Read the first lines ([`super::spaced::SNIFF_LINES`], up to 64 KiB in all) and hand back a
/// reader that still starts with them.
pub(super) fn peek_first_line(mut reader: Box<dyn BufRead + Send>) -> std::io::Result<(Vec<u8>, Box<dyn BufRead + Send>)> {
    let mut head = Vec::new();
    for _ in 0..super::spaced::SNIFF_LINES {
        let room = (64 * 1024u64).saturating_sub(head.len() as u64);
        if room == 0 || (&mut reader).take(room).read_until(b'\n', &mut head)? == 0 {
            break;
        }
    }
    let replay = std::io::Cursor::new(head.clone());
    Ok((head, Box::new(replay.chain(reader))))
}

/// Files with the same columns share a remembered mapping: SHA-256 of the column names.
pub(super) fn signature_of(columns: &[String]) -> String {
    hex::encode(Sha256::digest(columns.join("\u{1f}").as_bytes()))
}

/// The first line of the decoded head, if it is text (no NUL, valid UTF-8 up to a cut
/// character at the buffer's end).
pub(super) fn first_line(head: &[u8]) -> Option<String> {
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = &head[..end];
    if line.contains(&0) {
        return None;
    }
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() && end == head.len() => std::str::from_utf8(&line[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    // Control characters other than tab/CR mean binary data.
    if text.chars().any(|c| c.is_control() && c != '\t' && c != '\r') {
        return None;
    }
    Some(text.trim_end_matches('\r').to_string())
}

pub(super) fn first_record_fields(line: &str, layout: Layout) -> Vec<String> {
    match layout {
        Layout::JsonLines => serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line).map(|o| o.keys().cloned().collect()).unwrap_or_default(),
        Layout::Spaces(run) => super::spaced::split(line, run).into_iter().map(str::to_string).collect(),
        Layout::Delimited(d) => {
            let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(d).from_reader(line.as_bytes());
            rdr.records().next().and_then(Result::ok).map(|r| r.iter().map(str::to_string).collect()).unwrap_or_default()
        }
    }
}
