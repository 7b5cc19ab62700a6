//! The catalogue of every code an answer can carry: the reasons behind decisions, the amounts of
//! a refund quote and the lines of a repair quote. Each has a message in English and Simplified
//! Chinese with its figures (the templates are in [`crate::messages`]); this list is what the table
//! of `docs/reason-codes.md` is generated from, what a policy's `messages` overrides are checked
//! against, and what the translation test walks.

use serde::Serialize;

/// Declares an evaluator's codes once: a module `codes` with a constant per code, whose value is
/// its own name, and the public list of them, in order, that the docs and the translation test
/// read. Codes after `also` are constants only: codes another evaluator's list already has.
macro_rules! codes {
    ($(#[$doc:meta])* pub const $list:ident = [$($code:ident),* $(,)?] $(, also [$($extra:ident),* $(,)?])?) => {
        mod codes {
            $(pub const $code: &str = stringify!($code);)*
            $($(pub const $extra: &str = stringify!($extra);)*)?
        }
        $(#[$doc])*
        pub const $list: &[&str] = &[$(codes::$code),*];
    };
}
pub(crate) use codes;

/// What a code labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An entry of an answer's `reasons` (a policy's `messages` may override its text).
    Reason,
    /// An amount of a refund quote's line (`lines[].components[]`).
    Component,
    /// A line of a paid repair's quote (`repair_quote.lines[]`).
    QuoteLine,
}

/// One code and what it means.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Code {
    pub code: &'static str,
    pub kind: Kind,
    /// The evaluator that produces it: `returns`, `refunds`, `exchanges`, `warranty`, `sla`, `calendar`.
    pub area: &'static str,
    /// One sentence on when it appears.
    pub meaning: &'static str,
}

const fn reason(area: &'static str, code: &'static str, meaning: &'static str) -> Code {
    Code { code, kind: Kind::Reason, area, meaning }
}

const fn component(code: &'static str, meaning: &'static str) -> Code {
    Code { code, kind: Kind::Component, area: "refunds", meaning }
}

const fn quote_line(code: &'static str, meaning: &'static str) -> Code {
    Code { code, kind: Kind::QuoteLine, area: "warranty", meaning }
}

