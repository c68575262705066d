// The mock's ad-copy generator: copy sets per segment, product, language and angle, written to
// fit the placements' text limits and to pass the compliance rules, each with its reasons.
import type { CampaignParams, CopyFields, ProductRow, Reason, SegmentRow } from '$lib/bindings';
import { translate, type Lang, type MessageKey } from '$lib/i18n';
import { textWidth } from '$lib/campaign';
import { fmtPrice } from '$lib/format';

export const ANGLES = ['discount', 'quality', 'new_arrival', 'welcome_back', 'cart_reminder', 'keyword', 'brand', 'bundle', 'social_proof', 'interest'] as const;
export type Angle = (typeof ANGLES)[number];

export interface MockCopySet extends CopyFields {
	angle: Angle;
	keywords: string[];
	reasons: Reason[];
	discount: number;
}

/** Two headline templates per angle and language: {short} product, {brand}, {kw}, {pct}. */
const HEADLINES: Record<Angle, Record<Lang, [string, string]>> = {
	discount: { en: ['{pct}% off {short}', 'Save on {short} today'], 'zh-CN': ['{short}立减{pct}%', '{short}限时优惠'] },
	quality: { en: ['{brand}, built to last', 'Quality you can feel'], 'zh-CN': ['{brand}品质好物', '看得见的好品质'] },
	new_arrival: { en: ['New: {short}', 'Just in from {brand}'], 'zh-CN': ['{short}新品上市', '{brand}新品到店'] },
	welcome_back: { en: ['Welcome back to {brand}', 'Good to see you again'], 'zh-CN': ['欢迎回来，再看看', '好久不见，来逛逛'] },
	cart_reminder: { en: ['Still on your list?', 'Your cart is waiting'], 'zh-CN': ['购物车里的好物还在', '心动好物等你带走'] },
	keyword: { en: ['{kw}, done right', 'All about {kw}'], 'zh-CN': ['{kw}，用了就知道', '说到{kw}，看这款'] },
	brand: { en: ['Discover {brand}', '{brand} picks for you'], 'zh-CN': ['发现{brand}', '{brand}为你推荐'] },
	bundle: { en: ['Pair it and save', 'Better together'], 'zh-CN': ['搭配购买更划算', '组合入手更省心'] },
	social_proof: { en: ['Shoppers love {short}', 'A repeat favourite'], 'zh-CN': ['回购很多的{short}', '买过的人都说好'] },
	interest: { en: ['Picked for your interests', 'Made for what you like'], 'zh-CN': ['按你的兴趣精选', '你可能会喜欢'] }
};

const TONE_LINES: Record<CampaignParams['tone'], Record<Lang, string>> = {
	playful: { en: 'Treat yourself.', 'zh-CN': '犒劳一下自己。' },
	premium: { en: 'Crafted with care.', 'zh-CN': '用心甄选，值得拥有。' },
	urgent: { en: 'Order today.', 'zh-CN': '今天就下单吧。' },
	informative: { en: 'Specs on the product page.', 'zh-CN': '详细参数请见商品页。' }
};

/** Angles that claim something the mock has no evidence for (novelty, popularity, a cart audience): never used, as in the core. */
const UNBACKED: Angle[] = ['new_arrival', 'social_proof', 'cart_reminder'];

/** The angles a segment's sets cycle through, its leading angles first; discount only with a promotion. */
export function angleOrder(s: SegmentRow, promotion = false): Angle[] {
	const lead: Angle[] = [];
	if (s.price_band === 'budget' && promotion) lead.push('discount');
	if (s.price_band === 'premium') lead.push('quality');
	if (s.rfm_tier === 'at_risk' || s.rfm_tier === 'hibernating') lead.push('welcome_back');
	lead.push('brand', 'interest');
	return [...new Set([...lead, ...ANGLES])].filter((a) => !UNBACKED.includes(a) && (a !== 'discount' || promotion));
}

/** The percent off a promotion gives `price` (an amount as its share of the price). */
function percentOff(promotion: CampaignParams['promotion'], price: number): number {
	if (!promotion) return 0;
	if ('percent' in promotion.kind) return promotion.kind.percent;
	return Math.min(90, Math.round((promotion.kind.amount / 100 / Math.max(price, 0.01)) * 100));
}

/** At most `maxWidth` width units and `maxChars` characters, cut at a character. */
export function fitText(s: string, maxWidth: number, maxChars = Infinity): string {
	if (textWidth(s) <= maxWidth && [...s].length <= maxChars) return s;
	let out = '';
	for (const c of s) {
		if (textWidth(out + c + '…') > maxWidth || [...out].length + 2 > maxChars) break;
		out += c;
	}
	return out.trimEnd() + '…';
}

