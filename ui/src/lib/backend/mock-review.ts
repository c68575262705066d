// Profiles, review workflow, comments and the audit log of the mock backend, with the core's
// rules (review::roles::allowed, workflow transitions, the compliance gate) and messages.
import type { ApiError, AuditEntry, Comment, Profile, ProfileParams, ProfileRole, ReviewState, ReviewStatus, VariantRow } from '$lib/bindings';
import { clone } from './mock-data';

export type MockAction = 'create_campaign' | 'edit' | 'submit' | 'approve' | 'request_changes' | 'override' | 'comment' | 'export' | 'manage_profiles' | 'rename_segment';

const RULES: Record<ProfileRole, MockAction[]> = {
	marketer: ['create_campaign', 'edit', 'submit', 'comment', 'export', 'rename_segment'],
	reviewer: ['approve', 'request_changes', 'override', 'comment'],
	manager: ['comment'],
	admin: ['create_campaign', 'edit', 'submit', 'comment', 'export', 'manage_profiles', 'rename_segment']
};

export function mockAllowed(role: ProfileRole, action: MockAction): boolean {
	return RULES[role].includes(action);
}

function forbidden(message: string): ApiError {
	return { code: 'forbidden', message };
}

function hashOf(v: VariantRow): string {
	let h = 0;
	for (const c of JSON.stringify([v.headline, v.long_headline, v.description, v.primary_text, v.cta, v.layers])) h = (h * 31 + c.charCodeAt(0)) >>> 0;
	return h.toString(16).padStart(8, '0').repeat(8);
}

export class MockReview {
	profiles: Profile[] = [];
	current: number | null = null;
	private comments: Comment[] = [];
	private audit: AuditEntry[] = [];
	private approvals = new Map<number, { reviewer: string; at: string; hash: string; override: string | null }>();

	constructor(signedIn: string | null) {
		const team: Array<[string, ProfileRole]> = [
			['demo-admin', 'admin'],
			['demo-marketer', 'marketer'],
			['demo-reviewer', 'reviewer'],
			['demo-manager', 'manager']
		];
		this.profiles = team.map(([name, role], i) => ({ id: i + 1, name, role, created_at: '2026-11-28T09:00:00Z', active: true }));
		this.current = this.profiles.find((p) => p.name === signedIn)?.id ?? null;
	}

	actor(action: MockAction): Profile {
		const p = this.profiles.find((x) => x.id === this.current);
		if (!p) throw { ...forbidden('choose who you are (a profile) before changing anything'), key: 'err.no_profile', params: {} };
		if (!p.active) throw forbidden(`${p.name} is deactivated`);
		if (!mockAllowed(p.role, action)) {
			const roles = (Object.keys(RULES) as ProfileRole[]).filter((r) => mockAllowed(r, action));
			const who = roles.map((r) => `${r}s`).join(' and ');
			// The core's message key (studio_core::messages), so the window shows it translated.
			const params = { actor: p.name, role: p.role, action: action === 'edit' ? 'edit_copy' : action, roles: roles.join(',') };
			throw { ...forbidden(`${p.name} is a ${p.role}: only ${who} may ${action.replace('_', ' ')}`), key: 'err.review.forbidden', params };
		}
		return p;
	}

	signIn(id: number): Profile {
		const p = this.profiles.find((x) => x.id === id);
		if (!p) throw { code: 'not_found', message: `profile ${id} does not exist` } satisfies ApiError;
		if (!p.active) throw forbidden(`${p.name} is deactivated`);
		this.current = id;
		return clone(p);
	}

	create(params: ProfileParams): Profile {
		const first = this.profiles.length === 0;
		if (!first) this.actor('manage_profiles');
		const name = params.name.trim();
		if (!name || [...name].length > 60) throw { code: 'invalid_input', message: 'profile name must be 1–60 characters' } satisfies ApiError;
		if (this.profiles.some((p) => p.name.toLowerCase() === name.toLowerCase())) throw { code: 'conflict', message: `a profile named ${name} exists` } satisfies ApiError;
		const p: Profile = { id: this.profiles.length + 1, name, role: first ? 'admin' : params.role, created_at: new Date().toISOString(), active: true };
		this.profiles.push(p);
		if (first) this.current = p.id;
		return clone(p);
	}

	update(id: number, change: Partial<Pick<Profile, 'role' | 'active'>>): Profile {
		const me = this.actor('manage_profiles');
		if (me.id === id) throw forbidden('an admin cannot change or deactivate their own profile');
		const p = this.profiles.find((x) => x.id === id);
		if (!p) throw { code: 'not_found', message: `profile ${id} does not exist` } satisfies ApiError;
		Object.assign(p, change);
		return clone(p);
	}

