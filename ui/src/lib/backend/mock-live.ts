// The mock's decision service (Live screen): a service that "runs" in memory, whose real
// traffic tests add with `record`, and whose replay adds simulated traffic. Its stats follow
// the core's shape (`LiveStats`): real and simulated kept apart.
import type { LiveCell, LiveServiceInfo, LiveStats, LiveTraffic, ReplaySummary, VariantRow } from '$lib/bindings';

type Counts = { impressions: number; clicks: number };

function traffic(cells: LiveCell[]): LiveTraffic {
	const impressions = cells.reduce((a, c) => a + c.impressions, 0);
	const clicks = cells.reduce((a, c) => a + c.clicks, 0);
	const ctr = impressions ? clicks / impressions : null;
	return { impressions, clicks, ctr, ctr_low: ctr === null ? null : Math.max(0, ctr - 0.05), ctr_high: ctr === null ? null : Math.min(1, ctr + 0.05), cells };
}

export class MockLive {
	info: LiveServiceInfo | null = null;
	private key = 'k'.repeat(64);
	private real = new Map<number, Counts>();
	private simulated = new Map<number, Counts>();

	constructor(private variants: (campaignId: number) => VariantRow[]) {}

	start(campaignId: number, port: number): LiveServiceInfo {
		if (this.info) throw { code: 'conflict', message: `the decision service already runs at ${this.info.url}; stop it first` };
		if (!this.variants(campaignId).some((v) => v.status === 'approved')) throw { code: 'conflict', message: `campaign ${campaignId} has no approved variant to serve` };
		this.real.clear();
		this.simulated.clear();
		this.info = { campaign_id: campaignId, url: `http://127.0.0.1:${port || 41234}`, api_key: this.key, key_required: false, log_dir: `/home/demo/demo.studio.serve/campaign-${campaignId}` };
		return { ...this.info };
	}

	stop(): void {
		this.info = null;
	}

	rotate(): string {
		this.key = this.key === 'k'.repeat(64) ? 'r'.repeat(64) : 'k'.repeat(64);
		if (this.info) this.info.api_key = this.key;
		return this.key;
	}

	/** A real impression of `variantId` (a click when `click`), as a shop's call would add. */
	record(variantId: number, click: boolean, simulated = false): void {
		const m = simulated ? this.simulated : this.real;
		const c = m.get(variantId) ?? { impressions: 0, clicks: 0 };
		c.impressions += 1;
		c.clicks += click ? 1 : 0;
		m.set(variantId, c);
	}

	replay(shoppers: number): ReplaySummary {
		if (!this.info) throw { code: 'not_found', message: 'the decision service is not running; start it on the Live screen' };
		const vs = this.variants(this.info.campaign_id).filter((v) => v.status === 'approved');
		let clicks = 0;
		for (let i = 0; i < shoppers; i++) {
			const click = i % 20 === 0;
			clicks += click ? 1 : 0;
			this.record(vs[i % vs.length].id, click, true);
		}
		return { shoppers, impressions: shoppers, clicks, refused: 0 };
	}

	stats(): LiveStats | null {
		if (!this.info) return null;
		const vs = this.variants(this.info.campaign_id).filter((v) => v.status === 'approved');
		const cells = (m: Map<number, Counts>, all: boolean): LiveCell[] =>
			vs
				.filter((v) => all || m.has(v.id))
				.map((v) => {
					const c = m.get(v.id) ?? { impressions: 0, clicks: 0 };
					const seg = vs.filter((w) => w.segment_id === v.segment_id).reduce((a, w) => a + (m.get(w.id)?.impressions ?? 0), 0);
					const ctr = c.impressions ? c.clicks / c.impressions : null;
					return { segment_id: v.segment_id, segment_en: v.segment_name_en, segment_zh: v.segment_name_zh, variant_id: v.id, variant_key: `v${v.id}`, headline: v.headline, lang: v.lang, servable: true, impressions: c.impressions, clicks: c.clicks, reward_value: c.clicks, ctr, ctr_low: ctr === null ? null : Math.max(0, ctr - 0.05), ctr_high: ctr === null ? null : Math.min(1, ctr + 0.05), share: seg ? c.impressions / seg : null };
				});
		const real = traffic(cells(this.real, true));
		return { campaign_id: this.info.campaign_id, real, simulated: traffic(cells(this.simulated, false)), learnt_impressions: real.impressions, refused: { unknown_event: 0, duplicate_reward: 0, expired: 0 }, servable_variants: vs.length };
	}
}
