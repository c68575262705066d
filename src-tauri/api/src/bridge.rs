//! The dev bridge: the window's commands over HTTP, for the UI in a plain browser (`npm run
//! dev`) and for the UI tests, which so run against the real core instead of a second
//! implementation (GitButler's `but-server` does the same for its web mode).
//!
//! `POST /api/<command>` with the command's arguments as a JSON object (the names the Tauri
//! command takes) answers a stream of JSON lines (`application/x-ndjson`): `{"event": …}` for
//! each progress report or simulation frame, then `{"ok": answer}` or `{"error": {code,
//! message, key?, params?}}`. A live simulation's frames keep coming after its answer until the
//! run ends or the client closes the stream (then the run is saved paused, as when a window
//! closes). `GET /api` lists the commands.
//!
//! The bridge acts as whoever signs in, without a password, as the desktop app does: it listens
//! on loopback only, refuses requests that are not `application/json` (so a web page cannot
//! post to it without a CORS preflight) and answers preflights only from loopback origins.

use std::convert::Infallible;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use studio_core::ErrorCode;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::dispatch::{self, COMMANDS};
use crate::error::ApiError;
use crate::state::{AppState, Events};

/// The bridge's routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new().route("/api", get(|| async { Json(COMMANDS) })).route("/api/{command}", post(invoke).options(preflight)).with_state(state)
}

/// Listen on 127.0.0.1:`port` (0: any free port).
///
/// Errors: the port is taken or not allowed.
pub async fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Serve `state` on `listener` until `shutdown` completes.
pub async fn serve(state: AppState, listener: TcpListener, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}

/// A loopback origin (`http://127.0.0.1:1420`, `http://localhost:5173`, …).
fn loopback_origin(origin: &HeaderValue) -> bool {
    let Ok(o) = origin.to_str() else { return false };
    let host = o.strip_prefix("http://").unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let code = if status == StatusCode::FORBIDDEN { ErrorCode::Forbidden } else { ErrorCode::InvalidInput };
    (status, Json(ApiError::new(code, message))).into_response()
}

/// Allow a loopback page (the Vite dev server) to call the bridge.
fn allow(origin: Option<&HeaderValue>, mut response: Response) -> Response {
    if let Some(o) = origin.filter(|o| loopback_origin(o)) {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, GET"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
        h.insert(header::VARY, HeaderValue::from_static("origin"));
    }
    response
}

async fn preflight(headers: HeaderMap) -> Response {
    allow(headers.get(header::ORIGIN), StatusCode::NO_CONTENT.into_response())
}

fn line(value: &Value) -> Bytes {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

async fn invoke(State(state): State<AppState>, Path(command): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let origin = headers.get(header::ORIGIN);
    if origin.is_some_and(|o| !loopback_origin(o)) {
        return refuse(StatusCode::FORBIDDEN, "the dev bridge answers pages served from this machine only");
    }
    if !headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json")) {
        return allow(origin, refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send the arguments as application/json"));
    }
    let args: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return allow(origin, refuse(StatusCode::BAD_REQUEST, &format!("{command}: the arguments are not JSON: {e}"))),
        }
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<Bytes>();
    let to_events = tx.clone();
    let events = Events::new(move |event| to_events.send(line(&json!({ "event": event }))).is_ok());
    // The command runs to its end even if the client goes away, as it would in the app.
    tokio::spawn(async move {
        let answer = match dispatch::call(&state, &command, args, events).await {
            Ok(v) => json!({ "ok": v }),
            Err(e) => json!({ "error": e }),
        };
        let _ = tx.send(line(&answer));
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx).map(|b| b.map(Ok::<_, Infallible>)));
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    allow(origin, response)
}
