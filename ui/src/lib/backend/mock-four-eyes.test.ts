import { describe, expect, it } from 'vitest';
import { defaultParams } from '$lib/campaign';
import { MockBackend } from './mock-backend';

describe('MockBackend four eyes and segment renames', () => {
	it('refuses an approval by the profile that submitted, even after its role changed', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const c = await m.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const [v] = await m.listVariants(c.id);
		const id = (name: string) => m.profileNamed(name)!.id;
		await m.signIn(id('demo-marketer'));
		await m.submitVariant(v.id);
		await m.signIn(id('demo-admin'));
		await m.setProfileRole({ profileId: id('demo-marketer'), role: 'reviewer' });
		await m.signIn(id('demo-marketer'));
		await expect(m.approveVariant({ variantId: v.id, params: { note: '', override_reason: null } })).rejects.toMatchObject({
			code: 'forbidden',
			message: expect.stringContaining(`demo-marketer cannot approve variant ${v.id}: they submitted its current content`)
		});
		await m.signIn(id('demo-reviewer'));
		await expect(m.approveVariant({ variantId: v.id, params: { note: '', override_reason: null } })).resolves.toMatchObject({ status: 'approved' });
	});

	it('lets marketers and admins rename a segment, logged, and refuses reviewers', async () => {
		const reviewer = new MockBackend({ tickMs: 1, profile: 'demo-reviewer' });
		const [s] = await reviewer.listSegments();
		await expect(reviewer.renameSegment({ segmentId: s.id, nameEn: 'Night owls', nameZh: '夜猫子' })).rejects.toMatchObject({ code: 'forbidden' });
		expect((await reviewer.listSegments())[0].name_en).toBe(s.name_en);
		const m = new MockBackend({ tickMs: 1 });
		await m.renameSegment({ segmentId: s.id, nameEn: 'Night owls', nameZh: '夜猫子' });
		const row = (await m.variantAudit(s.id)).find((e) => e.action === 'rename_segment');
		expect(row).toMatchObject({ actor: 'demo-marketer', entity: 'segment', entity_id: s.id });
		expect(row!.detail).toContain('→ "Night owls" / "夜猫子"');
	});
});
