import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit(), svelteTesting()],
	// Tauri expects a fixed port in dev and must not be hidden behind the Vite overlay.
	clearScreen: false,
	server: { port: 1420, strictPort: true },
	test: {
		environment: 'jsdom',
		include: ['src/**/*.test.ts'],
		setupFiles: ['./vitest-setup.ts'],
		// The real core behind `studio bridge` (see src/lib/testing/bridge.ts).
		globalSetup: ['./vitest-global-setup.ts'],
		// Two workers on the 2-core machine: each test's core runs in its own `studio bridge` process.
		pool: 'threads',
		poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
		testTimeout: 15000
	}
});
