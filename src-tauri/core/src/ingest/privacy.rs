//! Privacy at import: keyed pseudonyms for user ids and masking of e-mail addresses and phone
//! numbers in any text that is stored (rejected lines' raw text).

use std::collections::HashMap;

use rand::RngCore;
use rusqlite::{Connection, OptionalExtension};
use rustc_hash::FxBuildHasher;
use sha2::{Digest, Sha256};

use super::records::{RawText, Record};

/// Stored as the text of a rejected line of a pseudonymised import when the line cannot be
/// split into fields (malformed CSV, invalid UTF-8, not JSON, over the record limit): where
/// its user id is cannot be known, so — conservatively — nothing of the line is kept.
pub const WITHHELD: &str = "[withheld: the import pseudonymises user ids and this line could not be split into fields]";

/// A user id shorter than this is replaced only where it is a whole field, never inside
/// other text (a short id such as `7` occurs by chance in numbers and messages).
const MIN_EMBEDDED_ID: usize = 4;

/// The project's pseudonymisation key, created (random, 32 bytes) on first use.
pub fn project_key(conn: &Connection) -> rusqlite::Result<[u8; 32]> {
    let hex_key: Option<String> = conn.query_row("SELECT value FROM project_meta WHERE key = 'pseudonym_key'", [], |r| r.get(0)).optional()?;
    if let Some(k) = hex_key.and_then(|h| hex::decode(h).ok()).filter(|k| k.len() == 32) {
        let mut out = [0u8; 32];
        out.copy_from_slice(&k);
        return Ok(out);
    }
    let mut k = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut k);
    conn.execute("INSERT OR REPLACE INTO project_meta(key, value) VALUES ('pseudonym_key', ?1)", [hex::encode(k)])?;
    Ok(k)
}

/// HMAC-SHA256 (RFC 2104) of `msg` under `key`.
pub fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let pad = |b: u8| -> Vec<u8> { block.iter().map(|k| k ^ b).collect() };
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(msg).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

/// A stable pseudonym for `user` under the project's key: `p_` + 16 hex digits.
pub fn pseudonym(key: &[u8; 32], user: &str) -> String {
    format!("p_{}", hex::encode(&hmac_sha256(key, user.as_bytes())[..8]))
}

/// True for a header name that announces contact data.
pub fn is_pii_column(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["email", "e-mail", "mail", "phone", "mobile", "tel", "手机", "电话", "邮箱"].iter().any(|k| n.contains(k))
}

/// True when `value` looks like an e-mail address or a phone number.
pub fn looks_like_pii(value: &str) -> bool {
    // A cheap pass first, leaving at the first letter in the common case. Without an '@' it
    // is no e-mail address, and it is no phone number with fewer than 9 digits, with a letter,
    // or when it is all digits but not a Chinese mobile number (11 digits): a formatted number
    // needs one of `+ - ( space`.
    let b = value.as_bytes();
    if memchr::memchr(b'@', b).is_none() {
        if b.len() < 9 {
            return false;
        }
        let mut digits = 0;
        for &c in b {
            if c.is_ascii_alphabetic() {
                return false;
            }
            digits += c.is_ascii_digit() as usize;
        }
        if digits < 9 || (digits == b.len() && digits != 11) {
            return false;
        }
    }
    let v = value.trim();
    is_email(v) || is_phone(v)
}

fn is_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !v.contains(char::is_whitespace),
        None => false,
    }
}

fn is_phone(v: &str) -> bool {
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let cn_mobile = digits == 11 && v.starts_with('1') && v.chars().nth(1).is_some_and(|c| ('3'..='9').contains(&c)) && v.chars().all(|c| c.is_ascii_digit());
    let formatted = allowed && (9..=15).contains(&digits) && (v.starts_with('+') || v.contains('-') || v.contains('(') || v.contains(' '));
    cn_mobile || formatted
}

/// Applies the privacy rules to the ids of one import's events: user ids become pseudonyms
/// when asked (or when they look like contact data), session ids when they look like contact
/// data. Pseudonyms of recent users are memoised (bounded), since exports repeat users a lot.
pub struct Pseudonymiser {
    key: [u8; 32],
    all_users: bool,
    memo: HashMap<String, String, FxBuildHasher>,
}

/// At most this many memoised pseudonyms (about 10 MB); the memo starts over when full.
const MEMO_CAP: usize = 100_000;

