// The one door to the Rust core. Screens only talk to a `Backend`: `TauriBackend` inside the
// desktop app, `HttpBackend` over the dev bridge (`studio bridge`) in a plain browser and in the
// UI tests. Both are the same `CoreBackend` (one method per core command) over another transport.
//
// The parts live under `backend/`: `api.ts` (the `Backend` interface, argument types, error
// normalisation), `core.ts`, `tauri.ts`, `http.ts`. Everything is re-exported here, so
// `$lib/backend` stays the import.
import type { Backend } from './backend/api';
import { HttpBackend } from './backend/http';
import { TauriBackend } from './backend/tauri';

export {
	IMPORT_CURRENCIES,
	IMPORT_FORMATS,
	isApiError,
	toApiError,
	type Backend,
	type CreateCampaignArgs,
	type EditVariantArgs,
	type FrameFn,
	type ImportArgs,
	type ImportFormat,
	type LintArgs,
	type ProgressFn,
	type RejectedPageArgs,
	type VariantImageArgs
} from './backend/api';
export { TauriBackend } from './backend/tauri';
export { CoreBackend, type Transport } from './backend/core';
export { DEFAULT_BRIDGE, HttpBackend } from './backend/http';

let current: Backend | null = null;

export function inTauri(): boolean {
	return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** The backend of this window, chosen once: Tauri inside the app, the dev bridge elsewhere (at
 * `VITE_STUDIO_BRIDGE`, else `studio bridge`'s default port). */
export function getBackend(): Backend {
	if (!current) current = inTauri() ? new TauriBackend() : new HttpBackend(import.meta.env.VITE_STUDIO_BRIDGE ?? undefined);
	return current;
}

/** For tests. */
export function setBackend(b: Backend | null): void {
	current = b;
}
