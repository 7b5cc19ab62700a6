//! The law underneath a merchant's policy: the statutory minimums of a jurisdiction, as tables
//! (the rights to return, the refund limits, the legal guarantee) and the remedies a decision
//! owes under them. [`crate::lint`] checks a policy against the same tables when it loads.
//!
//! A policy declares `"jurisdiction": "CN" | "EU" | "US"` (the law presets do). Then:
//! - loading it reports each rule that goes below the floor as a `BELOW_STATUTORY_MINIMUM` warning
//!   with its path (`validatePolicy`, `PolicyEngine::info`);
//! - a return the law allows is allowed whatever the policy says: its denial reasons are replaced
//!   by a `STATUTORY_RIGHT` reason citing the law, the deadline is the later of the two, a refund is
//!   open, and no restocking fee is charged.
//!
//! The statutory right to return, per jurisdiction:
//! - **CN** (Consumer Rights Protection Law Art. 25): `changed_mind` within 7 days of delivery (to
//!   23:59:59 of the 7th day after signing), the goods intact (not used beyond trial, accessories
//!   complete, tags on, a one-time hygiene seal unbroken; opening the packaging to inspect does
//!   not count); none for items tagged `custom`, `perishable`, `digital`, `newspaper` or
//!   `no_reason_excluded` (confirmed at checkout), nor for `hygiene` goods whose one-time seal is
//!   broken (SAMR measures of 2017, Art. 9) or `audio_visual` or `software` once unsealed. Goods
//!   no longer intact are outside the right: the shop's own rule decides them. Art. 24: `defective` or `not_as_described` within
//!   7 days of delivery, in any condition, the seller paying the transport.
//! - **EU** (Directive 2011/83/EU Art. 9 and 16): `changed_mind` within 14 days of delivery in any
//!   condition (handling beyond trying is a deduction, not a bar); none for items tagged `custom`,
//!   `perishable`, `digital` or `newspaper`, nor for `hygiene`, `audio_visual` or `software` once
//!   unsealed (Art. 16(e), (i)): there too the shop's own rule decides. A withdrawal refunds the
//!   standard delivery (Art. 13(1)) but not the premium of a dearer delivery the consumer chose
//!   (Art. 13(2)); see [`crate::refund`] for when a partial withdrawal gets it.
//! - **US**: no general statutory right; nothing is checked.
//!
//! The legal guarantee, per jurisdiction:
//! - **EU** (Directive 2019/771 Art. 10, 11, 13): a lack of conformity (`manufacturing_defect`,
//!   `performance_fault`, `not_as_described`) that shows within 24 months of delivery is repaired
//!   or replaced free at the consumer's choice; within the first 12 months it is presumed present
//!   at delivery; once a repair has failed to cure the defect, the consumer may return the goods
//!   for a refund instead (Art. 13(4)). Damage by an external factor and wear are not a lack of
//!   conformity. A warranty decision inside it carries `LEGAL_GUARANTEE`.
//! - **CN**: the 三包 tiers are the `cn-consumer-law` preset's warranty terms.

use crate::order::{Line, Order};
use crate::time::{day_window_end, Timestamp};
use crate::vocabulary::{ItemCondition, Jurisdiction, Payer, Requirement};
use crate::zone::Tz;
use chrono::{DateTime, Months, NaiveDate};

/// The reason a decision carries when the law, not the policy, allowed it.
pub const STATUTORY_RIGHT: &str = "STATUTORY_RIGHT";
/// The reason a warranty decision carries when the legal guarantee, not the terms, gave the remedy.
pub const LEGAL_GUARANTEE: &str = "LEGAL_GUARANTEE";
/// The reason a change-of-mind return carries under the law's floor.
pub const NO_REASON: &str = "changed_mind";

