import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { loadPermissions, session } from '$lib/session.svelte';
import ReviewScreen from './ReviewScreen.svelte';

/** A campaign of 4 variants (one per segment), all submitted by the marketer; then the
 * window acts as `as`. */
async function queue(as: string) {
	const backend = new MockBackend({ tickMs: 1 });
	const c = await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
	const vs = await backend.listVariants(c.id);
	for (const v of vs) await backend.submitVariant(v.id);
	session.profile = await backend.signIn(backend.profileNamed(as)!.id);
	await loadPermissions(backend);
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

	// The window no longer lets a marketer start an approval the core would refuse: the
	// button is disabled with the core's reason on hover (pressing A does nothing), and the
	// core still refuses the command itself.
	it('disables approval for a marketer with the core reason; the core still refuses', async () => {
		const { backend, vs } = await queue('demo-marketer');
		render(ReviewScreen, { backend });
		await waitFor(() => expect(currentId()).toBe(vs[0].id));
		expect(screen.getByTestId('review-role-hint').getAttribute('title')).toContain('only reviewers may approve');
		const btn = screen.getByTestId('approve-btn') as HTMLButtonElement;
		expect(btn.disabled).toBe(true);
		expect(btn.getAttribute('title')).toContain('demo-marketer is a marketer');
		expect(screen.getByTestId('approve-why').textContent).toContain('only reviewers may approve');
		expect((screen.getByTestId('approve-selected') as HTMLButtonElement).disabled).toBe(true);
		await fireEvent.keyDown(window, { key: 'a' });
		expect(screen.queryByTestId('error-banner')).toBeNull();
		await expect(backend.approveVariant({ variantId: vs[0].id, params: { note: '', override_reason: null } })).rejects.toMatchObject({ code: 'forbidden' });
		expect((await backend.reviewStatus(vs[0].id)).state).toBe('in_review');
	});

	it('approves the selected variants in one call and lists the refused ones with the reason', async () => {
		const { backend, vs } = await queue('demo-reviewer');
		// vs[1] fails the compliance gate: a bulk approval (no override) refuses it only.
		await backend.signIn(backend.profileNamed('demo-marketer')!.id);
		await backend.editVariant({ variantId: vs[1].id, edit: { headline: 'The BEST deal!!' } });
		await backend.submitVariant(vs[1].id);
		await backend.signIn(backend.profileNamed('demo-reviewer')!.id);
		render(ReviewScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('select-variant').length).toBe(4));
		await fireEvent.click(screen.getByTestId('select-all'));
		const btn = screen.getByTestId('approve-selected') as HTMLButtonElement;
		expect(btn.textContent).toContain('(4)');
		await fireEvent.click(btn);
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toBe('3 done, 1 refused'));
		expect(screen.getByTestId('bulk-refused').textContent).toContain(`#${vs[1].id}`);
		const states = await Promise.all(vs.map(async (v) => (await backend.reviewStatus(v.id)).state));
		expect(states).toEqual(['approved', 'in_review', 'approved', 'approved']);
	});
});
