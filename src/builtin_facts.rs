//! The built-in facts of each evaluator's conditions: name, type and what each is. Every build
//! carries every table, so a policy's declared facts (`facts`) are checked against all of them
//! whichever evaluators the build has (a storefront build refuses a declared fact named as a
//! warranty fact, as the full build does); each evaluator's module reads its facts' values.

use crate::conditions::{FactDef, FactType};

// Facts the conditions of more than one evaluator test, the same everywhere.
const ORDER_CHANNEL: FactDef =
    FactDef { name: "order.channel", ty: FactType::Text, doc: "the sales channel (web, app, store, …)" };
const ORDER_COUNTRY: FactDef =
    FactDef { name: "order.country", ty: FactType::Text, doc: "the country shipped to (ISO 3166 alpha-2)" };
const ORDER_TAGS: FactDef = FactDef { name: "order.tags", ty: FactType::TextList, doc: "the order's tags" };
const ORDER_TOTAL: FactDef =
    FactDef { name: "order.total", ty: FactType::Number, doc: "what the order charged, in minor units" };
const ITEM_SKU: FactDef = FactDef { name: "item.sku", ty: FactType::Text, doc: "the line's SKU" };
const ITEM_CATEGORY: FactDef = FactDef { name: "item.category", ty: FactType::Text, doc: "the line's category" };
const ITEM_BRAND: FactDef = FactDef { name: "item.brand", ty: FactType::Text, doc: "the line's brand" };
const ITEM_TAGS: FactDef =
    FactDef { name: "item.tags", ty: FactType::TextList, doc: "the line's tags (clearance, custom, final_sale, …)" };
const ITEM_UNIT_PRICE: FactDef =
    FactDef { name: "item.unit_price", ty: FactType::Number, doc: "list price of one unit, in minor units" };
const CUSTOMER_ID: FactDef = FactDef { name: "customer.id", ty: FactType::Text, doc: "the customer's id" };
const CUSTOMER_TIER: FactDef = FactDef { name: "customer.tier", ty: FactType::Text, doc: "the member tier" };
const CUSTOMER_TAGS: FactDef = FactDef { name: "customer.tags", ty: FactType::TextList, doc: "the customer's tags" };
const CUSTOMER_RETURNS_LAST_90_DAYS: FactDef = FactDef {
    name: "customer.returns_last_90_days",
    ty: FactType::Number,
    doc: "returns the customer made in the last 90 days",
};
const REQUEST_REASON: FactDef = FactDef { name: "request.reason", ty: FactType::Text, doc: "the reason given" };
const REQUEST_CHANNEL: FactDef =
    FactDef { name: "request.channel", ty: FactType::Text, doc: "the channel the request came through" };

/// The facts return rules may test.
pub static RETURNS: &[FactDef] = &[
    FactDef { name: "order.id", ty: FactType::Text, doc: "the order's id" },
    ORDER_CHANNEL,
    ORDER_COUNTRY,
    ORDER_TAGS,
    ORDER_TOTAL,
    FactDef {
        name: "order.discount_percent",
        ty: FactType::Number,
        doc: "line and order discounts as a percent of the goods' list value",
    },
    FactDef {
        name: "order.days_since_purchase",
        ty: FactType::Number,
        doc: "local calendar days from placing the order to now",
    },
    FactDef {
        name: "order.days_since_delivery",
        ty: FactType::Number,
        doc: "local calendar days from delivery to now (missing before delivery)",
    },
    ITEM_SKU,
    ITEM_CATEGORY,
    ITEM_BRAND,
    ITEM_TAGS,
    ITEM_UNIT_PRICE,
    FactDef { name: "item.quantity", ty: FactType::Number, doc: "units asked to return" },
    FactDef { name: "item.line_quantity", ty: FactType::Number, doc: "units bought on the line" },
    FactDef { name: "item.value", ty: FactType::Number, doc: "list price × units asked to return, in minor units" },
    FactDef {
        name: "item.discount_percent",
        ty: FactType::Number,
        doc: "the line's own discount as a percent of its list value",
    },
    FactDef { name: "item.condition.unused", ty: FactType::Bool, doc: "the item is reported unused" },
    FactDef {
        name: "item.condition.original_packaging",
        ty: FactType::Bool,
        doc: "the original packaging is reported intact (false: opened)",
    },
    FactDef { name: "item.condition.tags_attached", ty: FactType::Bool, doc: "the tags are reported attached" },
    FactDef {
        name: "item.condition.accessories_complete",
        ty: FactType::Bool,
        doc: "accessories and gifts are reported complete",
    },
    FactDef { name: "item.condition.seal_intact", ty: FactType::Bool, doc: "the seal is reported unbroken" },
    CUSTOMER_ID,
    CUSTOMER_TIER,
    CUSTOMER_TAGS,
    CUSTOMER_RETURNS_LAST_90_DAYS,
    REQUEST_REASON,
    FactDef { name: "request.resolution", ty: FactType::Text, doc: "the resolution asked for" },
    REQUEST_CHANNEL,
    FactDef { name: "request.proof_of_purchase", ty: FactType::Bool, doc: "whether proof of purchase was given" },
    FactDef { name: "request.item_count", ty: FactType::Number, doc: "units asked to return, over all items" },
    FactDef {
        name: "request.value",
        ty: FactType::Number,
        doc: "list value of everything asked to return, in minor units",
    },
];

