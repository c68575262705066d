// The window follows the roles: what the acting profile may not do is disabled with the core's
// reason on hover (in the UI language); bulk submit; the review thread in the editor; messages
// cleared on a profile switch; keyed core errors shown in Chinese.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError } from '$lib/bindings';
import { setLang } from '$lib/lang.svelte';
import { errorText } from '$lib/messages';
import { loadPermissions, session } from '$lib/session.svelte';
import { bridge, profileId } from '$lib/testing/bridge';
import ErrorBanner from '$lib/components/ErrorBanner.svelte';
import ProfileSwitcher from '$lib/components/ProfileSwitcher.svelte';
import VariantEditor from '$lib/components/VariantEditor.svelte';
import CampaignScreen from '$lib/screens/CampaignScreen.svelte';

/** The campaign "Spring" (8 draft variants: 4 segments × en, zh-CN), the window acting as `as`. */
async function campaign(as: string) {
	const backend = await bridge({ project: 'campaign', as });
	const [c] = await backend.listCampaigns();
	const variants = await backend.listVariants(c.id);
	const placements = (await backend.listPlacements()).filter((p) => c.placements.includes(p.id));
	session.profile = await backend.currentProfile();
	session.campaignId = c.id;
	await loadPermissions(backend);
	return { backend, c, variants, placements };
}

/** Loading a screen on the real core, on a busy machine. */
const slow = { timeout: 10_000 };

const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

afterEach(() => {
	session.permissions = null;
	session.profile = null;
	session.campaignId = null;
});

describe('the editor follows the roles', () => {
	it('is read-only for a reviewer, with the core reason on hover, in the UI language', async () => {
		setLang('zh-CN');
		const { backend, c, variants, placements } = await campaign('demo-reviewer');
		render(VariantEditor, { backend, variant: variants[0], campaign: c, placements, lintDelay: 1, onchange: () => {}, onclose: () => {} });
		const why = '只有营销和管理员可以编辑或重新生成文案和图层';
		expect(screen.getByTestId('editor-readonly').textContent).toContain(why);
		for (const id of ['save-edit', 'regenerate-btn', 'submit-review']) {
			expect(button(id).disabled, id).toBe(true);
		}
		expect(button('regenerate-btn').title).toContain(why);
		expect(button('submit-review').title).toContain('只有营销和管理员可以提交审核');
		expect(button('regenerate-btn').getAttribute('aria-describedby')).toBe(`editor-why-${variants[0].id}`);
		expect((screen.getByTestId('edit-headline') as HTMLInputElement).disabled).toBe(true);
	});

	it('is editable for a marketer, and shows the reviewer’s comments newest first', async () => {
		setLang('en');
		const { backend, c, variants, placements } = await campaign('demo-marketer');
		const v = variants[0];
		await backend.submitVariant(v.id);
		await backend.signIn(await profileId(backend, 'demo-reviewer'));
		await backend.addComment({ variantId: v.id, text: 'First thought' });
		await backend.requestChanges({ variantId: v.id, comment: 'Shorter headline, please' });
		await backend.signIn(await profileId(backend, 'demo-marketer'));
		const row = (await backend.listVariants(c.id)).find((x) => x.id === v.id)!;
		render(VariantEditor, { backend, variant: row, campaign: c, placements, lintDelay: 1, onchange: () => {}, onclose: () => {} });
		await waitFor(() => expect(screen.getAllByTestId('editor-comment')).toHaveLength(2), slow);
		const texts = screen.getAllByTestId('editor-comment').map((p) => p.textContent ?? '');
		expect(texts[0]).toContain('Shorter headline, please');
		expect(texts[0]).toContain('demo-reviewer · Reviewer');
		expect(texts[1]).toContain('First thought');
		expect(screen.getByTestId('editor-changes-requested')).toBeTruthy();
		expect(screen.queryByTestId('editor-readonly')).toBeNull();
		expect(button('regenerate-btn').disabled).toBe(false);
		expect(button('submit-review').disabled).toBe(false);
	});
});

