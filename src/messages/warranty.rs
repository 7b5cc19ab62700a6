//! The warranty messages, in English and Simplified Chinese: the reasons of a warranty decision,
//! the legal guarantee's, and the lines of a repair quote.

use super::format_date;
use crate::money::Decimal;
use crate::vocabulary::{ExternalFactor, Locale, RemedyKind};
use chrono::NaiveDate;
use std::sync::Arc;

/// What a warranty reason or quote line says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {
    /// `NO_WARRANTY_TERMS`: no term's `when` holds for the product.
    NoWarrantyTerms,
    /// `NO_PROOF_OF_PURCHASE`: the warranty counts from the manufacture date instead.
    NoProofOfPurchase,
    /// `PROOF_OF_PURCHASE_REQUIRED`.
    ProofOfPurchaseRequired,
    /// `EXTENDED_BY_REPAIRS`: the days in repair added to the warranty, which now ends on `ends_on`.
    ExtendedByRepairs { days: u64, ends_on: NaiveDate },
    /// `OUTSIDE_WARRANTY`.
    OutsideWarranty { ended_on: NaiveDate },
    /// `FAULT_NOT_COVERED`: the fault kind is not among what the term covers.
    FaultNotCovered { fault_kind: Arc<str>, term: Arc<str> },
    /// `EXCLUDED_BY_EXTERNAL_FACTOR`, one per factor.
    ExcludedByExternalFactor { factor: ExternalFactor },
    /// `WARRANTY_TIER`: the tier the fault falls in and its free remedies.
    WarrantyTier { days_since_purchase: i64, within_days: u32, remedies: Vec<RemedyKind> },
    /// `REPEATED_FAILED_REPAIRS`.
    RepeatedFailedRepairs { failed_repairs: usize },
    /// `REPAIR_OVERRUN`: a repair took `days_in_repair` days, more than `limit`.
    RepairOverrun { days_in_repair: u32, limit: u32 },
    /// `QUOTE_REQUIRES_CONFIRMATION`.
    QuoteRequiresConfirmation,
    /// `LEGAL_GUARANTEE`: the law's guarantee of conformity, with the statute's own words
    /// (`citation` and `after_failed_repair`, each in English and Chinese).
    LegalGuarantee {
        months: u32,
        presumed_months: u32,
        /// The defect showed within `presumed_months` of delivery.
        presumed: bool,
        /// A repair already failed to cure the defect.
        may_return: bool,
        ends_on: NaiveDate,
        citation: (&'static str, &'static str),
        after_failed_repair: (&'static str, &'static str),
    },
    /// Quote line `PART`.
    Part { code: Arc<str> },
    /// Quote line `LABOUR`: the hours, at the hourly rate (already written by `format_money`).
    Labour { hours: Decimal, rate: String },
    /// Quote line `DIAGNOSTIC_FEE`.
    DiagnosticFee,
    /// Quote line `DIAGNOSTIC_FEE_WAIVED`.
    DiagnosticFeeWaived,
    /// Quote line `OTHER`: the repair's other costs (transport, a visit).
    OtherCosts,
    /// `PARTIAL_COVERAGE`: the term pays these percentages of parts, labour and other costs.
    PartialCoverage { parts: Decimal, labour: Decimal, other: Decimal },
    /// `PRO_RATA_SHARE`: the product, `age_months` whole months old at the fault, is covered at
    /// `percent`.
    ProRataShare { age_months: u32, percent: Decimal },
    /// `NO_FAULT_FOUND`: no remedy; the diagnostic fee (already written by `format_money`).
    NoFaultFound { fee: String },
    /// `UNREPAIRABLE`: the product cannot be repaired; what is owed instead (none: nothing free).
    Unrepairable { remedies: Vec<RemedyKind> },
}

/// The words for an external factor.
fn factor(f: ExternalFactor, locale: Locale) -> &'static str {
    match f {
        ExternalFactor::Dropped => locale.pick("it was dropped", "跌落"),
        ExternalFactor::Water => locale.pick("water damage", "进水"),
        ExternalFactor::PhysicalDamage => locale.pick("physical damage", "人为损坏"),
        ExternalFactor::UnauthorizedRepair => {
            locale.pick("repair or disassembly by someone not authorised", "非授权维修或拆机")
        }
        ExternalFactor::Misuse => locale.pick("use against the manual", "未按说明书使用"),
    }
}

