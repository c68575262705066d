// Small formatting helpers shared by the screens.

/** Base64 of the UTF-8 bytes of `text` (btoa alone throws on non-Latin-1, e.g. Chinese). */
export function utf8ToBase64(text: string): string {
	const bytes = new TextEncoder().encode(text);
	let bin = '';
	const CHUNK = 0x8000;
	for (let i = 0; i < bytes.length; i += CHUNK) {
		bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	}
	return btoa(bin);
}

/** The `src` for an <img> showing an SVG document string (never injected as markup). */
export function svgDataUrl(svg: string): string {
	return 'data:image/svg+xml;base64,' + utf8ToBase64(svg);
}

/** An image URL for a core-drawn SVG: a Blob URL where the browser has them (no base64 work;
 * give it back with `releaseSvgImageUrl`), else a data URL (tests under jsdom). */
export function svgImageUrl(svg: string): string {
	return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })) : svgDataUrl(svg);
}

/** Release a URL made by `svgImageUrl` (data URLs need nothing). */
export function releaseSvgImageUrl(url: string): void {
	if (url.startsWith('blob:')) URL.revokeObjectURL(url);
}

/** Only raster data URLs produced by the core are used as banner sources. */
export function safeImageDataUrl(url: string | null | undefined): string | null {
	return typeof url === 'string' && /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(url)
		? url
		: null;
}

export function fmtInt(n: number, locale: string): string {
	return Number.isFinite(n) ? Math.round(n).toLocaleString(locale) : '—';
}

export function fmtPercent(ratio: number, locale: string, digits = 1): string {
	if (!Number.isFinite(ratio)) return '—';
	return (ratio * 100).toLocaleString(locale, {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	}) + '%';
}

const SYMBOLS: Record<string, string> = { CNY: '¥', JPY: '¥', USD: '$', EUR: '€', GBP: '£' };

/** A price with its currency symbol (¥ when the currency is not given). */
export function fmtPrice(n: number, locale: string, currency = 'CNY'): string {
	if (!Number.isFinite(n)) return '—';
	const body = n.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
	const sym = SYMBOLS[currency];
	return sym ? sym + body : `${body} ${currency}`;
}

export function fmtBytes(n: number): string {
	if (!Number.isFinite(n) || n < 0) return '—';
	if (n < 1024) return `${n} B`;
	const units = ['KiB', 'MiB', 'GiB'];
	let v = n / 1024;
	let i = 0;
	while (v >= 1024 && i < units.length - 1) {
		v /= 1024;
		i++;
	}
	return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A job id for cancel_job; crypto.randomUUID where available. */
export function newJobId(): string {
	if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
		return crypto.randomUUID();
	}
	return 'job-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

/** Local date-time for an ISO-ish timestamp; the raw text when it does not parse. */
export function fmtDateTime(value: string, locale: string): string {
	const d = new Date(value);
	return Number.isNaN(d.getTime()) ? value : d.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

/** Inverse of utf8ToBase64. */
export function base64ToUtf8(b64: string): string {
	return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}
