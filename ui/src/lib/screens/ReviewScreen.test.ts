import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import ReviewScreen from './ReviewScreen.svelte';

describe('ReviewScreen', () => {
	it('approving a variant switches its badge', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const calls: Array<{ variantId: number; reviewer: string }> = [];
		const approve = backend.approveVariant.bind(backend);
		backend.approveVariant = (a) => (calls.push(a), approve(a));

		render(ReviewScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('variant-card').length).toBe(4));
		expect(screen.queryAllByTestId('status-approved')).toHaveLength(0);
		expect(screen.getAllByTestId('status-draft')).toHaveLength(4);
		expect((screen.getByTestId('reviewer') as HTMLInputElement).value).toBe('reviewer');

		await fireEvent.input(screen.getByTestId('reviewer'), { target: { value: 'Li Lei' } });
		const card = screen.getAllByTestId('variant-card')[1];
		await fireEvent.click(within(card).getByTestId('approve-btn'));

		await waitFor(() => expect(within(card).getByTestId('status-approved')).toBeTruthy());
		expect(within(card).queryByTestId('approve-btn')).toBeNull();
		expect(screen.getAllByTestId('status-approved')).toHaveLength(1);
		expect(screen.getAllByTestId('approve-btn')).toHaveLength(3);
		expect(calls).toEqual([{ variantId: Number(card.dataset.variantId), reviewer: 'Li Lei' }]);
	});

	it('shows an error when approval is refused', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		backend.failures.approve_variant = { code: 'forbidden', message: 'reviewer may not approve own work' };
		render(ReviewScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('approve-btn').length).toBe(4));
		await fireEvent.click(screen.getAllByTestId('approve-btn')[0]);
		const banner = await screen.findByTestId('error-banner');
		expect(banner.textContent).toContain('forbidden');
		expect(screen.queryAllByTestId('status-approved')).toHaveLength(0);
	});
});
