//! The refunds messages, in English and Simplified Chinese: the reasons of a refund quote and the
//! labels of its components.
//!
//! Amounts of money come in already written by [`super::format_money`] (the same in every locale).

use super::format_datetime;
use crate::money::{Currency, Decimal, Fee, Percent};
use crate::vocabulary::{Locale, RefundCause, Requirement};
use crate::zone::Tz;
use chrono::DateTime;
use std::sync::Arc;

/// How a fee is charged, as its message describes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Charge {
    /// A percentage of the price paid.
    Percent(Percent),
    /// A fixed amount a unit, written.
    PerUnit(String),
    /// Neither (such a fee charges nothing).
    Unpriced,
}

impl Charge {
    /// How `fee` is charged, its amount written in `currency`.
    pub fn of(fee: &Fee, currency: &Currency) -> Charge {
        match (fee.percent, fee.amount) {
            (Some(p), _) => Charge::Percent(p),
            (None, Some(a)) => Charge::PerUnit(super::format_money(a.0, &currency.code, currency.exponent)),
            _ => Charge::Unpriced,
        }
    }
}

/// What a refunds reason or component says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {
    /// `UNIT_PRICE_PAID`: the goods of `units` units of line `line`.
    UnitPricePaid { units: u64, line: Arc<str> },
    /// `TAX`: the tax on them.
    Tax { units: u64, line: Arc<str> },
    /// `PARTIAL_NETTED`: the partial refund already paid on `units` units kept earlier.
    PartialNetted { units: u64 },
    /// `RESTOCKING_FEE`.
    RestockingFee { charge: Charge },
    /// `CONDITION_DEDUCTION`: `requirement` is not met.
    ConditionDeduction { requirement: Requirement, charge: Charge },
    /// `RETURN_LABEL_FEE`: the whole fee, shared over the lines.
    ReturnLabelFee { fee: String },
    /// `PARTIAL_REFUND`: for keeping `units` units of line `line`, which were paid `paid`.
    PartialRefund { units: u64, line: Arc<str>, paid: String },
    /// `CAPPED_BY_PAID`: what is `left` of the line's payment.
    CappedByPaid { left: String },
    /// `NOTHING_LEFT_TO_REFUND` of a line: `left` of its `quantity` units can still be refunded.
    UnitsLeft { left: u64, quantity: u64 },
    /// `NOTHING_LEFT_TO_REFUND` of the quote.
    NothingLeft,
    /// `PARTIAL_CAPPED`: at most `max_percent` of the price, `cap`.
    PartialCapped { max_percent: Percent, cap: String },
    /// `ORIGINAL_SHIPPING`: `amount` of shipping refunded.
    OriginalShipping { amount: String },
    /// `ORIGINAL_SHIPPING` by the law: the standard delivery `amount` a withdrawal refunds
    /// (`citation` en, zh-CN), less the `premium` of a dearer delivery when there was one.
    StatutoryDelivery { amount: String, citation: (&'static str, &'static str), premium: Option<String> },
    /// `DELIVERY_WITH_LAST_GOODS`: a withdrawal of part of the order; the standard delivery
    /// `amount` comes back with the last goods.
    DeliveryWithLastGoods { amount: String, citation: (&'static str, &'static str) },
    /// `REFUND_AFTER_LEGAL_LIMIT`: the policy pays out at `payout_by`, after the `legal` limit of
    /// `days` days under `law`.
    PayoutAfterLegalLimit { payout_by: DateTime<Tz>, legal: DateTime<Tz>, days: u64, law: &'static str },
    /// `EXCHANGE_FAILED`.
    ExchangeFailed,
    /// `STORE_CREDIT_BONUS`: `credit` plus `bonus`, `total` in all.
    StoreCreditBonus { credit: String, bonus: String, total: String },
    // Threshold discounts, coupons and points; release and recovery.
    /// `DISCOUNT_RECOMPUTED`: the units kept, worth `kept`, no longer reach the `threshold` of
    /// the discount `discount` (its code, if it has one).
    DiscountRecomputed { discount: Option<String>, threshold: String, kept: String },
    /// `DISCOUNT_WITHHELD_REFUNDED`: withheld earlier for units that now come back.
    DiscountWithheldRefunded { discount: Option<String> },
    /// `DISCOUNT_WAIVED`: below the threshold, but the merchant's fault.
    DiscountWaived { discount: Option<String>, threshold: String, kept: String },
    /// `COUPON_REINSTATED`: the whole order is back; the coupon is given back.
    CouponReinstated { coupon: Option<String>, valid_until: Option<DateTime<Tz>> },
    /// `COUPON_EXPIRED`: the whole order is back, but the coupon expired.
    CouponExpired { coupon: Option<String>, valid_until: Option<DateTime<Tz>> },
    /// `POINTS_CLAWED_BACK`: `points` of the `earned` taken back.
    PointsClawedBack { points: u64, earned: u64 },
    /// `POINTS_REFUNDED`: `amount` of the refund goes back as `points` points.
    PointsRefunded { amount: String, points: Option<u64> },
    /// `REFUND_RELEASE`: on request.
    ReleasedOnRequest,
    /// `REFUND_RELEASE`: at the carrier's first scan.
    ReleasedAtFirstScan,
    /// `REFUND_RELEASE`: after inspection.
    ReleasedAfterInspection,
    /// `REFUND_RELEASE`: nothing comes back, so on request.
    ReleasedNothingBack,
    /// `REFUND_RECOVERY`: `amount` to recover on line `line`.
    Recovery { line: Arc<str>, amount: String },
    /// `INSPECTION_NOT_PRICED`: `requirement` found not met on `line`, no deduction priced.
    InspectionNotPriced { requirement: Requirement, line: Arc<str> },
    // Refunds without a return, return freight and its insurance.
    /// `REFUND_WITHOUT_RETURN`: refunded without the goods coming back, for `cause`.
    RefundWithoutReturn { cause: RefundCause },
    /// `CAUSE_NOT_ACCEPTED`: the policy does not refund without a return for `cause`.
    CauseNotAccepted { cause: RefundCause },
    /// `RETURN_REQUIRED`: the item must come back: the policy's conditions for `cause` do not hold.
    ReturnRequired { cause: RefundCause },
    /// `RETURN_REQUIRED` for `keep_item`: the return's risk `score` reached `no_keep_item`.
    ReturnRequiredForRisk { score: u64 },
    /// `REFUND_RELEASE` after inspection because the return's risk `score` reached `inspect_first`.
    ReleasedAfterInspectionForRisk { score: u64 },
    /// `EVIDENCE_REQUIRED`: the evidence the policy asks for that the request does not supply.
    EvidenceRequired { missing: Vec<String> },
    /// `RETURN_FREIGHT`: `amount` reimbursed of the return freight of `paid` the customer prepaid.
    ReturnFreight { amount: String, paid: String },
    /// `RETURN_FREIGHT`, at the policy's cap: `amount` (the cap) of the `paid` return freight.
    ReturnFreightCapped { amount: String, paid: String },
    /// `FREIGHT_INSURANCE`: the order's return-freight insurance pays `payout`.
    FreightInsurance { payout: String },
}

