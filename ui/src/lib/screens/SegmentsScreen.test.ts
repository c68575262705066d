import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { base64ToUtf8 } from '$lib/format';
import { ui } from '$lib/lang.svelte';
import SegmentsScreen from './SegmentsScreen.svelte';

function decode(img: HTMLElement): string {
	return base64ToUtf8(img.getAttribute('src')!.replace('data:image/svg+xml;base64,', ''));
}

describe('SegmentsScreen', () => {
	it('shows the projection of stored segments, then the prediction report and silhouette chart after automatic training', async () => {
		ui.lang = 'zh-CN';
		const backend = new MockBackend({ tickMs: 5 });
		render(SegmentsScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('segment-row').length).toBe(4));
		await waitFor(() => expect(screen.getByTestId('projection-chart')).toBeTruthy());
		const segments = await backend.listSegments();
		for (const s of segments) expect(decode(screen.getByTestId('projection-chart'))).toContain(s.name_zh);
		expect(screen.queryByTestId('prediction-card')).toBeNull();
		expect(screen.queryByTestId('silhouette-chart')).toBeNull();

		await fireEvent.click(screen.getByTestId('train-btn'));
		await waitFor(() => expect(screen.getByTestId('prediction-card')).toBeTruthy());
		expect(screen.getByTestId('pred-auc').textContent).toBe('0.758');
		expect(screen.getByTestId('pred-baseline-auc').textContent).toBe('0.555');
		expect(screen.getByTestId('pred-p3').textContent).toBe('0.403');
		expect(decode(screen.getByTestId('silhouette-chart'))).toContain('轮廓系数');
		expect(screen.queryByTestId('prediction-note')).toBeNull();
	});

	it('explains a missing prediction after training with a fixed k, in the interface language', async () => {
		ui.lang = 'en';
		const backend = new MockBackend({ tickMs: 5 });
		render(SegmentsScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('segment-row').length).toBe(4));
		await fireEvent.change(screen.getByTestId('k-select'), { target: { value: '3' } });
		await fireEvent.click(screen.getByTestId('train-btn'));
		await waitFor(() => expect(screen.getByTestId('prediction-note').textContent).toContain('days of events'));
		expect(screen.getByTestId('prediction-note').textContent).toContain('No interest prediction');
		expect(screen.queryByTestId('prediction-card')).toBeNull();
		await waitFor(() => expect(screen.getAllByTestId('segment-row').length).toBe(3));
		ui.lang = 'zh-CN';
	});
});

describe('SegmentsScreen rename', () => {
	it('renames a segment in place and shows the core error for a clash', async () => {
		ui.lang = 'zh-CN';
		const backend = new MockBackend({ tickMs: 5 });
		render(SegmentsScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('segment-row').length).toBe(4));
		const [first, second] = await backend.listSegments();
		expect(screen.getAllByTestId('price-band')[0].textContent).toBe('高端');

		await fireEvent.click(screen.getAllByTestId('rename-btn')[0]);
		await fireEvent.input(screen.getByTestId('rename-zh'), { target: { value: '夜猫子' } });
		await fireEvent.input(screen.getByTestId('rename-en'), { target: { value: 'Night owls' } });
		await fireEvent.click(screen.getByTestId('rename-save'));
		await waitFor(() => expect(screen.getAllByTestId('segment-row')[0].textContent).toContain('夜猫子'));
		expect((await backend.listSegments())[0].name_en).toBe('Night owls');
		expect(first.id).toBe(1);

		await fireEvent.click(screen.getAllByTestId('rename-btn')[1]);
		await fireEvent.input(screen.getByTestId('rename-zh'), { target: { value: '夜猫子' } });
		await fireEvent.click(screen.getByTestId('rename-save'));
		await waitFor(() => expect(screen.getByTestId('error-code').textContent).toContain('invalid_input'));
		expect((await backend.listSegments())[1].name_zh).toBe(second.name_zh);
	});
});

describe('SegmentsScreen statistics', () => {
	/** A backend whose training makes one segment hold 70 % of users and leaves rates undefined. */
	class DominantBackend extends MockBackend {
		async trainSegments(args: { k: number | null; seed: number; jobId: string }, onProgress: Parameters<MockBackend['trainSegments']>[1]) {
			const r = await super.trainSegments(args, onProgress);
			const users = r.users;
			const big = Math.round(users * 0.7);
			const rest = r.segments.slice(1);
			const each = Math.floor((users - big) / rest.length);
			r.segments = [{ ...r.segments[0], size: big, share: big / users, purchase_rate: null, cart_rate: null, rate_note: "no product views in this segment's data" }, ...rest.map((s) => ({ ...s, size: each, share: each / users }))];
			r.dominant_segment = { segment_id: r.segments[0].id, share: 0.7, message: 'dominant' };
			this.segments = r.segments;
			return r;
		}
	}

	it('shows why k was chosen and the stability, marks undefined rates "—", and splits a dominant segment', async () => {
		ui.lang = 'en';
		const backend = new DominantBackend({ tickMs: 1 });
		render(SegmentsScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('segment-row').length).toBe(4));
		await fireEvent.click(screen.getByTestId('train-btn'));
		await waitFor(() => expect(screen.getByTestId('dominant-warning')).toBeTruthy());
		expect(screen.getByTestId('k-reason').textContent).toContain('silhouette');
		expect(screen.getByTestId('stability').textContent).toContain('0.968');
		expect(screen.getByTestId('dominant-warning').textContent).toContain('70%');
		const rate = screen.getAllByTestId('purchase-rate')[0];
		expect(rate.textContent?.trim()).toBe('—');
		expect(rate.getAttribute('title')).toContain('no product views');
		const before = screen.getAllByTestId('segment-row').length;
		await fireEvent.click(screen.getByTestId('split-btn'));
		await waitFor(() => expect(screen.getAllByTestId('segment-row').length).toBe(before + 1));
		expect(screen.queryByTestId('dominant-warning')).toBeNull();
		expect(screen.getByTestId('k-reason').textContent).toContain('split in two');
		ui.lang = 'zh-CN';
	});
});
