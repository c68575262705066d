//! Schema migrations, oldest first. Additive only: a released migration is never edited.

use rusqlite::Transaction;
use rusqlite_migration::{HookResult, M};

mod later;
use later::{V10, V11, V12, V13, V14, V15, V16, V9};

/// Every migration in order.
pub(super) fn all() -> Vec<M<'static>> {
    vec![
        M::up(V1),
        M::up(V2),
        M::up_with_hook(V3, backfill_ident),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
        M::up(V8),
        M::up(V9),
        M::up(V10),
        M::up(V11),
        M::up(V12),
        M::up(V13),
        M::up(V14),
        M::up(V15),
        M::up(V16),
    ]
}

/// v1: the walking skeleton's tables, one per stage of the loop.
const V1: &str = r#"
CREATE TABLE imports (
    id             INTEGER PRIMARY KEY,
    file_name      TEXT NOT NULL,
    fingerprint    TEXT NOT NULL UNIQUE,
    format         TEXT NOT NULL,
    rows_read      INTEGER NOT NULL,
    rows_imported  INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    imported_at    TEXT NOT NULL
);
CREATE TABLE import_errors (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    raw       TEXT NOT NULL
);
CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    name_en     TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    category    TEXT NOT NULL,
    brand       TEXT NOT NULL DEFAULT '',
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    currency    TEXT NOT NULL DEFAULT 'USD'
);
CREATE INDEX products_category ON products(category);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    user_id     TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('view','cart','fav','purchase','other')),
    price_cents INTEGER,
    session     TEXT NOT NULL DEFAULT '',
    import_id   INTEGER NOT NULL REFERENCES imports(id)
);
-- Exact duplicate events are the same (time, user, product, kind, price, session).
CREATE UNIQUE INDEX events_identity ON events(ts, user_id, product_id, kind, price_cents, session);
CREATE INDEX events_user ON events(user_id);
CREATE TABLE segment_models (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    k            INTEGER NOT NULL,
    seed         INTEGER NOT NULL,
    users        INTEGER NOT NULL,
    inertia      REAL NOT NULL,
    feature_spec TEXT NOT NULL
);
CREATE TABLE user_features (
    model_id INTEGER NOT NULL REFERENCES segment_models(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL,
    features TEXT NOT NULL,
    PRIMARY KEY (model_id, user_id)
);
CREATE TABLE segments (
    id       INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES segment_models(id) ON DELETE CASCADE,
    label    INTEGER NOT NULL,
    name_en  TEXT NOT NULL,
    name_zh  TEXT NOT NULL,
    size     INTEGER NOT NULL,
    profile  TEXT NOT NULL,
    UNIQUE (model_id, label)
);
CREATE TABLE user_segments (
    model_id   INTEGER NOT NULL REFERENCES segment_models(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    PRIMARY KEY (model_id, user_id)
);
CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    seed       INTEGER NOT NULL,
    model_id   INTEGER NOT NULL REFERENCES segment_models(id),
    created_at TEXT NOT NULL
);
CREATE TABLE variants (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    segment_id   INTEGER NOT NULL REFERENCES segments(id),
    product_id   TEXT NOT NULL REFERENCES products(id),
    lang         TEXT NOT NULL,
    headline     TEXT NOT NULL,
    description  TEXT NOT NULL,
    cta          TEXT NOT NULL,
    reasons      TEXT NOT NULL,
    layout       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved')),
    created_at   TEXT NOT NULL
);
CREATE TABLE renders (
    id         INTEGER PRIMARY KEY,
    variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    placement  TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    png        BLOB NOT NULL,
    sha256     TEXT NOT NULL,
    UNIQUE (variant_id, placement)
);
CREATE TABLE sim_runs (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    impressions INTEGER NOT NULL,
    policy      TEXT NOT NULL,
    params      TEXT NOT NULL,
    result      TEXT NOT NULL
);
CREATE TABLE approvals (
    id           INTEGER PRIMARY KEY,
    variant_id   INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    reviewer     TEXT NOT NULL,
    approved_at  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    before_hash TEXT,
    after_hash  TEXT,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE exports (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    out_dir     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    files       INTEGER NOT NULL,
    manifest    TEXT NOT NULL
);
"#;

/// v2: production import — raw source values, rejected column names, import notes and
/// encodings, catalog image references, per-project metadata (pseudonym key) and remembered
/// column mappings per file signature.
const V2: &str = r#"
ALTER TABLE events ADD COLUMN raw TEXT;
ALTER TABLE import_errors ADD COLUMN column_name TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE imports ADD COLUMN encoding TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN image TEXT;
CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE import_mappings (
    signature  TEXT PRIMARY KEY,
    format     TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"#;

/// v3: dedup by a 64-bit identity hash instead of a six-column text index. Bulk import keeps
/// one integer B-tree hot instead of two wide ones (`events_user` goes too: every reader scans
/// events whole or joins through `user_segments`' primary key). Indexes only: no data changes.
const V3: &str = r#"
DROP INDEX events_identity;
DROP INDEX events_user;
ALTER TABLE events ADD COLUMN ident INTEGER;
"#;

/// v4: the same `events` table with its kind check written as comparisons. SQLite evaluates
/// `kind IN ('view', …)` in a CHECK by building a temporary B-tree for the list on every
/// INSERT, which cost about 2 µs per imported row — more than the insert itself. Same columns,
/// same rows and ids, same rule; the table is copied once.
const V4: &str = r#"
CREATE TABLE events_v4 (
    id          INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    user_id     TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind = 'view' OR kind = 'cart' OR kind = 'fav' OR kind = 'purchase' OR kind = 'other'),
    price_cents INTEGER,
    session     TEXT NOT NULL DEFAULT '',
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    raw         TEXT,
    ident       INTEGER
);
INSERT INTO events_v4(id, ts, user_id, product_id, kind, price_cents, session, import_id, raw, ident)
    SELECT id, ts, user_id, product_id, kind, price_cents, session, import_id, raw, ident FROM events;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;
CREATE UNIQUE INDEX events_ident ON events(ident);
"#;

/// v5: interest prediction — one model per training run (its held-out report as JSON) and each
/// user's top three predicted categories; the silhouette of every k tried, per segment model.
const V5: &str = r#"
ALTER TABLE segment_models ADD COLUMN silhouette TEXT NOT NULL DEFAULT '[]';
CREATE TABLE interest_models (
    id               INTEGER PRIMARY KEY,
    segment_model_id INTEGER NOT NULL REFERENCES segment_models(id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL,
    report           TEXT NOT NULL
);
CREATE TABLE user_interests (
    model_id    INTEGER NOT NULL REFERENCES interest_models(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    category    TEXT NOT NULL,
    probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
    PRIMARY KEY (model_id, user_id, rank)
);
CREATE INDEX user_interests_user ON user_interests(user_id);
"#;

/// v6: real-time assignment — each segment model's featurizer (spec, scale, category price
/// levels) and its final segments' centroids; each interest model's serving coefficients.
const V6: &str = r#"
ALTER TABLE segment_models ADD COLUMN featurizer TEXT NOT NULL DEFAULT '';
ALTER TABLE segment_models ADD COLUMN centroids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE interest_models ADD COLUMN coefficients TEXT NOT NULL DEFAULT '[]';
"#;

/// Fill `ident` for events stored before v3, then index it.
fn backfill_ident(tx: &Transaction) -> HookResult {
    {
        let mut read = tx.prepare("SELECT id, ts, user_id, product_id, kind, price_cents, session FROM events")?;
        let mut write = tx.prepare("UPDATE events SET ident = ?1 WHERE id = ?2")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(4)?;
            let ident = crate::store::identity::identity(r.get(1)?, &r.get::<_, String>(2)?, &r.get::<_, String>(3)?, &kind, r.get(5)?, &r.get::<_, String>(6)?);
            write.execute(rusqlite::params![ident, r.get::<_, i64>(0)?])?;
        }
    }
    tx.execute_batch("CREATE UNIQUE INDEX events_ident ON events(ident);")?;
    Ok(())
}

/// v7: a cheap probe of each imported file (size and XXH3 of its first MiB), so that an import
/// hashes the whole file up front only when the probe says it may have been imported before.
const V7: &str = r#"
ALTER TABLE imports ADD COLUMN probe TEXT;
"#;

/// v8: campaigns as issue 5 specifies them (goal, languages, placements, tone, landing page,
/// business name, brand kit, product filter, copy sets per segment); variants carry a whole
/// copy set (long headline, primary text, angle, keywords) and an editable layered design;
/// renders hold any image format (PNG or JPEG) with its byte budget and contrast checks.
const V8: &str = r#"
ALTER TABLE campaigns ADD COLUMN goal TEXT NOT NULL DEFAULT 'clicks';
ALTER TABLE campaigns ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE campaigns ADD COLUMN placements TEXT NOT NULL DEFAULT '["google-rda-landscape"]';
ALTER TABLE campaigns ADD COLUMN tone TEXT NOT NULL DEFAULT 'informative';
ALTER TABLE campaigns ADD COLUMN landing_url TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN business_name TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN brand_kit TEXT NOT NULL DEFAULT '{}';
ALTER TABLE campaigns ADD COLUMN products TEXT NOT NULL DEFAULT '{}';
ALTER TABLE campaigns ADD COLUMN variants_per_segment INTEGER NOT NULL DEFAULT 1;
ALTER TABLE variants ADD COLUMN set_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE variants ADD COLUMN long_headline TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN primary_text TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN angle TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';
ALTER TABLE variants ADD COLUMN regenerations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE variants ADD COLUMN updated_at TEXT;
ALTER TABLE renders RENAME COLUMN png TO image;
ALTER TABLE renders ADD COLUMN format TEXT NOT NULL DEFAULT 'png';
ALTER TABLE renders ADD COLUMN quality INTEGER;
ALTER TABLE renders ADD COLUMN max_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE renders ADD COLUMN within_budget INTEGER NOT NULL DEFAULT 1;
ALTER TABLE renders ADD COLUMN contrast TEXT NOT NULL DEFAULT '[]';
UPDATE renders SET placement = 'google-rda-landscape' WHERE placement = 'landscape';
UPDATE campaigns SET languages = json_array(lang) WHERE languages = '[]';
"#;
