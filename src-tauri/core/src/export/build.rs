//! Building an export in memory: the bundle, every platform file, the check of each file's
//! columns/fields against the platform's reference format, and the manifest.

use super::{audiences, collect, google, manifest, meta, reference, validate, ExportError, FileKind, FormatCheck, Problem, Rule, Severity, ValidExportParams, DEFAULT_DAILY_BUDGET};
use crate::placements::Platform;
use crate::store::Project;

/// Everything an export writes, built and validated in memory.
pub(super) struct Built {
    pub bundle: collect::Bundle,
    pub texts: Vec<manifest::TextFile>,
    pub manifest: Vec<u8>,
    pub simulated: bool,
    pub problems: Vec<Problem>,
    pub formats: Vec<FormatCheck>,
}

/// Collect, build every platform file, check each against its reference format, and build
/// the manifest. Errors: those of [`collect::collect`].
pub(super) fn build(project: &Project, params: &ValidExportParams) -> Result<Built, ExportError> {
    let (bundle, mut problems) = collect::collect(project, params)?;
    problems.extend(validate::images(&bundle));
    let mut texts = Vec::new();
    let mut formats = Vec::new();
    if bundle.has(Platform::Google) {
        let budget = params.daily_budget.unwrap_or_else(|| {
            problems.push(
                Problem::new(
                    Severity::Warning,
                    Rule::DefaultBudget,
                    format!("no daily budget given: the Google campaigns get {DEFAULT_DAILY_BUDGET:.2} a day (they are paused); pass the real one (--daily-budget)"),
                )
                .platform(Platform::Google)
                .file(google::TSV)
                .field("Budget"),
            );
            DEFAULT_DAILY_BUDGET
        });
        if let Some(f) = google::build(&bundle, budget, &mut problems) {
            let header = google::tsv::decode(&f.bytes).and_then(|rows| rows.into_iter().next()).unwrap_or_default();
            let unknown: Vec<String> = reference::google_drift(&header).into_iter().map(|c| format!("{}: {c}", google::TSV)).collect();
            formats.push(FormatCheck { platform: Platform::Google, reference: "fixtures/reference/google-ads-editor (column lists)".into(), checked: header.len() as u32, unknown });
            texts.push(manifest::TextFile { name: google::TSV.into(), kind: FileKind::GoogleAdsEditorTsv, bytes: f.bytes, variant_ids: f.variant_ids, segment: None, rows: None });
        }
    }
    if bundle.has(Platform::Meta) {
        let (mut checked, mut unknown) = (std::collections::BTreeSet::new(), Vec::new());
        for f in meta::build(&bundle, params.asset_base_url.as_deref(), &mut problems) {
            if f.ad_set {
                let body: serde_json::Value = serde_json::from_slice(&f.bytes).expect("built as JSON");
                collect_paths(&body, "$", &mut checked);
                unknown.extend(reference::meta_drift(&body).into_iter().map(|p| format!("{}: {p}", f.name)));
            }
            let kind = if f.ad_set { FileKind::MetaAdSetJson } else { FileKind::MetaImagesCsv };
            texts.push(manifest::TextFile { name: f.name, kind, bytes: f.bytes, variant_ids: f.variant_ids, segment: None, rows: None });
        }
        if !checked.is_empty() {
            formats.push(FormatCheck { platform: Platform::Meta, reference: "fixtures/reference/meta/ad_set_requests.schema.json".into(), checked: checked.len() as u32, unknown });
        }
    }
    for f in &formats {
        for u in &f.unknown {
            let (file, field) = u.split_once(": ").unwrap_or(("", u));
            problems.push(
                Problem::new(Severity::Error, Rule::FormatDrift, format!("{file}: {field} is not in the {:?} reference format ({})", f.platform, f.reference))
                    .platform(f.platform)
                    .file(file)
                    .field(field),
            );
        }
    }
    let audiences = audiences::for_export(project, &bundle, &mut texts, &mut problems)?;
    let mut m = manifest::build(&bundle, &texts);
    audiences::note(&mut m, audiences);
    Ok(Built { simulated: m.contains_simulated_figures, manifest: manifest::to_bytes(&m), bundle, texts, problems, formats })
}

/// Every field path of `v` (array indices as `[]`), for counting what a format check covered.
fn collect_paths(v: &serde_json::Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, c) in m {
                let p = format!("{at}.{k}");
                collect_paths(c, &p, out);
                out.insert(p);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|c| collect_paths(c, &format!("{at}[]"), out)),
        _ => {}
    }
}
