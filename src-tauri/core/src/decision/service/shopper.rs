//! Who the shopper of a rank is: their stored state (replayed from the store at start), the
//! request's recent events folded in, and the segment and interests that gives.

use std::borrow::Cow;
use std::collections::HashMap;

use super::Decider;
use crate::decision::api::{Interest, RankRequest};
use crate::decision::DecisionError;
use crate::features::user::{LiveEvent, UserState};
use crate::ingest::writer::EventKind;
use crate::segments::realtime::Assigner;
use crate::store::Project;

impl Decider {
    /// Segment (id, name in the request's language, cold start?) and top interests of the
    /// request's shopper.
    pub(super) fn assign(&self, req: &RankRequest) -> Result<(i64, String, bool, Vec<Interest>), DecisionError> {
        let (state, now, known) = self.state_of(req)?;
        if let Some(s) = self.params.cold_start_segment.filter(|_| !known && req.recent_events.is_empty()) {
            // A segment of the model (checked when the decider was made).
            let name = self.assigner.segments().iter().find(|(id, ..)| *id == s).map(|(_, en, zh)| if req.lang == "zh-CN" { zh.clone() } else { en.clone() }).unwrap_or_default();
            return Ok((s, name, true, Vec::new()));
        }
        let a = self.assigner.assign(&state, now);
        let name = if req.lang == "zh-CN" { a.name_zh } else { a.name_en };
        Ok((a.segment_id, name, false, a.interests.into_iter().map(|(category, probability)| Interest { category, probability }).collect()))
    }

    /// The user's state (replayed from the store at start) with the request's recent events folded in,
    /// the time to assign at, and whether the user had stored history.
    fn state_of(&self, req: &RankRequest) -> Result<(Cow<'_, UserState>, i64, bool), DecisionError> {
        // A pseudonymised project stores `p_…` pseudonyms: the shop sends its own ids.
        let stored = match &self.pseudonym_key {
            Some(k) if !self.users.contains_key(&req.user_id) => crate::ingest::privacy::pseudonym(k, &req.user_id),
            _ => req.user_id.clone(),
        };
        // Borrowed as stored unless the request's events change it.
        let mut state = match self.users.get(&stored) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(self.assigner.new_state()),
        };
        let known = matches!(state, Cow::Borrowed(_));
        let mut now = self.data_end;
        for (n, e) in req.recent_events.iter().enumerate() {
            let kind = match e.kind.as_str() {
                "view" | "cart" | "fav" | "purchase" => EventKind::from_stored(&e.kind),
                other => return Err(DecisionError::BadRequest { field: "recent_events", reason: format!("event {n}: kind {other:?} is not view, cart, fav or purchase") }),
            };
            if e.time <= 0 {
                return Err(DecisionError::BadRequest { field: "recent_events", reason: format!("event {n}: time must be unix seconds") });
            }
            let catalog = self.products.get(&e.item_id);
            let category = e.category.clone().or_else(|| catalog.map(|c| c.0.clone())).unwrap_or_else(|| "unknown".into());
            let brand = catalog.map(|c| c.1.clone()).unwrap_or_default();
            let price_cents = match e.price {
                Some(p) if p.is_finite() && p >= 0.0 => (p * 100.0).round() as i64,
                Some(p) => return Err(DecisionError::BadRequest { field: "recent_events", reason: format!("event {n}: price {p} is not a price") }),
                None => catalog.map_or(0, |c| c.2),
            };
            now = now.max(e.time);
            self.assigner.observe(state.to_mut(), &LiveEvent { ts: e.time, kind, category: &category, price_cents, session: "live", brand: &brand });
        }
        Ok((state, now, known))
    }
}

/// Every user's state, replayed from the store in time order in one pass (the events table has
/// no index on users, so one scan beats a lookup per user).
pub(super) fn replay(project: &Project, assigner: &Assigner) -> Result<HashMap<String, UserState>, DecisionError> {
    let mut users: HashMap<String, UserState> = HashMap::new();
    let mut stmt = project
        .conn()
        .prepare("SELECT e.user_id, e.kind, p.category, e.ts, COALESCE(e.price_cents, p.price_cents), e.session, p.brand FROM events e JOIN products p ON p.id = e.product_id ORDER BY e.ts, e.id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (user, kind, cat, session, brand): (String, String, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(5)?, r.get(6)?);
        let e = LiveEvent { ts: r.get(3)?, kind: EventKind::from_stored(&kind), category: &cat, price_cents: r.get(4)?, session: &session, brand: &brand };
        assigner.observe(users.entry(user).or_insert_with(|| assigner.new_state()), &e);
    }
    Ok(users)
}
