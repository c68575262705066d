//! The decision log's writer: an append-only, size-rotated log in a folder
//! (`decisions-000001.dsjson`, `…000002…`) whose disk I/O happens on a thread of its own.
//!
//! A rank only copies its line into memory ([`LogWriter::append`]); [`LogWriter::flush`] (the
//! service's flusher, every [`super::log::FLUSH_EVERY`]) hands what has gathered to the writer
//! thread, which writes it in order, rotates at line boundaries and fsyncs each file it closes.
//! So a slow disk (an fsync, a journal commit, dirty-page throttling) never holds the service's
//! lock. The channel is bounded: when the disk falls far behind, appends wait rather than
//! memory growing without end.
//!
//! Durability is as before: a `kill -9` loses what was not yet handed over and written (at
//! most about one flush interval plus the write in progress); [`LogWriter::sync`] (a clean
//! stop) waits until everything appended is written and fsynced; dropping the writer writes
//! what is left. A write error is kept and returned by the next append, flush or sync.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::log::files;
use super::DecisionError;

/// Memory gathered by appends after which an append hands it over itself (between flushes).
const HAND_OVER_BYTES: usize = 1 << 20;
/// A fresh chunk's capacity: room for a flush interval of lines at 10,000 ranks/s, so the
/// buffer is not re-grown (and copied) under the service's lock.
const CHUNK_CAPACITY: usize = HAND_OVER_BYTES + (64 << 10);
/// Chunks that may wait for the writer thread before appends wait for it.
const QUEUE: usize = 64;

/// What the writer thread is asked to do.
enum Job {
    Write(Vec<u8>),
    /// fsync the current file and answer (after every earlier write).
    Sync(SyncSender<()>),
}

/// The log of a service: lines in memory, handed to the writer thread.
pub struct LogWriter {
    pending: Vec<u8>,
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// The first error the writer thread met (then it stops writing).
    failed: Arc<Mutex<Option<DecisionError>>>,
    files: Arc<Mutex<Files>>,
}

/// The files side, owned by the writer thread (shared only to name the current file).
struct Files {
    dir: PathBuf,
    rotate_bytes: u64,
    index: u32,
    written: u64,
    out: File,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DecisionError + '_ {
    move |source| DecisionError::Io { path: path.display().to_string(), source }
}

impl LogWriter {
    /// Open `dir` (created if missing) and continue in a new file after the newest one; starts
    /// the writer thread.
    ///
    /// Errors: `Io` naming the folder or the file when it cannot be created.
    pub fn open(dir: &Path, rotate_bytes: u64) -> Result<LogWriter, DecisionError> {
        fs::create_dir_all(dir).map_err(io(dir))?;
        let index = files(dir)?.last().and_then(|p| p.file_stem()?.to_str()?.strip_prefix("decisions-")?.parse::<u32>().ok()).unwrap_or(0) + 1;
        let out = Files::create(dir, index)?;
        let files = Arc::new(Mutex::new(Files { dir: dir.to_path_buf(), rotate_bytes: rotate_bytes.max(1024), index, written: 0, out }));
        let failed = Arc::new(Mutex::new(None));
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let thread = {
            let (files, failed) = (Arc::clone(&files), Arc::clone(&failed));
            std::thread::Builder::new().name("decision-log".into()).spawn(move || run(&rx, &files, &failed)).map_err(io(dir))?
        };
        Ok(LogWriter { pending: Vec::with_capacity(CHUNK_CAPACITY), jobs: Some(tx), thread: Some(thread), failed, files })
    }

    /// The file being written.
    pub fn current(&self) -> PathBuf {
        lock(&self.files).current()
    }

    /// Append one line (in memory; see [`LogWriter::flush`]).
    ///
    /// Errors: the writer thread's first error, if it met one.
    pub fn append(&mut self, line: &str) -> Result<(), DecisionError> {
        self.append_with(|out| out.extend_from_slice(line.as_bytes()))
    }

    /// Append one line that `write` writes straight into the buffer (no newline; it is added).
    ///
    /// Errors: as [`LogWriter::append`].
    pub fn append_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), DecisionError> {
        self.check()?;
        write(&mut self.pending);
        self.pending.push(b'\n');
        if self.pending.len() >= HAND_OVER_BYTES {
            self.hand_over()?;
        }
        Ok(())
    }

    /// Hand the appended lines to the writer thread, which writes them to the OS at once
    /// (survives `kill -9` once written, not a power cut).
    pub fn flush(&mut self) -> Result<(), DecisionError> {
        self.check()?;
        self.hand_over()
    }

    /// Write everything appended and fsync it (a clean stop): returns when it is on disk.
    pub fn sync(&mut self) -> Result<(), DecisionError> {
        self.flush()?;
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Job::Sync(tx))?;
        // The thread answers after the fsync, or drops the answer on an error (kept in `failed`).
        let _ = rx.recv();
        self.check()
    }

    fn hand_over(&mut self) -> Result<(), DecisionError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK_CAPACITY));
        self.send(Job::Write(chunk))
    }

    fn send(&self, job: Job) -> Result<(), DecisionError> {
        match &self.jobs {
            Some(tx) if tx.send(job).is_ok() => Ok(()),
            _ => Err(self.check().err().unwrap_or_else(|| DecisionError::Io { path: self.current().display().to_string(), source: std::io::Error::other("the log's writer thread has stopped") })),
        }
    }

    /// The writer thread's error, once (later calls see the thread stopped).
    fn check(&self) -> Result<(), DecisionError> {
        lock(&self.failed).take().map_or(Ok(()), Err)
    }
}