impl Says {
    /// The words in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Says::UnitPricePaid { units, line } if zh => format!("{line} ×{units}，按折后实付价"),
            Says::UnitPricePaid { units, line } => format!("{units} × {line} at the price paid after discounts"),
            Says::Tax { units, line } if zh => format!("{line} ×{units} 的税费"),
            Says::Tax { units, line } => format!("Tax on {units} × {line}"),
            Says::PartialNetted { units } if zh => format!("此前保留商品时已退的部分款项（{units}件）"),
            Says::PartialNetted { units } => format!("Partial refund already paid on {units} unit(s) kept earlier"),
            Says::RestockingFee { charge } => charged(locale, "Restocking fee", "退货手续费", charge),
            Says::ConditionDeduction { requirement, charge } => charged(
                locale,
                &format!("Deduction: {}", requirement.as_str().replace('_', " ")),
                &format!("扣减：{}", requirement_zh(*requirement)),
                charge,
            ),
            Says::ReturnLabelFee { fee } if zh => format!("退货面单费（退货运费由您承担）：{fee}"),
            Says::ReturnLabelFee { fee } => format!("Return label fee (you pay the return shipping): {fee}"),
            Says::PartialRefund { units, line, paid } if zh => {
                format!("保留商品 {line} ×{units} 的部分退款（实付 {paid}）")
            }
            Says::PartialRefund { units, line, paid } => {
                format!("Partial refund for keeping {units} × {line}, paid {paid}")
            }
            Says::CappedByPaid { left } if zh => format!("以该商品剩余可退金额为限：{left}"),
            Says::CappedByPaid { left } => format!("Capped at what is left of the line's payment: {left}"),
            Says::UnitsLeft { left, quantity } if zh => format!("该商品共{quantity}件，仅剩{left}件可退款。"),
            Says::UnitsLeft { left, quantity } => {
                format!("Only {left} of the {quantity} units of this line can still be refunded.")
            }
            Says::NothingLeft if zh => "这些商品已无可退款项。".to_string(),
            Says::NothingLeft => "Nothing is left to refund on these items.".to_string(),
            Says::PartialCapped { max_percent, cap } if zh => {
                format!("部分退款最多为售价的{}%：{cap}。", max_percent.0)
            }
            Says::PartialCapped { max_percent, cap } => {
                format!("A partial refund is at most {}% of the price: {cap}.", max_percent.0)
            }
            Says::OriginalShipping { amount } if zh => format!("原订单运费 {amount} 一并退还。"),
            Says::OriginalShipping { amount } => format!("The original shipping of {amount} is refunded."),
            Says::ExchangeFailed if zh => "换货无法完成，按实付金额全额退款，不作任何扣减。".to_string(),
            Says::ExchangeFailed => {
                "The exchange could not be made, so the price paid is refunded in full, with no deductions.".to_string()
            }
            Says::StoreCreditBonus { credit, bonus, total } if zh => {
                format!("店铺余额 {credit}，另赠 {bonus}，共 {total}。")
            }
            Says::StoreCreditBonus { credit, bonus, total } => {
                format!("Store credit of {credit} plus a bonus of {bonus}: {total} in all.")
            }
            _ => self.render_law(locale),
        }
    }

    /// The words of the messages the law's floor adds: the delivery a withdrawal refunds, the
    /// refund's legal limit.
    fn render_law(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Says::StatutoryDelivery { amount, citation, premium } if zh => format!(
                "依据{}，撤回购买时退还标准运费 {amount}。{}",
                citation.1,
                premium.as_ref().map(|p| format!("您选择的加急配送多付的 {p} 不予退还。")).unwrap_or_default()
            ),
            Says::StatutoryDelivery { amount, citation, premium } => format!(
                "A withdrawal refunds the standard delivery of {amount} ({}).{}",
                citation.0,
                premium
                    .as_ref()
                    .map(|p| format!(" The {p} more paid for the faster delivery chosen is not refunded."))
                    .unwrap_or_default()
            ),
            Says::DeliveryWithLastGoods { amount, citation } if zh => {
                format!("本次仅撤回部分商品；标准运费 {amount} 将在订单最后一件商品退回时退还（依据{}）。", citation.1)
            }
            Says::DeliveryWithLastGoods { amount, citation } => format!(
                "Only part of the order is withdrawn: the standard delivery of {amount} is refunded when the last goods \
                 of the order come back ({}).",
                citation.0
            ),
            Says::PayoutAfterLegalLimit { payout_by, legal, days, law } if zh => format!(
                "按本店规则最迟于{}退款，晚于法定期限（{law}，{days}日内）{}：请在法定期限内完成退款。",
                format_datetime(locale, payout_by),
                format_datetime(locale, legal)
            ),
            Says::PayoutAfterLegalLimit { payout_by, legal, days, law } => format!(
                "The policy pays out by {}, after the legal limit of {days} days ({law}), {}: pay out by the \
                 legal date.",
                format_datetime(locale, payout_by),
                format_datetime(locale, legal)
            ),
            _ => self.render_more(locale),
        }
    }

    /// The words of the threshold-discount, coupon, points, release and recovery messages.
    fn render_more(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        let named = |code: &Option<String>, en: &str, zh_word: &str| match (code, zh) {
            (Some(c), true) => format!("{zh_word}{c}"),
            (Some(c), false) => format!("{en} {c}"),
            (None, true) => zh_word.to_string(),
            (None, false) => format!("the {en}"),
        };
        match self {
            Says::DiscountRecomputed { discount, threshold, kept } if zh => {
                format!("{}重新计算：保留的商品（{kept}）已不满{threshold}", named(discount, "discount", "满减优惠"))
            }
            Says::DiscountRecomputed { discount, threshold, kept } => format!(
                "{} recomputed: the items kept ({kept}) no longer reach its threshold of {threshold}",
                capitalised(&named(discount, "discount", ""))
            ),
            Says::DiscountWithheldRefunded { discount } if zh => {
                format!("此前为这些商品扣回的{}，随商品退回一并退还", named(discount, "discount", "优惠"))
            }
            Says::DiscountWithheldRefunded { discount } => format!(
                "{} withheld earlier for these items, refunded now that they come back",
                capitalised(&named(discount, "discount", ""))
            ),
            Says::DiscountWaived { discount, threshold, kept } if zh => format!(
                "保留的商品（{kept}）已不满{}的门槛{threshold}，但本次退货责任在商家，不扣回优惠。",
                named(discount, "discount", "优惠")
            ),
            Says::DiscountWaived { discount, threshold, kept } => format!(
                "The items kept ({kept}) no longer reach the {threshold} threshold of {}, but the return is the \
                 merchant's responsibility: the discount is not withheld.",
                named(discount, "discount", "")
            ),
            Says::CouponReinstated { coupon, valid_until } => {
                let name = named(coupon, "coupon", "优惠券");
                match (valid_until, zh) {
                    (Some(t), true) => {
                        format!("整单已退回，{name}将退还给您，有效期至{}。", format_datetime(locale, t))
                    }
                    (None, true) => format!("整单已退回，{name}将退还给您。"),
                    (Some(t), false) => format!(
                        "The whole order has come back: {name} is given back to you, valid until {}.",
                        format_datetime(locale, t)
                    ),
                    (None, false) => format!("The whole order has come back: {name} is given back to you."),
                }
            }
            Says::CouponExpired { coupon, valid_until } => {
                let name = named(coupon, "coupon", "优惠券");
                let when = valid_until.as_ref().map(|t| format_datetime(locale, t)).unwrap_or_default();
                if zh {
                    format!("整单已退回，但{name}已于{when}过期，不予退还。")
                } else {
                    format!("The whole order has come back, but {name} expired on {when}: it is not given back.")
                }
            }
            Says::PointsClawedBack { points, earned } if zh => {
                format!("本单获得的{earned}积分中，{points}积分随退回的商品扣回。")
            }
            Says::PointsClawedBack { points, earned } => {
                format!("{points} of the {earned} points earned on this order are taken back with the items returned.")
            }
            Says::PointsRefunded { amount, points: Some(p) } if zh => {
                format!("本次退款中 {amount} 以{p}积分退回，不退现金。")
            }
            Says::PointsRefunded { amount, points: None } if zh => {
                format!("本次退款中 {amount} 退回您的积分账户，不退现金。")
            }
            Says::PointsRefunded { amount, points: Some(p) } => {
                format!("{amount} of this refund goes back as {p} points, not as money.")
            }
            Says::PointsRefunded { amount, points: None } => {
                format!("{amount} of this refund goes back to your points balance, not as money.")
            }
            _ => self.render_release(locale),
        }
    }

    /// The words of the release and recovery messages.
    fn render_release(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Says::ReleasedOnRequest if zh => "退款审核通过后立即退还，无需等待商品寄回。".to_string(),
            Says::ReleasedOnRequest => {
                "The refund is released as soon as it is approved, before the goods come back.".to_string()
            }
            Says::ReleasedAtFirstScan if zh => "退货包裹经快递揽收扫描后即退款。".to_string(),
            Says::ReleasedAtFirstScan => "The refund is released when the carrier first scans the return parcel.".to_string(),
            Says::ReleasedAfterInspection if zh => "退回的商品到货并验收后退款。".to_string(),
            Says::ReleasedAfterInspection => {
                "The refund is released once the returned goods have arrived and been inspected.".to_string()
            }
            Says::ReleasedAfterInspectionForRisk { score } if zh => {
                format!("该退货的风险分为{score}，退回的商品到货并验收后退款。")
            }
            Says::ReleasedAfterInspectionForRisk { score } => format!(
                "The return's risk score is {score}, so the refund is released once the returned goods have arrived \
                 and been inspected."
            ),
            Says::ReleasedNothingBack if zh => "无需退回商品，退款审核通过后立即退还。".to_string(),
            Says::ReleasedNothingBack => {
                "Nothing comes back, so the refund is released as soon as it is approved.".to_string()
            }
            Says::Recovery { line, amount } if zh => format!("验货发现{line}与申报不符：需向顾客追回已退款项 {amount}。"),
            Says::Recovery { line, amount } => {
                format!("Inspection found {line} not as declared: {amount} of the refund is to be recovered.")
            }
            Says::InspectionNotPriced { requirement, line } if zh => format!(
                "验货发现{line}与申报不符（{}），政策未规定相应扣款，需人工处理。",
                requirement_zh(*requirement)
            ),
            Says::InspectionNotPriced { requirement, line } => format!(
                "Inspection found {line} not as declared ({}); the policy prices no deduction for it, so a person decides.",
                requirement_en(*requirement)
            ),
            other => other.render_without_return(zh),
        }
    }

    /// The words of the refunds without a return, the return freight and its insurance.
    fn render_without_return(&self, zh: bool) -> String {
        match self {
            Says::RefundWithoutReturn { cause } if zh => format!("仅退款，无需退货（{}）。", cause_zh(*cause)),
            Says::RefundWithoutReturn { cause } => format!("Refunded without a return ({}).", cause_en(*cause)),
            Says::CauseNotAccepted { cause } if zh => format!("本店不支持此情形的仅退款：{}。", cause_zh(*cause)),
            Says::CauseNotAccepted { cause } => {
                format!("The policy does not refund without a return for: {}.", cause_en(*cause))
            }
            Says::ReturnRequired { cause } if zh => {
                format!("该商品需寄回后退款：不符合“{}”的仅退款条件。", cause_zh(*cause))
            }
            Says::ReturnRequired { cause } => format!(
                "This item has to be sent back: the policy's conditions for “{}” do not hold for it.",
                cause_en(*cause)
            ),
            Says::ReturnRequiredForRisk { score } if zh => {
                format!("该退货的风险分为{score}，不能保留商品仅退款：请寄回商品。")
            }
            Says::ReturnRequiredForRisk { score } => {
                format!("The return's risk score is {score}, so the item cannot be kept with a refund: send it back.")
            }
            Says::EvidenceRequired { missing } if zh => {
                let list: Vec<&str> = missing.iter().map(|e| evidence_zh(e)).collect();
                format!("仅退款需先提供：{}，提供前由人工审核。", list.join("、"))
            }
            Says::EvidenceRequired { missing } => {
                let list: Vec<String> = missing.iter().map(|e| e.replace('_', " ")).collect();
                format!("A refund without a return needs: {}; a person reviews it until then.", list.join(", "))
            }
            Says::ReturnFreight { amount, paid } if zh => format!("您垫付的退货运费 {paid}，报销 {amount}。"),
            Says::ReturnFreight { amount, paid } => {
                format!("The return shipping you prepaid ({paid}) is reimbursed: {amount}.")
            }
            Says::ReturnFreightCapped { amount, paid } if zh => {
                format!("您垫付的退货运费 {paid}，按本店上限报销 {amount}。")
            }
            Says::ReturnFreightCapped { amount, paid } => {
                format!("The return shipping you prepaid ({paid}) is reimbursed up to the policy's limit: {amount}.")
            }
            Says::FreightInsurance { payout } if zh => format!("运费险赔付退货运费 {payout}，商家不重复报销。"),
            Says::FreightInsurance { payout } => format!(
                "Return-freight insurance pays {payout} towards the return shipping; the merchant does not pay it again."
            ),
            // The other variants are rendered by `render`.
            other => other.render(Locale::En),
        }
    }
}

