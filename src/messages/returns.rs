//! The returns messages, in English and Simplified Chinese: what a return decision's reasons
//! say, and the names of the reasons, conditions and resolutions they speak of.

use super::format_datetime;
use crate::vocabulary::{Locale, LocalizedText, Requirement, Resolution};
use crate::zone::Tz;
use chrono::DateTime;
use std::sync::Arc;

/// What a returns reason says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {
    /// `NOT_RETURNABLE`: a rule denies the item.
    NotReturnable { rule: Arc<str>, custom: Option<Arc<LocalizedText>> },
    /// `REASON_EXCLUDED_BY_RULE`: a rule denies the item for this reason.
    ReasonExcludedByRule { rule: Arc<str>, reason: ReasonName, custom: Option<Arc<LocalizedText>> },
    /// `MANUAL_REVIEW`: a rule asks a person to look.
    ManualReview { rule: Arc<str>, custom: Option<Arc<LocalizedText>> },
    /// `REASON_NOT_ACCEPTED`: the policy has no such reason.
    ReasonNotAccepted { reason: ReasonName },
    /// `ALREADY_RETURNED`: fewer units are left than asked for.
    AlreadyReturned { left: u64, bought: u64 },
    /// `NOT_DELIVERED`: the window counts from a delivery that has not happened.
    NotDelivered,
    /// `RETURN_WINDOW_EXPIRED`: the window of `days` ended at `end`.
    WindowExpired { reason: ReasonName, days: u64, end: DateTime<Tz> },
    /// `CONDITION_NOT_MET`: the item is reported not to meet a requirement.
    ConditionNotMet { reason: ReasonName, requirement: Requirement },
    /// `CONDITION_NOT_CONFIRMED`: the request does not say whether it meets a requirement.
    ConditionNotConfirmed { requirement: Requirement },
    /// `RESOLUTION_NOT_ALLOWED`: the resolution asked for is not among those allowed.
    ResolutionNotAllowed { reason: ReasonName, allowed: Vec<Resolution>, asked: Resolution },
    /// `STATUTORY_RIGHT`: the law lets the item go back until `deadline`; `citation` and `gives`
    /// are the statute's words (en, zh-CN).
    StatutoryRight {
        citation: (&'static str, &'static str),
        gives: (&'static str, &'static str),
        deadline: DateTime<Tz>,
        fee_waived: bool,
    },
    /// `RISK_REVIEW`: the risk score reached the review threshold; `signals` fired.
    RiskReview { score: u64, threshold: u64, signals: Vec<RiskSignal> },
    /// `RISK_DENIED`: the risk score reached the refusal threshold; `signals` fired.
    RiskDenied { score: u64, threshold: u64, signals: Vec<RiskSignal> },
}

/// A risk signal that fired, as messages name it: its label in the locale, else its id.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskSignal {
    pub id: Arc<str>,
    pub label: Option<Arc<LocalizedText>>,
    pub weight: u64,
}

/// The signals with their weights: "low_credit (30), …" / "low_credit（30 分）、…".
fn signal_list(signals: &[RiskSignal], locale: Locale) -> String {
    let named = |s: &RiskSignal| -> String {
        let name = s.label.as_deref().and_then(|l| l.get(locale)).unwrap_or(&s.id);
        match locale {
            Locale::En => format!("{name} ({})", s.weight),
            Locale::ZhCn => format!("{name}（{}分）", s.weight),
        }
    };
    signals.iter().map(named).collect::<Vec<_>>().join(locale.pick(", ", "、"))
}