	log(actor: Profile, action: string, variantId: number, before: string | null, after: string | null, detail = '', entity = 'variant'): void {
		this.audit.push({ id: this.audit.length + 1, at: new Date().toISOString(), actor: actor.name, role: actor.role, profile_id: actor.id, action, entity, entity_id: variantId, before_hash: before, after_hash: after, detail });
	}

	/** The core's four-eyes rule (review::four_eyes): nobody who edited or submitted a variant
	 * since its last approval may approve it, whatever their role is now. */
	private fourEyes(a: Profile, v: VariantRow): void {
		const rows = this.audit.filter((e) => e.entity === 'variant' && e.entity_id === v.id);
		const since = Math.max(0, ...rows.filter((e) => e.action === 'approve' || e.action === 'override').map((e) => e.id));
		const mine = rows.filter((e) => e.id > since && e.profile_id === a.id && ['edit', 'regenerate', 'submit'].includes(e.action)).pop();
		if (mine) {
			const did = mine.action === 'submit' ? 'submitted' : mine.action === 'edit' ? 'edited' : 'regenerated';
			throw forbidden(`${a.name} cannot approve variant ${v.id}: they ${did} its current content (audit #${mine.id}); another reviewer must approve it`);
		}
	}

	/** A variant changed by an edit or regeneration (already back to draft): its approval no
	 * longer counts, and the change is logged. */
	edited(v: VariantRow): VariantRow {
		this.approvals.delete(v.id);
		this.log(this.actor('edit'), 'edit', v.id, null, hashOf(v));
		return v;
	}

	hash(v: VariantRow): string {
		return hashOf(v);
	}

	private move(v: VariantRow, from: ReviewState[], to: ReviewState): void {
		if (!from.includes(v.status)) throw { code: 'conflict', message: `variant ${v.id} is ${v.status.replace('_', ' ')}; it cannot become ${to.replace('_', ' ')}` } satisfies ApiError;
		v.status = to;
	}

	submit(v: VariantRow): VariantRow {
		const a = this.actor('submit');
		this.move(v, ['draft', 'changes_requested'], 'in_review');
		this.log(a, 'submit', v.id, hashOf(v), hashOf(v));
		return clone(v);
	}

	approve(v: VariantRow, overrideReason: string | null): VariantRow {
		const a = this.actor('approve');
		if (v.status !== 'in_review') this.move(v, ['in_review'], 'approved');
		this.fourEyes(a, v);
		const blocking = v.findings.filter((f) => f.severity === 'error');
		const reason = overrideReason?.trim() ?? '';
		if (blocking.length && reason.length < 10) {
			throw { code: 'conflict', message: `variant ${v.id} fails the compliance check (${blocking.map((f) => f.rule).join(', ')}); a reviewer may override with a reason of at least 10 characters` } satisfies ApiError;
		}
		v.status = 'approved';
		this.approvals.set(v.id, { reviewer: a.name, at: new Date().toISOString(), hash: hashOf(v), override: blocking.length ? reason : null });
		this.log(a, blocking.length ? 'override' : 'approve', v.id, hashOf(v), hashOf(v), blocking.length ? reason : '');
		return clone(v);
	}

	requestChanges(v: VariantRow, text: string): VariantRow {
		const a = this.actor('request_changes');
		if (!text.trim()) throw { code: 'invalid_input', message: 'comment is empty: say what should change' } satisfies ApiError;
		this.move(v, ['in_review'], 'changes_requested');
		this.addComment(v.id, text, a);
		this.log(a, 'request_changes', v.id, hashOf(v), hashOf(v), text.trim());
		return clone(v);
	}

	addComment(variantId: number, text: string, as?: Profile): Comment {
		const a = as ?? this.actor('comment');
		const t = text.trim();
		if (!t || [...t].length > 2000) throw { code: 'invalid_input', message: 'comment must be 1–2000 characters' } satisfies ApiError;
		const c: Comment = { id: this.comments.length + 1, variant_id: variantId, profile_id: a.id, author: a.name, role: a.role, at: new Date().toISOString(), text: t };
		this.comments.push(c);
		if (!as) this.log(a, 'comment', variantId, null, null, t);
		return clone(c);
	}

	commentsOf(variantId: number): Comment[] {
		return clone(this.comments.filter((c) => c.variant_id === variantId));
	}

	auditOf(variantId: number | null): AuditEntry[] {
		return clone(this.audit.filter((e) => variantId === null || e.entity_id === variantId));
	}

	status(v: VariantRow): ReviewStatus {
		const a = this.approvals.get(v.id);
		return {
			variant_id: v.id,
			state: v.status,
			content_hash: hashOf(v),
			approval: a && v.status === 'approved' ? { reviewer: a.reviewer, profile_id: null, approved_at: a.at, content_hash: a.hash, note: '', override_reason: a.override } : null,
			findings: clone(v.findings),
			blocked: v.findings.some((f) => f.severity === 'error'),
			comments: this.comments.filter((c) => c.variant_id === v.id).length
		};
	}
}
