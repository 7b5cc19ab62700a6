//! The exchanges messages, in English and Simplified Chinese: the price difference and which way
//! it goes, who pays the shipping each way, when the replacement ships, what happens when it is
//! out of stock, and why an exchange is refused.
//!
//! Amounts of money come in already written by [`super::format_money`] (the same in every locale).

use super::returns::ReasonName;
use crate::vocabulary::{Locale, LocalizedText, Payer};
use std::sync::Arc;

/// What an exchanges reason says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {
    /// `EXCHANGE_PRICE_DIFFERENCE`: the variant costs what the returned units list at.
    LikeForLike { price: String },
    /// `EXCHANGE_PRICE_DIFFERENCE`: the customer pays `amount`, the variant's `replacement` less
    /// the `returned` units' value (`list`: their list price, else what they were paid).
    CustomerPays { amount: String, returned: String, replacement: String, list: bool },
    /// `EXCHANGE_PRICE_DIFFERENCE`: `amount` goes back to the original payment.
    DifferenceRefunded { amount: String, returned: String, replacement: String, list: bool },
    /// `EXCHANGE_PRICE_DIFFERENCE`: `amount` is given as store credit.
    DifferenceAsStoreCredit { amount: String, returned: String, replacement: String, list: bool },
    /// `EXCHANGE_DIFFERENCE_CAPPED`: what is `left` of the line's payment.
    DifferenceCapped { left: String },
    /// `EXCHANGE_DOWNSELL_NOT_ALLOWED`: the variant is `amount` cheaper.
    DownsellNotAllowed { amount: String },
    /// `EXCHANGE_SHIPPING`: who pays the return shipping and the replacement's.
    Shipping { back: Payer, out: Payer },
    /// `ADVANCE_EXCHANGE`: a rule lets the replacement ship before the return arrives.
    Advance { rule: Arc<str>, custom: Option<Arc<LocalizedText>> },
    /// `REPLACEMENT_AFTER_RETURN`: the replacement ships once the return has arrived.
    AfterReturn,
    /// `REPLACEMENT_AFTER_RETURN` though a rule granted an advance exchange: the return's risk
    /// `score` reached `no_advance_exchange`.
    AfterReturnForRisk { score: u64 },
    /// `EXCHANGE_OUT_OF_STOCK`, fallback `refund`.
    OutOfStockRefund { sku: Arc<str> },
    /// `EXCHANGE_OUT_OF_STOCK`, fallback `store_credit`.
    OutOfStockStoreCredit { sku: Arc<str> },
    /// `EXCHANGE_OUT_OF_STOCK`, fallback `wait`.
    OutOfStockWait { sku: Arc<str> },
    /// `EXCHANGE_LIMIT_REACHED`: `done` exchanges made, `max` allowed per line.
    LimitReached { done: u64, max: u64 },
    /// `EXCHANGE_REASON_NOT_ALLOWED`.
    ReasonNotAllowed { reason: ReasonName },
    /// `EXCHANGE_KIND_NOT_ALLOWED`: into another item (`other_item`), or another size or colour.
    KindNotAllowed { reason: ReasonName, other_item: bool },
}