/// The first letter in capitals.
fn capitalised(text: &str) -> String {
    let text = text.trim_start();
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What is wrong when `r` is not met, in English (an inspection's finding).
fn requirement_en(r: Requirement) -> &'static str {
    match r {
        Requirement::Unused => "used",
        Requirement::OriginalPackaging => "original packaging missing or damaged",
        Requirement::TagsAttached => "tags removed",
        Requirement::AccessoriesComplete => "accessories or gifts missing",
        Requirement::SealIntact => "seal broken",
        Requirement::ProofOfPurchase => "no proof of purchase",
    }
}

/// A cause, as a phrase in English.
fn cause_en(cause: RefundCause) -> &'static str {
    match cause {
        RefundCause::NotDelivered => "the parcel was not delivered",
        RefundCause::Lost => "the parcel was lost in transit",
        RefundCause::MissingItems => "items missing from the parcel",
        RefundCause::KeepItem => "keeping the item",
    }
}

/// A cause, as a phrase in Chinese.
fn cause_zh(cause: RefundCause) -> &'static str {
    match cause {
        RefundCause::NotDelivered => "包裹未送达",
        RefundCause::Lost => "包裹运输途中丢失",
        RefundCause::MissingItems => "包裹内商品漏发",
        RefundCause::KeepItem => "商品无需寄回",
    }
}