impl Pseudonymiser {
    /// Rules under the project's `key`; `all_users` pseudonymises every user id.
    pub fn new(key: [u8; 32], all_users: bool) -> Self {
        Pseudonymiser { key, all_users, memo: HashMap::default() }
    }

    /// The user id to store.
    pub fn user(&mut self, user: String) -> String {
        if !(self.all_users || looks_like_pii(&user)) {
            return user;
        }
        if let Some(p) = self.memo.get(&user) {
            return p.clone();
        }
        let p = pseudonym(&self.key, &user);
        if self.memo.len() == MEMO_CAP {
            self.memo.clear();
        }
        self.memo.insert(user, p.clone());
        p
    }

    /// The text to store for the rejected record `r` (before [`mask`]), and `reason` made
    /// safe to store. Without the option it is the record's text. When every user id is
    /// pseudonymised: a format without user ids (a catalog) keeps the text; a record split
    /// into fields has its user column (`user_column`) replaced by the pseudonym, as is that
    /// id wherever else it occurs in the fields and in `reason` (ids of at least
    /// [`MIN_EMBEDDED_ID`] characters); a record that could not be split, or lacks the user
    /// column, is [`WITHHELD`] whole.
    pub fn rejected(&mut self, r: &Record, user_column: Option<usize>, reason: &mut String) -> String {
        let Some(u) = user_column.filter(|_| self.all_users) else {
            return r.raw.to_string();
        };
        let fields = match &r.fields {
            Ok(f) if u < f.len() => *f,
            _ => return WITHHELD.to_string(),
        };
        let user = fields[u].trim();
        if user.is_empty() {
            return r.raw.to_string();
        }
        let pseudonym = self.user(user.to_string());
        let embedded = user.len() >= MIN_EMBEDDED_ID;
        if embedded && reason.contains(user) {
            *reason = reason.replace(user, &pseudonym);
            if reason.contains(user) {
                *reason = "(reason withheld: it quotes the pseudonymised user id)".to_string();
            }
        }
        let delimiter = match r.raw {
            RawText::Fields(_, d) => d,
            RawText::Text(_) => ',',
        };
        let mut out = String::new();
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(delimiter);
            }
            if i == u || field.trim() == user {
                out.push_str(&pseudonym);
            } else if embedded && field.contains(user) {
                out.push_str(&field.replace(user, &pseudonym));
            } else {
                out.push_str(field);
            }
        }
        // A replacement next to text that ends like the id could spell it again.
        if embedded && out.contains(user) {
            return WITHHELD.to_string();
        }
        out
    }

    /// The session id to store.
    pub fn session(&self, session: String) -> String {
        if looks_like_pii(&session) {
            pseudonym(&self.key, &session)
        } else {
            session
        }
    }
}

