use super::*;

/// A rule id, the fields it must fire on, and the context.
type Case<'a> = (&'a str, &'a [(Field, &'a str)], LintContext);

fn rules(fields: &[(Field, &str)], ctx: &LintContext) -> Vec<(&'static str, String)> {
    lint(fields, ctx).into_iter().map(|f| (f.rule, f.text)).collect()
}

fn en() -> LintContext {
    LintContext { labels: vec!["Other buyers".into(), "其他买家".into()], names: vec!["Voltix wireless earbuds".into(), "Voltix".into()], keywords: vec!["fryer".into(), "air".into()], zh: false }
}

fn zh() -> LintContext {
    LintContext { zh: true, names: vec!["Voltix".into(), "沃提克无线耳机".into()], ..en() }
}

#[test]
fn every_rule_is_data_and_fires_on_a_crafted_bad_string() {
    let ids: Vec<&str> = LINT_RULES.iter().map(|r| r.id).collect();
    let cases: [Case; 8] = [
        ("internal-label", &[(Field::Description, "其他买家都在看：沃提克无线耳机")], zh()),
        ("meta-opener", &[(Field::PrimaryText, "In short: Voltix wireless earbuds, ¥449.")], en()),
        ("filler", &[(Field::PrimaryText, "简单说，沃提克无线耳机很好用。")], zh()),
        ("foreign-keyword", &[(Field::Headline, "人气之选：bunting")], zh()),
        ("keyword-stuffing", &[(Field::Description, "Fryer, air and more: a kitchen helper.")], en()),
        ("repeated-sentence", &[(Field::Headline, "Quiet earbuds for the commute"), (Field::Description, "Quiet earbuds for the commute. ¥449.")], en()),
        ("grammar", &[(Field::Headline, "Your blocks is waiting")], en()),
        ("capitalisation", &[(Field::Headline, "Quiet Earbuds For The Commute")], en()),
    ];
    for (rule, fields, ctx) in cases {
        assert!(ids.contains(&rule), "{rule} is listed");
        let got = rules(fields, &ctx);
        assert!(got.iter().any(|(r, _)| *r == rule), "{rule} fires on {fields:?}: {got:?}");
    }
    assert!(LINT_RULES.iter().all(|r| !r.explanation.is_empty()));
}

#[test]
fn grammar_covers_agreement_articles_spaces_and_doubled_words() {
    let g = |t: &str| rules(&[(Field::Description, t)], &en()).into_iter().filter(|(r, _)| *r == "grammar").map(|(_, t)| t).collect::<Vec<_>>();
    assert_eq!(g("Your blocks is waiting"), vec!["blocks is"]);
    assert_eq!(g("Take a umbrella and an cable"), vec!["a umbrella", "an cable"]);
    assert_eq!(g("Pack  light"), vec!["double space"]);
    assert_eq!(g("See the the range"), vec!["the the"]);
    for ok in ["Your block is waiting", "An hour of music, a USB-C cable and a unique case", "This is a useful kit", "Glass is fragile"] {
        assert!(g(ok).is_empty(), "{ok}: {:?}", g(ok));
    }
}

#[test]
fn clean_copy_and_names_pass() {
    let fields = [
        (Field::Headline, "Voltix wireless earbuds: quiet commute"),
        (Field::LongHeadline, "Quality audio from Voltix, made to be kept"),
        (Field::Description, "Considered design and materials from Voltix. Specs on the product page."),
        (Field::PrimaryText, "Compare wireless earbuds at Demo Store: Voltix wireless earbuds, ¥449."),
        (Field::Cta, "Shop now"),
    ];
    assert!(lint(&fields, &en()).is_empty(), "{:?}", lint(&fields, &en()));
    let zh_fields = [(Field::Headline, "Voltix沃提克无线耳机，品质之选"), (Field::Description, "做工扎实，细节用心，¥449。"), (Field::Cta, "立即购买")];
    assert!(lint(&zh_fields, &zh()).is_empty(), "brand and product names may be Latin: {:?}", lint(&zh_fields, &zh()));
}