/// A kind of evidence in Chinese; a kind the engine does not know keeps its name.
fn evidence_zh(evidence: &str) -> &str {
    match evidence {
        "photo" => "照片",
        "video" => "视频",
        "carrier_status" => "物流状态",
        "receipt" => "凭证",
        other => other,
    }
}

/// A fee's label and how it is charged: `Restocking fee: 10% of the price paid`.
fn charged(locale: Locale, en: &str, zh: &str, charge: &Charge) -> String {
    match (charge, locale) {
        (Charge::Percent(p), Locale::ZhCn) => format!("{zh}：实付价的{}%", p.0),
        (Charge::Percent(p), Locale::En) => format!("{en}: {}% of the price paid", p.0),
        (Charge::PerUnit(a), Locale::ZhCn) => format!("{zh}：每件 {a}"),
        (Charge::PerUnit(a), Locale::En) => format!("{en}: {a} a unit"),
        // As it always was: the English label alone, in either locale.
        (Charge::Unpriced, _) => en.to_string(),
    }
}

/// What is wrong when `r` is not met, in Chinese (a deduction's label).
fn requirement_zh(r: Requirement) -> &'static str {
    match r {
        Requirement::Unused => "商品已使用",
        Requirement::OriginalPackaging => "原包装缺损",
        Requirement::TagsAttached => "吊牌缺失",
        Requirement::AccessoriesComplete => "配件或赠品缺失",
        Requirement::SealIntact => "封条已拆",
        Requirement::ProofOfPurchase => "无购买凭证",
    }
}