/// The words for a remedy.
fn remedy(r: RemedyKind, locale: Locale) -> &'static str {
    match r {
        RemedyKind::Return => locale.pick("return", "退货"),
        RemedyKind::Replace => locale.pick("replacement", "换货"),
        RemedyKind::Repair => locale.pick("repair", "维修"),
    }
}

impl Says {
    /// The words in `locale`.
    #[expect(clippy::too_many_lines, reason = "one independent arm per message, each a pair of templates")]
    pub fn render(&self, locale: Locale) -> String {
        let words = |en: &str, zh: &str| locale.pick(en, zh).to_string();
        match self {
            Says::NoWarrantyTerms => words("No warranty terms cover this product.", "该商品不在保修条款范围内。"),
            Says::NoProofOfPurchase => words(
                "Without proof of purchase the warranty counts from the manufacture date.",
                "无购买凭证，保修期自生产日期起算。",
            ),
            Says::ProofOfPurchaseRequired => words(
                "A warranty claim needs proof of purchase (an invoice or an order).",
                "保修需要提供购买凭证（发票或订单）。",
            ),
            Says::ExtendedByRepairs { days, ends_on } => {
                let ends_on = format_date(locale, ends_on);
                locale.pick_with(
                    || {
                        format!(
                            "The warranty is extended by the {days} days the product spent in repair, to {ends_on}."
                        )
                    },
                    || format!("维修期间的{days}天顺延保修期，至{ends_on}。"),
                )
            }
            Says::OutsideWarranty { ended_on } => {
                let ended_on = format_date(locale, ended_on);
                locale.pick_with(
                    || format!("The warranty ended on {ended_on}; a repair is possible at the customer's cost."),
                    || format!("保修期已于{ended_on}结束，可提供付费维修。"),
                )
            }
            Says::FaultNotCovered { fault_kind, term } => locale.pick_with(
                || {
                    format!(
                        "This kind of fault ({fault_kind}) is not covered by the {term} warranty; a repair is possible \
                         at the customer's cost."
                    )
                },
                || format!("该故障类型（{fault_kind}）不在{term}保修范围内，可提供付费维修。"),
            ),
            Says::ExcludedByExternalFactor { factor } => {
                let factor = self::factor(*factor, locale);
                locale.pick_with(
                    || format!("Not covered free of charge: {factor}. A repair is possible at the customer's cost."),
                    || format!("因{factor}不在免费保修范围内，可提供付费维修。"),
                )
            }
            Says::WarrantyTier { days_since_purchase: days, within_days, remedies } => {
                let list: Vec<&str> = remedies.iter().map(|r| remedy(*r, locale)).collect();
                locale.pick_with(
                    || {
                        format!(
                            "A fault {days} days after purchase is within {within_days} days: {} free of charge.",
                            list.join(", ")
                        )
                    },
                    || format!("购买后第{days}天出现故障，在{within_days}天内：可免费{}。", list.join("、")),
                )
            }
            Says::RepeatedFailedRepairs { failed_repairs: n } => locale.pick_with(
                || format!("Repaired {n} times for the same fault and still failing: replacement or return."),
                || format!("同一故障已维修{n}次仍未修复：可换货或退货。"),
            ),
            Says::RepairOverrun { days_in_repair: days, limit } => locale.pick_with(
                || format!("A repair took {days} days, more than {limit}: replacement."),
                || format!("维修耗时{days}天，超过{limit}天：可换货。"),
            ),
            Says::QuoteRequiresConfirmation => {
                words("The customer must confirm the quote before the repair starts.", "维修开始前须由客户确认报价。")
            }
            Says::LegalGuarantee {
                months,
                presumed_months,
                presumed,
                may_return,
                ends_on,
                citation,
                after_failed_repair,
            } => {
                let ends_on = format_date(locale, ends_on);
                let presumption = presumption(locale, *presumed, *presumed_months);
                match locale {
                    Locale::En => {
                        let after = if *may_return { format!(" {}", after_failed_repair.0) } else { String::new() };
                        format!(
                            "The law gives a {} legal guarantee from delivery ({}), until {ends_on}: repair or \
                             replacement, free of charge, at the customer's choice. {presumption}{after}",
                            en_length(*months),
                            citation.0,
                        )
                    }
                    Locale::ZhCn => format!(
                        "依据{}，商品自交付起享有{}法定保证，至{ends_on}：消费者可选择免费维修或换货。{presumption}{}",
                        citation.1,
                        zh_span(*months),
                        if *may_return { after_failed_repair.1 } else { "" }
                    ),
                }
            }
            Says::Part { code } => locale.pick_with(|| format!("Part {code}"), || format!("配件 {code}")),
            Says::Labour { hours, rate } => locale.pick_with(
                || format!("Labour: {hours} h at {rate} an hour"),
                || format!("工时：{hours}小时，每小时{rate}"),
            ),
            Says::DiagnosticFee => words("Diagnostic fee", "检测费"),
            Says::DiagnosticFeeWaived => {
                words("Diagnostic fee waived as the repair goes ahead", "进行维修则免收检测费")
            }
            Says::OtherCosts => words("Other costs", "其他费用"),
            Says::PartialCoverage { parts, labour, other } => {
                let (p, l, o) = (parts.normalize(), labour.normalize(), other.normalize());
                locale.pick_with(
                    || {
                        format!(
                            "The warranty pays {p} % of parts, {l} % of labour and {o} % of other costs; the \
                             customer pays the rest."
                        )
                    },
                    || format!("保修承担配件费用的{p}%、工时费的{l}%、其他费用的{o}%，其余由客户承担。"),
                )
            }
            Says::ProRataShare { age_months, percent } => {
                let percent = percent.normalize();
                locale.pick_with(
                    || {
                        format!(
                            "The product was {age_months} months old when it failed: the warranty pays {percent} % \
                             (pro rata) and the customer the rest."
                        )
                    },
                    || format!("商品出现故障时已使用{age_months}个月：保修按比例承担{percent}%，其余由客户承担。"),
                )
            }
            Says::NoFaultFound { fee } => locale.pick_with(
                || format!("No fault was found: no remedy is owed, and the diagnostic fee of {fee} is charged."),
                || format!("检测未发现故障：不提供保修服务，收取检测费{fee}。"),
            ),
            Says::Unrepairable { remedies } if remedies.is_empty() => words(
                "The product cannot be repaired, and the warranty owes nothing for it.",
                "商品无法修复，且不在保修范围内。",
            ),
            Says::Unrepairable { remedies } => {
                let list: Vec<&str> = remedies.iter().map(|r| remedy(*r, locale)).collect();
                locale.pick_with(
                    || format!("The product cannot be repaired: {} instead.", list.join(" or ")),
                    || format!("商品无法修复：改为{}。", list.join("或")),
                )
            }
        }
    }
}

