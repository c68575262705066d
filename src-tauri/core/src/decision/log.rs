//! The decision log: JSON Lines in the layout of Microsoft's Decision Service (the `dsjson`
//! that Vowpal Wabbit reads with `--dsjson`), appended as things happen.
//!
//! - a **rank** is a decision line: `_label_cost` (0 until a reward is joined), `_label_probability`
//!   (the exact propensity), `_label_Action` (1-based), `_labelIndex` (0-based), `a` (action
//!   ids, the chosen one first), `c` (shared context plus `_multi`, one object per action), `p`
//!   (propensities in `a` order), `EventId`, `Timestamp`, and `_skipLearn` while a deferred rank
//!   has not been activated;
//! - a **reward** is an outcome line `{"EventId", "RewardValue", "Timestamp"}`;
//! - an **activation** is `{"EventId", "ActionTaken": true, "Timestamp"}`.
//!
//! [`read_joined`] joins outcomes and activations into their decision lines (cost = −reward), the
//! form `vw --cb_adf --dsjson` and off-policy evaluation train on. A torn last line (a crash
//! mid-write) is skipped and counted, never an error.
//!
//! Durability: lines are gathered in memory and handed to the log's writer thread at least
//! every [`FLUSH_EVERY`] by the service's flusher (a `kill -9` loses at most that much plus the
//! write in progress), fsynced on rotation and on a clean stop (nothing acknowledged before a
//! clean stop is lost; a power cut may lose what the OS had not written yet). The disk I/O is
//! the writer thread's alone ([`LogWriter`]), so a rank never waits on the disk.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};

use super::api::Interest;
use super::DecisionError;

/// Longest time a written line may stay in the process's buffer.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Default size at which a log file is closed and the next one started.
pub const ROTATE_BYTES: u64 = 64 << 20;

/// One action as logged in `c._multi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActionFeatures<'a> {
    pub variant_id: i64,
    pub key: &'a str,
    pub angle: &'a str,
}

/// A decision as logged, borrowing from the rank that made it (written on the rank path, so
/// nothing is copied or built as a JSON tree).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision<'a> {
    pub event_id: &'a str,
    pub timestamp: &'a str,
    /// Shared context: the segment (`c.User.segment`, as `s<id>`) ...
    pub segment_id: i64,
    /// ... the top interests (`c.Interests`, category → probability) ...
    pub interests: &'a [Interest],
    /// ... and the request (`c.Request`).
    pub placement: &'a str,
    pub lang: &'a str,
    /// The offered actions in offer order.
    pub actions: &'a [ActionFeatures<'a>],
    /// Index of the chosen action in `actions`.
    pub chosen: usize,
    /// Propensity of every action (same order as `actions`).
    pub p: &'a [f64],
    /// A deferred rank: not learnt from until activated.
    pub deferred: bool,
    /// Simulated traffic (`studio serve --replay`), never mixed up with real.
    pub simulated: bool,
}

/// A JSON string or number, escaped and formatted exactly as `serde_json` writes it.
fn put<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // Writing a string or a float into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
}

/// The decision line of `d`, with the joined `cost` (−reward; 0 without one), appended to
/// `out` without its newline.
///
/// Byte for byte what `serde_json` writes for the same object with sorted keys in `c` (the
/// layout [`read_joined`] and Vowpal Wabbit read), fields in the Decision Service's order
/// (labels first), which is what Vowpal Wabbit's own dsjson files look like.
pub fn write_decision_line(out: &mut Vec<u8>, d: &Decision<'_>, cost: f64) {
    use std::io::Write as _;
    // `a`: 1-based action ids, the chosen one first, then the others in offer order.
    let order = std::iter::once(d.chosen).chain((0..d.actions.len()).filter(|&i| i != d.chosen));
    out.extend_from_slice(b"{\"_label_cost\":");
    put(out, &cost);
    out.extend_from_slice(b",\"_label_probability\":");
    put(out, &d.p[d.chosen]);
    let _ = write!(out, ",\"_label_Action\":{},\"_labelIndex\":{},\"Timestamp\":", d.chosen + 1, d.chosen);
    put(out, d.timestamp);
    out.extend_from_slice(b",\"Version\":\"1\",\"EventId\":");
    put(out, d.event_id);
    out.extend_from_slice(b",\"a\":[");
    for (n, i) in order.clone().enumerate() {
        let _ = write!(out, "{}{}", if n == 0 { "" } else { "," }, i + 1);
    }
    // `c`, keys sorted as serde_json's map sorts them: Interests, Request, User, _multi.
    out.extend_from_slice(b"],\"c\":{\"Interests\":{");
    let mut interests: Vec<&Interest> = d.interests.iter().collect();
    interests.sort_by(|a, b| a.category.cmp(&b.category));
    interests.dedup_by(|a, b| a.category == b.category);
    for (n, x) in interests.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        put(out, &x.category);
        out.push(b':');
        put(out, &x.probability);
    }
    out.extend_from_slice(b"},\"Request\":{\"lang\":");
    put(out, d.lang);
    out.extend_from_slice(b",\"placement\":");
    put(out, d.placement);
    let _ = write!(out, "}},\"User\":{{\"segment\":\"s{}\"}},\"_multi\":[", d.segment_id);
    for (n, x) in d.actions.iter().enumerate() {
        out.extend_from_slice(if n == 0 { b"{\"Variant\":{\"angle\":" } else { b",{\"Variant\":{\"angle\":" });
        put(out, x.angle);
        let _ = write!(out, ",\"id\":\"v{}\",\"key\":", x.variant_id);
        put(out, x.key);
        out.extend_from_slice(b"}}");
    }
    out.extend_from_slice(b"]},\"p\":[");
    for (n, i) in order.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        put(out, &d.p[i]);
    }
    out.push(b']');
    if d.deferred {
        out.extend_from_slice(b",\"_skipLearn\":true");
    }
    if d.simulated {
        out.extend_from_slice(b",\"Simulated\":true");
    }
    out.push(b'}');
}

