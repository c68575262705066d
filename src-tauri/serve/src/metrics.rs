//! Service metrics in the Prometheus text exposition format (version 0.0.4): request counts by
//! route and status, the rank latency histogram, and impressions and rewards per variant.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use studio_core::decision::{Refusals, VariantStats};

/// Upper bounds of the latency buckets, seconds.
pub const BUCKETS: [f64; 12] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0];

/// Counters shared by the handlers (lock-free on the rank path except the status map).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_ns: AtomicU64,
}

impl Metrics {
    /// Count one request of `route` answered with `status`.
    pub fn request(&self, route: &'static str, status: u16) {
        *self.requests.lock().expect("metrics lock").entry((route, status)).or_default() += 1;
    }

    /// Record one rank's latency.
    pub fn rank_latency(&self, d: Duration) {
        let s = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|&b| s <= b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_ns.fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
    }

    /// The exposition text, with the decider's per-variant traffic and refusals.
    pub fn render(&self, stats: &BTreeMap<i64, VariantStats>, refusals: Refusals, keys: &BTreeMap<i64, String>) -> String {
        let mut out = String::new();
        out.push_str("# HELP studio_http_requests_total HTTP requests by route and status.\n# TYPE studio_http_requests_total counter\n");
        for ((route, status), n) in self.requests.lock().expect("metrics lock").iter() {
            let _ = writeln!(out, "studio_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
        }
        let errors: u64 = self.requests.lock().expect("metrics lock").iter().filter(|((_, s), _)| *s >= 400).map(|(_, n)| n).sum();
        let _ = writeln!(out, "# HELP studio_http_errors_total Requests answered with a 4xx or 5xx status.\n# TYPE studio_http_errors_total counter\nstudio_http_errors_total {errors}");
        out.push_str("# HELP studio_rank_latency_seconds Time to answer a rank, in the handler.\n# TYPE studio_rank_latency_seconds histogram\n");
        let mut cum = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cum += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "studio_rank_latency_seconds_bucket{{le=\"{b}\"}} {cum}");
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "studio_rank_latency_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "studio_rank_latency_seconds_sum {}", self.latency_sum_ns.load(Ordering::Relaxed) as f64 / 1e9);
        let _ = writeln!(out, "studio_rank_latency_seconds_count {count}");
        out.push_str("# HELP studio_impressions_total Impressions per variant (real traffic).\n# TYPE studio_impressions_total counter\n");
        for (v, s) in stats {
            let key = keys.get(v).map_or("", String::as_str);
            let _ = writeln!(out, "studio_impressions_total{{variant=\"{v}\",key=\"{key}\"}} {}", s.impressions);
        }
        out.push_str("# HELP studio_rewards_total Rewarded events per variant (real traffic).\n# TYPE studio_rewards_total counter\n");
        for (v, s) in stats {
            let key = keys.get(v).map_or("", String::as_str);
            let _ = writeln!(out, "studio_rewards_total{{variant=\"{v}\",key=\"{key}\"}} {}", s.rewards);
        }
        out.push_str("# HELP studio_refused_total Reward and activation calls refused, by reason.\n# TYPE studio_refused_total counter\n");
        for (reason, n) in [("unknown_event", refusals.unknown_event), ("duplicate_reward", refusals.duplicate_reward), ("expired", refusals.expired)] {
            let _ = writeln!(out, "studio_refused_total{{reason=\"{reason}\"}} {n}");
        }
        out
    }
}
