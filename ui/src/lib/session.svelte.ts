// State shared between screens: the campaign picked last, the acting profile and what it may
// do (the core's answer, see `permissions`), a counter bumped whenever data changes so that
// other screens reload their lists, and one bumped when the acting profile changes so that
// every screen clears the notices and errors of the previous one.
import { untrack } from 'svelte';
import type { Action, Permission, Profile } from '$lib/bindings';
import type { Backend } from '$lib/backend/api';
import { ui } from '$lib/lang.svelte';
import { refusalText } from '$lib/messages';

export const session = $state<{
	campaignId: number | null;
	version: number;
	profile: Profile | null;
	/** What the acting profile may do, as the core says; null until known (nothing disabled). */
	permissions: Permission[] | null;
	/** Bumped on every profile switch: screens clear their messages. */
	profileEpoch: number;
}>({
	campaignId: null,
	version: 0,
	profile: null,
	permissions: null,
	profileEpoch: 0
});

export function dataChanged(): void {
	session.version++;
}

/** The acting profile changed: messages of the previous one go. */
export function profileSwitched(): void {
	session.profileEpoch++;
}

/** Ask the core what the acting profile may do now. */
export async function loadPermissions(backend: Backend): Promise<void> {
	try {
		session.permissions = await backend.permissions();
	} catch {
		session.permissions = null;
	}
}

/** Why the acting profile may not take `action` (in the UI language), or null when it may
 * (or when the core has not answered yet: the core still refuses on the command). */
export function denied(action: Action): string | null {
	const p = session.permissions?.find((x) => x.action === action);
	return p && !p.allowed ? refusalText(ui.lang, p.reason) || action : null;
}

/** Call during a component's setup: `clear` runs (untracked) whenever the acting profile
 * changes, so a screen drops the notices and errors it showed the previous profile. */
export function clearOnSwitch(clear: () => void): void {
	let seen = session.profileEpoch;
	$effect(() => {
		const now = session.profileEpoch;
		if (now !== seen) {
			seen = now;
			untrack(clear);
		}
	});
}