/// What the law presumes of a defect that showed early (or late) after delivery.
fn presumption(locale: Locale, presumed: bool, presumed_months: u32) -> String {
    match (locale, presumed) {
        (Locale::En, true) => format!(
            "A defect that shows within {} of delivery is presumed present at delivery.",
            en_span(presumed_months)
        ),
        (Locale::En, false) => format!(
            "The defect showed more than {} after delivery, so the customer may be asked to show it was present at \
             delivery.",
            en_span(presumed_months)
        ),
        (Locale::ZhCn, true) => format!("交付后{}内出现的缺陷推定为交付时已存在。", zh_span(presumed_months)),
        (Locale::ZhCn, false) => {
            format!("缺陷出现在交付{}之后，可能需要消费者证明其在交付时已存在。", zh_span(presumed_months))
        }
    }
}

/// "2-year", "18-month".
fn en_length(months: u32) -> String {
    if months % 12 == 0 {
        format!("{}-year", months / 12)
    } else {
        format!("{months}-month")
    }
}

/// "2年", "18个月".
fn zh_span(months: u32) -> String {
    if months % 12 == 0 {
        format!("{}年", months / 12)
    } else {
        format!("{months}个月")
    }
}

/// "1 year", "18 months".
fn en_span(months: u32) -> String {
    match months {
        12 => "1 year".to_string(),
        m if m % 12 == 0 => format!("{} years", m / 12),
        m => format!("{m} months"),
    }
}

variants!(
    NoWarrantyTerms,
    NoProofOfPurchase,
    ProofOfPurchaseRequired,
    ExtendedByRepairs,
    OutsideWarranty,
    FaultNotCovered,
    ExcludedByExternalFactor,
    WarrantyTier,
    RepeatedFailedRepairs,
    RepairOverrun,
    QuoteRequiresConfirmation,
    LegalGuarantee,
    Part,
    Labour,
    DiagnosticFee,
    DiagnosticFeeWaived,
    OtherCosts,
    PartialCoverage,
    ProRataShare,
    NoFaultFound,
    Unrepairable,
);

