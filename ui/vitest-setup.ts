// Test environment: jsdom. Component tests pass a backend explicitly: the real core behind a
// bridge of their own (src/lib/testing/bridge.ts), stopped after each test.
// (Do not import $lib/backend here: backend.test.ts mocks @tauri-apps/api/core.)
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/svelte';
import { stopBridges } from '$lib/testing/bridge';
import { session } from '$lib/session.svelte';
import { setLang } from '$lib/lang.svelte';

afterEach(async () => {
	// Screens go first, so none is left waiting on a bridge that is being stopped.
	cleanup();
	await stopBridges();
	session.campaignId = null;
	session.version = 0;
	setLang('en');
	try {
		localStorage.clear();
	} catch {
		/* ignore */
	}
});
