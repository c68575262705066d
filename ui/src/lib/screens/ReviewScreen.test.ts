import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { session } from '$lib/session.svelte';
import ReviewScreen from './ReviewScreen.svelte';

/** A campaign of 4 variants (one per segment), all submitted by the marketer; then the
 * window acts as `as`. */
async function queue(as: string) {
	const backend = new MockBackend({ tickMs: 1 });
	const c = await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
	const vs = await backend.listVariants(c.id);
	for (const v of vs) await backend.submitVariant(v.id);
	session.profile = await backend.signIn(backend.profileNamed(as)!.id);
	return { backend, vs };
}

const currentId = () => Number(screen.getByTestId('review-current').getAttribute('data-variant-id'));

describe('ReviewScreen', () => {
	it('culls with the keyboard: J/K move, A approves, R requests changes with a comment', async () => {
		const { backend, vs } = await queue('demo-reviewer');
		render(ReviewScreen, { backend });
		await waitFor(() => expect(currentId()).toBe(vs[0].id));
		expect(screen.getByTestId('review-position').textContent).toBe('1 of 4');
		expect(screen.getByTestId('review-placements').querySelectorAll('figure').length).toBe(vs[0].renders.length);

		await fireEvent.keyDown(window, { key: 'j' });
		await waitFor(() => expect(currentId()).toBe(vs[1].id));
		await fireEvent.keyDown(window, { key: 'k' });
		await waitFor(() => expect(currentId()).toBe(vs[0].id));

		await fireEvent.keyDown(window, { key: 'a' });
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toBe(`Variant #${vs[0].id} approved`));
		// approved variants leave the "in review" queue
		await waitFor(() => expect(currentId()).toBe(vs[1].id));
		expect((await backend.reviewStatus(vs[0].id)).state).toBe('approved');

		await fireEvent.keyDown(window, { key: 'r' });
		const box = await screen.findByTestId('review-text');
		await waitFor(() => expect(document.activeElement).toBe(box));
		// keys typed into the box are text, not commands
		await fireEvent.keyDown(box, { key: 'a' });
		await fireEvent.input(box, { target: { value: 'Headline overpromises' } });
		await fireEvent.click(screen.getByTestId('review-send'));
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toBe(`Changes requested for #${vs[1].id}`));
		expect((await backend.reviewStatus(vs[1].id)).state).toBe('changes_requested');
		expect((await backend.listComments(vs[1].id)).map((c) => [c.author, c.text])).toEqual([['demo-reviewer', 'Headline overpromises']]);
		expect((await backend.variantAudit(vs[1].id)).map((a) => a.action)).toEqual(['submit', 'request_changes']);

		await fireEvent.keyDown(window, { key: '?' });
		expect(screen.getByTestId('review-help').textContent).toContain('Request changes');
	});

	it('shows the core refusal when a marketer tries to approve', async () => {
		const { backend, vs } = await queue('demo-marketer');
		render(ReviewScreen, { backend });
		await waitFor(() => expect(currentId()).toBe(vs[0].id));
		expect(screen.getByTestId('review-role-hint').textContent).toContain('only reviewers may approve');
		await fireEvent.click(screen.getByTestId('approve-btn'));
		const banner = await screen.findByTestId('error-banner');
		expect(banner.textContent).toContain('forbidden');
		expect(banner.textContent).toContain('demo-marketer is a marketer');
		expect((await backend.reviewStatus(vs[0].id)).state).toBe('in_review');
	});
});