describe('bulk submit', () => {
	it('submits every draft of the campaign in one call and reports it', async () => {
		setLang('en');
		const { backend, c, variants } = await campaign('demo-marketer');
		let calls = 0;
		const submitAll = backend.submitAll.bind(backend);
		backend.submitAll = (a) => (calls++, submitAll(a));
		render(CampaignScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('variant-row')).toHaveLength(variants.length), slow);
		await fireEvent.click(button('submit-all'));
		await waitFor(() => expect(screen.getByTestId('notice').textContent).toContain(`${variants.length} done, 0 refused`), slow);
		expect(calls).toBe(1);
		expect((await backend.listVariants(c.id)).every((v) => v.status === 'in_review')).toBe(true);
	});

	it('is disabled for a reviewer, with the reason', async () => {
		setLang('en');
		const { backend, variants } = await campaign('demo-reviewer');
		render(CampaignScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('variant-row')).toHaveLength(variants.length), slow);
		expect(button('submit-all').disabled).toBe(true);
		expect(button('submit-all').title).toBe('demo-reviewer is a reviewer: only marketers and admins may submit for review');
		expect(screen.getAllByTestId('submit-segment').every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
		expect((screen.getByTestId('create-campaign-btn') as HTMLButtonElement).disabled).toBe(true);
	});
});

describe('switching profiles', () => {
	it('clears the notices and errors of the previous profile and reloads the permissions', async () => {
		setLang('en');
		const { backend, variants } = await campaign('demo-marketer');
		render(ProfileSwitcher, { backend });
		render(CampaignScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('variant-row')).toHaveLength(variants.length), slow);
		await fireEvent.click(button('submit-all'));
		await waitFor(() => expect(screen.getByTestId('notice')).toBeTruthy(), slow);
		await fireEvent.change(screen.getByTestId('profile-select'), { target: { value: String(await profileId(backend, 'demo-reviewer')) } });
		await waitFor(() => expect(screen.queryByTestId('notice')).toBeNull(), slow);
		await waitFor(() => expect(button('submit-all').disabled).toBe(true), slow);
		expect(session.permissions?.find((p) => p.action === 'approve')?.allowed).toBe(true);
	});
});

describe('keyed core errors', () => {
	const e: ApiError = {
		code: 'forbidden',
		message: 'Mia cannot approve variant 8: they submitted its current content (audit #12); another reviewer must approve it',
		key: 'err.review.own_content',
		params: { actor: 'Mia', id: '8', audit_id: '12', audit_action: 'submit' }
	};

	it('are shown in Chinese from their key, and in English as the core wrote them', () => {
		expect(errorText('zh-CN', e)).toBe('Mia 不能通过素材 #8：其本人是当前内容的作者（审计 #12：提交审核），须由另一位审核员通过。');
		expect(errorText('en', e)).toBe(e.message);
		expect(errorText('en', { message: '', key: 'err.review.not_found', params: { id: '4' } })).toBe('Variant 4 not found.');
		// No key (or one this UI does not know): the core's English message.
		expect(errorText('zh-CN', { message: 'disk full' })).toBe('disk full');
		expect(errorText('zh-CN', { message: 'x', key: 'err.unknown.key', params: {} })).toBe('x');
	});

	it('translate role lists, actions and states in their parameters', () => {
		const f = { message: '', key: 'err.review.forbidden', params: { actor: 'Rui', role: 'reviewer', action: 'edit_copy', roles: 'marketer,admin' } };
		expect(errorText('zh-CN', f)).toBe('Rui 的角色是审核：只有营销和管理员可以编辑或重新生成文案和图层。');
		const b = { message: '', key: 'err.review.bad_transition', params: { id: '3', from: 'draft', to: 'approved' } };
		expect(errorText('zh-CN', b)).toBe('素材 #3 当前为“草稿”，不能变为“已通过”。');
	});

	it('of every module come in Chinese, with their identifiers named in Chinese', () => {
		const few = { message: '', key: 'err.segments.too_few_users', params: { users: '43', segments: '3', min_size: '50', needed: '150' } };
		expect(errorText('zh-CN', few)).toBe('用户不足，无法分群：有行为的用户 43 人；3 个分群、每群至少 50 人，共需 150 人。');
		const name = { message: '', key: 'err.names.control', params: { name_field: 'run_name', code: 'U+001B', at: '4' } };
		expect(errorText('zh-CN', name)).toBe('模拟运行名称第 4 个字符是控制字符 U+001B；名称须为一行可见文字。');
		const run = { message: '', key: 'err.simulate.not_resumable', params: { id: '7', status: 'done' } };
		expect(errorText('zh-CN', run)).toBe('模拟运行 #7 状态为“已完成”，不能继续。');
		const seg = { message: '', key: 'err.segments.name_empty', params: { lang: 'zh-CN' } };
		expect(errorText('zh-CN', seg)).toBe('简体中文分群名称为空。');
	});

	it('reach the error banner in the UI language', () => {
		setLang('zh-CN');
		render(ErrorBanner, { error: e });
		expect(screen.getByTestId('error-message').textContent).toContain('须由另一位审核员通过');
	});
});