function shortName(p: ProductRow, lang: Lang): string {
	if (lang === 'zh-CN') return [...p.name_zh].slice(0, 8).join('');
	const words = p.name_en.split(/\s+/);
	let out = '';
	for (const w of words) {
		if ((out + ' ' + w).trim().length > 14) break;
		out = (out + ' ' + w).trim();
	}
	return out || words[0].slice(0, 14);
}

/** A keyed reason as the core sends it; its English text is the dictionary's (the core's
 * templates, which a core test holds en.ts to). */
export function reason(key: MessageKey & `reason.${string}`, params: Record<string, string> = {}): Reason {
	const english: Record<string, string> = { ...params };
	if (params.field) english.field = params.field.replaceAll('_', ' ');
	if (params.fields) english.fields = params.fields.split(',').map((f) => f.replaceAll('_', ' ')).join(' and ');
	if (params.layers) english.layers = params.layers.split(',').join(', ');
	return { key, params, text: translate('en', key, english) };
}

function why(angle: Angle, s: SegmentRow): Reason {
	switch (angle) {
		case 'discount':
		case 'quality':
			return reason('reason.quality.mid', { index: '0.00' });
		case 'welcome_back':
			return reason('reason.welcome_back', { days: '45' });
		case 'cart_reminder':
			return reason('reason.cart_reminder');
		case 'brand':
			return reason('reason.brand.top', { brand: s.top_brands[0] ?? '', brands: s.top_brands.join(', ') });
		case 'interest':
			return reason('reason.interest', { category: s.top_categories[0] ?? '', prob: '0.30' });
		default:
			return reason('reason.bundle', { category: s.top_categories[0] ?? '' });
	}
}

/** Copy set `setIndex` (after `round` regenerations) of segment `s` for `product` in `lang`. */
export function copySet(
	s: SegmentRow,
	product: ProductRow,
	productReason: Reason,
	lang: Lang,
	params: Pick<CampaignParams, 'tone' | 'goal' | 'business_name' | 'variants_per_segment' | 'promotion'>,
	setIndex: number,
	round = 0
): MockCopySet {
	const zh = lang === 'zh-CN';
	const applies = !!params.promotion && (params.promotion.products.length === 0 || params.promotion.products.includes(product.id));
	const order = angleOrder(s, applies);
	const k = setIndex + round;
	const angle = order[k % order.length];
	const template = HEADLINES[angle][lang][Math.floor(k / order.length) % 2];
	const name = zh ? product.name_zh : product.name_en;
	const keywords = (zh ? [product.name_zh.split(' ')[0]] : product.name_en.split(/\s+/)).filter((w) => w.length > 1).slice(0, 3);
	const discount = angle === 'discount' ? percentOff(params.promotion, product.price) : 0;
	const headline = fitText(
		template
			.replace('{short}', shortName(product, lang))
			.replace('{brand}', product.brand.slice(0, 10))
			.replace('{kw}', keywords[0] ?? name)
			.replace('{pct}', String(discount)),
		30,
		27
	);
	const price = fmtPrice((product.price * (100 - discount)) / 100, zh ? 'zh-CN' : 'en', product.currency);
	const tone = TONE_LINES[params.tone][lang];
	const description = fitText(
		discount > 0
			? zh
				? `${product.brand}${name}，到手价${price}。${tone}`
				: `${name} from ${product.brand}, now ${price}. ${tone}`
			: zh
				? `${product.brand}${name}，${price}。${tone}`
				: `${name} from ${product.brand}, ${price}. ${tone}`,
		90
	);
	const cta =
		angle === 'cart_reminder' ? (zh ? '去结算' : 'Check out') : params.goal === 'purchases' ? (zh ? '立即购买' : 'Shop now') : zh ? '了解详情' : 'Learn more';
	return {
		headline,
		long_headline: fitText(zh ? `${headline}，${product.brand}${name}` : `${headline} — ${name}`, 90),
		description,
		primary_text: fitText(zh ? `${description}${params.business_name}官方店铺。` : `${description} Sold by ${params.business_name}.`, 125, 125),
		cta,
		angle,
		keywords,
		discount,
		reasons: [
			productReason,
			why(angle, s),
			reason('reason.tone', { tone: params.tone }),
			reason(angle === 'cart_reminder' ? 'reason.cta.checkout' : params.goal === 'purchases' ? 'reason.cta.direct' : 'reason.cta.soft', { cta, tone: params.tone })
		]
	};
}
