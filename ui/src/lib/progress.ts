// Pure helpers behind the ProgressBar: throughput and time-remaining estimates
// from the timestamps at which progress events arrived.
import type { Progress } from './bindings';

export interface Sample {
	/** milliseconds (Date.now() / performance.now()) when the event arrived */
	t: number;
	done: number;
}

export interface Estimate {
	/** 0..100, or null when the total is unknown (indeterminate bar) */
	percent: number | null;
	/** items per second over the sample window, or null when not measurable yet */
	rate: number | null;
	/** seconds left, or null when unknown */
	etaSeconds: number | null;
}

/** Window over which the rate is measured, so that it follows speed changes. */
export const RATE_WINDOW_MS = 5000;

/**
 * Adds a sample and drops those older than the window (always keeping at least
 * one earlier sample so that a rate can still be measured across a pause).
 * A counter that goes backwards (a new stage) starts a fresh series.
 */
export function pushSample(samples: readonly Sample[], s: Sample, windowMs = RATE_WINDOW_MS): Sample[] {
	const last = samples[samples.length - 1];
	if (last && (s.done < last.done || s.t < last.t)) return [s];
	const next = [...samples, s];
	let start = 0;
	while (start < next.length - 2 && s.t - next[start + 1].t >= windowMs) start++;
	return next.slice(start);
}

export function estimate(samples: readonly Sample[], total: number): Estimate {
	const last = samples[samples.length - 1];
	const done = last?.done ?? 0;
	const percent = total > 0 ? Math.min(100, Math.max(0, (done / total) * 100)) : null;
	if (samples.length < 2) return { percent, rate: null, etaSeconds: null };
	const first = samples[0];
	const dt = (last.t - first.t) / 1000;
	const dd = last.done - first.done;
	if (dt <= 0 || dd <= 0) return { percent, rate: null, etaSeconds: null };
	const rate = dd / dt;
	const etaSeconds = total > 0 ? Math.max(0, (total - done) / rate) : null;
	return { percent, rate, etaSeconds };
}

/** 5 → "0:05", 65 → "1:05", 3725 → "1:02:05"; null/NaN/∞ → null. */
export function formatDuration(seconds: number | null): string | null {
	if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
	const s = Math.round(seconds);
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const sec = s % 60;
	const pad = (n: number) => String(n).padStart(2, '0');
	return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** Rates shown with sensible precision: 0.5 → "0.5", 1234.5 → "1,235". */
export function formatRate(rate: number | null): string | null {
	if (rate === null || !Number.isFinite(rate)) return null;
	return rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString('en-US');
}

/**
 * The row count in a progress message such as `"123456 rows"` (import `parse` stage);
 * `1,234 rows` and `1 row` work too. Null when the message names no rows.
 */
export function rowsFromMessage(message: string | null | undefined): number | null {
	const m = /(\d[\d,_ ]*)\s*rows?\b/i.exec(message ?? '');
	if (!m) return null;
	const n = Number(m[1].replace(/[,_ ]/g, ''));
	return Number.isFinite(n) ? n : null;
}

/** Bytes as decimal megabytes: 1_234_567 → "1.2 MB", 123_456_789 → "123 MB". */
export function formatMB(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '—';
	const mb = bytes / 1_000_000;
	return `${mb < 100 ? mb.toFixed(1) : Math.round(mb).toLocaleString('en-US')} MB`;
}

/** Tracks the progress events of one job: latest event plus the rate samples. */
export interface JobProgress {
	latest: Progress | null;
	stage: string | null;
	/** `done` over time (items, or bytes for an import) */
	samples: Sample[];
	/** rows over time, from messages like "123456 rows" (empty when the job gives none) */
	rowSamples: Sample[];
}

export function emptyJobProgress(): JobProgress {
	return { latest: null, stage: null, samples: [], rowSamples: [] };
}

export function onProgressEvent(state: JobProgress, p: Progress, now: number): JobProgress {
	const sameStage = state.stage === p.stage;
	const samples = pushSample(sameStage ? state.samples : [], { t: now, done: p.done });
	const rows = rowsFromMessage(p.message);
	const rowSamples =
		rows === null ? (sameStage ? state.rowSamples : []) : pushSample(sameStage ? state.rowSamples : [], { t: now, done: rows });
	return { latest: p, stage: p.stage, samples, rowSamples };
}