/// [`write_decision_line`] as a `String`.
pub fn decision_line(d: &Decision<'_>, cost: f64) -> String {
    let mut out = Vec::with_capacity(512);
    write_decision_line(&mut out, d, cost);
    String::from_utf8(out).expect("JSON written from str is UTF-8")
}

/// The outcome line of a reward.
pub fn reward_line(event_id: &str, value: f64, timestamp: &str) -> String {
    json!({"EventId": event_id, "RewardValue": value, "Timestamp": timestamp}).to_string()
}

/// The activation line of a deferred rank.
pub fn activation_line(event_id: &str, timestamp: &str) -> String {
    json!({"EventId": event_id, "ActionTaken": true, "Timestamp": timestamp}).to_string()
}

pub use super::writer::LogWriter;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DecisionError + '_ {
    move |source| DecisionError::Io { path: path.display().to_string(), source }
}

/// The log files in `dir`, oldest first.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, DecisionError> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("decisions-") && n.ends_with(".dsjson")))
        .collect();
    out.sort();
    Ok(out)
}

/// A log read back and joined.
#[derive(Debug, Default)]
pub struct Joined {
    /// Decision lines with their rewards and activations joined in, in rank order.
    pub lines: Vec<Value>,
    /// Lines that did not parse (a torn last line after a crash), per file.
    pub torn: usize,
    /// Rewards whose event id has no decision in the log.
    pub orphan_rewards: usize,
}

/// Read every log file of `dir` and join outcomes and activations into their decisions:
/// `_label_cost` = −(sum of the event's rewards), `_skipLearn` dropped once activated.
pub fn read_joined(dir: &Path) -> Result<Joined, DecisionError> {
    let mut out = Joined::default();
    let mut index = std::collections::HashMap::new();
    for path in files(dir)? {
        let f = File::open(&path).map_err(io(&path))?;
        for line in BufReader::new(f).split(b'\n') {
            let line = line.map_err(io(&path))?;
            let Ok(v) = serde_json::from_slice::<Value>(&line) else {
                out.torn += usize::from(!line.iter().all(u8::is_ascii_whitespace));
                continue;
            };
            let Some(id) = v.get("EventId").and_then(Value::as_str).map(str::to_string) else { continue };
            if v.get("_label_Action").is_some() {
                index.insert(id, out.lines.len());
                out.lines.push(v);
            } else if let Some(r) = v.get("RewardValue").and_then(Value::as_f64) {
                match index.get(&id) {
                    Some(&i) => {
                        let cost = out.lines[i]["_label_cost"].as_f64().unwrap_or(0.0) - r;
                        out.lines[i]["_label_cost"] = json!(cost);
                    }
                    None => out.orphan_rewards += 1,
                }
            } else if v.get("ActionTaken").is_some() {
                if let Some(&i) = index.get(&id) {
                    if let Value::Object(m) = &mut out.lines[i] {
                        m.remove("_skipLearn");
                    }
                }
            }
        }
    }
    Ok(out)
}

/// What [`write_joined`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct JoinSummary {
    pub decisions: usize,
    /// Decisions with a reward joined in (cost < 0).
    pub rewarded: usize,
    /// Decisions still waiting for activation (`_skipLearn`).
    pub skip_learn: usize,
    pub torn: usize,
    pub orphan_rewards: usize,
}

/// Join the log of `dir` ([`read_joined`]) and write it to `out` as one dsjson file, the input
/// of `vw --cb_explore_adf --dsjson -d out` and of off-policy evaluation.
///
/// Errors: `Io` naming the file.
pub fn write_joined(dir: &Path, out: &Path) -> Result<JoinSummary, DecisionError> {
    let j = read_joined(dir)?;
    let mut w = BufWriter::new(File::create(out).map_err(io(out))?);
    for l in &j.lines {
        writeln!(w, "{l}").map_err(io(out))?;
    }
    w.flush().map_err(io(out))?;
    Ok(JoinSummary {
        decisions: j.lines.len(),
        rewarded: j.lines.iter().filter(|l| l["_label_cost"].as_f64().unwrap_or(0.0) < 0.0).count(),
        skip_learn: j.lines.iter().filter(|l| l.get("_skipLearn").is_some()).count(),
        torn: j.torn,
        orphan_rewards: j.orphan_rewards,
    })
}
