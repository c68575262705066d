// The one door to the Rust core. Screens only talk to a `Backend`:
// `TauriBackend` inside the desktop app, `MockBackend` in tests and in a plain browser.
//
// The parts live under `backend/`: `api.ts` (the `Backend` interface, argument types,
// error normalisation), `tauri.ts`, `mock.ts` and the mock's fixtures (`mock-data.ts`,
// `mock-files.ts`, campaigns in `mock-campaign.ts` with `mock-copy.ts`, `mock-rules.ts`,
// `mock-image.ts`). Everything is re-exported here, so `$lib/backend` stays the import.
import type { Backend } from './backend/api';
import { MockBackend } from './backend/mock-backend';
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
export { MockBackend } from './backend/mock-backend';
export type { MockOptions } from './backend/mock-data';
export { prng, XSS_BRAND } from './backend/mock-data';
export { TauriBackend } from './backend/tauri';

let current: Backend | null = null;

export function inTauri(): boolean {
	return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** The backend of this window, chosen once: Tauri inside the app, the mock elsewhere. */
export function getBackend(): Backend {
	if (!current) current = inTauri() ? new TauriBackend() : new MockBackend();
	return current;
}

/** For tests. */
export function setBackend(b: Backend | null): void {
	current = b;
}