/// The facts exchange rules may test.
pub static EXCHANGES: &[FactDef] = &[
    ORDER_CHANNEL,
    ORDER_COUNTRY,
    ORDER_TAGS,
    ORDER_TOTAL,
    CUSTOMER_ID,
    CUSTOMER_TIER,
    CUSTOMER_TAGS,
    CUSTOMER_RETURNS_LAST_90_DAYS,
    ITEM_SKU,
    ITEM_CATEGORY,
    ITEM_BRAND,
    ITEM_TAGS,
    ITEM_UNIT_PRICE,
    FactDef { name: "item.quantity", ty: FactType::Number, doc: "units asked to exchange" },
    FactDef { name: "item.exchanges", ty: FactType::Number, doc: "exchanges made earlier on the line" },
    FactDef { name: "variant.sku", ty: FactType::Text, doc: "the variant asked for" },
    FactDef { name: "variant.price", ty: FactType::Number, doc: "the variant's price of one unit, in minor units" },
    FactDef { name: "variant.in_stock", ty: FactType::Bool, doc: "whether the variant is in stock" },
    FactDef { name: "variant.kind", ty: FactType::Text, doc: "same_item or other_item" },
    FactDef {
        name: "exchange.difference",
        ty: FactType::Number,
        doc: "the replacement's price less what the units going back count at (negative: a downsell)",
    },
    REQUEST_REASON,
    REQUEST_CHANNEL,
];

/// The facts SLA rules may test.
pub static SLA: &[FactDef] = &[
    FactDef { name: "case.type", ty: FactType::Text, doc: "enquiry, complaint, return, refund, repair, warranty" },
    FactDef { name: "case.priority", ty: FactType::Text, doc: "the case's priority, given or classified" },
    FactDef { name: "case.channel", ty: FactType::Text, doc: "online, phone, email, store, …" },
    FactDef { name: "case.severity", ty: FactType::Text, doc: "a complaint's severity" },
    FactDef {
        name: "case.category",
        ty: FactType::Text,
        doc: "a complaint's category (quality, service, delivery, …)",
    },
    CUSTOMER_TIER,
    FactDef { name: "case.subject", ty: FactType::Text, doc: "a complaint's subject (an order, a product, a matter)" },
    FactDef {
        name: "case.regulator",
        ty: FactType::Bool,
        doc: "the case came through one of complaints.regulator_channels",
    },
];

/// The facts warranty rules may test.
pub static WARRANTY: &[FactDef] = &[
    FactDef { name: "product.category", ty: FactType::Text, doc: "the product's category" },
    FactDef { name: "product.sku", ty: FactType::Text, doc: "the product's SKU" },
    FactDef { name: "product.brand", ty: FactType::Text, doc: "the product's brand" },
    FactDef { name: "product.model", ty: FactType::Text, doc: "the product's model" },
    FactDef {
        name: "claim.fault_kind",
        ty: FactType::Text,
        doc: "manufacturing_defect, performance_fault, wear, cosmetic, …",
    },
    CUSTOMER_TIER,
    FactDef { name: "claim.fault", ty: FactType::Text, doc: "what failed, as a code (`screen_flicker`)" },
    FactDef { name: "claim.difficulty", ty: FactType::Text, doc: "the repair's difficulty (`easy`, `hard`, …)" },
];

/// The facts the `when` of a refund-only cause may test.
pub static REFUND_ONLY: &[FactDef] = &[
    FactDef {
        name: "request.cause",
        ty: FactType::Text,
        doc: "the cause: not_delivered, lost, missing_items, keep_item",
    },
    REQUEST_REASON,
    FactDef {
        name: "request.evidence",
        ty: FactType::TextList,
        doc: "the evidence supplied (photo, carrier_status, …)",
    },
    FactDef {
        name: "request.return_shipping_cost",
        ty: FactType::Number,
        doc: "what sending the items back would cost, in minor units (missing when not given)",
    },
    ORDER_TOTAL,
    ORDER_CHANNEL,
    ORDER_TAGS,
    ITEM_SKU,
    ITEM_CATEGORY,
    ITEM_BRAND,
    ITEM_TAGS,
    ITEM_UNIT_PRICE,
    FactDef { name: "item.quantity", ty: FactType::Number, doc: "units asked for" },
    FactDef {
        name: "item.paid",
        ty: FactType::Number,
        doc: "what the units asked for were paid (after discounts, tax on top included), in minor units",
    },
    FactDef {
        name: "item.unit_paid",
        ty: FactType::Number,
        doc: "the most one of those units was paid, in minor units",
    },
    FactDef {
        name: "item.return_cost_percent",
        ty: FactType::Number,
        doc:
            "request.return_shipping_cost as a percent of item.paid (missing without a cost, or when nothing was paid)",
    },
    CUSTOMER_TIER,
    CUSTOMER_TAGS,
    CUSTOMER_RETURNS_LAST_90_DAYS,
];

/// The facts release rules may test.
pub static RELEASE: &[FactDef] = &[
    CUSTOMER_ID,
    CUSTOMER_TIER,
    CUSTOMER_TAGS,
    CUSTOMER_RETURNS_LAST_90_DAYS,
    ORDER_CHANNEL,
    ORDER_TAGS,
    ORDER_TOTAL,
    REQUEST_REASON,
    FactDef { name: "request.type", ty: FactType::Text, doc: "the refund type (return_and_refund, no_reason, …)" },
    REQUEST_CHANNEL,
    FactDef { name: "request.risk", ty: FactType::Text, doc: "the merchant's risk assessment (low, high, …)" },
    FactDef { name: "refund.total", ty: FactType::Number, doc: "the money this refund pays back, in minor units" },
];
