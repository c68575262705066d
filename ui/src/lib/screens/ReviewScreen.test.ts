import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { VariantRow } from '$lib/bindings';
import { loadPermissions, session } from '$lib/session.svelte';
import { bridge, profileId } from '$lib/testing/bridge';
import ReviewScreen from './ReviewScreen.svelte';

/** The campaign "Spring" (8 variants: 4 segments × en, zh-CN), all submitted by the marketer
 * (after `prepare`, as the marketer); then the window acts as `as`. */
async function queue(as: string, prepare: (backend: Awaited<ReturnType<typeof bridge>>, vs: VariantRow[]) => Promise<unknown> = async () => {}) {
	const backend = await bridge({ project: 'campaign' });
	const [c] = await backend.listCampaigns();
	await prepare(backend, await backend.listVariants(c.id));
	const bulk = await backend.submitAll({ campaignId: c.id, segmentId: null });
	expect(bulk.refused).toBe(0);
	const vs = await backend.listVariants(c.id);
	session.profile = await backend.signIn(await profileId(backend, as));
	await loadPermissions(backend);
	return { backend, vs };
}

afterEach(() => {
	session.profile = null;
	session.permissions = null;
});

/** The real core serves the screen's many calls (images, status, audit) on a busy machine. */
const slow = { timeout: 10_000 };

const currentId = () => Number(screen.getByTestId('review-current').getAttribute('data-variant-id'));

describe('ReviewScreen', () => {
	it('culls with the keyboard: J/K move, A approves, R requests changes with a comment', async () => {
		const { backend, vs } = await queue('demo-reviewer');
		render(ReviewScreen, { backend });
		await waitFor(() => expect(currentId()).toBe(vs[0].id), slow);
		expect(screen.getByTestId('review-position').textContent).toBe('1 of 8');
		expect(screen.getByTestId('review-placements').querySelectorAll('figure').length).toBe(vs[0].renders.length);

		await fireEvent.keyDown(window, { key: 'j' });
		await waitFor(() => expect(currentId()).toBe(vs[1].id), slow);
		await fireEvent.keyDown(window, { key: 'k' });
		await waitFor(() => expect(currentId()).toBe(vs[0].id), slow);

		await fireEvent.keyDown(window, { key: 'a' });
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toBe(`Variant #${vs[0].id} approved`), slow);
		// approved variants leave the "in review" queue
		await waitFor(() => expect(currentId()).toBe(vs[1].id), slow);
		expect((await backend.reviewStatus(vs[0].id)).state).toBe('approved');

		await fireEvent.keyDown(window, { key: 'r' });
		const box = await screen.findByTestId('review-text', {}, slow);
		await waitFor(() => expect(document.activeElement).toBe(box), slow);
		// keys typed into the box are text, not commands
		await fireEvent.keyDown(box, { key: 'a' });
		await fireEvent.input(box, { target: { value: 'Headline overpromises' } });
		// (Send waits until the approval's follow-up loads are done.)
		const send = screen.getByTestId('review-send') as HTMLButtonElement;
		await waitFor(() => expect(send.disabled).toBe(false), slow);
		await fireEvent.click(send);
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toBe(`Changes requested for #${vs[1].id}`), slow);
		expect((await backend.reviewStatus(vs[1].id)).state).toBe('changes_requested');
		expect((await backend.listComments(vs[1].id)).map((c) => [c.author, c.text])).toEqual([['demo-reviewer', 'Headline overpromises']]);
		expect((await backend.variantAudit(vs[1].id)).map((a) => a.action)).toEqual(['submit', 'request_changes']);
		// it left the queue too; the next one's audit trail names the states as the window does
		// (the core writes `draft → in_review`)
		await waitFor(() => expect(currentId()).toBe(vs[2].id), slow);
		await waitFor(() => expect(screen.getAllByTestId('audit-detail').map((d) => d.textContent)).toEqual(['Draft → In review']), slow);

		await fireEvent.keyDown(window, { key: '?' });
		expect(screen.getByTestId('review-help').textContent).toContain('Request changes');
	}, 60_000);

	// The window no longer lets a marketer start an approval the core would refuse: the
	// button is disabled with the core's reason on hover (pressing A does nothing), and the
	// core still refuses the command itself.
	it('disables approval for a marketer with the core reason; the core still refuses', async () => {
		const { backend, vs } = await queue('demo-marketer');
		render(ReviewScreen, { backend });
		await waitFor(() => expect(currentId()).toBe(vs[0].id), slow);
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
	}, 60_000);

	it('approves the selected variants in one call and lists the refused ones with the reason', async () => {
		// vs[1] fails the compliance gate: a bulk approval (no override) refuses it only.
		const { backend, vs } = await queue('demo-reviewer', (b, draft) => b.editVariant({ variantId: draft[1].id, edit: { headline: 'The BEST deal!!' } }));
		expect((await backend.reviewStatus(vs[1].id)).blocked).toBe(true);
		render(ReviewScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('select-variant').length).toBe(8), slow);
		await fireEvent.click(screen.getByTestId('select-all'));
		const btn = screen.getByTestId('approve-selected') as HTMLButtonElement;
		expect(btn.textContent).toContain('(8)');
		await fireEvent.click(btn);
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toBe('7 done, 1 refused'), slow);
		const refused = screen.getByTestId('bulk-refused');
		expect(refused.querySelectorAll('li')).toHaveLength(1);
		expect(refused.textContent).toContain(`#${vs[1].id}: variant ${vs[1].id} fails the compliance check`);
		expect(refused.textContent).toContain('google-gimmicky-caps “BEST” in the Headline');
		const states = await Promise.all(vs.map(async (v) => (await backend.reviewStatus(v.id)).state));
		expect(states).toEqual(vs.map((_, i) => (i === 1 ? 'in_review' : 'approved')));
	}, 60_000);
});
