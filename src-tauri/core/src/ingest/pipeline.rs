//! Parsing on a second thread: records are split, decoded and normalised in batches while
//! the calling thread writes the previous batch to SQLite. On a 2-core machine this overlaps
//! the two halves of an import instead of running them one after the other.
//!
//! Everything that does not need the database happens on the parser thread — the privacy
//! rules, the event identity hash, building each product's stub row once — and written
//! batches go back to it to be dropped and reused, so the writer thread only binds and steps
//! statements.

use std::io::BufRead;
use std::sync::mpsc::{channel, sync_channel};

use super::dedup::Bloom;
use super::formats::{FieldError, Format, Parsed, Stubs};
use super::privacy::Pseudonymiser;
use super::records::{self, Layout, Next};
use super::writer::identity_into;
use super::{IngestError, MAX_REASON_CHARS};

/// Records per batch handed from the parser to the writer.
pub const BATCH: usize = 2048;

/// One parsed record, owned.
pub struct Item {
    pub line: u64,
    pub outcome: Result<Parsed, FieldError>,
    /// The line's text, kept only for rejected records.
    pub raw: Option<String>,
    /// The event's identity ([`super::writer::identity`]) after the privacy rules; 0 without event.
    pub ident: i64,
    /// The duplicate filter's answer for `ident`: certainly not seen before in this import or
    /// the project (`false` when there is no filter).
    pub certainly_new: bool,
}

/// Parse `reader` on a scoped thread (lines over `max_record` bytes are rejected records, see
/// [`records::for_each_limited`]), applying `privacy` to event ids and to the stored text of
/// rejected records ([`super::privacy::Pseudonymiser::rejected`]) and `filter` (if any)
/// to their identities, and call `write` with
/// each batch, in order, on this thread. `write` returning `false` stops the parser (cancel).
/// I/O errors of the parser come back as `IngestError::Read` with an empty path (the caller
/// fills it in).
pub fn run<E>(
    reader: Box<dyn BufRead + Send>,
    layout: Layout,
    max_record: usize,
    format: &Format,
    mut privacy: Pseudonymiser,
    mut filter: Option<Bloom>,
    mut write: impl FnMut(&[Item]) -> Result<bool, E>,
) -> Result<(), E>
where
    E: From<IngestError>,
{
    let has_header = format.has_header();
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<Item>>(4);
        let (done_tx, done_rx) = channel::<Vec<Item>>();
        let parser = scope.spawn(move || -> Result<(), IngestError> {
            let mut batch = Vec::with_capacity(BATCH);
            let mut stubs = Stubs::once_per_id();
            let mut ident_buf = Vec::with_capacity(128);
            let user_column = format.user_column();
            records::for_each_limited::<_, IngestError>(reader, layout, has_header, max_record, &mut |_| Ok(()), &mut |r| {
                let mut outcome = match &r.fields {
                    Err(reason) => Err(FieldError::new("*", reason.to_string(), "row.unreadable", [("detail", reason.to_string())])),
                    Ok(f) => format.parse_with(f, &mut stubs),
                };
                let raw = match &mut outcome {
                    Err(e) => {
                        if let std::borrow::Cow::Owned(short) = crate::input::bounded(&e.reason, MAX_REASON_CHARS) {
                            e.reason = short;
                        }
                        Some(privacy.rejected(&r, user_column, &mut e.reason))
                    }
                    Ok(_) => None,
                };
                let mut ident = 0;
                if let Ok(Parsed { event: Some(e), .. }) = &mut outcome {
                    e.user = privacy.user(std::mem::take(&mut e.user));
                    e.session = privacy.session(std::mem::take(&mut e.session));
                    ident = identity_into(&mut ident_buf, e.ts, &e.user, &e.product, e.kind.as_str(), e.price_cents, &e.session);
                }
                batch.push(Item { line: r.line, outcome, raw, ident, certainly_new: false });
                if batch.len() == BATCH {
                    run_filter(filter.as_mut(), &mut batch);
                    // Reuse a written batch; its items are dropped here, not on the writer thread.
                    let next = done_rx
                        .try_recv()
                        .map(|mut b| {
                            b.clear();
                            b
                        })
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    if tx.send(std::mem::replace(&mut batch, next)).is_err() {
                        return Ok(Next::Stop); // the writer stopped: cancel or error
                    }
                }
                Ok(Next::Continue)
            })?;
            if !batch.is_empty() {
                run_filter(filter.as_mut(), &mut batch);
                let _ = tx.send(batch);
            }
            Ok(())
        });
        let mut outcome: Result<(), E> = Ok(());
        for batch in rx.iter() {
            let written = write(&batch);
            let _ = done_tx.send(batch);
            match written {
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

/// Answer the duplicate filter for every event of `batch`, in order: prefetch all their
/// blocks first, then probe (see [`Bloom::prefetch`]).
fn run_filter(filter: Option<&mut Bloom>, batch: &mut [Item]) {
    let Some(f) = filter else { return };
    let has_event = |it: &Item| matches!(&it.outcome, Ok(Parsed { event: Some(_), .. }));
    for it in batch.iter().filter(|it| has_event(it)) {
        f.prefetch(it.ident);
    }
    for it in batch.iter_mut().filter(|it| has_event(it)) {
        it.certainly_new = !f.insert(it.ident);
    }
}
