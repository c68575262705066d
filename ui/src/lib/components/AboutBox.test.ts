import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { STUDIO_VERSION } from '$lib/bindings';
import { setLang } from '$lib/lang.svelte';
import { bridge } from '$lib/testing/bridge';
import AboutBox from './AboutBox.svelte';

describe('AboutBox', () => {
	it('shows the version from the bindings and the open project', async () => {
		setLang('zh-CN');
		const backend = await bridge();
		render(AboutBox, { backend });
		expect(screen.getByTestId('about-btn').textContent).toBe('关于');
		await fireEvent.click(screen.getByTestId('about-btn'));
		expect(screen.getByTestId('about-version').textContent).toBe(STUDIO_VERSION);
		expect(STUDIO_VERSION).toMatch(/^\d+\.\d+\.\d+/);
		const path = (await backend.projectOverview()).path;
		expect(path).toMatch(/\.studio$/);
		await waitFor(() => expect(screen.getByTestId('about-project').textContent).toBe(path));
		setLang('en');
	});
});
