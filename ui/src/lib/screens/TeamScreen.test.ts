import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { session } from '$lib/session.svelte';
import { bridge, profileId } from '$lib/testing/bridge';
import ProfileSwitcher from '$lib/components/ProfileSwitcher.svelte';
import TeamScreen from './TeamScreen.svelte';

describe('TeamScreen and ProfileSwitcher', () => {
	it('lets an admin add a profile; the core refuses a marketer', async () => {
		const backend = await bridge({ as: 'demo-admin' });
		session.profile = await backend.currentProfile();
		render(TeamScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('team-row')).toHaveLength(4));
		await fireEvent.input(screen.getByTestId('team-name'), { target: { value: 'Wang Fang' } });
		await fireEvent.change(screen.getByTestId('team-role'), { target: { value: 'reviewer' } });
		await fireEvent.click(screen.getByTestId('team-add'));
		await waitFor(() => expect(screen.getAllByTestId('team-row')).toHaveLength(5));
		expect((await backend.listProfiles()).find((p) => p.name === 'Wang Fang')).toMatchObject({ name: 'Wang Fang', role: 'reviewer', active: true });

		session.profile = await backend.signIn(await profileId(backend, 'demo-marketer'));
		await expect(backend.createProfile({ name: 'Eve', role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
		session.profile = null;
	});

	it('switches the acting profile and shows its role', async () => {
		const backend = await bridge({ as: null });
		render(ProfileSwitcher, { backend });
		const select = (await screen.findByTestId('profile-select')) as HTMLSelectElement;
		await waitFor(() => expect(select.options.length).toBeGreaterThan(1));
		expect(select.value).toBe('0');
		expect(screen.queryByTestId('profile-role')).toBeNull();
		await fireEvent.change(select, { target: { value: String(await profileId(backend, 'demo-reviewer')) } });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Reviewer'));
		expect((await backend.currentProfile())?.name).toBe('demo-reviewer');
	});
});
