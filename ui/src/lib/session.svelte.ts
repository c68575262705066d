// State shared between screens: the campaign picked last, the acting profile, and a counter
// bumped whenever data changes so that other screens reload their lists.
import type { Profile } from '$lib/bindings';

export const session = $state<{ campaignId: number | null; version: number; profile: Profile | null }>({
	campaignId: null,
	version: 0,
	profile: null
});

export function dataChanged(): void {
	session.version++;
}