variants!(
    UnitPricePaid,
    Tax,
    PartialNetted,
    RestockingFee,
    ConditionDeduction,
    ReturnLabelFee,
    PartialRefund,
    CappedByPaid,
    UnitsLeft,
    NothingLeft,
    PartialCapped,
    OriginalShipping,
    StatutoryDelivery,
    DeliveryWithLastGoods,
    PayoutAfterLegalLimit,
    ExchangeFailed,
    StoreCreditBonus,
    DiscountRecomputed,
    DiscountWithheldRefunded,
    DiscountWaived,
    CouponReinstated,
    CouponExpired,
    PointsClawedBack,
    PointsRefunded,
    ReleasedOnRequest,
    ReleasedAtFirstScan,
    ReleasedAfterInspection,
    ReleasedAfterInspectionForRisk,
    ReturnRequiredForRisk,
    ReleasedNothingBack,
    Recovery,
    InspectionNotPriced,
    RefundWithoutReturn,
    CauseNotAccepted,
    ReturnRequired,
    EvidenceRequired,
    ReturnFreight,
    ReturnFreightCapped,
    FreightInsurance,
);

/// For tests and docs: a sample of every variant, with the code it is given with (see
/// [`super::samples`]). `Charge::Unpriced` has none: a fee that charges nothing gives no component.
pub fn samples() -> Vec<(&'static str, Says)> {
    let yuan = |minor: i64| super::format_money(minor, "CNY", 2);
    let eur = |minor: i64| super::format_money(minor, "EUR", 2);
    let percent = |p: u32| Percent::of(p.into());
    let twelve_and_a_half = Percent::of(Decimal::new(125, 1));
    vec![
        ("UNIT_PRICE_PAID", Says::UnitPricePaid { units: 2, line: "L1".into() }),
        ("TAX", Says::Tax { units: 1, line: "L1".into() }),
        ("PARTIAL_NETTED", Says::PartialNetted { units: 1 }),
        ("RESTOCKING_FEE", Says::RestockingFee { charge: Charge::Percent(twelve_and_a_half) }),
        ("RESTOCKING_FEE", Says::RestockingFee { charge: Charge::PerUnit(yuan(1500)) }),
        (
            "CONDITION_DEDUCTION",
            Says::ConditionDeduction {
                requirement: Requirement::AccessoriesComplete,
                charge: Charge::PerUnit(yuan(2000)),
            },
        ),
        (
            "CONDITION_DEDUCTION",
            Says::ConditionDeduction {
                requirement: Requirement::OriginalPackaging,
                charge: Charge::Percent(percent(5)),
            },
        ),
        ("RETURN_LABEL_FEE", Says::ReturnLabelFee { fee: yuan(1200) }),
        ("PARTIAL_REFUND", Says::PartialRefund { units: 1, line: "L1".into(), paid: yuan(57591) }),
        ("CAPPED_BY_PAID", Says::CappedByPaid { left: yuan(4518) }),
        ("NOTHING_LEFT_TO_REFUND", Says::UnitsLeft { left: 0, quantity: 2 }),
        ("NOTHING_LEFT_TO_REFUND", Says::NothingLeft),
        ("PARTIAL_CAPPED", Says::PartialCapped { max_percent: percent(50), cap: yuan(28796) }),
        ("ORIGINAL_SHIPPING", Says::OriginalShipping { amount: yuan(1000) }),
        (
            "ORIGINAL_SHIPPING",
            Says::StatutoryDelivery {
                amount: eur(490),
                citation: ("Consumer Rights Directive 2011/83/EU, Art. 13", "欧盟《消费者权利指令》(2011/83/EU)第13条"),
                premium: Some(eur(500)),
            },
        ),
        (
            "DELIVERY_WITH_LAST_GOODS",
            Says::DeliveryWithLastGoods {
                amount: eur(490),
                citation: ("Consumer Rights Directive 2011/83/EU, Art. 13", "欧盟《消费者权利指令》(2011/83/EU)第13条"),
            },
        ),
        ("EXCHANGE_FAILED", Says::ExchangeFailed),
        ("STORE_CREDIT_BONUS", Says::StoreCreditBonus { credit: yuan(56391), bonus: yuan(2820), total: yuan(59211) }),
        ("REFUND_WITHOUT_RETURN", Says::RefundWithoutReturn { cause: RefundCause::Lost }),
        ("CAUSE_NOT_ACCEPTED", Says::CauseNotAccepted { cause: RefundCause::MissingItems }),
        ("RETURN_REQUIRED", Says::ReturnRequired { cause: RefundCause::KeepItem }),
        ("RETURN_REQUIRED", Says::ReturnRequiredForRisk { score: 70 }),
        ("REFUND_RELEASE", Says::ReleasedAfterInspectionForRisk { score: 70 }),
        ("EVIDENCE_REQUIRED", Says::EvidenceRequired { missing: vec!["photo".into(), "carrier_status".into()] }),
        ("RETURN_FREIGHT", Says::ReturnFreight { amount: yuan(400), paid: yuan(1200) }),
        ("RETURN_FREIGHT", Says::ReturnFreightCapped { amount: yuan(1000), paid: yuan(1200) }),
        ("FREIGHT_INSURANCE", Says::FreightInsurance { payout: yuan(800) }),
    ]
    .into_iter()
    .chain(discount_samples())
    .collect()
}

