//! `studio serve --replay N` and the Live screen's replay button: N simulated shoppers
//! ([`Shoppers`], the simulator's response model) driven through the service's real HTTP API
//! over TCP — `POST /v1/rank` with `X-Studio-Replay: 1`, then `POST /v1/events/{id}/reward`
//! when the model says the shopper clicks. The service logs those events `"Simulated": true`
//! and counts them apart from real traffic.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::RwLock;
use std::time::Duration;

use serde_json::{json, Value};
use studio_core::decision::replay::{ReplaySummary, Shoppers, MAX_SHOPPERS};
use studio_core::decision::DecisionError;

use crate::{AppState, ServeError};

/// The header that marks a rank as simulated traffic.
pub const REPLAY_HEADER: &str = "x-studio-replay";

/// One keep-alive HTTP/1.1 connection to the service.
struct Client<'s> {
    addr: SocketAddr,
    /// The service's key in force, read per request (a rotation mid-replay is followed).
    key: Option<&'s RwLock<String>>,
    conn: Option<BufReader<TcpStream>>,
}

impl Client<'_> {
    fn post(&mut self, path: &str, body: &Value) -> std::io::Result<(u16, Value)> {
        // One retry on a fresh connection: the server may have closed an idle one.
        match self.try_post(path, body) {
            Ok(r) => Ok(r),
            Err(_) => {
                self.conn = None;
                self.try_post(path, body)
            }
        }
    }

    fn try_post(&mut self, path: &str, body: &Value) -> std::io::Result<(u16, Value)> {
        if self.conn.is_none() {
            let s = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            s.set_nodelay(true)?;
            self.conn = Some(BufReader::new(s));
        }
        let conn = self.conn.as_mut().expect("connected above");
        let body = body.to_string();
        let key = self.key.map(|k| format!("X-Api-Key: {}\r\n", k.read().unwrap_or_else(|p| p.into_inner()))).unwrap_or_default();
        let req = format!("POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{REPLAY_HEADER}: 1\r\n{key}Content-Length: {}\r\n\r\n{body}", self.addr, body.len());
        conn.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        conn.read_line(&mut line)?;
        let status: u16 = line.get(9..12).and_then(|s| s.parse().ok()).ok_or_else(|| std::io::Error::other(format!("not an HTTP status line: {line:?}")))?;
        let mut length = 0usize;
        loop {
            line.clear();
            conn.read_line(&mut line)?;
            let h = line.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((name, value)) = h.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().map_err(std::io::Error::other)?;
                }
            }
        }
        let mut buf = vec![0; length];
        conn.read_exact(&mut buf)?;
        Ok((status, serde_json::from_slice(&buf).unwrap_or(Value::Null)))
    }
}

/// Drive `shoppers` simulated shoppers (1–[`MAX_SHOPPERS`]) through the service at `addr`,
/// whose state is `state`. Blocking: run it on a thread of its own or tokio's blocking pool.
///
/// Errors: `InvalidParams` for a count out of range; the audience cannot be built (no segment
/// model); the service cannot be reached (`Server`).
pub fn replay(state: &AppState, addr: SocketAddr, shoppers: u64, seed: u64) -> Result<ReplaySummary, ServeError> {
    if !(1..=MAX_SHOPPERS).contains(&shoppers) {
        return Err(DecisionError::InvalidParams(format!("replay must drive 1–{MAX_SHOPPERS} shoppers, got {shoppers}")).into());
    }
    let mut audience = {
        let d = state.decider.lock().unwrap_or_else(|p| p.into_inner());
        let campaign = d.arms().campaign.as_ref().map_or(0, |c| c.id);
        Shoppers::new(d.project(), campaign, seed)?
    };
    let mut client = Client { addr, key: state.api_key.as_ref(), conn: None };
    let mut out = ReplaySummary::default();
    let placement = audience.placement.clone();
    for _ in 0..shoppers {
        let (user, lang) = audience.visit();
        let req = json!({"user_id": user, "placement": placement, "lang": lang});
        out.shoppers += 1;
        let (status, r) = client.post("/v1/rank", &req).map_err(ServeError::Server)?;
        if status != 200 {
            out.refused += 1;
            continue;
        }
        out.impressions += 1;
        let (Some(event), Some(segment), Some(variant)) = (r["event_id"].as_str(), r["segment"]["id"].as_i64(), r["variant_id"].as_i64()) else {
            out.refused += 1;
            continue;
        };
        if audience.clicks(segment, variant) {
            let (status, _) = client.post(&format!("/v1/events/{event}/reward"), &json!({"value": 1})).map_err(ServeError::Server)?;
            if status == 200 {
                out.clicks += 1;
            } else {
                out.refused += 1;
            }
        }
    }
    Ok(out)
}
