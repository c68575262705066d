//! Reading a features file: Parquet (the `parquet` crate's record API, no Arrow) or CSV with a
//! header; a file, or a folder of part files as Spark writes them (`part-*.parquet` or
//! `part-*.csv`, read in name order; `_SUCCESS`, `.crc` and other dot/underscore files skipped).

use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use super::SparkError;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Num(f64),
    Int(i64),
}

impl Cell {
    /// The value as a number (text is parsed), `None` for NULL, empty or non-numeric text.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Null => None,
            Cell::Num(v) => Some(*v),
            Cell::Int(v) => Some(*v as f64),
            Cell::Text(t) => t.trim().parse().ok(),
        }
    }

    /// The value as text (an integer as its decimal digits), `None` for NULL or empty text.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Null => None,
            Cell::Text(t) if t.is_empty() => None,
            Cell::Text(t) => Some(t.clone()),
            Cell::Int(v) => Some(v.to_string()),
            Cell::Num(v) => Some(v.to_string()),
        }
    }
}

/// The files to read for `path`: itself, or a folder's data files in name order.
fn parts(path: &Path) -> Result<Vec<PathBuf>, SparkError> {
    let read_err = |source| SparkError::Read { path: path.display().to_string(), source };
    if !path.is_dir() {
        std::fs::metadata(path).map_err(read_err)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(read_err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('_') && !n.starts_with('.') && (n.ends_with(".parquet") || n.ends_with(".csv"))))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(SparkError::BadFile { file: path.display().to_string(), reason: "the folder holds no .parquet or .csv part file".into() });
    }
    Ok(files)
}

fn is_parquet(path: &Path) -> Result<bool, SparkError> {
    use std::io::Read;
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(|source| SparkError::Read { path: path.display().to_string(), source })?;
    let n = f.read(&mut magic).map_err(|source| SparkError::Read { path: path.display().to_string(), source })?;
    Ok(n == 4 && &magic == b"PAR1")
}

/// Read every row of `path` (file or folder): `header` gets the column names once per part
/// (parts must agree), `row` each row (1-based row number over all parts, cells in header
/// order). Stops at the first error either callback returns.
///
/// Errors: unreadable file, not Parquet nor CSV, parts with different columns, a callback's.
pub fn read(path: &Path, header: &mut dyn FnMut(&[String]) -> Result<(), SparkError>, row: &mut dyn FnMut(u64, Vec<Cell>) -> Result<(), SparkError>) -> Result<(), SparkError> {
    let mut first: Option<Vec<String>> = None;
    let mut n = 0u64;
    for part in parts(path)? {
        let name = part.display().to_string();
        let bad = |reason: String| SparkError::BadFile { file: name.clone(), reason };
        let mut check = |cols: Vec<String>| -> Result<(), SparkError> {
            match &first {
                Some(f) if *f != cols => Err(bad(format!("its columns ({}) differ from the first part's ({})", cols.join(", "), f.join(", ")))),
                Some(_) => Ok(()),
                None => {
                    header(&cols)?;
                    first = Some(cols);
                    Ok(())
                }
            }
        };
        if is_parquet(&part)? {
            let file = std::fs::File::open(&part).map_err(|source| SparkError::Read { path: name.clone(), source })?;
            let reader = SerializedFileReader::new(file).map_err(|e| bad(format!("not a readable Parquet file: {e}")))?;
            let fields = reader.metadata().file_metadata().schema_descr().root_schema().get_fields().to_vec();
            let scales: Vec<Option<i32>> = fields.iter().map(|f| decimal_scale(f)).collect();
            check(fields.iter().map(|f| f.name().to_string()).collect())?;
            for r in reader.get_row_iter(None).map_err(|e| bad(format!("cannot read its rows: {e}")))? {
                let r = r.map_err(|e| bad(format!("row {}: {e}", n + 1)))?;
                n += 1;
                row(n, r.get_column_iter().enumerate().map(|(i, (_, f))| cell(f, scales.get(i).copied().flatten())).collect())?;
            }
        } else {
            let file = std::fs::File::open(&part).map_err(|source| SparkError::Read { path: name.clone(), source })?;
            let mut rd = csv::ReaderBuilder::new().has_headers(true).from_reader(std::io::BufReader::new(file));
            let cols: Vec<String> = rd.headers().map_err(|e| bad(format!("not a CSV file with a header: {e}")))?.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
            check(cols)?;
            for rec in rd.records() {
                let rec = rec.map_err(|e| bad(format!("row {}: {e}", n + 1)))?;
                n += 1;
                row(n, rec.iter().map(|c| Cell::Text(c.to_string())).collect())?;
            }
        }
    }
    Ok(())
}

/// A Parquet DECIMAL: big-endian two's-complement unscaled digits over 10^scale (the record
/// API's text of a decimal is its unscaled integer, so it is computed here).
fn decimal(bytes: &[u8], scale: i32) -> Cell {
    if bytes.is_empty() || bytes.len() > 16 {
        return Cell::Null;
    }
    let fill = if bytes[0] & 0x80 != 0 { 0xff } else { 0 };
    let mut be = [fill; 16];
    be[16 - bytes.len()..].copy_from_slice(bytes);
    Cell::Num(i128::from_be_bytes(be) as f64 / 10f64.powi(scale))
}

/// The scale of a DECIMAL column (logical or converted type), `None` for any other column.
/// The record API hands an INT32/INT64-backed decimal over as its unscaled integer when the file
/// declares only the logical type, so [`cell`] scales those itself.
fn decimal_scale(t: &parquet::schema::types::Type) -> Option<i32> {
    use parquet::basic::{ConvertedType, LogicalType};
    if !t.is_primitive() {
        return None;
    }
    let info = t.get_basic_info();
    match info.logical_type_ref() {
        Some(LogicalType::Decimal(d)) => Some(d.scale),
        _ if info.converted_type() == ConvertedType::DECIMAL => Some(t.get_scale()),
        _ => None,
    }
}

fn cell(f: &Field, decimal_scale: Option<i32>) -> Cell {
    match (f, decimal_scale) {
        (Field::Int(v), Some(s)) => return Cell::Num(f64::from(*v) / 10f64.powi(s)),
        (Field::Long(v), Some(s)) => return Cell::Num(*v as f64 / 10f64.powi(s)),
        _ => {}
    }
    match f {
        Field::Null => Cell::Null,
        Field::Bool(b) => Cell::Int(i64::from(*b)),
        Field::Byte(v) => Cell::Int(i64::from(*v)),
        Field::Short(v) => Cell::Int(i64::from(*v)),
        Field::Int(v) => Cell::Int(i64::from(*v)),
        Field::Long(v) => Cell::Int(*v),
        Field::UByte(v) => Cell::Int(i64::from(*v)),
        Field::UShort(v) => Cell::Int(i64::from(*v)),
        Field::UInt(v) => Cell::Int(i64::from(*v)),
        Field::ULong(v) => Cell::Num(*v as f64),
        Field::Float(v) => Cell::Num(f64::from(*v)),
        Field::Double(v) => Cell::Num(*v),
        Field::Str(s) => Cell::Text(s.clone()),
        Field::Decimal(d) => decimal(d.data(), d.scale()),
        // Dates, bytes, groups: as their text, which number() parses where it can.
        other => Cell::Text(other.to_string()),
    }
}
