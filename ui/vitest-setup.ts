// Test environment: jsdom. Component tests pass a MockBackend (tiny timers) explicitly.
// (Do not import $lib/backend here: backend.test.ts mocks @tauri-apps/api/core.)
import { afterEach } from 'vitest';
import { session } from '$lib/session.svelte';
import { setLang } from '$lib/lang.svelte';

afterEach(() => {
	session.campaignId = null;
	session.version = 0;
	setLang('en');
	try {
		localStorage.clear();
	} catch {
		/* ignore */
	}
});