impl Says {
    /// The words in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        if let Says::Advance { custom: Some(text), .. } = self {
            if let Some(text) = text.get(locale) {
                return text.to_string();
            }
        }
        match locale {
            Locale::En => self.en(),
            Locale::ZhCn => self.zh(),
        }
    }

    fn en(&self) -> String {
        let locale = Locale::En;
        let basis = |list: &bool| if *list { "its list price" } else { "the price you paid after discounts" };
        match self {
            Says::LikeForLike { price } => {
                format!(
                    "The new variant costs the same as the item you return ({price}): nothing to pay, nothing back."
                )
            }
            Says::CustomerPays { amount, returned, replacement, list } => format!(
                "The new variant costs {replacement} and the item you return counts at {returned} ({}): \
                 you pay the difference of {amount}.",
                basis(list)
            ),
            Says::DifferenceRefunded { amount, returned, replacement, list } => format!(
                "The new variant costs {replacement} and the item you return counts at {returned} ({}): \
                 the difference of {amount} is refunded to your original payment.",
                basis(list)
            ),
            Says::DifferenceAsStoreCredit { amount, returned, replacement, list } => format!(
                "The new variant costs {replacement} and the item you return counts at {returned} ({}): \
                 the difference of {amount} is given as store credit.",
                basis(list)
            ),
            Says::DifferenceCapped { left } => {
                format!("The difference paid back is capped at what is left of the item's payment: {left}.")
            }
            Says::DownsellNotAllowed { amount } => format!(
                "Exchanges into a cheaper variant ({amount} less) are not offered: choose one at the same price \
                 or more, or return the item for a refund."
            ),
            Says::Shipping { back, out } => format!(
                "{} the return shipping; {} the shipping of the replacement.",
                payer_en(*back, true),
                payer_en(*out, false)
            ),
            Says::Advance { rule, .. } => {
                format!("Advance exchange: the replacement ships now, before your return arrives (rule {rule}).")
            }
            Says::AfterReturn => {
                "The replacement ships once the item you return has arrived and been checked.".to_string()
            }
            Says::AfterReturnForRisk { score } => format!(
                "The return's risk score is {score}, so the replacement ships once the item you return has arrived \
                 and been checked, not in advance."
            ),
            Says::OutOfStockRefund { sku } => {
                format!("{sku} is out of stock, so the exchange cannot be made: the item is refunded instead.")
            }
            Says::OutOfStockStoreCredit { sku } => format!(
                "{sku} is out of stock, so the exchange cannot be made: the item is refunded as store credit instead."
            ),
            Says::OutOfStockWait { sku } => {
                format!("{sku} is out of stock: the replacement ships as soon as it is back in stock.")
            }
            Says::LimitReached { done, max } => format!(
                "This item has already been exchanged {done} time(s); an item can be exchanged at most {max} time(s)."
            ),
            Says::ReasonNotAllowed { reason } => {
                format!("Exchanges are not offered for {} requests.", reason.in_words(locale))
            }
            Says::KindNotAllowed { reason, other_item } => format!(
                "Exchanges into {} are not offered for {} requests.",
                if *other_item { "another item" } else { "another size or colour of the same item" },
                reason.in_words(locale)
            ),
        }
    }

    fn zh(&self) -> String {
        let locale = Locale::ZhCn;
        let basis = |list: &bool| if *list { "原价" } else { "折后实付价" };
        match self {
            Says::LikeForLike { price } => format!("新款与退回商品同价（{price}），无需补差价，也不退差价。"),
            Says::CustomerPays { amount, returned, replacement, list } => {
                format!("新款售价{replacement}，退回商品按{}{returned}计，需补差价{amount}。", basis(list))
            }
            Says::DifferenceRefunded { amount, returned, replacement, list } => {
                format!("新款售价{replacement}，退回商品按{}{returned}计，差价{amount}原路退回。", basis(list))
            }
            Says::DifferenceAsStoreCredit { amount, returned, replacement, list } => {
                format!("新款售价{replacement}，退回商品按{}{returned}计，差价{amount}退至店铺余额。", basis(list))
            }
            Says::DifferenceCapped { left } => format!("退还差价以该商品剩余可退金额为限：{left}。"),
            Says::DownsellNotAllowed { amount } => {
                format!("不支持换成更低价的款式（低{amount}）：请选择同价或更高价的款式，或申请退货退款。")
            }
            Says::Shipping { back, out } => {
                format!("退回运费由{}承担；换新商品的寄出运费由{}承担。", payer_zh(*back), payer_zh(*out))
            }
            Says::Advance { rule, .. } => {
                format!("先换后退：换新商品现在寄出，无需等待退回商品签收（规则 {rule}）。")
            }
            Says::AfterReturn => "退回商品签收并检验后，换新商品即寄出。".to_string(),
            Says::AfterReturnForRisk { score } => {
                format!("该退货的风险分为{score}，不适用先换后退：退回商品签收并检验后，换新商品即寄出。")
            }
            Says::OutOfStockRefund { sku } => format!("{sku} 暂时缺货，无法换货，改为退款。"),
            Says::OutOfStockStoreCredit { sku } => format!("{sku} 暂时缺货，无法换货，改为退至店铺余额。"),
            Says::OutOfStockWait { sku } => format!("{sku} 暂时缺货，到货后即为您寄出换新商品。"),
            Says::LimitReached { done, max } => {
                format!("该商品已换货{done}次，每件商品最多可换货{max}次。")
            }
            Says::ReasonNotAllowed { reason } => format!("{}申请不支持换货。", reason.in_words(locale)),
            Says::KindNotAllowed { reason, other_item } => format!(
                "{}申请不支持{}。",
                reason.in_words(locale),
                if *other_item { "换成其他商品" } else { "换同款其他尺码或颜色" }
            ),
        }
    }
}

