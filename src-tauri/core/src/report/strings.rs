//! Every label of the PDF report, in English and Simplified Chinese (the core's own table,
//! independent of the UI's i18n).

use crate::text::Lang;

/// One label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S {
    pub en: &'static str,
    pub zh: &'static str,
}

impl S {
    /// The label in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

macro_rules! labels {
    ($($name:ident = $en:literal, $zh:literal;)*) => {
        $(#[allow(missing_docs)] pub const $name: S = S { en: $en, zh: $zh };)*
    };
}

labels! {
    TITLE = "Campaign report", "活动报告";
    GENERATED = "Generated", "生成时间";
    VERSION = "Creative Studio", "Creative Studio";
    PAGE = "Page", "页";
    SIMULATED = "Simulated", "模拟";
    REAL = "Real", "实际";
    LEGEND = "Every figure is labelled: Simulated = from the simulator (not observed); Real = from imported performance reports, logged traffic or the review workflow.",
        "每个数字都有标注：模拟 = 来自模拟器（并非实际观测）；实际 = 来自导入的投放报表、日志流量或审核流程。";
    SUMMARY = "1. Campaign summary", "1. 活动概要";
    CAMPAIGN = "Campaign", "活动";
    CREATED = "Created", "创建时间";
    PROMOTION = "Promotion period", "促销期";
    NO_PROMOTION = "none (no price claims)", "无（不含价格宣传）";
    REAL_DATES = "Real reports", "实际报表";
    NO_REPORTS = "none imported", "尚未导入";
    LANGUAGES = "Languages", "语言";
    SEGMENTS = "Segments", "人群";
    PLACEMENTS = "Placements", "版位";
    GOAL = "Goal", "目标";
    BUSINESS = "Advertiser", "广告主";
    VARIANTS = "Variants", "变体";
    RUN = "Simulation run", "模拟运行";
    NO_RUN = "none yet", "尚无";
    APPROVAL = "2. Approval progress", "2. 审批进度";
    STATE = "Review state", "审核状态";
    COUNT = "Variants", "变体数";
    SHARE = "Share", "占比";
    CTR = "3. Real vs simulated CTR per segment", "3. 各人群实际与模拟点击率";
    CTR_NOTE = "Simulated CTR: clicks per impression the simulator served to the segment (all variants), 95% Wilson interval. Real CTR: clicks per impression in the imported reports of the variants written for the segment, 95% Wilson interval.",
        "模拟点击率：模拟器向该人群投放（所有变体）的每次曝光点击数，95% Wilson 区间。实际点击率：为该人群撰写的变体在导入报表中的每次曝光点击数，95% Wilson 区间。";
    SEGMENT = "Segment", "人群";
    IMPRESSIONS = "impressions", "曝光";
    CTR_INTERVAL = "CTR [95% interval]", "点击率 [95%区间]";
    TOTAL = "All segments", "全部人群";
    LIFT = "4. Lift of the personalised plan", "4. 个性化方案的提升";
    LIFT_LINE = "Lift over the best generic creative", "相对最佳通用创意的提升";
    LIFT_P = "P(lift > 0)", "提升为正的概率";
    LIFT_TRUE = "Model's true lift (simulated ground truth)", "模型真实提升（模拟真值）";
    LIFT_NONE = "No simulation run yet: no lift to report.", "尚无模拟运行：无提升可报告。";
    OPE = "5. Off-policy estimates (logged traffic)", "5. 离线策略评估（日志流量）";
    OPE_NONE = "No off-policy estimates are stored for this campaign.", "此活动尚未保存离线策略评估结果。";
    POLICY = "Policy", "策略";
    ESTIMATOR = "Estimator", "估计方法";
    ESTIMATE = "Clicks per impression [95% interval]", "每次曝光点击 [95%区间]";
    LOGS = "Logs", "日志";
    UNDEFINED = "undefined", "无定义";
    RUN_RUNNING = "running", "运行中";
    RUN_PAUSED = "paused", "已暂停";
    RUN_STOPPED = "stopped", "已停止";
    RUN_DONE = "done", "已完成";
    POLICY_UNIFORM = "fixed equal split (A/B test)", "固定均分（A/B 测试）";
    POLICY_EPSILON = "epsilon-greedy", "ε-贪心";
    POLICY_UCB1 = "UCB1", "UCB1";
    POLICY_THOMPSON = "Thompson sampling per segment", "分人群汤普森采样";
    POLICY_FACTORISED = "element-wise learning (headline × image × CTA)", "元素级学习（标题×图片×行动按钮）";
    GOAL_CLICKS = "clicks", "提升点击";
    GOAL_PURCHASES = "purchases", "促进购买";
    LANG_ZH = "Simplified Chinese (zh-CN)", "简体中文";
    LANG_EN = "English", "英文";
}

/// A copy language code (`zh-CN`, `en`) in `lang`; unknown ones as stored.
pub fn language(lang: Lang, code: &str) -> String {
    match code {
        "zh-CN" => LANG_ZH.get(lang).to_string(),
        "en" => LANG_EN.get(lang).to_string(),
        other => other.to_string(),
    }
}

/// A stored run status (`running`, `paused`, `stopped`, `done`) in `lang`; unknown ones as stored.
pub fn run_status(lang: Lang, status: &str) -> String {
    let label = match status {
        "running" => RUN_RUNNING,
        "paused" => RUN_PAUSED,
        "stopped" => RUN_STOPPED,
        "done" => RUN_DONE,
        other => return other.to_string(),
    };
    label.get(lang).to_string()
}

/// A stored policy name (see `simulate::PolicySpec::name`) in `lang`; unknown ones as stored.
pub fn policy(lang: Lang, name: &str) -> String {
    let label = match name {
        "uniform" => POLICY_UNIFORM,
        "epsilon_greedy" => POLICY_EPSILON,
        "ucb1" => POLICY_UCB1,
        "thompson" => POLICY_THOMPSON,
        "factorised" => POLICY_FACTORISED,
        other => return other.to_string(),
    };
    label.get(lang).to_string()
}

/// A campaign goal (`clicks`, `purchases`) in `lang`; unknown ones as stored.
pub fn goal(lang: Lang, goal: &str) -> String {
    match goal {
        "clicks" => GOAL_CLICKS.get(lang).to_string(),
        "purchases" => GOAL_PURCHASES.get(lang).to_string(),
        other => other.to_string(),
    }
}
