//! Opening user-named input files and reading them in bounded memory, for every reader of the
//! core that takes a file from the user (behaviour imports and their preview, OPE logs and
//! policies, performance reports).
//!
//! * [`open_regular`] refuses anything but a regular file **by kind, before reading**: a
//!   directory, a character or block device (`/dev/zero`), a FIFO or a socket would otherwise
//!   block or never end.
//! * [`lines::LineLimit`] passes a text stream through while replacing every line longer than a
//!   limit by a marker, skipping the long line without ever holding it (see its docs).
//! * [`Expansion`] guards a decompressing reader against a gzip stream that expands beyond
//!   [`MAX_EXPANSION`] × its compressed size.
//!
//! Refusals travel as `std::io::Error`s carrying an [`InputError`] (so they pass through the
//! csv crate and buffered readers unchanged); [`crate::error::io_code`] classifies them as
//! `invalid_input`, and each module's `Read { path, source }` error names the file.

pub mod lines;

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use thiserror::Error;

/// Why a bounded reader refused its input. Shown after "cannot read {path}: ".
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The path names a directory, device, FIFO or socket (`kind` says which).
    #[error("it is {kind}, not a regular file")]
    NotRegular { kind: &'static str },
    /// A record (e.g. a quoted CSV field spanning lines) grew past the limit without ending.
    #[error("a record starting on line {line} runs over {limit} bytes without ending (an unterminated quote?)")]
    RecordTooLong { line: u64, limit: u64 },
    /// A decompressed stream expanded too far (a "zip bomb").
    #[error("the gzip data expands more than {ratio}-fold ({decompressed} bytes from {compressed} compressed bytes so far; real CSV exports expand 5–20-fold), refused")]
    Expansion { ratio: u64, decompressed: u64, compressed: u64 },
    /// The file is larger than the reader accepts.
    #[error("it is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge { bytes: u64, limit: u64 },
    /// The file holds more rows than the reader accepts.
    #[error("it has more than {limit} data rows, over the limit; split it")]
    TooManyRows { limit: u64 },
}

impl InputError {
    /// The refusal carried by `e`, if it is one.
    pub fn of(e: &io::Error) -> Option<&InputError> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<InputError>())
    }
}

impl From<InputError> for io::Error {
    fn from(e: InputError) -> io::Error {
        let kind = match e {
            InputError::NotRegular { .. } => io::ErrorKind::InvalidInput,
            _ => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, e)
    }
}

/// What kind of non-regular file `t` is, or `None` for a regular file.
fn irregular_kind(t: &std::fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

/// The metadata of `path` (following symlinks) if it is a regular file. Nothing is opened, so
/// a FIFO cannot block the caller.
///
/// Errors: the OS error (e.g. `NotFound`), or [`InputError::NotRegular`] as an `io::Error`.
pub fn check_regular(path: &Path) -> io::Result<Metadata> {
    let meta = std::fs::metadata(path)?;
    match irregular_kind(&meta.file_type()) {
        None => Ok(meta),
        Some(kind) => Err(InputError::NotRegular { kind }.into()),
    }
}

/// Open `path` for reading if it is a regular file: checked by kind before opening (see
/// [`check_regular`]) and again on the opened handle (the path may have been swapped between).
///
/// Errors: as [`check_regular`], and the OS error of opening.
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    check_regular(path)?;
    let file = File::open(path)?;
    let meta = file.metadata()?;
    match irregular_kind(&meta.file_type()) {
        None => Ok((file, meta)),
        Some(kind) => Err(InputError::NotRegular { kind }.into()),
    }
}

/// Characters of a long text kept by [`excerpt`].
pub const EXCERPT_CHARS: usize = 120;

/// A bounded excerpt of a line of `total` bytes whose first bytes are `head`: its first
/// [`EXCERPT_CHARS`] characters (invalid UTF-8 replaced) and "… (N bytes)".
pub fn excerpt(head: &[u8], total: u64) -> String {
    let cut = &head[..head.len().min(EXCERPT_CHARS * 4)];
    let text: String = String::from_utf8_lossy(cut).chars().take(EXCERPT_CHARS).collect();
    format!("{text}… ({total} bytes)")
}

/// `text` itself when it has at most `max_chars` characters, else its [`excerpt`]: for
/// messages and stored text that may quote user data.
pub fn bounded(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max_chars || text.chars().nth(max_chars).is_none() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(excerpt(text.as_bytes(), text.len() as u64))
    }
}

