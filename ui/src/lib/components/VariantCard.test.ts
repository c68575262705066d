import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { makeVariant } from '$lib/backend/mock-campaign';
import { makeProducts, makeSegments } from '$lib/backend/mock-data';
import { ui } from '$lib/lang.svelte';
import VariantCard from './VariantCard.svelte';

describe('VariantCard compliance marks', () => {
	const base = () => makeVariant(makeSegments(3, 1)[0], makeProducts());

	it('shows a pass badge when the copy has no findings', () => {
		render(VariantCard, { variant: base() });
		expect(screen.getByTestId('compliance-ok')).toBeTruthy();
		expect(screen.queryAllByTestId('finding')).toHaveLength(0);
	});

	it('lists each finding with its field, text, rule and suggested fix', () => {
		ui.lang = 'en';
		const variant = {
			...base(),
			headline: '全网最低价 FREE',
			findings: [
				{ rule: 'cn-ad-law-9-absolute', severity: 'error' as const, field: 'headline' as const, start: 0, end: 4, text: '全网最低', suggestion: '超值' },
				{ rule: 'google-gimmicky-caps', severity: 'error' as const, field: 'headline' as const, start: 6, end: 10, text: 'FREE', suggestion: 'Free' }
			]
		};
		render(VariantCard, { variant });
		const marks = screen.getAllByTestId('finding');
		expect(marks).toHaveLength(2);
		expect(marks[0].textContent).toContain('Headline: “全网最低” · cn-ad-law-9-absolute');
		expect(marks[0].getAttribute('title')).toBe('Suggested: 超值');
		expect(marks[1].classList.contains('error')).toBe(true);
		expect(screen.queryByTestId('compliance-ok')).toBeNull();
		ui.lang = 'zh-CN';
	});
});
