//! Atomic writing of an export folder (and its optional zip).
//!
//! Every file goes into a hidden sibling `.<name>.tmp-<pid>-<n>` next to the target, is
//! fsynced, and the folder is renamed into place. A previous export (verified file by file by
//! [`folder::survey`]: the studio deletes only what it wrote) is first renamed aside
//! (`.<name>.old-<pid>-<n>`); once the new folder is in place only its verified files are
//! removed, then the emptied folder. If the final rename fails the previous export is renamed
//! back. So the target holds either the previous export or the complete new one, never a mix,
//! and a failure anywhere leaves the previous export as it was.
//!
//! The zip is deterministic: entries in name order, fixed 1980-01-01 timestamps, mode 0644,
//! every entry stored uncompressed (the images, nearly all of the bytes, are compressed
//! already; the CSV/JSON files are small).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::folder::{self, Existing};
use super::{names, ExportError};

/// A point in the write at which [`write_folder`]'s hook is called (tests inject failures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step<'a> {
    /// A file is written and synced in the temporary folder.
    Wrote(&'a str),
    /// Everything is written; the previous export is about to be moved aside.
    BeforeSwap,
    /// The previous export is aside; the new folder is about to be renamed into place.
    OldAside,
}

/// What the write did.
pub(super) struct Written {
    /// The zip's name and bytes, when one was asked for.
    pub zip: Option<(String, Vec<u8>)>,
    /// Whether a previous export was replaced.
    pub replaced: bool,
}

fn werr(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |source| ExportError::Write { path: path.display().to_string(), source }
}

/// Write `files` (name, bytes; names already safe) and, when `zip` names one, a zip of them all,
/// into `target`, atomically. `hook` is called at every [`Step`]; an error from it aborts the
/// write like an I/O error would.
///
/// Errors: those of [`folder::survey`] when `target` holds anything but a previous export
/// (or the project file `project`); `Write` for any I/O failure (the previous export, if any,
/// is left intact); `UnsafeName` if a name is not one component.
pub(super) fn write_folder(target: &Path, project: Option<&Path>, files: &[(&str, &[u8])], zip: Option<&str>, hook: &mut dyn FnMut(Step) -> io::Result<()>) -> Result<Written, ExportError> {
    let existing = folder::survey(target, project)?;
    let name = target.file_name().ok_or_else(|| ExportError::BadOutDir(target.display().to_string()))?.to_string_lossy().into_owned();
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(werr(&parent))?;
    let tmp = fresh_sibling(&parent, &name, "tmp").map_err(werr(&parent))?;
    let result = (|| {
        let zipped = match zip {
            Some(z) => Some((z.to_string(), zip_bytes(files).map_err(werr(Path::new(z)))?)),
            None => None,
        };
        let all = files.iter().copied().chain(zipped.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())));
        for (file, bytes) in all {
            let path = names::inside(&tmp, file).ok_or_else(|| ExportError::UnsafeName(file.to_string()))?;
            if let Some(dir) = path.parent().filter(|d| *d != tmp) {
                fs::create_dir_all(dir).map_err(werr(dir))?;
            }
            let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(werr(&path))?;
            f.write_all(bytes).and_then(|_| f.sync_all()).map_err(werr(&path))?;
            hook(Step::Wrote(file)).map_err(werr(&path))?;
        }
        sync_dir(&tmp);
        hook(Step::BeforeSwap).map_err(werr(target))?;
        let replaced = swap(&tmp, target, &parent, &name, existing, hook)?;
        sync_dir(&parent);
        Ok(Written { zip: zipped, replaced })
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// A new, empty hidden folder `.<name>.<what>-<pid>-<n>` in `parent` (never an existing one).
fn fresh_sibling(parent: &Path, name: &str, what: &str) -> io::Result<PathBuf> {
    let mut n = 0u32;
    loop {
        let dir = parent.join(format!(".{name}.{what}-{}-{n}", std::process::id()));
        match fs::create_dir(&dir) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            other => return other.map(|_| dir),
        }
    }
}

/// Move `tmp` to `target`, replacing what [`folder::survey`] found there: an empty folder or a
/// verified previous export, set aside first and put back on failure. Of the set-aside folder
/// only the verified files are removed, then the folder if that emptied it.
fn swap(tmp: &Path, target: &Path, parent: &Path, name: &str, existing: Existing, hook: &mut dyn FnMut(Step) -> io::Result<()>) -> Result<bool, ExportError> {
    let ours = match existing {
        Existing::Nothing => {
            fs::rename(tmp, target).map_err(werr(target))?;
            return Ok(false);
        }
        Existing::Empty => Vec::new(),
        Existing::Previous(files) => files,
    };
    // Reserve a unique name, then move the previous folder onto it (rename replaces an empty folder).
    let old = fresh_sibling(parent, name, "old").map_err(werr(parent))?;
    fs::rename(target, &old).map_err(werr(target))?;
    let moved = hook(Step::OldAside).and_then(|_| fs::rename(tmp, target));
    if let Err(e) = moved {
        let _ = fs::rename(&old, target);
        return Err(werr(target)(e));
    }
    for f in &ours {
        let _ = fs::remove_file(old.join(f));
    }
    let _ = fs::remove_dir(old.join(super::audiences::DIR));
    // Fails (and keeps the folder) if anything appeared there after the survey.
    let _ = fs::remove_dir(&old);
    Ok(!ours.is_empty())
}

/// Best-effort fsync of a folder (makes the renames durable on Linux; not possible everywhere).
fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// A deterministic zip of `files` in name order.
pub(super) fn zip_bytes(files: &[(&str, &[u8])]) -> io::Result<Vec<u8>> {
    let mut sorted: Vec<&(&str, &[u8])> = files.iter().collect();
    sorted.sort_by_key(|f| f.0);
    let mut w = ZipWriter::new(io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default().last_modified_time(DateTime::default()).unix_permissions(0o644);
    for (name, bytes) in sorted {
        w.start_file(*name, base.compression_method(CompressionMethod::Stored)).map_err(io::Error::other)?;
        w.write_all(bytes)?;
    }
    Ok(w.finish().map_err(io::Error::other)?.into_inner())
}