/// For tests and docs: a sample of every variant, with the code it is given with (see
/// [`super::samples`]); none when a sample date is not one.
pub fn samples() -> Vec<(&'static str, Says)> {
    let (Some(extended), Some(ended), Some(guaranteed)) = (
        NaiveDate::from_ymd_opt(2027, 3, 12),
        NaiveDate::from_ymd_opt(2026, 10, 1),
        NaiveDate::from_ymd_opt(2027, 3, 4),
    ) else {
        return Vec::new();
    };
    let guarantee = |presumed: bool, may_return: bool| Says::LegalGuarantee {
        months: 24,
        presumed_months: 12,
        presumed,
        may_return,
        ends_on: guaranteed,
        citation: ("Sale of Goods Directive (EU) 2019/771, Art. 10", "欧盟《货物销售指令》(2019/771)第10条"),
        after_failed_repair: (
            "An earlier repair did not cure this defect, so the customer may instead return the product for a \
             refund (Art. 13(4)).",
            "此前维修未能排除该缺陷，消费者亦可退货退款（第13条第4款）。",
        ),
    };
    vec![
        ("NO_WARRANTY_TERMS", Says::NoWarrantyTerms),
        ("NO_PROOF_OF_PURCHASE", Says::NoProofOfPurchase),
        ("PROOF_OF_PURCHASE_REQUIRED", Says::ProofOfPurchaseRequired),
        ("EXTENDED_BY_REPAIRS", Says::ExtendedByRepairs { days: 11, ends_on: extended }),
        ("OUTSIDE_WARRANTY", Says::OutsideWarranty { ended_on: ended }),
        ("FAULT_NOT_COVERED", Says::FaultNotCovered { fault_kind: "wear".into(), term: "footwear".into() }),
        ("EXCLUDED_BY_EXTERNAL_FACTOR", Says::ExcludedByExternalFactor { factor: ExternalFactor::Water }),
        ("EXCLUDED_BY_EXTERNAL_FACTOR", Says::ExcludedByExternalFactor { factor: ExternalFactor::UnauthorizedRepair }),
        (
            "WARRANTY_TIER",
            Says::WarrantyTier {
                days_since_purchase: 3,
                within_days: 7,
                remedies: vec![RemedyKind::Return, RemedyKind::Replace, RemedyKind::Repair],
            },
        ),
        ("REPEATED_FAILED_REPAIRS", Says::RepeatedFailedRepairs { failed_repairs: 2 }),
        ("REPAIR_OVERRUN", Says::RepairOverrun { days_in_repair: 35, limit: 30 }),
        ("QUOTE_REQUIRES_CONFIRMATION", Says::QuoteRequiresConfirmation),
        ("LEGAL_GUARANTEE", guarantee(true, false)),
        ("LEGAL_GUARANTEE", guarantee(false, true)),
        ("PART", Says::Part { code: "SCREEN-1".into() }),
        ("LABOUR", Says::Labour { hours: Decimal::new(15, 1), rate: super::format_money(8000, "CNY", 2) }),
        ("DIAGNOSTIC_FEE", Says::DiagnosticFee),
        ("DIAGNOSTIC_FEE_WAIVED", Says::DiagnosticFeeWaived),
        ("OTHER", Says::OtherCosts),
        (
            "PARTIAL_COVERAGE",
            Says::PartialCoverage { parts: Decimal::ONE_HUNDRED, labour: Decimal::ZERO, other: Decimal::ONE_HUNDRED },
        ),
        ("PRO_RATA_SHARE", Says::ProRataShare { age_months: 18, percent: Decimal::new(50, 0) }),
        ("NO_FAULT_FOUND", Says::NoFaultFound { fee: super::format_money(5000, "CNY", 2) }),
        ("UNREPAIRABLE", Says::Unrepairable { remedies: vec![RemedyKind::Replace] }),
        ("UNREPAIRABLE", Says::Unrepairable { remedies: vec![RemedyKind::Return, RemedyKind::Replace] }),
        ("UNREPAIRABLE", Says::Unrepairable { remedies: Vec::new() }),
    ]
}
