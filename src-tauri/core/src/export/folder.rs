//! What is in an export folder before the studio writes there, and whether it may be replaced.
//!
//! The studio deletes only what it wrote: a folder is replaceable when it is missing, empty,
//! or holds nothing but a previous export that is still exactly as written — every file listed
//! in the `manifest.json` this studio wrote there (or, for exports older than it, the legacy
//! `manifest.csv`) with the SHA-256 listed for it, plus that manifest and a zip of exactly those
//! files (the audience lists in its one subfolder `audiences/` included). Anything else — a file it did not write, a listed file changed since, a folder, a
//! symlink, above all the project file itself — makes the export refuse, naming those entries,
//! and nothing is changed. No option overrides this: keeping user data never needs `--force`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::manifest::{self, MANIFEST};
use super::write::zip_bytes;
use super::ExportError;

/// The legacy manifest name: a folder holding it is a previous export too.
pub const LEGACY_MANIFEST: &str = "manifest.csv";

/// At most this many entries are named in [`ExportError::ForeignFiles`].
const NAMED: usize = 12;

/// What the target folder holds now.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Existing {
    /// Nothing at that path.
    Nothing,
    /// An empty folder.
    Empty,
    /// A previous export, every file verified: these names (all plain files) may be removed.
    Previous(Vec<String>),
}

/// Look at `dir` (read only) and decide whether an export may go there; `project` is the open
/// project's file, which may never be inside it.
///
/// Errors: [`ExportError::HoldsProject`], [`ExportError::NotAnExportFolder`] (not a folder),
/// [`ExportError::ForeignFiles`] (the entries named), `Write` when the folder cannot be read.
pub(super) fn survey(dir: &Path, project: Option<&Path>) -> Result<Existing, ExportError> {
    let shown = dir.display().to_string();
    if let Some(p) = project {
        if absolute(p).starts_with(absolute(dir)) {
            return Err(ExportError::HoldsProject { path: shown, project: p.display().to_string() });
        }
    }
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(source) => return Err(ExportError::Write { path: shown, source }),
        Ok(m) if !m.is_dir() => return Err(ExportError::NotAnExportFolder { path: shown }),
        Ok(_) => {}
    }
    let read_err = |source| ExportError::Write { path: shown.clone(), source };
    let mut entries: Vec<(String, bool)> = Vec::new();
    for e in fs::read_dir(dir).map_err(read_err)? {
        let e = e.map_err(read_err)?;
        let is_file = e.file_type().map_err(read_err)?.is_file();
        entries.push((e.file_name().to_string_lossy().into_owned(), is_file));
    }
    if entries.is_empty() {
        return Ok(Existing::Empty);
    }
    entries.sort();
    let (listed, manifest_name) = listing(dir);
    let mut ours: Vec<(String, Vec<u8>)> = Vec::new();
    let mut zips = Vec::new();
    let mut foreign = Vec::new();
    for (name, is_file) in entries {
        let expected = listed.get(&name);
        if !is_file && name == super::audiences::DIR && manifest_name.is_some() && fs::symlink_metadata(dir.join(&name)).is_ok_and(|m| m.is_dir()) {
            audiences(&dir.join(&name), &listed, &mut ours, &mut foreign).map_err(read_err)?;
        } else if !is_file {
            foreign.push(format!("{name}/"));
        } else if Some(name.as_str()) == manifest_name {
            ours.push((name.clone(), fs::read(dir.join(&name)).map_err(read_err)?));
        } else if let Some(hash) = expected {
            let bytes = fs::read(dir.join(&name)).map_err(read_err)?;
            if manifest::sha256(&bytes) == *hash {
                ours.push((name, bytes));
            } else {
                foreign.push(format!("{name} (changed since it was exported)"));
            }
        } else if name.ends_with(".zip") && manifest_name.is_some() {
            zips.push(name);
        } else {
            foreign.push(name);
        }
    }
    if !zips.is_empty() {
        // The zip is built from the listed files plus the manifest: rebuild it and compare.
        let files: Vec<(&str, &[u8])> = ours.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let expected = zip_bytes(&files).map_err(read_err)?;
        for z in zips {
            if fs::read(dir.join(&z)).map_err(read_err)? == expected {
                ours.push((z, Vec::new()));
            } else {
                foreign.push(format!("{z} (not the zip of this export)"));
            }
        }
    }
    if !foreign.is_empty() {
        return Err(ExportError::ForeignFiles { path: shown, count: foreign.len(), files: foreign.into_iter().take(NAMED).collect() });
    }
    Ok(Existing::Previous(ours.into_iter().map(|(n, _)| n).collect()))
}

/// Sort the entries of a previous export's `audiences/` folder (a real folder, not a link):
/// files listed with their SHA-256 are ours (`audiences/<name>`), anything else is foreign.
fn audiences(sub: &Path, listed: &HashMap<String, String>, ours: &mut Vec<(String, Vec<u8>)>, foreign: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries = Vec::new();
    for e in fs::read_dir(sub)? {
        let e = e?;
        entries.push((format!("{}/{}", super::audiences::DIR, e.file_name().to_string_lossy()), e.file_type()?.is_file()));
    }
    entries.sort();
    for (name, is_file) in entries {
        match listed.get(&name) {
            Some(hash) if is_file => {
                let bytes = fs::read(sub.parent().unwrap_or(sub).join(&name))?;
                if manifest::sha256(&bytes) == *hash {
                    ours.push((name, bytes));
                } else {
                    foreign.push(format!("{name} (changed since it was exported)"));
                }
            }
            _ if !is_file => foreign.push(format!("{name}/")),
            _ => foreign.push(name),
        }
    }
    Ok(())
}

/// The files listed by the folder's own manifest (name → SHA-256) and that manifest's name;
/// empty when there is none of this studio's.
fn listing(dir: &Path) -> (HashMap<String, String>, Option<&'static str>) {
    // Read as plain JSON: manifests of earlier versions of the format list files the same way.
    if let Some(m) = fs::read(dir.join(MANIFEST)).ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok()) {
        if m["format"] == manifest::FORMAT {
            let files = m["files"].as_array().into_iter().flatten();
            let rows = files.filter_map(|f| Some((f["name"].as_str()?.to_string(), f["sha256"].as_str()?.to_string())));
            return (rows.collect(), Some(MANIFEST));
        }
    }
    match fs::read_to_string(dir.join(LEGACY_MANIFEST)) {
        Ok(text) if text.starts_with("file,sha256,") => {
            let rows = text.lines().skip(1).filter_map(|l| {
                let mut cells = l.split(',');
                Some((cells.next()?.to_string(), cells.next()?.to_string()))
            });
            (rows.collect(), Some(LEGACY_MANIFEST))
        }
        _ => (HashMap::new(), None),
    }
}

/// `p` as an absolute path with symlinks resolved as far as it exists (a path that does not
/// exist yet keeps its remaining components as given).
pub(super) fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(p) {
        return c;
    }
    match (p.parent().filter(|d| !d.as_os_str().is_empty()), p.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        (None, Some(name)) => std::env::current_dir().map(|d| absolute(&d).join(name)).unwrap_or_else(|_| p.to_path_buf()),
        _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
    }
}
