//! Parsing on a second thread: records are split, decoded and normalised in batches while
//! the calling thread writes the previous batch to SQLite. On a 2-core machine this overlaps
//! the two halves of an import instead of running them one after the other.

use std::io::BufRead;
use std::sync::mpsc::sync_channel;

use super::formats::{FieldError, Format, Parsed};
use super::records::{self, Layout, Next};
use super::IngestError;

/// Records per batch handed from the parser to the writer.
pub const BATCH: usize = 2048;

/// One parsed record, owned.
pub struct Item {
    pub line: u64,
    pub outcome: Result<Parsed, FieldError>,
    /// The line's text, kept only for rejected records.
    pub raw: Option<String>,
}

/// Parse `reader` on a scoped thread and call `write` with each batch, in order, on this
/// thread. `write` returning `false` stops the parser (cancel). I/O errors of the parser come
/// back as `IngestError::Read` with an empty path (the caller fills it in).
pub fn run<E>(
    reader: Box<dyn BufRead + Send>,
    layout: Layout,
    format: &Format,
    mut write: impl FnMut(Vec<Item>) -> Result<bool, E>,
) -> Result<(), E>
where
    E: From<IngestError>,
{
    let has_header = format.has_header();
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<Item>>(4);
        let parser = scope.spawn(move || -> Result<(), IngestError> {
            let mut batch = Vec::with_capacity(BATCH);
            records::for_each::<_, IngestError>(reader, layout, has_header, &mut |_| Ok(()), &mut |r| {
                let outcome = match r.fields {
                    Err(reason) => Err(FieldError::new("*", reason.to_string())),
                    Ok(f) => format.parse(f),
                };
                let raw = outcome.is_err().then(|| r.raw.to_string());
                batch.push(Item { line: r.line, outcome, raw });
                if batch.len() == BATCH && tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                    return Ok(Next::Stop); // the writer stopped: cancel or error
                }
                Ok(Next::Continue)
            })?;
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            Ok(())
        });
        let mut outcome: Result<(), E> = Ok(());
        for batch in rx.iter() {
            match write(batch) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        drop(rx);
        let parsed = parser.join().unwrap_or_else(|_| Err(IngestError::Read { path: String::new(), source: std::io::Error::other("parser thread panicked") }));
        outcome?;
        parsed.map_err(E::from)
    })
}
