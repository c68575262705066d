//! Migrations 9–13: simulation runs (issue 6), roles and review, the manager dashboard (issue
//! 7), the partial identity index (issue 3's import speed), and the end of the one-shot
//! simulation's table (issue 18). Released migrations are never edited.

/// v9: simulation runs of issue 6 (the old `sim_runs` table stays for the one-shot simulation):
/// parameters (model + policy, JSON), status, the exact checkpoint (JSON) to re-open or resume
/// a run, headline totals for listing and comparing runs, and chart aggregates per point.
pub(super) const V9: &str = r#"
CREATE TABLE simulation_runs (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    name           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('running','paused','stopped','done')),
    policy         TEXT NOT NULL,
    seed           INTEGER NOT NULL,
    planned        INTEGER NOT NULL,
    served         INTEGER NOT NULL DEFAULT 0,
    clicks         INTEGER NOT NULL DEFAULT 0,
    uniform_clicks INTEGER NOT NULL DEFAULT 0,
    regret         REAL NOT NULL DEFAULT 0,
    params         TEXT NOT NULL,
    checkpoint     TEXT NOT NULL
);
CREATE INDEX simulation_runs_campaign ON simulation_runs(campaign_id);
CREATE TABLE simulation_points (
    run_id         INTEGER NOT NULL REFERENCES simulation_runs(id) ON DELETE CASCADE,
    impressions    INTEGER NOT NULL,
    clicks         INTEGER NOT NULL,
    uniform_clicks INTEGER NOT NULL,
    regret         REAL NOT NULL,
    uniform_regret REAL NOT NULL,
    PRIMARY KEY (run_id, impressions)
) WITHOUT ROWID;
"#;

/// v10: roles and review (issue 7). Local profiles with one role each; variants get a review
/// state (`draft → in_review → approved | changes_requested`) beside the old `status`, which
/// stays `'approved'` exactly when the review state is (a trigger refuses any row where the two
/// disagree, so old readers of `status` stay right); comments per variant; approvals remember
/// the reviewer's profile and any override reason; audit rows remember the actor's profile.
/// The audit log stays append-only: v1's triggers refuse UPDATE and DELETE, and a new one
/// refuses an INSERT that reuses an id (`INSERT OR REPLACE` deletes without firing delete
/// triggers).
pub(super) const V10: &str = r#"
ALTER TABLE variants ADD COLUMN review_state TEXT NOT NULL DEFAULT 'draft'
    CHECK (review_state = 'draft' OR review_state = 'in_review' OR review_state = 'approved' OR review_state = 'changes_requested');
UPDATE variants SET review_state = status;
CREATE TRIGGER variants_review_state_insert BEFORE INSERT ON variants
WHEN (NEW.review_state = 'approved') <> (NEW.status = 'approved')
BEGIN SELECT RAISE(ABORT, 'variants.status and variants.review_state disagree'); END;
CREATE TRIGGER variants_review_state_update BEFORE UPDATE OF status, review_state ON variants
WHEN (NEW.review_state = 'approved') <> (NEW.status = 'approved')
BEGIN SELECT RAISE(ABORT, 'variants.status and variants.review_state disagree'); END;
CREATE TABLE profiles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role       TEXT NOT NULL CHECK (role = 'marketer' OR role = 'reviewer' OR role = 'manager' OR role = 'admin'),
    created_at TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1)
);
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    profile_id INTEGER NOT NULL REFERENCES profiles(id),
    author     TEXT NOT NULL,
    role       TEXT NOT NULL,
    at         TEXT NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX comments_variant ON comments(variant_id);
ALTER TABLE approvals ADD COLUMN profile_id INTEGER REFERENCES profiles(id);
ALTER TABLE approvals ADD COLUMN override_reason TEXT;
ALTER TABLE audit_log ADD COLUMN profile_id INTEGER;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"#;

/// v11: the manager dashboard (issue 7). Real performance reports imported per campaign (one
/// row per file, unique by SHA-256 within the campaign so a re-import changes nothing) and
/// their rows per variant (clicks ≤ impressions, conversions ≤ clicks); off-policy estimates
/// stored for a campaign (`value`/`low`/`high` NULL where the estimator is undefined).
pub(super) const V11: &str = r#"
CREATE TABLE performance_reports (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    imported_at   TEXT NOT NULL,
    UNIQUE (campaign_id, sha256)
);
CREATE TABLE performance_rows (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES performance_reports(id) ON DELETE CASCADE,
    variant_id  INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    impressions INTEGER NOT NULL CHECK (impressions >= 0),
    clicks      INTEGER NOT NULL CHECK (clicks >= 0 AND clicks <= impressions),
    conversions INTEGER NOT NULL CHECK (conversions >= 0 AND conversions <= clicks),
    date        TEXT,
    cost        REAL CHECK (cost IS NULL OR cost >= 0)
);
CREATE INDEX performance_rows_variant ON performance_rows(variant_id);
CREATE TABLE ope_results (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    logs_path   TEXT NOT NULL,
    policy      TEXT NOT NULL,
    estimator   TEXT NOT NULL,
    value       REAL,
    low         REAL,
    high        REAL,
    n           INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ope_results_campaign ON ope_results(campaign_id);
"#;

/// v12: the identity index leaves out events stored without an identity (hash collisions, and
/// rows a bulk import is still settling). NULLs never conflicted, so uniqueness is unchanged;
/// but one NULL key made SQLite's sorter compare every key of a rebuild as a generic record
/// instead of as an integer, which tripled the cost of the bulk import's index rebuild.
pub(super) const V12: &str = r#"
DROP INDEX events_ident;
CREATE UNIQUE INDEX events_ident ON events(ident) WHERE ident IS NOT NULL;
"#;

/// v13: drop `sim_runs`, the table of the original one-shot simulation (v1). It only held
/// simulated results of runs that served a fixed, made-up truth; nothing reads it any more:
/// `studio demo` and the app store their runs in `simulation_runs` (v9), and the export's
/// simulated CTR comes from there. No real (non-simulated) figure is lost.
pub(super) const V13: &str = r#"
DROP TABLE sim_runs;
"#;

/// v14: what backs a campaign's claims (issue 14): the promotion the marketer entered (JSON
/// `{"kind":{"percent":15},"starts":"2026-11-01","ends":"2026-11-11","products":[]}`, NULL for
/// none: no price claims) and the novelty window in days. Campaigns made before have neither,
/// so their invented discounts no longer pass the compliance gate.
pub(super) const V14: &str = r#"
ALTER TABLE campaigns ADD COLUMN promotion TEXT;
ALTER TABLE campaigns ADD COLUMN new_within_days INTEGER NOT NULL DEFAULT 30 CHECK (new_within_days BETWEEN 1 AND 365);
"#;

/// v16: a rejected line's reason as a message key with its parameters (JSON object), so the
/// window can show it in the user's language; NULL for lines rejected before (their English
/// `reason` stays). Additive.
pub(super) const V16: &str = r#"
ALTER TABLE import_errors ADD COLUMN reason_key TEXT;
ALTER TABLE import_errors ADD COLUMN reason_params TEXT;
"#;

/// v15: a performance row may count for a period (a Meta Ads Manager row: `Reporting starts`
/// to `Reporting ends`): `date` is its first day, `date_end` its last (NULL for a single day or
/// an undated row, as every row stored before). Additive: no row changes.
pub(super) const V15: &str = r#"
ALTER TABLE performance_rows ADD COLUMN date_end TEXT CHECK (date_end IS NULL OR (date IS NOT NULL AND date_end > date));
"#;
