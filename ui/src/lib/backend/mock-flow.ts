// Test helper: take a mock variant through the review workflow as the demo team would
// (marketer submits, reviewer approves), then act as `after` again.
import type { VariantRow } from '$lib/bindings';
import type { MockBackend } from './mock-backend';

export async function approveAs(backend: MockBackend, variantId: number, after = 'demo-marketer'): Promise<VariantRow> {
	const id = (name: string) => {
		const p = backend.profileNamed(name);
		if (!p) throw new Error(`no mock profile ${name}`);
		return p.id;
	};
	try {
		await backend.signIn(id('demo-marketer'));
		const { state } = await backend.reviewStatus(variantId);
		if (state === 'draft' || state === 'changes_requested') await backend.submitVariant(variantId);
		await backend.signIn(id('demo-reviewer'));
		return await backend.approveVariant({ variantId, params: { note: '', override_reason: null } });
	} finally {
		await backend.signIn(id(after));
	}
}
