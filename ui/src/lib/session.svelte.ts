// State shared between screens: the campaign picked last, and a counter bumped
// whenever data changes so that other screens reload their lists.
export const session = $state<{ campaignId: number | null; version: number }>({
	campaignId: null,
	version: 0
});

export function dataChanged(): void {
	session.version++;
}