impl Says {
    /// The words in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        if let Some(text) = self.custom().and_then(|c| c.get(locale)) {
            return text.to_string();
        }
        match locale {
            Locale::En => self.en(),
            Locale::ZhCn => self.zh(),
        }
    }

    /// The merchant's text of the rule behind the reason, which wins over the built-in words.
    fn custom(&self) -> Option<&LocalizedText> {
        match self {
            Says::NotReturnable { custom, .. }
            | Says::ReasonExcludedByRule { custom, .. }
            | Says::ManualReview { custom, .. } => custom.as_deref(),
            _ => None,
        }
    }

    fn en(&self) -> String {
        let locale = Locale::En;
        match self {
            Says::NotReturnable { rule, .. } => format!("This item cannot be returned (rule {rule})."),
            Says::ReasonExcludedByRule { rule, reason, .. } => {
                format!("This item cannot be returned as a {} return (rule {rule}).", reason.in_words(locale))
            }
            Says::ManualReview { rule, .. } => {
                format!("A member of staff will review this request before it goes ahead (rule {rule}).")
            }
            Says::ReasonNotAccepted { reason } => {
                format!("Returns for the reason “{}” are not accepted.", reason.in_words(locale))
            }
            Says::AlreadyReturned { left, bought } => {
                format!("Only {left} of the {bought} units can still be returned.")
            }
            Says::NotDelivered => {
                "The return window starts at delivery, and this order has not been delivered yet.".to_string()
            }
            Says::WindowExpired { reason, days, end } => format!(
                "The {days}-day window for {} returns ended on {}.",
                reason.in_words(locale),
                format_datetime(locale, end)
            ),
            Says::ConditionNotMet { reason, requirement } => format!(
                "A {} return requires that {}; this item does not meet it.",
                reason.in_words(locale),
                requirement_label(*requirement, locale)
            ),
            Says::ConditionNotConfirmed { requirement } => {
                format!("Please confirm that {}.", requirement_label(*requirement, locale))
            }
            Says::ResolutionNotAllowed { reason, allowed, asked } => format!(
                "A {} return can be settled by {}, not by {}.",
                reason.in_words(locale),
                resolution_list(allowed, locale, ", "),
                resolution_label(*asked, locale)
            ),
            Says::StatutoryRight { citation, gives, deadline, fee_waived } => format!(
                "The law gives {} ({}), so this item can be returned until {}.{}",
                gives.0,
                citation.0,
                format_datetime(locale, deadline),
                if *fee_waived { " No restocking fee is charged." } else { "" }
            ),
            Says::RiskReview { score, threshold, signals } => format!(
                "A member of staff will review this request. Risk score {score} (review from {threshold}): {}.",
                signal_list(signals, locale)
            ),
            Says::RiskDenied { score, threshold, signals } => format!(
                "This return is refused. Risk score {score} (refused from {threshold}): {}.",
                signal_list(signals, locale)
            ),
        }
    }

    fn zh(&self) -> String {
        let locale = Locale::ZhCn;
        match self {
            Says::NotReturnable { rule, .. } => format!("该商品不支持退换（规则 {rule}）。"),
            Says::ReasonExcludedByRule { rule, reason, .. } => {
                format!("该商品不支持{}退货（规则 {rule}）。", reason.in_words(locale))
            }
            Says::ManualReview { rule, .. } => format!("该申请需人工审核后处理（规则 {rule}）。"),
            Says::ReasonNotAccepted { reason } => format!("不接受以“{}”为由的退换货。", reason.in_words(locale)),
            Says::AlreadyReturned { left, bought } => format!("该商品共{bought}件，仅剩{left}件可退。"),
            Says::NotDelivered => "退货期限自签收起算，该订单尚未签收。".to_string(),
            Says::WindowExpired { reason, days, end } => {
                format!("{}退货的{days}天期限已于{}结束。", reason.in_words(locale), format_datetime(locale, end))
            }
            Says::ConditionNotMet { reason, requirement } => format!(
                "{}退货要求{}，该商品不符合。",
                reason.in_words(locale),
                requirement_label(*requirement, locale)
            ),
            Says::ConditionNotConfirmed { requirement } => {
                format!("请确认{}。", requirement_label(*requirement, locale))
            }
            Says::ResolutionNotAllowed { reason, allowed, asked } => format!(
                "{}退货可选择{}，不支持{}。",
                reason.in_words(locale),
                resolution_list(allowed, locale, "、"),
                resolution_label(*asked, locale)
            ),
            Says::StatutoryRight { citation, gives, deadline, fee_waived } => format!(
                "依据{}，{}；该商品可在{}前退货。{}",
                citation.1,
                gives.1,
                format_datetime(locale, deadline),
                if *fee_waived { "不收取退货手续费。" } else { "" }
            ),
            Says::RiskReview { score, threshold, signals } => format!(
                "该申请风险评分{score}分（{threshold}分起人工审核），需人工审核后处理：{}。",
                signal_list(signals, locale)
            ),
            Says::RiskDenied { score, threshold, signals } => format!(
                "该退货申请风险评分{score}分（{threshold}分起拒绝），不予受理：{}。",
                signal_list(signals, locale)
            ),
        }
    }
}

