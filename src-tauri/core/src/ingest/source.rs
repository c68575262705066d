//! Opening an input file as UTF-8 text: transparent gzip, BOM stripping, and GBK/GB18030
//! transcoding for Chinese exports. Counts compressed bytes read, for progress.
//!
//! Only regular files are opened ([`crate::input::open_regular`]: a device, FIFO, socket or
//! directory is refused by kind), and gzip is read as a stream whose expansion is bounded
//! ([`crate::input::Expansion`]: more than 100-fold past the first 64 MiB is refused as
//! `invalid_input`; real CSV exports expand 5–20-fold).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use encoding_rs::{Encoding, GB18030, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What the file turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Encoded {
    pub gzip: bool,
    /// `UTF-8` or `gb18030` (GB18030 is a superset of GBK and GB2312).
    pub encoding: String,
    pub bom: bool,
}

/// A reader that counts the bytes that pass through it (the on-disk bytes, for progress) and,
/// when asked, feeds them to a SHA-256 (the file's fingerprint, computed by whichever thread
/// reads the file instead of in a pass of its own).
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
    hash: Option<Arc<Mutex<Sha256>>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(h) = &self.hash {
            h.lock().unwrap_or_else(|p| p.into_inner()).update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The SHA-256 of a file being read through [`open_fingerprinted`]'s reader.
pub struct StreamedFingerprint {
    hash: Arc<Mutex<Sha256>>,
    count: Arc<AtomicU64>,
}

impl StreamedFingerprint {
    /// The file's SHA-256 as hex, once its reader is done with it: whatever the reader did
    /// not read (e.g. bytes after a gzip stream) is hashed from the file here.
    pub fn finish(self, path: &Path) -> io::Result<String> {
        let read = self.count.load(Ordering::Relaxed);
        let mut h = std::mem::take(&mut *self.hash.lock().unwrap_or_else(|p| p.into_inner()));
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(read))?;
        io::copy(&mut f, &mut h)?;
        Ok(hex::encode(h.finalize()))
    }
}

/// How many leading bytes are examined to choose the encoding.
const SNIFF: usize = 64 * 1024;

/// Open `path` as a stream of UTF-8 bytes without BOM. Returns the reader, what was found,
/// and a counter of raw bytes consumed.
pub fn open(path: &Path) -> io::Result<(Box<dyn BufRead + Send>, Encoded, Arc<AtomicU64>)> {
    open_with(path, None)
}

/// A file opened by [`open_fingerprinted`].
pub struct Fingerprinted {
    pub reader: Box<dyn BufRead + Send>,
    pub encoded: Encoded,
    /// Raw bytes consumed so far.
    pub consumed: Arc<AtomicU64>,
    pub fingerprint: StreamedFingerprint,
}

/// [`open`], also computing the file's SHA-256 as the reader goes.
pub fn open_fingerprinted(path: &Path) -> io::Result<Fingerprinted> {
    let hash = Arc::new(Mutex::new(Sha256::new()));
    let (reader, encoded, consumed) = open_with(path, Some(Arc::clone(&hash)))?;
    let fingerprint = StreamedFingerprint { hash, count: Arc::clone(&consumed) };
    Ok(Fingerprinted { reader, encoded, consumed, fingerprint })
}

fn open_with(path: &Path, hash: Option<Arc<Mutex<Sha256>>>) -> io::Result<(Box<dyn BufRead + Send>, Encoded, Arc<AtomicU64>)> {
    let count = Arc::new(AtomicU64::new(0));
    let mut magic = [0u8; 2];
    let (mut file, _) = crate::input::open_regular(path)?;
    let gzip = {
        let n = file.read(&mut magic)?;
        file.seek(SeekFrom::Start(0))?;
        n == 2 && magic == [0x1f, 0x8b]
    };
    let raw = Counting { inner: file, count: Arc::clone(&count), hash };
    // A gzip stream is decompressed as it is read, guarded against expanding more than
    // `input::MAX_EXPANSION`-fold over the compressed bytes read so far.
    let plain: Box<dyn Read + Send> = if gzip {
        let decoder = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, raw));
        Box::new(crate::input::Expansion::new(decoder, Arc::clone(&count)))
    } else {
        Box::new(raw)
    };
    let mut plain = BufReader::with_capacity(1 << 16, plain);
    let head = fill_head(&mut plain)?;
    let (encoding, bom) = choose(&head);
    let enc = Encoded { gzip, encoding: encoding.name().to_string(), bom };
    let reader: Box<dyn BufRead + Send> = if encoding == UTF_8 {
        if bom {
            plain.consume(3);
        }
        Box::new(plain)
    } else {
        let decoded = DecodeReaderBytesBuilder::new().encoding(Some(encoding)).bom_sniffing(false).build(plain);
        Box::new(BufReader::with_capacity(1 << 16, decoded))
    };
    Ok((reader, enc, count))
}

/// A copy of what the first buffer fill returned (up to 64 KiB; for a plain file, a full 64 KiB
/// unless the file is shorter). Nothing is consumed.
fn fill_head<R: Read>(r: &mut BufReader<R>) -> io::Result<Vec<u8>> {
    let mut head = r.fill_buf()?.to_vec();
    head.truncate(SNIFF);
    Ok(head)
}

/// UTF-8 (with or without BOM) if the head is valid UTF-8 (allowing a character cut at the end),
/// else GB18030 when that decodes the head without errors, else UTF-8 (bad rows get rejected).
pub fn choose(head: &[u8]) -> (&'static Encoding, bool) {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return (UTF_8, true);
    }
    match std::str::from_utf8(head) {
        Ok(_) => (UTF_8, false),
        Err(e) if e.error_len().is_none() => (UTF_8, false), // cut mid-character at the sniff edge
        Err(_) => {
            let (_, had_errors) = GB18030.decode_without_bom_handling(head);
            if had_errors {
                (UTF_8, false)
            } else {
                (GB18030, false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(path: &Path) -> (String, Encoded) {
        let (mut r, e, _) = open(path).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (s, e)
    }

    #[test]
    fn utf8_bom_gbk_and_gzip_all_read_as_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let text = "user,item,名称\n1,2,无线耳机\n";
        let plain = dir.path().join("a.csv");
        std::fs::write(&plain, text).unwrap();
        let bom = dir.path().join("b.csv");
        std::fs::write(&bom, [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
        let gbk = dir.path().join("c.csv");
        std::fs::write(&gbk, encoding_rs::GBK.encode(text).0.as_ref()).unwrap();
        let gz = dir.path().join("d.csv.gz");
        let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
        enc.write_all(encoding_rs::GBK.encode(text).0.as_ref()).unwrap();
        enc.finish().unwrap();

        assert_eq!(read_all(&plain), (text.to_string(), Encoded { gzip: false, encoding: "UTF-8".into(), bom: false }));
        assert_eq!(read_all(&bom), (text.to_string(), Encoded { gzip: false, encoding: "UTF-8".into(), bom: true }));
        assert_eq!(read_all(&gbk), (text.to_string(), Encoded { gzip: false, encoding: "gb18030".into(), bom: false }));
        assert_eq!(read_all(&gz), (text.to_string(), Encoded { gzip: true, encoding: "gb18030".into(), bom: false }));
    }

    #[test]
    fn binary_garbage_stays_utf8_so_rows_get_rejected_not_mangled() {
        assert_eq!(choose(&[0xff, 0xfe, 0x00, 0x81, 0xff]).0, UTF_8);
    }
}
