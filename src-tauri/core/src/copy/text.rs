//! Width-aware text helpers: display width, rule-based shortening, prices, and the tiny
//! template filler the phrase banks use.

pub(super) use crate::text::{char_width, width};

/// Shorten to at most `max` width units, cutting only between words (Latin) or between
/// characters (CJK), and ending with "…" when anything was cut.
pub fn shorten(s: &str, max: usize) -> String {
    shorten_units(s, max, true)
}

/// [`shorten`] in the units of a placement: display width when `double_width`, otherwise
/// characters. Same rule: never mid-word, never mid-character, "…" when cut.
pub(super) fn shorten_units(s: &str, max: usize, double_width: bool) -> String {
    let unit = |c: char| if double_width { char_width(c) } else { 1 };
    if s.chars().map(unit).sum::<usize>() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    let mut last_break = 0; // byte length of `out` at the last safe break
    for c in s.chars() {
        let cw = unit(c);
        if w + cw + 1 > max {
            break;
        }
        let wide = char_width(c) == 2;
        if c == ' ' || wide {
            last_break = out.len();
        }
        out.push(c);
        w += cw;
        if wide {
            last_break = out.len();
        }
    }
    out.truncate(last_break);
    let t = out.trim_end_matches([' ', ',', '，', ':', '：', '–', '-', '、', '。', '.', ';', '；']);
    format!("{t}…")
}

/// A whole-unit price with its currency symbol: ¥449, $12, €30; other codes as a suffix.
pub fn money(cents: i64, currency: &str) -> String {
    let units = (cents as f64 / 100.0).round() as i64;
    match currency {
        "CNY" | "JPY" => format!("¥{units}"),
        "USD" => format!("${units}"),
        "EUR" => format!("€{units}"),
        "GBP" => format!("£{units}"),
        other => format!("{units} {other}"),
    }
}

/// `s` with its first letter upper-cased.
pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// FNV-1a, to mix a product id into the seed.
pub(super) fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Values for the `{slot}`s of a template, in a fixed order (no map iteration anywhere).
pub(super) type Slots<'a> = [(&'static str, String)];

/// Slots that are shortened, in this order, when a filled template is too long.
const ELASTIC: [&str; 2] = ["name", "short"];

/// A filled template and what went into it.
pub(super) struct Filled {
    pub text: String,
    /// The slots the template used.
    pub used: Vec<&'static str>,
    /// Whether something had to be shortened to fit.
    pub shortened: bool,
}

/// Fill `template` with `slots` within `max` width units. When too long, the first elastic
/// slot (`{name}`, then `{short}`) is shortened by [`shorten`] so the rest of the message (the
/// offer, the price) survives; failing that the whole text is shortened.
pub(super) fn fill(template: &str, slots: &Slots, max: usize) -> Filled {
    let (text, used) = substitute(template, slots, None);
    if width(&text) <= max {
        return Filled { text, used, shortened: false };
    }
    for elastic in ELASTIC {
        let Some(value) = slots.iter().find(|(k, _)| *k == elastic).map(|(_, v)| v) else { continue };
        if !used.contains(&elastic) {
            continue;
        }
        let (without, _) = substitute(template, slots, Some((elastic, "")));
        let room = max.saturating_sub(width(&without));
        let cut = shorten(value, room);
        if room >= 6 && cut != "…" {
            let (text, used) = substitute(template, slots, Some((elastic, &cut)));
            return Filled { text, used, shortened: true };
        }
    }
    Filled { text: shorten(&text, max), used, shortened: true }
}

/// Replace every `{key}` of `template`; `over` overrides one slot's value. Unknown keys stay
/// as written (the bank tests rule them out).
fn substitute(template: &str, slots: &Slots, over: Option<(&str, &str)>) -> (String, Vec<&'static str>) {
    let mut out = String::with_capacity(template.len() + 32);
    let mut used = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return (out, used);
        };
        let key = &after[..close];
        match slots.iter().find(|(k, _)| *k == key) {
            Some((k, v)) => {
                out.push_str(over.filter(|o| o.0 == key).map_or(v.as_str(), |o| o.1));
                if !used.contains(k) {
                    used.push(*k);
                }
            }
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    (out, used)
}