/// A return reason as messages name it: the policy's label for it when it has one in the locale,
/// else the built-in name of a well-known reason, else the reason as given.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonName {
    pub name: Arc<str>,
    /// The policy's `reasons.<name>.label`.
    pub label: Option<Arc<LocalizedText>>,
}

impl ReasonName {
    /// The name in `locale`.
    pub fn in_words(&self, locale: Locale) -> &str {
        if let Some(text) = self.label.as_deref().and_then(|l| l.get(locale)) {
            return text;
        }
        match &*self.name {
            "changed_mind" => locale.pick("change-of-mind", "无理由"),
            "defective" => locale.pick("defective-item", "质量问题"),
            "not_as_described" => locale.pick("not-as-described", "与描述不符"),
            "damaged_in_transit" => locale.pick("damaged-in-transit", "运输损坏"),
            "wrong_item" => locale.pick("wrong-item", "发错商品"),
            other => other,
        }
    }
}

/// A requirement as a clause: "the item is unused" / "商品未使用".
pub fn requirement_label(r: Requirement, locale: Locale) -> &'static str {
    match r {
        Requirement::Unused => locale.pick("the item is unused", "商品未使用"),
        Requirement::OriginalPackaging => locale.pick("the original packaging is intact", "原包装完好"),
        Requirement::TagsAttached => locale.pick("the tags are still attached", "吊牌完好未拆"),
        Requirement::AccessoriesComplete => locale.pick("all accessories and gifts are included", "配件及赠品齐全"),
        Requirement::SealIntact => locale.pick("the hygiene seal is unbroken", "卫生封条完好"),
        Requirement::ProofOfPurchase => locale.pick("proof of purchase is given", "提供购买凭证"),
    }
}

/// A resolution's name: "store credit" / "店铺余额".
pub fn resolution_label(r: Resolution, locale: Locale) -> &'static str {
    match r {
        Resolution::Refund => locale.pick("refund", "退款"),
        Resolution::Exchange => locale.pick("exchange", "换货"),
        Resolution::Repair => locale.pick("repair", "维修"),
        Resolution::StoreCredit => locale.pick("store credit", "店铺余额"),
    }
}

/// The names of `list`, joined by `separator`.
fn resolution_list(list: &[Resolution], locale: Locale, separator: &str) -> String {
    list.iter().map(|r| resolution_label(*r, locale)).collect::<Vec<_>>().join(separator)
}

variants!(
    NotReturnable,
    ReasonExcludedByRule,
    ManualReview,
    ReasonNotAccepted,
    AlreadyReturned,
    NotDelivered,
    WindowExpired,
    ConditionNotMet,
    ConditionNotConfirmed,
    ResolutionNotAllowed,
    StatutoryRight,
    RiskReview,
    RiskDenied,
);