/// Who pays, as the start of a sentence: "You pay" / "We pay".
fn payer_en(payer: Payer, first: bool) -> &'static str {
    match (payer, first) {
        (Payer::Customer, true) => "You pay",
        (Payer::Merchant, true) => "We pay",
        (Payer::Customer, false) => "you pay",
        (Payer::Merchant, false) => "we pay",
    }
}

fn payer_zh(payer: Payer) -> &'static str {
    match payer {
        Payer::Customer => "您",
        Payer::Merchant => "商家",
    }
}

variants!(
    LikeForLike,
    CustomerPays,
    DifferenceRefunded,
    DifferenceAsStoreCredit,
    DifferenceCapped,
    DownsellNotAllowed,
    Shipping,
    Advance,
    AfterReturn,
    AfterReturnForRisk,
    OutOfStockRefund,
    OutOfStockStoreCredit,
    OutOfStockWait,
    LimitReached,
    ReasonNotAllowed,
    KindNotAllowed,
);

/// For tests and docs: a sample of every variant, with the code it is given with (see
/// [`super::samples`]).
pub fn samples() -> Vec<(&'static str, Says)> {
    let yuan = |minor: i64| super::format_money(minor, "CNY", 2);
    let named = |name: &str| ReasonName { name: name.into(), label: None };
    let (returned, replacement) = (yuan(55609), yuan(62900));
    vec![
        ("EXCHANGE_PRICE_DIFFERENCE", Says::LikeForLike { price: yuan(59900) }),
        (
            "EXCHANGE_PRICE_DIFFERENCE",
            Says::CustomerPays { amount: yuan(7291), returned: returned.clone(), replacement, list: false },
        ),
        (
            "EXCHANGE_PRICE_DIFFERENCE",
            Says::DifferenceRefunded {
                amount: yuan(5709),
                returned: returned.clone(),
                replacement: yuan(49900),
                list: false,
            },
        ),
        (
            "EXCHANGE_PRICE_DIFFERENCE",
            Says::DifferenceAsStoreCredit {
                amount: yuan(10000),
                returned: yuan(59900),
                replacement: yuan(49900),
                list: true,
            },
        ),
        ("EXCHANGE_DIFFERENCE_CAPPED", Says::DifferenceCapped { left: yuan(55609) }),
        ("EXCHANGE_DOWNSELL_NOT_ALLOWED", Says::DownsellNotAllowed { amount: yuan(5709) }),
        ("EXCHANGE_SHIPPING", Says::Shipping { back: Payer::Customer, out: Payer::Merchant }),
        ("EXCHANGE_SHIPPING", Says::Shipping { back: Payer::Merchant, out: Payer::Customer }),
        ("ADVANCE_EXCHANGE", Says::Advance { rule: "gold-advance".into(), custom: None }),
        ("REPLACEMENT_AFTER_RETURN", Says::AfterReturn),
        ("REPLACEMENT_AFTER_RETURN", Says::AfterReturnForRisk { score: 70 }),
        ("EXCHANGE_OUT_OF_STOCK", Says::OutOfStockRefund { sku: "SHOE-43".into() }),
        ("EXCHANGE_OUT_OF_STOCK", Says::OutOfStockStoreCredit { sku: "SHOE-43".into() }),
        ("EXCHANGE_OUT_OF_STOCK", Says::OutOfStockWait { sku: "SHOE-43".into() }),
        ("EXCHANGE_LIMIT_REACHED", Says::LimitReached { done: 1, max: 1 }),
        ("EXCHANGE_REASON_NOT_ALLOWED", Says::ReasonNotAllowed { reason: named("not_as_described") }),
        ("EXCHANGE_KIND_NOT_ALLOWED", Says::KindNotAllowed { reason: named("changed_mind"), other_item: true }),
        ("EXCHANGE_KIND_NOT_ALLOWED", Says::KindNotAllowed { reason: named("defective"), other_item: false }),
    ]
}
