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

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::DecisionError;

/// Longest time a written line may stay in the process's buffer.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Default size at which a log file is closed and the next one started.
pub const ROTATE_BYTES: u64 = 64 << 20;

/// One action as logged in `c._multi`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionFeatures {
    pub variant_id: i64,
    pub key: String,
    pub angle: String,
}

/// A decision as logged.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub event_id: String,
    pub timestamp: String,
    /// Shared context features (segment, interests, placement, language).
    pub context: Value,
    /// The offered actions in offer order.
    pub actions: Vec<ActionFeatures>,
    /// Index of the chosen action in `actions`.
    pub chosen: usize,
    /// Propensity of every action (same order as `actions`).
    pub p: Vec<f64>,
    /// A deferred rank: not learnt from until activated.
    pub deferred: bool,
    /// Simulated traffic (`studio serve --replay`), never mixed up with real.
    pub simulated: bool,
}

/// The decision line of `d`, with the joined `cost` (−reward; 0 without one).
pub fn decision_line(d: &Decision, cost: f64, skip_learn: bool) -> String {
    // `a`: 1-based action ids, the chosen one first, then the others in offer order.
    let mut a = vec![d.chosen + 1];
    a.extend((0..d.actions.len()).filter(|&i| i != d.chosen).map(|i| i + 1));
    let p: Vec<f64> = a.iter().map(|&i| d.p[i - 1]).collect();
    let multi: Vec<Value> = d.actions.iter().map(|x| json!({"Variant": {"id": format!("v{}", x.variant_id), "key": x.key, "angle": x.angle}})).collect();
    let mut c = d.context.clone();
    if let Value::Object(m) = &mut c {
        m.insert("_multi".into(), Value::Array(multi));
    }
    // Written field by field in the Decision Service's order (labels first), which is what
    // Vowpal Wabbit's own dsjson files look like.
    let j = |v: &Value| v.to_string();
    let mut line = format!(
        "{{\"_label_cost\":{},\"_label_probability\":{},\"_label_Action\":{},\"_labelIndex\":{},\"Timestamp\":{},\"Version\":\"1\",\"EventId\":{},\"a\":{},\"c\":{},\"p\":{}",
        j(&json!(cost)),
        j(&json!(d.p[d.chosen])),
        d.chosen + 1,
        d.chosen,
        j(&json!(d.timestamp)),
        j(&json!(d.event_id)),
        j(&json!(a)),
        j(&c),
        j(&json!(p)),
    );
    if skip_learn {
        line.push_str(",\"_skipLearn\":true");
    }
    if d.simulated {
        line.push_str(",\"Simulated\":true");
    }
    line.push('}');
    line
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