/// A right to return goods that a statute gives.
#[derive(Debug)]
pub struct Right {
    /// A short stable citation code (`CN-CRPL-25`).
    pub law: &'static str,
    pub citation: (&'static str, &'static str),
    /// What the law gives, in a clause (en, zh-CN).
    pub gives: (&'static str, &'static str),
    /// The reasons it covers.
    pub reasons: &'static [&'static str],
    pub days: u64,
    /// Items with these tags have no such right.
    pub exempt_tags: &'static [&'static str],
    /// Items with these tags lose it once their seal is broken.
    pub sealed_tags: &'static [&'static str],
    /// What "intact" means: conditions that, reported false, end the right.
    pub intact: &'static [Requirement],
    /// Conditions a policy may ask for without going below the law.
    pub may_require: &'static [Requirement],
    pub merchant_pays_shipping: bool,
}

/// The statutory refund term: days, the citation code, the citation with what it says (en, zh-CN).
pub type RefundDays = (u64, &'static str, (&'static str, &'static str));

/// A jurisdiction's statutory minimums.
#[derive(Debug)]
pub struct Floor {
    pub rights: &'static [Right],
    /// Days from receiving returned goods (CN) or the withdrawal (EU) to the refund.
    pub refund_days: Option<RefundDays>,
    /// A withdrawal refunds the standard delivery (EU).
    pub refunds_delivery: Option<DeliveryRefund>,
    /// Goods of one order delivered in several parcels: windows from delivery count from the
    /// last parcel (EU Art. 9(2)(b)), not from each line's own.
    pub from_last_delivery: bool,
    /// The legal guarantee of conformity.
    pub guarantee: Option<Guarantee>,
}

/// The law that makes a withdrawal refund the standard delivery.
#[derive(Debug)]
pub struct DeliveryRefund {
    /// A short stable citation code (`EU-CRD-13`).
    pub law: &'static str,
    /// The statute's article, cited (en, zh-CN).
    pub citation: (&'static str, &'static str),
}

/// A legal guarantee of conformity: the seller answers for a defect that shows within `months`
/// of delivery, free of charge.
#[derive(Debug)]
pub struct Guarantee {
    pub law: &'static str,
    pub months: u32,
    /// A defect showing within this many months is presumed present at delivery.
    pub presumed_months: u32,
    pub citation: (&'static str, &'static str),
    /// What the law adds when a repair did not cure the defect (en, zh-CN).
    pub after_failed_repair: (&'static str, &'static str),
}

static CN: Floor = Floor {
    rights: &[
        Right {
            law: "CN-CRPL-25",
            citation: ("PRC Consumer Rights Protection Law, Art. 25", "《消费者权益保护法》第二十五条"),
            gives: ("a 7-day no-reason return from delivery", "消费者自收到商品之日起七日内有权无理由退货"),
            reasons: &[NO_REASON],
            days: 7,
            exempt_tags: &["custom", "perishable", "digital", "newspaper", "no_reason_excluded"],
            sealed_tags: &["hygiene", "audio_visual", "software"],
            intact: &[Requirement::Unused, Requirement::AccessoriesComplete, Requirement::TagsAttached],
            may_require: &[
                Requirement::Unused,
                Requirement::AccessoriesComplete,
                Requirement::TagsAttached,
                Requirement::ProofOfPurchase,
            ],
            merchant_pays_shipping: false,
        },
        Right {
            law: "CN-CRPL-24",
            citation: ("PRC Consumer Rights Protection Law, Art. 24", "《消费者权益保护法》第二十四条"),
            gives: (
                "a return within 7 days of delivery for a quality problem, the seller paying the transport",
                "商品存在质量问题的，消费者可自收到商品之日起七日内退货，运输等费用由经营者承担",
            ),
            reasons: &["defective", "not_as_described"],
            days: 7,
            exempt_tags: &[],
            sealed_tags: &[],
            intact: &[],
            may_require: &[Requirement::ProofOfPurchase],
            merchant_pays_shipping: true,
        },
    ],
    refund_days: Some((
        7,
        "CN-CRPL-25",
        (
            "PRC Consumer Rights Protection Law, Art. 25 (refund within 7 days of receiving the goods)",
            "《消费者权益保护法》第二十五条（自收到退回商品之日起七日内返还价款）",
        ),
    )),
    refunds_delivery: None,
    from_last_delivery: false,
    guarantee: None,
};

static EU: Floor = Floor {
    rights: &[Right {
        law: "EU-CRD-9",
        citation: ("Consumer Rights Directive 2011/83/EU, Art. 9", "欧盟《消费者权利指令》(2011/83/EU)第9条"),
        gives: ("14 days from delivery to withdraw from the purchase", "消费者自收到商品之日起14日内有权撤回购买"),
        reasons: &[NO_REASON],
        days: 14,
        exempt_tags: &["custom", "perishable", "digital", "newspaper"],
        sealed_tags: &["hygiene", "audio_visual", "software"],
        intact: &[],
        may_require: &[Requirement::ProofOfPurchase],
        merchant_pays_shipping: false,
    }],
    refund_days: Some((
        14,
        "EU-CRD-13",
        (
            "Consumer Rights Directive 2011/83/EU, Art. 13 (refund within 14 days)",
            "欧盟《消费者权利指令》(2011/83/EU)第13条（14日内退款）",
        ),
    )),
    from_last_delivery: true,
    refunds_delivery: Some(DeliveryRefund {
        law: "EU-CRD-13",
        citation: ("Consumer Rights Directive 2011/83/EU, Art. 13", "欧盟《消费者权利指令》(2011/83/EU)第13条"),
    }),
    guarantee: Some(Guarantee {
        law: "EU-SGD-10",
        months: 24,
        presumed_months: 12,
        citation: ("Sale of Goods Directive (EU) 2019/771, Art. 10", "欧盟《货物销售指令》(2019/771)第10条"),
        after_failed_repair: (
            "An earlier repair did not cure this defect, so the customer may instead return the product for a \
             refund (Art. 13(4)).",
            "此前维修未能排除该缺陷，消费者亦可退货退款（第13条第4款）。",
        ),
    }),
};

/// The statutory minimums of `jurisdiction` (none for the US).
pub fn floor(jurisdiction: Jurisdiction) -> Option<&'static Floor> {
    match jurisdiction {
        Jurisdiction::Cn => Some(&CN),
        Jurisdiction::Eu => Some(&EU),
        Jurisdiction::Us => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Decisions

/// When a line counts as delivered for its return windows: its own delivery (the order's when it
/// has none: China counts from each item's signing), or, where the law counts from the last
/// goods of an order delivered in several parcels (the EU), the last delivery of the order's
/// lines that have one. `None`: the line is not delivered.
pub fn delivery_of<'a>(jurisdiction: Option<Jurisdiction>, order: &'a Order, line: &'a Line) -> Option<&'a Timestamp> {
    let own = order.delivered(line)?;
    if jurisdiction.and_then(floor).is_some_and(|f| f.from_last_delivery) {
        return order.last_delivery().or(Some(own));
    }
    Some(own)
}

/// The law's answer for one item: it may be returned until `deadline`.
#[derive(Debug, Clone)]
pub struct StatutoryReturn {
    pub law: &'static str,
    pub days: u64,
    pub deadline: DateTime<Tz>,
    pub merchant_pays_shipping: bool,
    /// Conditions the law itself requires (unconfirmed ones stay to be confirmed).
    pub intact: Vec<Requirement>,
    /// The statute's name (en, zh-CN), for the `STATUTORY_RIGHT` reason.
    pub citation: (&'static str, &'static str),
    /// What the law gives, in a clause (en, zh-CN).
    pub gives: (&'static str, &'static str),
}

/// Whether the law lets this item go back now for `reason`, whatever the policy says.
pub fn statutory_return(
    jurisdiction: Option<Jurisdiction>,
    reason: &str,
    tags: &[String],
    condition: &ItemCondition,
    delivered_at: Option<&Timestamp>,
    now: &Timestamp,
    zone: Tz,
) -> crate::error::Result<Option<StatutoryReturn>> {
    let (Some(floor), Some(delivered)) = (jurisdiction.and_then(floor), delivered_at) else {
        return Ok(None);
    };
    let has = |list: &[&str]| tags.iter().any(|t| list.contains(&t.as_str()));
    for right in floor.rights.iter().filter(|r| r.reasons.contains(&reason)) {
        if has(right.exempt_tags) || (has(right.sealed_tags) && condition.seal_intact == Some(false)) {
            continue;
        }
        if right.intact.iter().any(|r| condition.get(*r, None) == Some(false)) {
            continue;
        }
        let deadline = day_window_end(zone, delivered, i64::try_from(right.days).unwrap_or(i64::MAX))?;
        if now.utc() > deadline.with_timezone(&chrono::Utc) {
            continue;
        }
        let mut intact = right.intact.to_vec();
        if has(right.sealed_tags) {
            intact.push(Requirement::SealIntact);
        }
        return Ok(Some(StatutoryReturn {
            law: right.law,
            days: right.days,
            deadline,
            merchant_pays_shipping: right.merchant_pays_shipping,
            intact,
            citation: right.citation,
            gives: right.gives,
        }));
    }
    Ok(None)
}

/// Who pays the return shipping under the law: the seller for a quality problem, else the policy's payer.
pub fn shipping_payer(right: &StatutoryReturn, policy: Payer) -> Payer {
    if right.merchant_pays_shipping {
        Payer::Merchant
    } else {
        policy
    }
}

/// Fault kinds that are a lack of conformity (not wear, not damage in use).
const NONCONFORMITY: &[&str] = &["manufacturing_defect", "performance_fault", "not_as_described"];

/// The law's answer for a warranty claim: the seller owes a free remedy until `ends_on`.
#[derive(Debug, Clone)]
pub struct LegalGuarantee {
    pub law: &'static str,
    pub months: u32,
    pub ends_on: NaiveDate,
    /// Whether the defect is presumed present at delivery (it showed early enough).
    pub presumed: bool,
    /// Whether the customer may return the goods for a refund: a repair already failed to cure
    /// the defect (EU Art. 13(4)).
    pub may_return: bool,
    /// A defect showing within this many months is presumed present at delivery.
    pub presumed_months: u32,
    /// The law, cited (en, zh-CN).
    pub citation: (&'static str, &'static str),
    /// What the law adds when a repair did not cure the defect (en, zh-CN).
    pub after_failed_repair: (&'static str, &'static str),
}

/// Whether the law of `jurisdiction` makes the seller answer, free of charge, for a fault of
/// `fault_kind` that showed on `fault` in goods delivered on `delivered`. Damage by an external
/// factor (a fall, water, misuse, …) is not a lack of conformity.
/// `failed_repairs` counts the earlier repairs of this defect, inside the guarantee, that did not
/// cure it.
pub fn legal_guarantee(
    jurisdiction: Option<Jurisdiction>,
    delivered: NaiveDate,
    fault: NaiveDate,
    fault_kind: &str,
    external_damage: bool,
    failed_repairs: usize,
) -> Option<LegalGuarantee> {
    let g = jurisdiction.and_then(floor)?.guarantee.as_ref()?;
    if external_damage || !NONCONFORMITY.contains(&fault_kind) || fault < delivered {
        return None;
    }
    let ends_on = delivered.checked_add_months(Months::new(g.months))?;
    if fault > ends_on {
        return None;
    }
    let presumed = delivered.checked_add_months(Months::new(g.presumed_months)).is_some_and(|p| fault <= p);
    Some(LegalGuarantee {
        law: g.law,
        months: g.months,
        ends_on,
        presumed,
        may_return: failed_repairs > 0,
        presumed_months: g.presumed_months,
        citation: g.citation,
        after_failed_repair: g.after_failed_repair,
    })
}
