//! The policy lint's warnings ([`crate::lint`]), in English and Simplified Chinese.
//!
//! A citation or what the law gives comes as its (English, Chinese) pair from
//! [`crate::statute`]; field names, codes and timestamps are the same in both languages.

use crate::vocabulary::Locale;

/// The words of a law in both languages: (en, zh-CN).
pub type Both = (&'static str, &'static str);

/// A list where the first item whose `when` holds applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// An SLA plan, which a case reaches.
    Plan,
    /// A warranty term, which a claim reaches.
    Term,
}

impl Listed {
    /// (the item, who reaches it) in `locale`.
    fn words(self, locale: Locale) -> (&'static str, &'static str) {
        match (self, locale) {
            (Listed::Plan, Locale::En) => ("plan", "case"),
            (Listed::Term, Locale::En) => ("term", "claim"),
            (Listed::Plan, Locale::ZhCn) => ("方案", "工单"),
            (Listed::Term, Locale::ZhCn) => ("条款", "索赔"),
        }
    }
}

/// What a warning says, with the values its words need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    /// `RULE_NEVER_MATCHES` for a return rule.
    RuleNeverMatches { rule: String },
    /// `RULE_SHADOWED`: `earlier` (`returns.rules[at]`) already does what `rule` does.
    RuleShadowed { rule: String, earlier: String, at: usize },
    /// `RULE_NEVER_MATCHES` for a plan or term.
    NeverApplies { kind: Listed, id: String },
    /// `UNUSED_DEFINITION`: `first` (`list[at]`) before `id` applies to everything (`same_when`:
    /// has the same `when`).
    Unreached { kind: Listed, id: String, first: String, list: &'static str, at: usize, same_when: bool },
    /// `UNUSED_DEFINITION` for a calendar.
    CalendarUnused { name: String },
    /// `SLA_STAGES_OUT_OF_ORDER`.
    StagesOutOfOrder {
        start: String,
        start_day: &'static str,
        earlier_stage: String,
        earlier_due: String,
        later_stage: String,
        later_due: String,
    },
    /// `PAID_REMEDY_WITHOUT_PRICE`.
    PaidRemedyWithoutPrice,
    /// `BELOW_STATUTORY_MINIMUM`: a withdrawal refunds the standard delivery whatever `refunds.shipping` says.
    WithdrawalRefundsDelivery { cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a warranty term shorter than the legal guarantee.
    TermShorterThanGuarantee { term_months: u32, months: u32, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: refund review and payout over the calendar's real holidays.
    RefundTermOverHolidays { days: i64, start: String, end: String, limit: u64, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: refund review and payout, the weekends counted.
    RefundTermAtWorst { days: u64, limit: u64, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: no reason for the right the law gives.
    NoReasonMissing { reason: &'static str, gives: Both, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a window shorter than the law's.
    WindowShorter { days: u64, gives: Both, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a requirement the law does not allow.
    RequirementNotAllowed { reason: String, requirement: &'static str, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a restocking fee on a statutory return.
    RestockingFee { gives: Both, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: the customer made to pay a transport the seller owes.
    SellerPaysTransport { reason: String, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a rule that refuses what the law allows.
    RuleDenies { rule: String, gives: Both, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a rule that refuses a reason for goods the law does not exempt.
    RuleDeniesReason { rule: String, reason: String, exempt: &'static [&'static str], cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a rule's requirement the law does not allow.
    RuleRequires { rule: String, reason: String, requirement: &'static str, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a rule's window shorter than the law's.
    RuleWindowShorter { rule: String, days: u64, gives: Both, cite: Both },
    /// `BELOW_STATUTORY_MINIMUM`: a rule's restocking fee on a statutory return.
    RuleRestockingFee { rule: String, reason: String, cite: Both },
}

/// The (en, zh-CN) pair's words in `locale`.
fn pick(locale: Locale, both: Both) -> &'static str {
    locale.pick(both.0, both.1)
}

impl Says {
    /// The words in `locale`.
    #[expect(clippy::too_many_lines, reason = "one arm per warning, each its two templates")]
    pub fn render(&self, locale: Locale) -> String {
        let en = locale == Locale::En;
        match self {
            Says::RuleNeverMatches { rule } => locale.pick_with(
                || format!("rule `{rule}` can never match: its conditions contradict each other"),
                || format!("规则 `{rule}` 永远不会匹配：它的条件相互矛盾"),
            ),
            Says::RuleShadowed { rule, earlier, at } => locale.pick_with(
                || format!("rule `{rule}` does nothing that rule `{earlier}` (returns.rules[{at}]) does not already do whenever it matches"),
                || format!("规则 `{rule}` 匹配时所做的，规则 `{earlier}`（returns.rules[{at}]）都已做到：它不起作用"),
            ),
            Says::NeverApplies { kind, id } => {
                let (item, _) = kind.words(locale);
                locale.pick_with(
                    || format!("{item} `{id}` can never apply: its conditions contradict each other"),
                    || format!("{item} `{id}` 永远不会适用：它的条件相互矛盾"),
                )
            }
            Says::Unreached { kind, id, first, list, at, same_when } => {
                let (item, who) = kind.words(locale);
                match (same_when, locale) {
                    (false, Locale::En) => format!("no {who} reaches {item} `{id}`: {item} `{first}` ({list}[{at}]) before it applies to every {who}"),
                    (true, Locale::En) => format!("no {who} reaches {item} `{id}`: {item} `{first}` ({list}[{at}]) before it has the same `when`"),
                    (false, Locale::ZhCn) => format!("没有{who}会用到{item} `{id}`：它前面的{item} `{first}`（{list}[{at}]）适用于所有{who}"),
                    (true, Locale::ZhCn) => format!("没有{who}会用到{item} `{id}`：它前面的{item} `{first}`（{list}[{at}]）的 `when` 与它相同"),
                }
            }
            Says::CalendarUnused { name } => locale.pick_with(
                || format!("no SLA target or repair turnaround counts on calendar `{name}` (only a calendar request can name it)"),
                || format!("没有 SLA 时限或维修周期使用日历 `{name}`（只有日历查询会用到它）"),
            ),
            Says::StagesOutOfOrder { start, start_day, earlier_stage, earlier_due, later_stage, later_due } => locale.pick_with(
                || format!("a case started {start} ({start_day}) is due for `{earlier_stage}` at {earlier_due}, after its later stage `{later_stage}` at {later_due}"),
                || format!("{start}（{start_day}）开始的工单，`{earlier_stage}` 的时限 {earlier_due} 晚于其后一阶段 `{later_stage}` 的时限 {later_due}"),
            ),
            Says::PaidRemedyWithoutPrice => locale.pick(
                "a claim the terms do not cover is repaired at the customer's cost, but the price list has no labour \
                 rate, diagnostic fee or part: every paid repair is quoted nothing",
                "条款不保的索赔由顾客付费维修，但价目表没有工时费、检测费或配件：每次付费维修都报价为零",
            )
            .to_string(),
            Says::WithdrawalRefundsDelivery { cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("a withdrawal refunds the standard delivery ({c}), which quotes do whatever this says; `full_return` says so")
                } else {
                    format!("撤回购买须退还标准运费（{c}），无论此处如何设置，报价都会退还；`full_return` 与之一致")
                }
            }
            Says::TermShorterThanGuarantee { term_months: t, months: m, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("a {t}-month term is shorter than the {m}-month legal guarantee ({c}); claims inside the legal guarantee are decided under it")
                } else {
                    format!("{t} 个月的保修期短于 {m} 个月的法定保证期（{c}）；法定保证期内的索赔按法定保证处理")
                }
            }
            Says::RefundTermOverHolidays { days, start, end, limit, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("refund review and payout can take {days} calendar days over the calendar's holidays (goods received {start}, paid by {end}); the law allows {limit} ({c})")
                } else {
                    format!("按日历的节假日，退款审核和打款最长需 {days} 个自然日（{start} 收到商品，{end} 前打款）；法律规定 {limit} 日（{c}）")
                }
            }
            Says::RefundTermAtWorst { days, limit, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("refund review and payout can take up to {days} calendar days (counting the weekends working days straddle); the law allows {limit} ({c})")
                } else {
                    format!("退款审核和打款最长可能需 {days} 个自然日（计入工作日跨越的周末）；法律规定 {limit} 日（{c}）")
                }
            }
            Says::NoReasonMissing { reason, gives, cite } => {
                let (g, c) = (pick(locale, *gives), pick(locale, *cite));
                if en {
                    format!("no `{reason}` reason, but the law gives {g} ({c})")
                } else {
                    format!("没有 `{reason}` 退货原因，但法律规定{g}（{c}）")
                }
            }
            Says::WindowShorter { days, gives, cite } => {
                let (g, c) = (pick(locale, *gives), pick(locale, *cite));
                if en {
                    format!("a {days}-day window is shorter than the law's {g} ({c})")
                } else {
                    format!("{days} 天的退货期短于法定期限：{g}（{c}）")
                }
            }
            Says::RequirementNotAllowed { reason, requirement, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("the law does not let a `{reason}` return depend on `{requirement}` ({c})")
                } else {
                    format!("法律不允许 `{reason}` 退货以 `{requirement}` 为条件（{c}）")
                }
            }
            Says::RestockingFee { gives, cite } => {
                let (g, c) = (pick(locale, *gives), pick(locale, *cite));
                if en {
                    format!("the law's {g} carries no restocking fee ({c})")
                } else {
                    format!("法定退货不收取重新上架费：{g}（{c}）")
                }
            }
            Says::SellerPaysTransport { reason, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("the seller pays the transport of a `{reason}` return ({c})")
                } else {
                    format!("`{reason}` 退货的运费由卖家承担（{c}）")
                }
            }
            Says::RuleDenies { rule, gives, cite } => {
                let (g, c) = (pick(locale, *gives), pick(locale, *cite));
                if en {
                    format!("rule `{rule}` refuses returns the law allows: {g} ({c})")
                } else {
                    format!("规则 `{rule}` 拒绝了法律允许的退货：{g}（{c}）")
                }
            }
            Says::RuleDeniesReason { rule, reason, exempt, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("rule `{rule}` refuses `{reason}` returns of goods the law does not exempt (it exempts items tagged {}) ({c})", exempt.join(", "))
                } else {
                    format!("规则 `{rule}` 拒绝了法律未豁免商品的 `{reason}` 退货（法律豁免的是标记为 {} 的商品）（{c}）", exempt.join("、"))
                }
            }
            Says::RuleRequires { rule, reason, requirement, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("rule `{rule}` makes a `{reason}` return depend on `{requirement}` ({c})")
                } else {
                    format!("规则 `{rule}` 让 `{reason}` 退货以 `{requirement}` 为条件（{c}）")
                }
            }
            Says::RuleWindowShorter { rule, days, gives, cite } => {
                let (g, c) = (pick(locale, *gives), pick(locale, *cite));
                if en {
                    format!("rule `{rule}` sets a {days}-day window, but the law gives {g} ({c}), which stands")
                } else {
                    format!("规则 `{rule}` 设置了 {days} 天的退货期，但法定期限仍然有效：{g}（{c}）")
                }
            }
            Says::RuleRestockingFee { rule, reason, cite } => {
                let c = pick(locale, *cite);
                if en {
                    format!("rule `{rule}` charges a restocking fee on a `{reason}` return the law gives free ({c})")
                } else {
                    format!("规则 `{rule}` 对法律规定免费的 `{reason}` 退货收取重新上架费（{c}）")
                }
            }
        }
    }
}

/// For tests: a sample of every warning.
pub fn samples() -> Vec<Says> {
    let cite = ("PRC Consumer Rights Protection Law, Art. 25", "《消费者权益保护法》第二十五条");
    let gives = ("a 7-day no-reason return from delivery", "消费者自收到商品之日起七日内有权无理由退货");
    let rule = || "final-sale".to_string();
    vec![
        Says::RuleNeverMatches { rule: rule() },
        Says::RuleShadowed { rule: rule(), earlier: "clearance".into(), at: 0 },
        Says::NeverApplies { kind: Listed::Plan, id: "vip".into() },
        Says::Unreached {
            kind: Listed::Term,
            id: "screen".into(),
            first: "all".into(),
            list: "warranty.terms",
            at: 0,
            same_when: false,
        },
        Says::Unreached {
            kind: Listed::Plan,
            id: "vip".into(),
            first: "gold".into(),
            list: "sla.plans",
            at: 1,
            same_when: true,
        },
        Says::CalendarUnused { name: "warehouse".into() },
        Says::StagesOutOfOrder {
            start: "2026-11-20T17:00:00+08:00".into(),
            start_day: "fri",
            earlier_stage: "first_response".into(),
            earlier_due: "2026-11-23T10:00:00+08:00".into(),
            later_stage: "solution".into(),
            later_due: "2026-11-21T17:00:00+08:00".into(),
        },
        Says::PaidRemedyWithoutPrice,
        Says::WithdrawalRefundsDelivery { cite },
        Says::TermShorterThanGuarantee { term_months: 12, months: 24, cite },
        Says::RefundTermOverHolidays {
            days: 9,
            start: "2026-09-30T23:59:00+08:00".into(),
            end: "2026-10-09T18:00:00+08:00".into(),
            limit: 7,
            cite,
        },
        Says::RefundTermAtWorst { days: 9, limit: 7, cite },
        Says::NoReasonMissing { reason: "no_reason", gives, cite },
        Says::WindowShorter { days: 5, gives, cite },
        Says::RequirementNotAllowed { reason: "no_reason".into(), requirement: "original_packaging", cite },
        Says::RestockingFee { gives, cite },
        Says::SellerPaysTransport { reason: "defective".into(), cite },
        Says::RuleDenies { rule: rule(), gives, cite },
        Says::RuleDeniesReason { rule: rule(), reason: "no_reason".into(), exempt: &["custom", "perishable"], cite },
        Says::RuleRequires { rule: rule(), reason: "no_reason".into(), requirement: "original_packaging", cite },
        Says::RuleWindowShorter { rule: rule(), days: 3, gives, cite },
        Says::RuleRestockingFee { rule: rule(), reason: "no_reason".into(), cite },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_warning_has_its_words_in_both_languages() {
        for says in samples() {
            let (en, zh) = (says.render(Locale::En), says.render(Locale::ZhCn));
            assert!(!en.is_empty() && !zh.is_empty(), "{says:?}");
            assert!(en.is_ascii() || en.contains('¥'), "English words only: {en}");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese words: {zh}");
            assert!(!zh.contains("the law") && !zh.contains(" rule "), "{zh}");
            for text in [&en, &zh] {
                assert!(!text.contains('{') && !text.contains('}'), "a figure left unfilled: {text}");
            }
        }
    }

    #[test]
    fn the_english_words_are_the_ones_warnings_always_had() {
        let samples = samples();
        let en = |i: usize| samples.get(i).map(|s| s.render(Locale::En)).unwrap_or_default();
        assert_eq!(en(0), "rule `final-sale` can never match: its conditions contradict each other");
        assert_eq!(
            en(3),
            "no claim reaches term `screen`: term `all` (warranty.terms[0]) before it applies to every claim"
        );
        assert_eq!(
            en(13),
            "a 5-day window is shorter than the law's a 7-day no-reason return from delivery \
             (PRC Consumer Rights Protection Law, Art. 25)"
        );
    }
}
