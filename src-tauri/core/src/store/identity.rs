//! The identity of an event for exact-duplicate detection (column `events.ident`, unique).
//! It lives in the store because the store's own migration v3 backfills it for existing
//! rows; the importer (module `ingest`) computes it for new ones. Data flows one way: the
//! store depends on nothing but the generic leaves.

/// The identity of an event for exact-duplicate detection: XXH3-64 over its fields, each
/// length-prefixed so that no two different field lists hash the same bytes. Stable across
/// versions and platforms (stored in the project).
pub fn identity(ts: i64, user: &str, product: &str, kind: &str, price_cents: Option<i64>, session: &str) -> i64 {
    identity_into(&mut Vec::new(), ts, user, product, kind, price_cents, session)
}

/// [`identity`], serialising into the caller's buffer.
pub fn identity_into(buf: &mut Vec<u8>, ts: i64, user: &str, product: &str, kind: &str, price_cents: Option<i64>, session: &str) -> i64 {
    buf.clear();
    buf.extend_from_slice(&ts.to_le_bytes());
    for s in [user, product, kind, session] {
        buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
        buf.extend_from_slice(s.as_bytes());
    }
    match price_cents {
        Some(p) => {
            buf.push(1);
            buf.extend_from_slice(&p.to_le_bytes());
        }
        None => buf.push(0),
    }
    xxhash_rust::xxh3::xxh3_64(buf) as i64
}