/// Largest accepted ratio of decompressed to compressed bytes (see [`Expansion`]). Real CSV
/// and JSON Lines exports compress 5–20-fold; deflate's ceiling is about 1,030-fold, which
/// only data of long repeated runs reaches.
pub const MAX_EXPANSION: u64 = 100;
/// Decompressed bytes always allowed before the ratio is enforced (small files of repeated
/// rows can expand further than large ones).
pub const EXPANSION_FLOOR: u64 = 64 << 20;

/// A decompressing reader guarded by the compressed bytes read so far (`compressed`, counted
/// by the reader underneath): once the output exceeds max([`EXPANSION_FLOOR`],
/// [`MAX_EXPANSION`] × compressed), reads fail with [`InputError::Expansion`].
pub struct Expansion<R> {
    inner: R,
    compressed: Arc<AtomicU64>,
    out: u64,
}

impl<R> Expansion<R> {
    /// Guard `inner`, whose compressed input is counted in `compressed`.
    pub fn new(inner: R, compressed: Arc<AtomicU64>) -> Self {
        Expansion { inner, compressed, out: 0 }
    }
}

impl<R: Read> Read for Expansion<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > EXPANSION_FLOOR {
            let compressed = self.compressed.load(Ordering::Relaxed);
            if self.out > compressed.saturating_mul(MAX_EXPANSION) {
                return Err(InputError::Expansion { ratio: MAX_EXPANSION, decompressed: self.out, compressed }.into());
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_fifos_are_refused_by_kind() {
        let e = open_regular(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(InputError::of(&e), Some(&InputError::NotRegular { kind: "a character device" }));
        assert_eq!(crate::error::io_code(&e), crate::ErrorCode::InvalidInput);
        assert!(e.to_string().contains("character device, not a regular file"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = open_regular(dir.path()).unwrap_err();
        assert_eq!(InputError::of(&e), Some(&InputError::NotRegular { kind: "a directory" }));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe");
            assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
            let e = open_regular(&fifo).unwrap_err(); // would block forever if it were opened
            assert_eq!(InputError::of(&e), Some(&InputError::NotRegular { kind: "a FIFO (named pipe)" }));
        }
        let f = dir.path().join("f.csv");
        std::fs::write(&f, "a\n").unwrap();
        assert_eq!(open_regular(&f).unwrap().1.len(), 2);
        assert_eq!(crate::error::io_code(&open_regular(&dir.path().join("nope")).unwrap_err()), crate::ErrorCode::NotFound);
    }

    #[test]
    fn excerpts_are_bounded_and_name_the_length() {
        let long = "é".repeat(10_000);
        let e = excerpt(long.as_bytes(), long.len() as u64);
        assert_eq!(e, format!("{}… (20000 bytes)", "é".repeat(EXCERPT_CHARS)));
        assert_eq!(bounded("short", 10), "short");
        assert!(bounded(&long, 300).ends_with("… (20000 bytes)"));
    }

    #[test]
    fn a_gzip_bomb_is_refused_and_ordinary_gzip_passes() {
        use std::io::Write;
        let gz = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let read = |bytes: Vec<u8>| {
            let count = Arc::new(AtomicU64::new(0));
            let counted = Counted { inner: std::io::Cursor::new(bytes), count: Arc::clone(&count) };
            let mut r = Expansion::new(flate2::read::GzDecoder::new(std::io::BufReader::with_capacity(4096, counted)), count);
            io::copy(&mut r, &mut io::sink())
        };
        let bomb = gz(&vec![b'a'; (EXPANSION_FLOOR + (8 << 20)) as usize]);
        let e = read(bomb).unwrap_err();
        assert!(matches!(InputError::of(&e), Some(InputError::Expansion { ratio: MAX_EXPANSION, .. })), "{e}");
        // Text that compresses ~3-fold (as real exports do) passes.
        let mut text = Vec::new();
        let mut x = 12345u64;
        while text.len() < 1 << 20 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.extend_from_slice(format!("{},{}\n", x >> 40, x % 1000).as_bytes());
        }
        assert_eq!(read(gz(&text)).unwrap(), text.len() as u64);
    }

    struct Counted<R> {
        inner: R,
        count: Arc<AtomicU64>,
    }

    impl<R: Read> Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.count.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }
    }
}