/// `text` with every comma/space-separated token that looks like contact data replaced by `[redacted]`.
pub fn mask(text: &str) -> String {
    text.split(',').map(|field| if looks_like_pii(field.trim_matches('"')) { "[redacted]".to_string() } else { field.to_string() }).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_shape_and_is_keyed() {
        let a = pseudonym(&[1; 32], "541312140");
        assert_eq!(a, pseudonym(&[1; 32], "541312140"), "stable");
        assert_ne!(a, pseudonym(&[2; 32], "541312140"), "keyed");
        assert_ne!(a, pseudonym(&[1; 32], "541312141"));
        assert!(a.starts_with("p_") && a.len() == 18);
    }

    #[test]
    fn hmac_known_answer() {
        // HMAC-SHA256 with a 32-byte key of 0x0b and "Hi There" (RFC 4231 case 1 uses 20 bytes;
        // this value was computed independently with Python's hmac module).
        let mac = hmac_sha256(&[0x0b; 32], b"Hi There");
        assert_eq!(hex::encode(mac), "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7");
    }

    #[test]
    fn pii_detection_spares_ordinary_ids() {
        for pii in ["li.lei@example.com", "+86 138 0013 8000", "13800138000", "(555) 123-4567"] {
            assert!(looks_like_pii(pii), "{pii}");
        }
        for ok in ["541312140", "72d76fde-8bb3-4e00-8c23-a032dfed738c", "2019-10-01 00:00:00 UTC", "35.79", "samsung", "123456789012", "23800138000", "ext 555-1234567"] {
            assert!(!looks_like_pii(ok), "{ok}");
        }
        assert_eq!(mask("2019-10-01,view,a@b.com,13800138000,x"), "2019-10-01,view,[redacted],[redacted],x");
    }

    /// The single-pass screen of the version before the early exits, kept as the reference.
    fn looks_like_pii_reference(value: &str) -> bool {
        let (at, digits, alpha) = value.bytes().fold((false, 0usize, false), |(at, d, a), b| (at || b == b'@', d + b.is_ascii_digit() as usize, a || b.is_ascii_alphabetic()));
        if !at && (digits < 9 || alpha || (digits == value.len() && digits != 11)) {
            return false;
        }
        let v = value.trim();
        is_email(v) || is_phone(v)
    }

    proptest::proptest! {
        #[test]
        fn a_pseudonymised_rejected_line_never_shows_its_user_id(user in "[g-z]{4,12}", others in proptest::collection::vec("[a-z0-9 p]{0,12}", 1..8), at in 0usize..8, why in "[a-z ]{0,20}") {
            let mut fields = others;
            let u = at % (fields.len() + 1);
            fields.insert(u, user.clone());
            fields.push(format!("s-{user}-x"));
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let r = Record { line: 2, fields: Ok(&refs[..]), raw: RawText::Fields(&refs[..], ',') };
            let mut reason = format!("{why}{user}");
            let text = Pseudonymiser::new([3; 32], true).rejected(&r, Some(u), &mut reason);
            proptest::prop_assert!(!text.contains(&user) && !reason.contains(&user), "{} / {}", text, reason);
        }

        #[test]
        fn the_early_exits_never_change_the_answer(v in "[0-9 +()\\-]{0,16}|[0-9a-fA-F@+() .\\-]{0,24}|[a-z.]{0,6}@[a-z.]{0,8}|\\PC{0,24}") {
            proptest::prop_assert_eq!(looks_like_pii(&v), looks_like_pii_reference(&v), "{:?}", v);
        }
    }

    #[test]
    fn rejected_text_never_keeps_a_pseudonymised_user_id() {
        use super::super::records::SplitError;
        let fields = ["2019-10-01", "view", "x1", "c", "cc", "b", "oops", "u-541312140", "s-u-541312140"];
        let r = Record { line: 2, fields: Ok(&fields[..]), raw: RawText::Fields(&fields[..], ',') };
        let p = pseudonym(&[7; 32], "u-541312140");
        let mut reason = String::from("price \"oops\" of u-541312140 is not a number");
        let text = Pseudonymiser::new([7; 32], true).rejected(&r, Some(7), &mut reason);
        assert_eq!(text, format!("2019-10-01,view,x1,c,cc,b,oops,{p},s-{p}"));
        assert_eq!(reason, format!("price \"oops\" of {p} is not a number"));
        // Without the option, or for a catalog: the text as it was (masked later).
        let mut reason = String::new();
        assert_eq!(Pseudonymiser::new([7; 32], false).rejected(&r, Some(7), &mut reason), fields.join(","));
        assert_eq!(Pseudonymiser::new([7; 32], true).rejected(&r, None, &mut reason), fields.join(","));
        // Not split into fields, or too short to hold the user column: withheld.
        let bad = Record { line: 3, fields: Err(SplitError::InvalidUtf8Line), raw: RawText::Text("u-541312140,\u{fffd}") };
        assert_eq!(Pseudonymiser::new([7; 32], true).rejected(&bad, Some(0), &mut reason), WITHHELD);
        let short = Record { line: 4, fields: Ok(&fields[..3]), raw: RawText::Fields(&fields[..3], ',') };
        assert_eq!(Pseudonymiser::new([7; 32], true).rejected(&short, Some(7), &mut reason), WITHHELD);
    }

    #[test]
    fn pseudonymiser_follows_the_rules_and_its_memo_changes_nothing() {
        let mut all = Pseudonymiser::new([7; 32], true);
        let mut contact_only = Pseudonymiser::new([7; 32], false);
        for _ in 0..2 {
            assert_eq!(all.user("541312140".into()), pseudonym(&[7; 32], "541312140"), "memoised = computed");
        }
        assert_eq!(contact_only.user("541312140".into()), "541312140");
        assert_eq!(contact_only.user("li.lei@example.com".into()), pseudonym(&[7; 32], "li.lei@example.com"));
        assert_eq!(contact_only.session("13800138000".into()), pseudonym(&[7; 32], "13800138000"));
        assert_eq!(contact_only.session("72d76fde".into()), "72d76fde");
    }
}
