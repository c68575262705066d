//! The no-double-count rule: per variant, each day is counted once over all of a campaign's
//! reports. A row counts for a day, for a period of days (a Meta row: `Reporting starts` to
//! `Reporting ends`, stored as `date` .. `date_end`), or — without a date — for an unstated
//! period that may cover any day. A row is refused when its days overlap days already counted
//! for its variant (naming the file and line that counted them first); a row without a date
//! only for a variant with no other rows, and no row after one without a date.

use std::collections::{BTreeMap, HashMap};

use super::layout::{bad_cell, BadCell, Figures};
use crate::error::{keyed_text, KeyedText};
use crate::store::Project;

/// Where a figure was first counted.
#[derive(Clone)]
struct Origin {
    file: String,
    line: u64,
}

/// The days a campaign's reports already count, per variant.
pub(super) struct Counted {
    /// Single days: (variant, YYYY-MM-DD).
    days: BTreeMap<(i64, String), Origin>,
    /// Periods of more than one day: variant → (first, last, origin).
    periods: HashMap<i64, Vec<(String, String, Origin)>>,
    /// Rows without a date, per variant.
    undated: HashMap<i64, Origin>,
    /// Any one row per variant, with its first day (for the message).
    any: HashMap<i64, (Option<String>, Origin)>,
}

impl Counted {
    /// What campaign `campaign_id`'s stored reports count.
    pub fn load(project: &Project, campaign_id: i64) -> rusqlite::Result<Counted> {
        let mut counted = Counted { days: BTreeMap::new(), periods: HashMap::new(), undated: HashMap::new(), any: HashMap::new() };
        let mut stmt = project.conn().prepare(
            "SELECT r.variant_id, r.date, r.date_end, p.file_name, r.line FROM performance_rows r JOIN performance_reports p ON p.id = r.report_id
             WHERE p.campaign_id = ?1 ORDER BY r.id",
        )?;
        let mut rows = stmt.query([campaign_id])?;
        while let Some(r) = rows.next()? {
            let origin = Origin { file: r.get(3)?, line: r.get::<_, i64>(4)? as u64 };
            counted.record(r.get(0)?, r.get(1)?, r.get(2)?, origin);
        }
        Ok(counted)
    }

    fn record(&mut self, v: i64, date: Option<String>, until: Option<String>, origin: Origin) {
        self.any.entry(v).or_insert((date.clone(), origin.clone()));
        match (date, until) {
            (None, _) => {
                self.undated.entry(v).or_insert(origin);
            }
            (Some(d), Some(end)) if end > d => self.periods.entry(v).or_default().push((d, end, origin)),
            (Some(d), _) => {
                self.days.entry((v, d)).or_insert(origin);
            }
        }
    }

    /// Count `g` (a row at `line` of `file`), or say why that would count figures twice.
    pub fn admit(&mut self, g: &Figures, file: &str, line: u64) -> Result<(), BadCell> {
        let v = g.variant_id;
        let twice = |reason: KeyedText| Err(bad_cell("date", reason));
        if let Some(o) = self.undated.get(&v) {
            return twice(
                keyed_text!("perf.row.undated_total"; "variant {variant} already has a total without a date ({file}, line {line}), which may include this row; give every row of a variant a date", variant = v, file = &o.file, line = o.line),
            );
        }
        match &g.date {
            Some(first) => {
                let last = g.until.clone().unwrap_or_else(|| first.clone());
                if let Some(((_, d), o)) = self.days.range((v, first.clone())..=(v, last.clone())).next() {
                    return twice(if last == *first {
                        keyed_text!("perf.row.counted_day"; "variant {variant} on {day} is already counted ({file}, line {line})", variant = v, day = first, file = &o.file, line = o.line)
                    } else {
                        keyed_text!("perf.row.counted_period"; "variant {variant} from {first} to {last} is already counted on {day} ({file}, line {line})", variant = v, first = first, last = &last, day = d, file = &o.file, line = o.line)
                    });
                }
                if let Some((s, e, o)) = self.periods.get(&v).and_then(|ps| ps.iter().find(|(s, e, _)| s <= &last && first <= e)) {
                    return twice(if last == *first {
                        keyed_text!("perf.row.overlaps_day"; "variant {variant} on {day} overlaps the period {start} to {end} already counted ({file}, line {line})", variant = v, day = first, start = s, end = e, file = &o.file, line = o.line)
                    } else {
                        keyed_text!("perf.row.overlaps_period"; "variant {variant} from {first} to {last} overlaps the period {start} to {end} already counted ({file}, line {line})", variant = v, first = first, last = &last, start = s, end = e, file = &o.file, line = o.line)
                    });
                }
            }
            None => {
                if let Some((first, o)) = self.any.get(&v) {
                    return twice(match first {
                        Some(day) => {
                            keyed_text!("perf.row.undated_after_day"; "variant {variant} already has figures for {day} ({file}, line {line}); a row without a date may include them", variant = v, day = day, file = &o.file, line = o.line)
                        }
                        // (unreached: a first row without a date is recorded as an undated total)
                        None => {
                            keyed_text!("perf.row.undated_total"; "variant {variant} already has a total without a date ({file}, line {line}), which may include this row; give every row of a variant a date", variant = v, file = &o.file, line = o.line)
                        }
                    });
                }
            }
        }
        self.record(v, g.date.clone(), g.until.clone(), Origin { file: file.to_string(), line });
        Ok(())
    }
}