impl Drop for LogWriter {
    /// Write what is left and let the thread finish (nothing appended is dropped silently).
    fn drop(&mut self) {
        let _ = self.hand_over();
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(e) = lock(&self.failed).take() {
            eprintln!("studio: decision log: {e}");
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The writer thread: write chunks in order; stop at the first error, keeping it.
fn run(jobs: &Receiver<Job>, files: &Mutex<Files>, failed: &Mutex<Option<DecisionError>>) {
    for job in jobs.iter() {
        let done = match job {
            Job::Write(bytes) => lock(files).write(&bytes),
            Job::Sync(answer) => lock(files).sync().map(|()| {
                let _ = answer.send(());
            }),
        };
        if let Err(e) = done {
            *lock(failed) = Some(e);
            return;
        }
    }
}

impl Files {
    fn create(dir: &Path, index: u32) -> Result<File, DecisionError> {
        let path = dir.join(format!("decisions-{index:06}.dsjson"));
        OpenOptions::new().create_new(true).append(true).open(&path).map_err(io(&path))
    }

    fn current(&self) -> PathBuf {
        self.dir.join(format!("decisions-{:06}.dsjson", self.index))
    }

    /// Write whole lines, rotating (fsync, next file) before a line that would overflow the
    /// file; a single line longer than the limit gets a file of its own.
    fn write(&mut self, mut bytes: &[u8]) -> Result<(), DecisionError> {
        while !bytes.is_empty() {
            let room = self.rotate_bytes.saturating_sub(self.written) as usize;
            let fits = if bytes.len() <= room { bytes.len() } else { bytes[..room].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) };
            let take = match fits {
                0 if self.written > 0 => {
                    self.rotate()?;
                    continue;
                }
                0 => bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| i + 1),
                n => n,
            };
            let path = self.current();
            self.out.write_all(&bytes[..take]).map_err(io(&path))?;
            self.written += take as u64;
            bytes = &bytes[take..];
        }
        Ok(())
    }

    fn rotate(&mut self) -> Result<(), DecisionError> {
        self.sync()?;
        self.index += 1;
        self.out = Self::create(&self.dir, self.index)?;
        self.written = 0;
        Ok(())
    }

    fn sync(&mut self) -> Result<(), DecisionError> {
        let path = self.current();
        self.out.sync_all().map_err(io(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(dir: &Path) -> Vec<Vec<String>> {
        files(dir).unwrap().iter().map(|p| fs::read_to_string(p).unwrap().lines().map(str::to_string).collect()).collect()
    }

    #[test]
    fn lines_stay_in_order_and_whole_across_rotations() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = LogWriter::open(dir.path(), 1024).unwrap();
        let line = |i: usize| format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(i % 90));
        for i in 0..300 {
            w.append(&line(i)).unwrap();
            if i % 37 == 0 {
                w.flush().unwrap();
            }
        }
        w.sync().unwrap();
        let per_file = lines_of(dir.path());
        assert!(per_file.len() > 5, "rotated: {} files", per_file.len());
        for f in files(dir.path()).unwrap() {
            assert!(fs::metadata(&f).unwrap().len() <= 1024, "{} over the limit", f.display());
        }
        let all: Vec<String> = per_file.concat();
        assert_eq!(all, (0..300).map(line).collect::<Vec<_>>(), "every line once, in order, none torn");
    }

    #[test]
    fn a_line_longer_than_a_file_gets_one_to_itself_and_drop_writes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut w = LogWriter::open(dir.path(), 1024).unwrap();
            w.append("short").unwrap();
            w.append(&"L".repeat(3000)).unwrap();
            w.append("after").unwrap();
        }
        assert_eq!(lines_of(dir.path()), vec![vec!["short".to_string()], vec!["L".repeat(3000)], vec!["after".to_string()]]);
        // A new writer continues after the newest file.
        let w = LogWriter::open(dir.path(), 1024).unwrap();
        assert!(w.current().ends_with("decisions-000004.dsjson"), "{}", w.current().display());
    }

    #[test]
    fn a_write_error_is_reported_by_the_next_call() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = LogWriter::open(dir.path(), 1024).unwrap();
        // The next rotation cannot create its file: the name is taken by a folder.
        fs::create_dir(dir.path().join("decisions-000002.dsjson")).unwrap();
        for i in 0..100 {
            w.append(&format!("line {i} {}", "y".repeat(40))).unwrap_or(());
        }
        let err = w.sync().expect_err("the rotation failed");
        assert!(matches!(err, DecisionError::Io { ref path, .. } if path.ends_with("decisions-000002.dsjson")), "{err:?}");
    }
}