/// Every code, grouped by evaluator.
pub const CATALOGUE: &[Code] = &[
    reason(
        "returns",
        "RETURN_WINDOW_EXPIRED",
        "the return window (for this reason, with any extension) ended before `now`",
    ),
    reason("returns", "NOT_DELIVERED", "the window counts from delivery and the order has no delivery time yet"),
    reason("returns", "REASON_NOT_ACCEPTED", "the policy does not list the return reason given"),
    reason(
        "returns",
        "REASON_EXCLUDED_BY_RULE",
        "a rule's `deny_reasons` excludes this reason for the item (final sale)",
    ),
    reason("returns", "NOT_RETURNABLE", "a rule's `deny` makes the item not returnable at all"),
    reason("returns", "CONDITION_NOT_MET", "the request reports a required condition as not met"),
    reason("returns", "CONDITION_NOT_CONFIRMED", "the request does not report a required condition"),
    reason("returns", "RESOLUTION_NOT_ALLOWED", "the resolution asked for is not among those allowed for the item"),
    reason("returns", "ALREADY_RETURNED", "more units are asked than remain after earlier returns"),
    reason(
        "returns",
        "MANUAL_REVIEW",
        "a rule's `review` holds the request for a person (an abuse limit, a high value)",
    ),
    reason(
        "returns",
        "RISK_REVIEW",
        "the risk score (`returns.risk`) reached the review threshold; names the signals that fired and their weights",
    ),
    reason(
        "returns",
        "RISK_DENIED",
        "the risk score reached the refusal threshold; names the signals and weights (the statutory floor still applies)",
    ),
    reason(
        "returns",
        "STATUTORY_RIGHT",
        "the law of the policy's jurisdiction allows the return though the policy does not; cites the law",
    ),
    reason("refunds", "NOTHING_LEFT_TO_REFUND", "earlier refunds already cover these units"),
    reason("refunds", "PARTIAL_CAPPED", "a partial refund (keep the item) was capped at the policy's maximum percent"),
    reason(
        "refunds",
        "ORIGINAL_SHIPPING",
        "the original shipping is refunded (fault, the last item going back, or the standard delivery a withdrawal \
         refunds under EU law)",
    ),
    reason(
        "refunds",
        "REFUND_AFTER_LEGAL_LIMIT",
        "the policy's payout deadline falls after the refund limit of its jurisdiction's law (`legal_payout_by`)",
    ),
    reason(
        "refunds",
        "DELIVERY_WITH_LAST_GOODS",
        "a withdrawal of part of an order under EU law: the standard delivery comes back with the last goods",
    ),
    reason(
        "refunds",
        "EXCHANGE_FAILED",
        "an exchange could not be made: the price paid comes back in full, no deductions",
    ),
    reason("refunds", "STORE_CREDIT_BONUS", "refunded as store credit, with the policy's bonus on top"),
    reason(
        "refunds",
        "REFUND_WITHOUT_RETURN",
        "a refund-only request (`refund_only`): the goods do not come back; names the cause",
    ),
    reason("refunds", "CAUSE_NOT_ACCEPTED", "the policy's `refunds.refund_only` does not accept the cause given"),
    reason(
        "refunds",
        "RETURN_REQUIRED",
        "the cause's `when` does not hold for the item (keep items worth at most …): it has to be sent back",
    ),
    reason(
        "refunds",
        "EVIDENCE_REQUIRED",
        "the request does not supply the evidence the cause needs (a photo, the carrier's status): review",
    ),
    reason(
        "refunds",
        "RETURN_FREIGHT",
        "the merchant pays the return and the customer prepaid it: the receipt reimbursed, up to the policy's cap",
    ),
    reason(
        "refunds",
        "FREIGHT_INSURANCE",
        "the order's return-freight insurance pays towards the return shipping; the merchant does not pay it again",
    ),
    component("UNIT_PRICE_PAID", "what the units cost after line and order discounts"),
    component("TAX", "the tax paid on those units, where tax is charged on top of the price"),
    component("PARTIAL_REFUND", "a partial refund for keeping the item"),
    component("PARTIAL_NETTED", "a partial refund already paid on a unit now returned, deducted"),
    component("RESTOCKING_FEE", "the restocking fee a reason or rule charges, deducted"),
    component("CONDITION_DEDUCTION", "a deduction for a condition not met (`refunds.deductions`)"),
    component("RETURN_LABEL_FEE", "the merchant's return label, charged when the customer pays the return shipping"),
    component("CAPPED_BY_PAID", "brought down so that the refunds never exceed what was paid"),
    component(
        "DISCOUNT_RECOMPUTED",
        "a threshold discount the items kept no longer reach: their shares of it, withheld (`refunds.discounts`)",
    ),
    component("DISCOUNT_WITHHELD_REFUNDED", "a threshold discount withheld earlier for items that now come back too"),
    reason(
        "refunds",
        "DISCOUNT_WAIVED",
        "the items kept no longer reach a threshold discount, but the return is the merchant's fault: nothing withheld",
    ),
    reason("refunds", "COUPON_REINSTATED", "the whole order came back within the coupon's validity: it is given back"),
    reason("refunds", "COUPON_EXPIRED", "the whole order came back after the coupon's validity: it is not given back"),
    reason("refunds", "POINTS_CLAWED_BACK", "points the order earned, taken back for the items returned"),
    reason("refunds", "POINTS_REFUNDED", "the part of the refund paid in points goes back as points, not money"),
    reason(
        "refunds",
        "REFUND_RELEASE",
        "when the refund is released: on request, at the carrier's first scan or after inspection (`refunds.release`)",
    ),
    reason(
        "refunds",
        "REFUND_RECOVERY",
        "an inspection after the refund found the item not as declared: the deduction to recover",
    ),
    reason(
        "refunds",
        "INSPECTION_NOT_PRICED",
        "an inspection found a condition not met that the policy prices no deduction for: a person decides",
    ),
    reason(
        "exchanges",
        "EXCHANGE_PRICE_DIFFERENCE",
        "the price difference of an exchange and which way it goes: the customer pays, refunded, store credit, or none",
    ),
    reason(
        "exchanges",
        "EXCHANGE_DIFFERENCE_CAPPED",
        "a downsell's difference paid back was capped at what is left of the line's payment",
    ),
    reason(
        "exchanges",
        "EXCHANGE_DOWNSELL_NOT_ALLOWED",
        "the policy does not allow an exchange into a cheaper variant",
    ),
    reason("exchanges", "EXCHANGE_SHIPPING", "who pays the return shipping and the replacement's shipping"),
    reason("exchanges", "ADVANCE_EXCHANGE", "a rule lets the replacement ship before the return arrives (with `rule`)"),
    reason(
        "exchanges",
        "REPLACEMENT_AFTER_RETURN",
        "the replacement ships once the return has arrived and been checked",
    ),
    reason(
        "exchanges",
        "EXCHANGE_OUT_OF_STOCK",
        "the variant is out of stock: the policy's fallback (refund, store credit, or wait) is taken",
    ),
    reason("exchanges", "EXCHANGE_LIMIT_REACHED", "the line was already exchanged as many times as the policy allows"),
    reason("exchanges", "EXCHANGE_REASON_NOT_ALLOWED", "the policy allows no exchange for the reason given"),
    reason("exchanges", "EXCHANGE_KIND_NOT_ALLOWED", "the reason given allows exchanges, but not of this kind"),
    reason("warranty", "NO_WARRANTY_TERMS", "no warranty term covers the product"),
    reason("warranty", "NO_PROOF_OF_PURCHASE", "no proof of purchase: the warranty counts from the manufacture date"),
    reason("warranty", "PROOF_OF_PURCHASE_REQUIRED", "the term needs proof of purchase and the claim has none"),
    reason("warranty", "EXTENDED_BY_REPAIRS", "days spent in earlier repairs extend the warranty"),
    reason("warranty", "OUTSIDE_WARRANTY", "the warranty ended before the claim: a paid repair is possible"),
    reason("warranty", "FAULT_NOT_COVERED", "the term does not cover this kind of fault"),
    reason(
        "warranty",
        "LEGAL_GUARANTEE",
        "a defect inside the legal guarantee of the policy's jurisdiction (EU: 2 years from delivery) is repaired \
         or replaced free whatever the terms say, or taken back for a refund once a repair failed to cure it; \
         cites the law and whether the defect is presumed present at delivery",
    ),
    reason(
        "warranty",
        "EXCLUDED_BY_EXTERNAL_FACTOR",
        "the fault comes from an excluded cause (misuse, water, unauthorised repair)",
    ),
    reason("warranty", "WARRANTY_TIER", "the tier in force on the claim date: free return, replacement or repair"),
    reason("warranty", "REPEATED_FAILED_REPAIRS", "repaired too often for the same fault: replacement or return"),
    reason("warranty", "REPAIR_OVERRUN", "a repair took longer than the term allows: replacement"),
    reason("warranty", "QUOTE_REQUIRES_CONFIRMATION", "a paid repair waits for the customer to accept its quote"),
    reason(
        "warranty",
        "PARTIAL_COVERAGE",
        "the term pays only a share of the parts, labour or other costs; the quote splits each line",
    ),
    reason("warranty", "PRO_RATA_SHARE", "the share the term pays at the product's age (pro rata)"),
    reason("warranty", "NO_FAULT_FOUND", "no fault was found: no remedy, the diagnostic fee charged"),
    reason(
        "warranty",
        "UNREPAIRABLE",
        "the product cannot be repaired: replacement or return as the term or the law says, or nothing when not covered",
    ),
    quote_line("PART", "a part from the price list"),
    quote_line("LABOUR", "the labour for the repair"),
    quote_line("DIAGNOSTIC_FEE", "the diagnostic fee"),
    quote_line("DIAGNOSTIC_FEE_WAIVED", "the diagnostic fee waived because the repair goes ahead"),
    quote_line("OTHER", "other costs of the repair (transport, a visit)"),
    reason("sla", "PRIORITY_CLASSIFIED", "the case's priority, from its category and severity"),
    reason("sla", "SLA_WARNING", "a stage has used the warning share of its time"),
    reason("sla", "SLA_BREACHED", "a stage is overdue"),
    reason("sla", "SLA_MET_LATE", "a stage was completed after it was due"),
    reason("sla", "ESCALATED", "an overdue stage reached an escalation level"),
    reason("sla", "COMPLAINT_ESCALATED", "a serious complaint escalates at once"),
    reason("sla", "SATISFACTION_RECOVERY", "a low satisfaction result opens a recovery call and escalates"),
    reason("sla", "COMPLAINT_REPEAT", "the same customer complained on the same subject recently: priority raised"),
    reason("sla", "COMPLAINT_REOPENED", "a complaint reopened soon after its closing: priority raised"),
    reason("sla", "REGULATOR_CHANNEL", "a complaint through a regulator's channel gets the regulator priority"),
    reason("sla", "RESPONSIBILITY", "who is responsible for a complaint (merchant, carrier, customer), by rule"),
    reason(
        "calendar",
        "CALENDAR_DATA_MISSING",
        "an answer depends on a year the calendar has no holiday data for; it counted that year's weekdays",
    ),
];

/// The catalogue entry of a code.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CATALOGUE.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_screaming_snake_case() {
        for (i, c) in CATALOGUE.iter().enumerate() {
            assert!(c.code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'), "{}", c.code);
            assert!(CATALOGUE.iter().skip(i + 1).all(|d| d.code != c.code), "{} twice", c.code);
        }
    }

    #[test]
    fn the_modules_lists_are_in_the_catalogue() {
        for code in crate::returns::REASON_CODES.iter().chain(crate::refund::CODES).chain(crate::exchange::CODES) {
            assert!(lookup(code).is_some(), "{code} is not in the catalogue");
        }
    }
}
