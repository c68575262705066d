//! The real-world samples in `fixtures/data/` (see fixtures/README.md) are stored gzipped. The
//! studio's importer reads `.gz` itself, but tests that read the bytes, `studio ope` and obp
//! want plain CSV: [`plain`] decompresses a sample once per process into cargo's scratch dir
//! for tests and benches. Shared by the integration tests and `tests/bench/ope.rs`.

use std::path::PathBuf;
use std::sync::Mutex;

/// Plain-text copy of `fixtures/data/{rel}.gz` (e.g. `rees46/2019-Oct-head.csv`), keeping the
/// sample's file name: `$CARGO_TARGET_TMPDIR/fixture-data/{rel}`. Decompressed the first time a
/// process asks for it (through a temp file renamed into place, so concurrent test processes
/// never see half a file) and treated as read-only afterwards. Panics when the fixture is
/// missing or not valid gzip: the repository itself is broken then.
pub fn plain(rel: &str) -> PathBuf {
    static DONE: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let dest = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixture-data").join(rel);
    // Held while decompressing, so parallel tests wait for the copy instead of racing it.
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if done.iter().any(|d| d == rel) {
        return dest;
    }
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/data").join(format!("{rel}.gz"));
    let file = std::fs::File::open(&src).unwrap_or_else(|e| panic!("fixture {}: {e}", src.display()));
    std::fs::create_dir_all(dest.parent().expect("a file name")).expect("scratch dir");
    let tmp = dest.with_extension(format!("part{}", std::process::id()));
    let mut out = std::fs::File::create(&tmp).unwrap_or_else(|e| panic!("{}: {e}", tmp.display()));
    std::io::copy(&mut flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file)), &mut out).unwrap_or_else(|e| panic!("decompress {}: {e}", src.display()));
    drop(out);
    std::fs::rename(&tmp, &dest).unwrap_or_else(|e| panic!("{} -> {}: {e}", tmp.display(), dest.display()));
    done.push(rel.to_string());
    dest
}