/// For tests and docs: a sample of every variant, with the code it is given with (see
/// [`super::samples`]); none when the sample zone cannot be read.
pub fn samples() -> Vec<(&'static str, Says)> {
    let (Some(end), Some(deadline)) =
        (super::sample_time(2026, 11, 19, 23, 59), super::sample_time(2026, 11, 10, 23, 59))
    else {
        return Vec::new();
    };
    let named = |name: &str| ReasonName { name: name.into(), label: None };
    // A reason the policy labels (`reasons.wrong_size.label`); one it does not list has no label.
    let labelled = ReasonName {
        name: "wrong_size".into(),
        label: Some(Arc::new(LocalizedText { en: Some("wrong-size".into()), zh_cn: Some("尺码不合适".into()) })),
    };
    let mut samples = vec![
        ("NOT_RETURNABLE", Says::NotReturnable { rule: "custom-not-returnable".into(), custom: None }),
        (
            "REASON_EXCLUDED_BY_RULE",
            Says::ReasonExcludedByRule { rule: "final-sale".into(), reason: named("changed_mind"), custom: None },
        ),
        ("MANUAL_REVIEW", Says::ManualReview { rule: "abuse-review".into(), custom: None }),
        ("REASON_NOT_ACCEPTED", Says::ReasonNotAccepted { reason: named("too_expensive") }),
        ("ALREADY_RETURNED", Says::AlreadyReturned { left: 1, bought: 3 }),
        ("NOT_DELIVERED", Says::NotDelivered),
        ("RETURN_WINDOW_EXPIRED", Says::WindowExpired { reason: named("changed_mind"), days: 7, end }),
        (
            "CONDITION_NOT_MET",
            Says::ConditionNotMet { reason: named("changed_mind"), requirement: Requirement::SealIntact },
        ),
        ("CONDITION_NOT_CONFIRMED", Says::ConditionNotConfirmed { requirement: Requirement::TagsAttached }),
        (
            "RESOLUTION_NOT_ALLOWED",
            Says::ResolutionNotAllowed {
                reason: labelled,
                allowed: vec![Resolution::Refund, Resolution::Exchange],
                asked: Resolution::StoreCredit,
            },
        ),
        (
            "STATUTORY_RIGHT",
            Says::StatutoryRight {
                citation: ("PRC Consumer Rights Protection Law, Art. 25", "《消费者权益保护法》第二十五条"),
                gives: ("a 7-day no-reason return from delivery", "消费者自收到商品之日起七日内有权无理由退货"),
                deadline,
                fee_waived: false,
            },
        ),
        (
            "STATUTORY_RIGHT",
            Says::StatutoryRight {
                citation: ("Consumer Rights Directive 2011/83/EU, Art. 9", "欧盟《消费者权利指令》(2011/83/EU)第9条"),
                gives: (
                    "14 days from delivery to withdraw from the purchase",
                    "消费者自收到商品之日起14日内有权撤回购买",
                ),
                deadline: end,
                fee_waived: true,
            },
        ),
    ];
    samples.extend(risk_samples());
    samples
}

/// The risk reasons' samples: one signal with a label, the others named by their ids.
fn risk_samples() -> Vec<(&'static str, Says)> {
    vec![
        (
            "RISK_REVIEW",
            Says::RiskReview {
                score: 70,
                threshold: 50,
                signals: vec![
                    RiskSignal {
                        id: "no_reason_returns".into(),
                        label: Some(Arc::new(LocalizedText {
                            en: Some("3 or more no-reason returns in 30 days".into()),
                            zh_cn: Some("30天内无理由退货3次及以上".into()),
                        })),
                        weight: 40,
                    },
                    RiskSignal { id: "low_credit".into(), label: None, weight: 30 },
                ],
            },
        ),
        (
            "RISK_DENIED",
            Says::RiskDenied {
                score: 90,
                threshold: 90,
                signals: vec![
                    RiskSignal { id: "no_reason_returns".into(), label: None, weight: 40 },
                    RiskSignal { id: "low_credit".into(), label: None, weight: 30 },
                    RiskSignal { id: "large_order".into(), label: None, weight: 20 },
                ],
            },
        ),
    ]
}
