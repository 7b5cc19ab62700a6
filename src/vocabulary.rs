//! The words every part of the engine shares: the request's language, a merchant's text in two
//! languages, an item's reported condition and the conditions a return can require, who pays,
//! the resolutions and outcomes of a decision, the jurisdiction whose law sits underneath, and
//! the refund types and causes a refund request and the order's refund record share.
//! It imports nothing of the engine: every other module may use it.

use serde::{Deserialize, Serialize};

/// The languages messages are written in. Any other requested locale falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Locale {
    /// `zh`, `zh-CN`, `zh-Hans`, `zh-Hans-CN` (any case, `_` or `-`) are Chinese; anything else
    /// is English.
    pub fn parse(tag: &str) -> Locale {
        // Compared in place (every request names its locale): `_` as `-`, any case.
        let t = tag.as_bytes();
        let starts = |prefix: &str| {
            t.len() >= prefix.len()
                && t.iter().zip(prefix.bytes()).all(|(a, b)| a.to_ascii_lowercase() == b || (*a == b'_' && b == b'-'))
        };
        let is = |whole: &str| t.len() == whole.len() && starts(whole);
        if is("zh") || starts("zh-cn") || starts("zh-hans") || is("zh-sg") {
            Locale::ZhCn
        } else {
            Locale::En
        }
    }

    /// Picks the text for this locale.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Locale::En => en,
            Locale::ZhCn => zh,
        }
    }

    /// Makes only the text for this locale (a message is formatted once, not in both languages).
    pub fn pick_with<T>(self, en: impl FnOnce() -> T, zh: impl FnOnce() -> T) -> T {
        match self {
            Locale::En => en(),
            Locale::ZhCn => zh(),
        }
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// Reads the tag in place (no copy of it is made).
        struct Tag;
        impl serde::de::Visitor<'_> for Tag {
            type Value = Locale;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a language tag such as \"en\" or \"zh-CN\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Locale, E> {
                Ok(Locale::parse(v))
            }
        }
        d.deserialize_str(Tag)
    }
}

/// Merchant-supplied text in both languages (`{"en": "…", "zh-CN": "…"}`); either may be missing,
/// and the other is used then.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(rename = "zh-CN", default, skip_serializing_if = "Option::is_none")]
    pub zh_cn: Option<String>,
}

impl LocalizedText {
    pub fn get(&self, locale: Locale) -> Option<&str> {
        let (first, second) = locale.pick((&self.en, &self.zh_cn), (&self.zh_cn, &self.en));
        first.as_deref().or(second.as_deref())
    }
}

/// Who pays the return shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Customer,
    Merchant,
}

/// What a request may lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Refund,
    Exchange,
    Repair,
    StoreCredit,
}

impl Resolution {
    /// The stable snake_case name (`store_credit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Refund => "refund",
            Resolution::Exchange => "exchange",
            Resolution::Repair => "repair",
            Resolution::StoreCredit => "store_credit",
        }
    }
}

/// A condition a return can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Unused,
    OriginalPackaging,
    TagsAttached,
    AccessoriesComplete,
    SealIntact,
    ProofOfPurchase,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Unused => "unused",
            Requirement::OriginalPackaging => "original_packaging",
            Requirement::TagsAttached => "tags_attached",
            Requirement::AccessoriesComplete => "accessories_complete",
            Requirement::SealIntact => "seal_intact",
            Requirement::ProofOfPurchase => "proof_of_purchase",
        }
    }
}

/// The item's state as the customer or the warehouse reports it; a field left out is unknown.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemCondition {
    #[serde(default)]
    pub unused: Option<bool>,
    #[serde(default)]
    pub original_packaging: Option<bool>,
    #[serde(default)]
    pub tags_attached: Option<bool>,
    #[serde(default)]
    pub accessories_complete: Option<bool>,
    #[serde(default)]
    pub seal_intact: Option<bool>,
}

impl ItemCondition {
    /// What the request says of a requirement (`proof` answers `proof_of_purchase`).
    pub fn get(&self, r: Requirement, proof: Option<bool>) -> Option<bool> {
        match r {
            Requirement::Unused => self.unused,
            Requirement::OriginalPackaging => self.original_packaging,
            Requirement::TagsAttached => self.tags_attached,
            Requirement::AccessoriesComplete => self.accessories_complete,
            Requirement::SealIntact => self.seal_intact,
            Requirement::ProofOfPurchase => proof,
        }
    }
}

/// `approve`, `deny`, or `review` (a person must look).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approve,
    Deny,
    Review,
}

/// The refund types (the refund record names its type too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundType {
    /// 退货退款: the goods come back (quality problem, not as described, …) within the window.
    #[default]
    ReturnAndRefund,
    /// 无理由退款: change of mind within the no-reason window (the reason defaults to changed_mind).
    NoReason,
    /// 换货退款: an exchange was agreed, the replacement is unavailable: the full price, no deductions.
    ExchangeFailed,
    /// 部分退款: the customer keeps the goods for a part of their price.
    Partial,
    /// 仅退款: a refund without a return, for a `cause` the policy's `refunds.refund_only` accepts.
    RefundOnly,
}

impl RefundType {
    /// Whether the goods are sent back (`return_and_refund`, `no_reason`, `exchange_failed`).
    pub fn goods_come_back(self) -> bool {
        matches!(self, RefundType::ReturnAndRefund | RefundType::NoReason | RefundType::ExchangeFailed)
    }
}

/// Why a refund goes without a return (`refund_only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundCause {
    /// The carrier reports the parcel not delivered.
    NotDelivered,
    /// The carrier reports the parcel lost.
    Lost,
    /// Items are missing from a delivered parcel (漏发).
    MissingItems,
    /// The policy lets the customer keep the item (not worth sending back).
    KeepItem,
}

impl RefundCause {
    /// The stable snake_case name (`missing_items`).
    pub fn as_str(self) -> &'static str {
        match self {
            RefundCause::NotDelivered => "not_delivered",
            RefundCause::Lost => "lost",
            RefundCause::MissingItems => "missing_items",
            RefundCause::KeepItem => "keep_item",
        }
    }

    /// Whether the parcel never reached the customer (`not_delivered`, `lost`).
    pub fn never_delivered(self) -> bool {
        matches!(self, RefundCause::NotDelivered | RefundCause::Lost)
    }
}

/// Whose consumer law the policy sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Jurisdiction {
    /// Mainland China.
    #[serde(rename = "CN")]
    Cn,
    /// The European Union.
    #[serde(rename = "EU")]
    Eu,
    /// The United States (no general statutory right of return).
    #[serde(rename = "US")]
    Us,
}

/// An external factor that makes a repair paid (a warranty claim's `external_factors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExternalFactor {
    Dropped,
    Water,
    PhysicalDamage,
    UnauthorizedRepair,
    Misuse,
}

/// A warranty remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    Return,
    Replace,
    Repair,
}
