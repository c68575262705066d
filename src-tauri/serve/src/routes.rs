//! The HTTP routes: thin adapters from JSON to the core's [`Decider`] and back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use studio_core::decision::{DecisionError, RankRequest};
use studio_core::{campaign, ErrorCode, HasCode};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{AppState, BODY_LIMIT};

/// A rendered creative held in memory.
#[derive(Clone)]
pub struct Creative {
    bytes: Vec<u8>,
    content_type: &'static str,
    etag: String,
}

/// An error answer: status plus `{code, message}`.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }
}

impl From<DecisionError> for ApiError {
    fn from(e: DecisionError) -> ApiError {
        let code = e.code();
        let status = match code {
            ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, code.as_str(), e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        let status = if r.status() == StatusCode::PAYLOAD_TOO_LARGE { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST };
        ApiError::new(status, ErrorCode::InvalidInput.as_str(), r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({"code": self.code, "message": self.message}))).into_response()
    }
}

/// The router over `state`, with CORS for `origins` (none: same-origin only).
pub fn router(state: Arc<AppState>, origins: &[String]) -> Router {
    let mut app = Router::new()
        .route("/v1/rank", post(rank))
        .route("/v1/events/{id}/reward", post(reward))
        .route("/v1/events/{id}/activate", post(activate))
        .route("/v1/creatives/{file}", get(creative))
        .route("/v1/stats", get(stats))
        .route("/healthz", get(healthz))
        .route("/demo", get(demo))
        .route("/metrics", get(metrics))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound.as_str(), "no such route; see /v1/rank, /v1/events/{id}/reward, /healthz") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    if !allowed.is_empty() {
        app = app.layer(CorsLayer::new().allow_origin(AllowOrigin::list(allowed)).allow_methods([Method::GET, Method::POST]).allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::HeaderName::from_static("x-api-key"),
            header::HeaderName::from_static(crate::replay::REPLAY_HEADER),
        ]));
    }
    app
}

fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(key) = &state.api_key else { return Ok(()) };
    let key = key.read().unwrap_or_else(|p| p.into_inner());
    let given = headers.get("x-api-key").and_then(|v| v.to_str().ok()).or_else(|| headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")));
    // Compare digests so the time taken does not depend on how much of the key matched.
    let digest = |s: &str| Sha256::digest(s.as_bytes());
    match given {
        Some(g) if digest(g) == digest(&key) => Ok(()),
        _ => Err(ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Forbidden.as_str(), "missing or wrong API key: send the project's key in X-Api-Key (studio serve --show-key)")),
    }
}

fn counted(state: &AppState, route: &'static str, r: Result<Response, ApiError>) -> Response {
    let resp = r.unwrap_or_else(IntoResponse::into_response);
    state.metrics.request(route, resp.status().as_u16());
    resp
}

async fn rank(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Result<Json<RankRequest>, JsonRejection>) -> Response {
    let started = Instant::now();
    let r = (|| {
        authorised(&state, &headers)?;
        let Json(req) = body?;
        let simulated = headers.get(crate::replay::REPLAY_HEADER).is_some_and(|v| v.as_bytes() == b"1");
        let out = state.decider.lock().unwrap_or_else(|p| p.into_inner()).rank(&req, simulated)?;
        Ok(Json(out).into_response())
    })();
    state.metrics.rank_latency(started.elapsed());
    counted(&state, "rank", r)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RewardBody {
    value: f64,
}

async fn reward(State(state): State<Arc<AppState>>, Path(id): Path<String>, headers: HeaderMap, body: Result<Json<RewardBody>, JsonRejection>) -> Response {
    let r = (|| {
        authorised(&state, &headers)?;
        let Json(b) = body?;
        state.decider.lock().unwrap_or_else(|p| p.into_inner()).reward(&id, b.value)?;
        Ok(Json(serde_json::json!({"event_id": id, "accepted": true})).into_response())
    })();
    counted(&state, "reward", r)
}

async fn activate(State(state): State<Arc<AppState>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let r = (|| {
        authorised(&state, &headers)?;
        state.decider.lock().unwrap_or_else(|p| p.into_inner()).activate(&id)?;
        Ok(Json(serde_json::json!({"event_id": id, "activated": true})).into_response())
    })();
    counted(&state, "activate", r)
}

async fn creative(State(state): State<Arc<AppState>>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let r = (|| {
        let cached = state.creatives.lock().unwrap_or_else(|p| p.into_inner()).get(&file).cloned();
        let c = match cached {
            Some(c) => c,
            None => {
                let d = state.decider.lock().unwrap_or_else(|p| p.into_inner());
                let (variant, placement) = d.arms().file(&file).ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound.as_str(), format!("no servable creative named {file:?}")))?;
                let (bytes, format) = campaign::render_image(d.project(), variant, placement).map_err(|e| ApiError::from(DecisionError::from(e)))?;
                let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&bytes))[..32]);
                let c = Creative { bytes, content_type: format.mime(), etag };
                state.creatives.lock().unwrap_or_else(|p| p.into_inner()).insert(file.clone(), c.clone());
                c
            }
        };
        if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(c.etag.as_str()) {
            return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, c.etag)]).into_response());
        }
        Ok(([(header::CONTENT_TYPE, c.content_type.to_string()), (header::CACHE_CONTROL, "public, max-age=3600".to_string()), (header::ETAG, c.etag)], c.bytes).into_response())
    })();
    counted(&state, "creative", r)
}

/// `GET /v1/stats`: [`studio_core::decision::LiveStats`], the Live screen's numbers.
async fn stats(State(state): State<Arc<AppState>>) -> Response {
    let body = state.decider.lock().unwrap_or_else(|p| p.into_inner()).live_stats();
    counted(&state, "stats", Ok(Json(body).into_response()))
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let arms = state.decider.lock().unwrap_or_else(|p| p.into_inner()).arms().arms.len();
    counted(&state, "healthz", Ok(Json(serde_json::json!({"status": "ok", "servable_variants": arms})).into_response()))
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let d = state.decider.lock().unwrap_or_else(|p| p.into_inner());
    let keys: BTreeMap<i64, String> = d.arms().arms.iter().map(|a| (a.variant_id, a.key.clone())).collect();
    let text = state.metrics.render(&d.stats(), d.refusals(), &keys);
    drop(d);
    counted(&state, "metrics", Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()))
}

const DEMO_PAGE: &str = include_str!("../assets/demo.html");

/// The demo storefront: a product listing whose banner slot calls `/v1/rank` for a shopper of
/// the project and sends a click as the reward (real traffic, same origin).
async fn demo(State(state): State<Arc<AppState>>) -> Response {
    let r = (|| {
        let data = state.decider.lock().unwrap_or_else(|p| p.into_inner()).storefront()?;
        // `<` escaped so no name can close the script element.
        let json = serde_json::to_string(&data).expect("storefront serialises").replace('<', "\\u003c");
        let page = DEMO_PAGE.replace("<!--CONFIG-->", &format!("<script type=\"application/json\" id=\"demo-config\">{json}</script>"));
        Ok::<_, ApiError>(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
    })();
    counted(&state, "demo", r)
}
