//! Google Ads Editor's own file format: UTF-16 LE with a byte-order mark, tab-separated, CRLF
//! line ends, one header row, one entity per row (as the reference files in
//! `fixtures/reference/google-ads-editor/` are written).
//!
//! A row is a map column → value; the header is the union of the columns the rows use, in the
//! order of Editor's account import file ([`column_order`]). Names and texts are values, never
//! headers, so a campaign called `Sale#Original` cannot create a `Campaign#Original` column.
//! Every value is cleaned ([`clean`]): tab, CR and LF become spaces (they would split a cell or
//! a row), and a value starting with a formula character gets a leading `'`
//! ([`crate::csv_cell::inert`]; marketers open these files in spreadsheets). A value holding a
//! `"` is quoted with `"` doubled, as Editor's and spreadsheets' tab-separated readers expect.

use std::collections::BTreeMap;

use crate::csv_cell::{inert, write_row};

/// One Editor row: column → value (empty values may be left out).
pub type Row = BTreeMap<String, String>;

/// Every column the export may write, in the order of Editor's account import file.
pub fn column_order() -> Vec<String> {
    let mut c: Vec<String> = ["Campaign", "Campaign Type", "Networks", "Budget", "Budget type", "EU political ads", "Languages", "Bid Strategy Type", "Ad Group", "Ad Group Type", "Final URL suffix"]
        .map(String::from)
        .to_vec();
    c.extend((1..=15).map(|i| format!("Headline {i}")));
    c.push("Long headline 1".into());
    c.extend((1..=5).map(|i| format!("Description {i}")));
    c.extend(
        ["Business name", "Path 1", "Path 2", "Final URL", "Asset name", "Image Size", "File size", "Keyword", "Criterion Type", "Ad type", "Campaign Status", "Ad Group Status", "Status"]
            .map(String::from),
    );
    c
}

/// A value safe in one cell: tab, CR and LF replaced by spaces, trimmed, formula-inert.
pub fn clean(value: &str) -> String {
    let flat: String = value.chars().map(|c| if matches!(c, '\t' | '\r' | '\n') { ' ' } else { c }).collect();
    inert(flat.trim()).into_owned()
}

/// The header of `rows`: the columns they use, in [`column_order`].
pub fn header(rows: &[Row]) -> Vec<String> {
    column_order().into_iter().filter(|c| rows.iter().any(|r| r.get(c).is_some_and(|v| !v.is_empty()))).collect()
}

/// `rows` as Editor writes its files: UTF-16 LE with BOM, tabs, CRLF. A column of a row that is
/// not in [`column_order`] is a programming error and panics in debug builds.
pub fn encode(rows: &[Row]) -> Vec<u8> {
    let header = header(rows);
    debug_assert!(rows.iter().all(|r| r.keys().all(|k| column_order().contains(k))), "a row uses a column outside column_order()");
    let mut w = csv::WriterBuilder::new().delimiter(b'\t').terminator(csv::Terminator::CRLF).quote_style(csv::QuoteStyle::Necessary).from_writer(Vec::new());
    write_row(&mut w, &header).expect("in-memory tsv");
    for r in rows {
        write_row(&mut w, header.iter().map(|c| r.get(c).map(|v| clean(v)).unwrap_or_default())).expect("in-memory tsv");
    }
    let text = String::from_utf8(w.into_inner().expect("in-memory tsv")).expect("utf-8 in, utf-8 out");
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Read a file written by [`encode`] (or by Editor) back into rows of cells, header first.
/// `None` when it is not UTF-16 LE with BOM or not well-formed.
pub fn decode(bytes: &[u8]) -> Option<Vec<Vec<String>>> {
    let body = bytes.strip_prefix(&[0xFF, 0xFE])?;
    if body.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = body.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let text = String::from_utf16(&units).ok()?;
    let mut r = csv::ReaderBuilder::new().delimiter(b'\t').has_headers(false).flexible(false).from_reader(text.as_bytes());
    r.records().map(|rec| rec.ok().map(|rec| rec.iter().map(String::from).collect())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&str, &str)]) -> Row {
        cells.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn utf16_bom_tabs_crlf_and_chinese_text_round_trip() {
        let rows = vec![
            row(&[("Campaign", "双十一 Double 11 - Display - zh_CN"), ("Campaign Type", "Display")]),
            row(&[("Campaign", "双十一 Double 11 - Display - zh_CN"), ("Ad Group", "夜猫子 (zh-CN)"), ("Headline 1", "限时抢购，立省30%")]),
        ];
        let bytes = encode(&rows);
        assert_eq!(&bytes[..2], &[0xFF, 0xFE], "BOM");
        let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let text = String::from_utf16(&units).unwrap();
        assert!(text.starts_with("Campaign\tCampaign Type\tAd Group\tHeadline 1\r\n"), "{text:?}");
        assert_eq!(text.matches("\r\n").count(), 3, "CRLF after every row");
        assert!(!text.replace("\r\n", "").contains('\n'));
        let back = decode(&bytes).unwrap();
        assert_eq!(back[2], vec!["双十一 Double 11 - Display - zh_CN", "", "夜猫子 (zh-CN)", "限时抢购，立省30%"]);
        assert_eq!(decode(b"Campaign\tAd Group\r\n"), None, "UTF-8 without BOM is not Editor's format");
    }

    #[test]
    fn tabs_newlines_quotes_and_original_suffixes_cannot_break_the_file() {
        let hostile = ["a\tb", "line\r\nbreak", "say \"hi\"", "\"", "Sale#Original", "=SUM(A1)", "x\n\tCampaign#Original"];
        let rows: Vec<Row> = hostile.iter().map(|h| row(&[("Campaign", h), ("Ad Group", h), ("Headline 1", "ok")])).collect();
        let back = decode(&encode(&rows)).unwrap();
        assert_eq!(back[0], vec!["Campaign", "Ad Group", "Headline 1"], "names are values, never headers");
        assert_eq!(back.len(), hostile.len() + 1, "one line per row");
        for (h, r) in hostile.iter().zip(&back[1..]) {
            assert_eq!(r.len(), 3, "{h:?}: {r:?}");
            assert_eq!(r[0], clean(h), "{h:?}");
            assert!(!r[0].contains(['\t', '\r', '\n']));
            assert_eq!(r[2], "ok");
        }
        assert_eq!(clean("say \"hi\""), "say \"hi\"", "quotes survive as text");
        assert_eq!(clean("a\tb"), "a b");
        assert_eq!(clean("=SUM(A1)"), "'=SUM(A1)");
    }
}
