//! How a finding is recorded: its span's text, its severity from the rule table, and what its
//! one-click fix writes ([`Fix`]).

use super::{rule, Field, Finding, Severity};

/// What a finding suggests: text to put in the span's place, or advice (whose one-click fix
/// removes the span).
pub(crate) enum Fix {
    Replace(String),
    Advise(String),
}

impl Fix {
    /// A table's fix: advice when bracketed ("（删除…）"), else replacement text.
    pub(super) fn of(s: &str) -> Fix {
        if s.starts_with('（') {
            Fix::Advise(s.into())
        } else {
            Fix::Replace(s.into())
        }
    }
}

pub(super) fn push(out: &mut Vec<Finding>, rule_id: &'static str, field: Field, chars: &[char], start: usize, end: usize, fix: Fix) {
    let severity = rule(rule_id).map_or(Severity::Error, |r| r.severity);
    let (suggestion, replacement) = match fix {
        Fix::Replace(s) => (s.clone(), s),
        Fix::Advise(a) => (a, String::new()),
    };
    let text = chars[start..end].iter().collect();
    out.push(Finding { rule: rule_id, severity, field, start: start as u32, end: end as u32, text, suggestion: Some(suggestion), replacement: Some(replacement) });
}
