// Every user-visible string of the UI, in English and Simplified Chinese.
// `zh-CN` is written for Chinese e-commerce marketing teams, not translated word by word.
// The type of `zhCN` is `Record<MessageKey, string>`, so the compiler already refuses
// a missing key; i18n.test.ts checks the same at run time (and that nothing is empty).

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
	'app.title': 'Creative Studio',
	'app.subtitle': 'Behaviour data → personalised ad creatives',
	'nav.data': 'Data',
	'nav.segments': 'Segments',
	'nav.campaign': 'Campaigns',
	'nav.simulation': 'Simulation',
	'nav.review': 'Review',
	'nav.export': 'Export',
	'lang.toggle': '中文',
	'lang.toggleTitle': 'Switch the interface to Chinese',

	'common.loading': 'Loading…',
	'common.browse': 'Browse…',
	'common.cancel': 'Cancel',
	'common.dismiss': 'Dismiss',
	'common.refresh': 'Refresh',
	'common.none': 'Nothing here yet.',
	'common.campaign': 'Campaign',
	'common.pickCampaign': 'Choose a campaign',
	'common.noCampaigns': 'No campaigns yet. Create one on the Campaigns screen.',
	'common.seed': 'Seed',
	'common.errorTitle': 'Something went wrong',
	'common.cancelled': 'The job was cancelled. Nothing was changed.',

	'err.invalid_input': 'Invalid input',
	'err.not_found': 'Not found',
	'err.io': 'File error',
	'err.cancelled': 'Cancelled',
	'err.conflict': 'Conflict',
	'err.forbidden': 'Not allowed',
	'err.internal': 'Internal error',

	'progress.stage': 'Stage',
	'progress.rate': '{rate} rows/s',
	'progress.eta': 'Time remaining',
	'progress.etaUnknown': 'estimating…',
	'progress.working': 'Working…',
	'progress.cancelling': 'Cancelling…',

	'data.title': 'Data',
	'data.overview': 'Project overview',
	'data.project': 'Project file',
	'data.products': 'Products',
	'data.events': 'Events',
	'data.users': 'Users',
	'data.categories': 'Categories',
	'data.segments': 'Segments',
	'data.campaigns': 'Campaigns',
	'data.eventMix': 'Event mix',
	'data.importTitle': 'Import data',
	'data.importHint': 'CSV, TSV, JSON Lines, optionally gzip-compressed.',
	'data.pathLabel': 'File path',
	'data.pathPlaceholder': '/path/to/events.csv',
	'data.import': 'Import',
	'data.pickFilterName': 'Data files',
	'data.summaryTitle': 'Import result',
	'data.rowsRead': 'Rows read',
	'data.rowsImported': 'Imported',
	'data.rowsDuplicate': 'Duplicates',
	'data.rowsRejected': 'Rejected',
	'data.alreadyImported': 'This file was already imported; nothing new was added.',
	'data.rejectedLines': 'Rejected lines',
	'data.line': 'Line {n}',
	'data.reason': 'Reason',
	'data.history': 'Import history',
	'data.file': 'File',
	'data.format': 'Format',
	'data.importedAt': 'Imported at',
	'data.productsTitle': 'Products',
	'data.productsHint': 'First {n} matches',
	'data.search': 'Search products',
	'data.searchPlaceholder': 'Name, brand or ID',
	'data.id': 'ID',
	'data.nameEn': 'Name (EN)',
	'data.nameZh': 'Name (ZH)',
	'data.category': 'Category',
	'data.brand': 'Brand',
	'data.price': 'Price',
	'data.noProducts': 'No products match.',

	'seg.title': 'Segments',
	'seg.k': 'Number of segments',
	'seg.auto': 'Automatic',
	'seg.train': 'Train segments',
	'seg.report': 'Trained {k} segments over {users} users (seed {seed}, inertia {inertia}).',
	'seg.name': 'Segment',
	'seg.size': 'Users',
	'seg.share': 'Share',
	'seg.topCategories': 'Top categories',
	'seg.avgPrice': 'Avg. price',
	'seg.purchaseRate': 'Purchase rate',
	'seg.empty': 'No segments yet. Import behaviour data, then train.',

	'camp.title': 'Campaigns',
	'camp.name': 'Campaign name',
	'camp.namePlaceholder': 'e.g. Spring sale',
	'camp.create': 'Create & generate',
	'camp.list': 'Campaigns',
	'camp.createdAt': 'Created',
	'camp.variants': 'Variants',
	'camp.approved': 'Approved',
	'camp.variantsTitle': 'Generated variants',
	'camp.noVariants': 'This campaign has no variants.',
	'camp.select': 'Open',

	'variant.segment': 'Segment',
	'variant.product': 'Product',
	'variant.cta': 'CTA',
	'variant.reasons': 'Why this creative',
	'variant.draft': 'Draft',
	'variant.approved': 'Approved',
	'variant.bannerAlt': 'Banner for {segment}',
	'variant.noBanner': 'No banner',

	'sim.title': 'Simulation',
	'sim.impressions': 'Impressions',
	'sim.run': 'Run simulation',
	'sim.running': 'Simulating…',
	'sim.simulated': 'Simulated / 模拟数据',
	'sim.frames': 'Frames received',
	'sim.chartAlt': 'Simulated click-through chart',
	'sim.arm': 'Variant',
	'sim.clicks': 'Clicks',
	'sim.ctr': 'CTR',
	'sim.total': 'Total: {impressions} impressions, {clicks} clicks',
	'sim.step': 'Step {step} / {total}',
	'sim.done': 'Finished',
	'sim.disclaimer': 'These figures come from a simulation, not from real traffic.',

	'review.title': 'Review',
	'review.reviewer': 'Reviewer',
	'review.approve': 'Approve',
	'review.approvedBy': 'Approved',
	'review.empty': 'No variants to review.',

	'export.title': 'Export',
	'export.dir': 'Output folder',
	'export.dirPlaceholder': '/path/to/output',
	'export.run': 'Export',
	'export.done': 'Exported {variants} variants to {dir}',
	'export.file': 'File',
	'export.size': 'Size',
	'export.sha': 'SHA-256'
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
	'app.title': 'Creative Studio 创意工坊',
	'app.subtitle': '用行为数据生成千人千面的广告素材',
	'nav.data': '导入数据',
	'nav.segments': '人群分群',
	'nav.campaign': '投放活动',
	'nav.simulation': '模拟投放',
	'nav.review': '审核',
	'nav.export': '导出素材',
	'lang.toggle': 'English',
	'lang.toggleTitle': '切换为英文界面',

	'common.loading': '加载中…',
	'common.browse': '浏览…',
	'common.cancel': '取消',
	'common.dismiss': '关闭',
	'common.refresh': '刷新',
	'common.none': '暂无内容',
	'common.campaign': '活动',
	'common.pickCampaign': '选择活动',
	'common.noCampaigns': '还没有活动，请先在「投放活动」中创建。',
	'common.seed': '随机种子',
	'common.errorTitle': '操作失败',
	'common.cancelled': '任务已取消，数据未做任何改动。',

	'err.invalid_input': '输入有误',
	'err.not_found': '找不到对象',
	'err.io': '文件读写失败',
	'err.cancelled': '已取消',
	'err.conflict': '数据冲突',
	'err.forbidden': '无权操作',
	'err.internal': '内部错误',

	'progress.stage': '阶段',
	'progress.rate': '每秒 {rate} 行',
	'progress.eta': '预计剩余时间',
	'progress.etaUnknown': '估算中…',
	'progress.working': '处理中…',
	'progress.cancelling': '正在取消…',

	'data.title': '导入数据',
	'data.overview': '项目概览',
	'data.project': '项目文件',
	'data.products': '商品数',
	'data.events': '行为事件',
	'data.users': '用户数',
	'data.categories': '品类数',
	'data.segments': '人群分群',
	'data.campaigns': '投放活动',
	'data.eventMix': '行为分布',
	'data.importTitle': '导入行为数据',
	'data.importHint': '支持 CSV、TSV、JSON Lines 及其 gzip 压缩文件。',
	'data.pathLabel': '文件路径',
	'data.pathPlaceholder': '/路径/events.csv',
	'data.import': '开始导入',
	'data.pickFilterName': '数据文件',
	'data.summaryTitle': '导入结果',
	'data.rowsRead': '读取行数',
	'data.rowsImported': '成功导入',
	'data.rowsDuplicate': '重复跳过',
	'data.rowsRejected': '未通过校验',
	'data.alreadyImported': '该文件之前已导入过，本次没有新增数据。',
	'data.rejectedLines': '未导入的行',
	'data.line': '第 {n} 行',
	'data.reason': '原因',
	'data.history': '导入记录',
	'data.file': '文件',
	'data.format': '格式',
	'data.importedAt': '导入时间',
	'data.productsTitle': '商品列表',
	'data.productsHint': '显示前 {n} 条',
	'data.search': '搜索商品',
	'data.searchPlaceholder': '商品名、品牌或编号',
	'data.id': '编号',
	'data.nameEn': '英文名',
	'data.nameZh': '中文名',
	'data.category': '品类',
	'data.brand': '品牌',
	'data.price': '价格',
	'data.noProducts': '没有符合条件的商品',

	'seg.title': '人群分群',
	'seg.k': '分群数量',
	'seg.auto': '自动选择',
	'seg.train': '开始分群',
	'seg.report': '已将 {users} 位用户分为 {k} 个人群（随机种子 {seed}，簇内误差 {inertia}）。',
	'seg.name': '人群',
	'seg.size': '人数',
	'seg.share': '占比',
	'seg.topCategories': '偏好品类',
	'seg.avgPrice': '客单价',
	'seg.purchaseRate': '购买转化率',
	'seg.empty': '还没有分群结果。请先导入行为数据，再开始分群。',

	'camp.title': '投放活动',
	'camp.name': '活动名称',
	'camp.namePlaceholder': '例如：春季大促',
	'camp.create': '创建并生成素材',
	'camp.list': '活动列表',
	'camp.createdAt': '创建时间',
	'camp.variants': '素材数',
	'camp.approved': '已通过',
	'camp.variantsTitle': '已生成的素材',
	'camp.noVariants': '该活动还没有素材。',
	'camp.select': '查看',

	'variant.segment': '目标人群',
	'variant.product': '主推商品',
	'variant.cta': '行动按钮',
	'variant.reasons': '生成依据',
	'variant.draft': '待审核',
	'variant.approved': '已通过',
	'variant.bannerAlt': '{segment} 的横幅素材',
	'variant.noBanner': '无横幅图',

	'sim.title': '模拟投放',
	'sim.impressions': '曝光量',
	'sim.run': '开始模拟',
	'sim.running': '模拟中…',
	'sim.simulated': 'Simulated / 模拟数据',
	'sim.frames': '已接收帧数',
	'sim.chartAlt': '模拟点击率走势图',
	'sim.arm': '素材',
	'sim.clicks': '点击量',
	'sim.ctr': '点击率',
	'sim.total': '合计：曝光 {impressions}，点击 {clicks}',
	'sim.step': '第 {step} / {total} 步',
	'sim.done': '模拟完成',
	'sim.disclaimer': '以下数据均为模拟结果，并非真实投放数据。',

	'review.title': '审核',
	'review.reviewer': '审核人',
	'review.approve': '通过',
	'review.approvedBy': '已通过',
	'review.empty': '暂无待审核的素材',

	'export.title': '导出素材',
	'export.dir': '导出目录',
	'export.dirPlaceholder': '/路径/输出目录',
	'export.run': '开始导出',
	'export.done': '已将 {variants} 个素材导出到 {dir}',
	'export.file': '文件',
	'export.size': '大小',
	'export.sha': 'SHA-256 校验值'
};

export const messages: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Looks a key up and fills `{name}` placeholders. Unknown placeholders stay as they are. */
export function translate(
	lang: Lang,
	key: MessageKey,
	params?: Record<string, string | number>
): string {
	const text = messages[lang][key] ?? messages.en[key] ?? key;
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) =>
		name in params ? String(params[name]) : m
	);
}

/** zh* → zh-CN, anything else (or nothing) → en. */
export function langFromNavigator(navLang: string | undefined | null): Lang {
	return navLang && navLang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const LANG_STORAGE_KEY = 'creative-studio.lang';

export function isLang(v: unknown): v is Lang {
	return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/** The remembered language if any, else the one that follows the browser/OS. */
export function initialLang(
	storage: Pick<Storage, 'getItem'> | undefined,
	navLang: string | undefined
): Lang {
	try {
		const saved = storage?.getItem(LANG_STORAGE_KEY);
		if (isLang(saved)) return saved;
	} catch {
		// storage may be unavailable; fall through
	}
	return langFromNavigator(navLang);
}