/// The samples of the threshold-discount, coupon, points, release and recovery messages.
fn discount_samples() -> Vec<(&'static str, Says)> {
    let yuan = |minor: i64| super::format_money(minor, "CNY", 2);
    vec![
        (
            "DISCOUNT_RECOMPUTED",
            Says::DiscountRecomputed { discount: Some("MJ50".into()), threshold: yuan(30000), kept: yuan(20000) },
        ),
        ("DISCOUNT_RECOMPUTED", Says::DiscountRecomputed { discount: None, threshold: yuan(30000), kept: yuan(0) }),
        ("DISCOUNT_WITHHELD_REFUNDED", Says::DiscountWithheldRefunded { discount: Some("MJ50".into()) }),
        ("DISCOUNT_WITHHELD_REFUNDED", Says::DiscountWithheldRefunded { discount: None }),
        (
            "DISCOUNT_WAIVED",
            Says::DiscountWaived { discount: Some("MJ50".into()), threshold: yuan(30000), kept: yuan(20000) },
        ),
        (
            "COUPON_REINSTATED",
            Says::CouponReinstated {
                coupon: Some("NEW50".into()),
                valid_until: super::sample_time(2026, 11, 30, 23, 59),
            },
        ),
        ("COUPON_REINSTATED", Says::CouponReinstated { coupon: None, valid_until: None }),
        (
            "COUPON_EXPIRED",
            Says::CouponExpired { coupon: Some("NEW50".into()), valid_until: super::sample_time(2026, 11, 4, 23, 59) },
        ),
        ("POINTS_CLAWED_BACK", Says::PointsClawedBack { points: 556, earned: 658 }),
        ("POINTS_REFUNDED", Says::PointsRefunded { amount: yuan(2000), points: Some(2000) }),
        ("POINTS_REFUNDED", Says::PointsRefunded { amount: yuan(2000), points: None }),
        ("REFUND_RELEASE", Says::ReleasedOnRequest),
        ("REFUND_RELEASE", Says::ReleasedAtFirstScan),
        ("REFUND_RELEASE", Says::ReleasedAfterInspection),
        ("REFUND_RELEASE", Says::ReleasedNothingBack),
        ("REFUND_RECOVERY", Says::Recovery { line: "L1".into(), amount: yuan(11122) }),
        ("INSPECTION_NOT_PRICED", Says::InspectionNotPriced { requirement: Requirement::Unused, line: "L1".into() }),
    ]
    .into_iter()
    .chain(legal_limit_sample())
    .collect()
}

/// A `REFUND_AFTER_LEGAL_LIMIT` sample (none when the sample zone cannot be read).
fn legal_limit_sample() -> Option<(&'static str, Says)> {
    let payout_by = super::sample_time(2026, 10, 8, 18, 0)?;
    let legal = super::sample_time(2026, 10, 1, 23, 59)?;
    Some(("REFUND_AFTER_LEGAL_LIMIT", Says::PayoutAfterLegalLimit { payout_by, legal, days: 7, law: "CN-CRPL-25" }))
}
