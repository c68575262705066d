// Placement images loaded with `variant_image`, kept per backend and keyed by variant,
// placement and render hash (an edit changes the hash, so a stale image is never reused).
// Bounded: the oldest entries go first.
import type { Backend } from '$lib/backend';

const MAX = 96;
const caches = new WeakMap<Backend, Map<string, string>>();

export function previewKey(variantId: number, placement: string, sha256: string): string {
	return `${variantId}:${placement}:${sha256}`;
}

export function cachedPreview(backend: Backend, key: string): string | undefined {
	return caches.get(backend)?.get(key);
}

export function cachePreview(backend: Backend, key: string, url: string): void {
	let m = caches.get(backend);
	if (!m) caches.set(backend, (m = new Map()));
	m.delete(key);
	m.set(key, url);
	while (m.size > MAX) m.delete(m.keys().next().value as string);
}
