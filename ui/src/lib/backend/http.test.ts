import { describe, expect, it } from 'vitest';
import { defaultParams } from '$lib/campaign';
import { bridge, profileId } from '$lib/testing/bridge';

describe('HttpBackend on the real core', () => {
	it('refuses an approval by the profile that submitted, even after its role changed', async () => {
		const m = await bridge();
		const c = await m.createCampaign({ params: defaultParams('Summer', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const [v] = await m.listVariants(c.id);
		const id = (name: string) => profileId(m, name);
		await m.signIn(await id('demo-marketer'));
		await m.submitVariant(v.id);
		await m.signIn(await id('demo-admin'));
		await m.setProfileRole({ profileId: await id('demo-marketer'), role: 'reviewer' });
		await m.signIn(await id('demo-marketer'));
		await expect(m.approveVariant({ variantId: v.id, params: { note: '', override_reason: null } })).rejects.toMatchObject({
			code: 'forbidden',
			message: expect.stringContaining(`demo-marketer cannot approve variant ${v.id}`)
		});
		await m.signIn(await id('demo-reviewer'));
		await expect(m.approveVariant({ variantId: v.id, params: { note: '', override_reason: null } })).resolves.toMatchObject({ status: 'approved' });
	});
});
