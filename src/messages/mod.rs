//! The words of every answer: the templates of the built-in messages, in English and Simplified
//! Chinese, one module per evaluator, and how dates and money are written in them.
//!
//! Evaluators decide and say *what* a reason is ([`Message`]: the code's template and the values
//! it needs); [`crate::explain`] renders it once, in the request's locale, after the decision is
//! made, unless the merchant's policy overrides the code's text.

/// For tests and docs: names every variant of an area's `Says` once, in an exhaustive `match`
/// (`Says::variant`) and in a list (`VARIANTS`) made from the same names, so that a new variant
/// does not compile until it is named here, and, once named, fails `tests/reason_codes.rs` until
/// the area's `samples()` gives it a sample.
macro_rules! variants {
    ($($variant:ident),* $(,)?) => {
        /// For tests and docs: the name of every variant of [`Says`].
        pub const VARIANTS: &[&str] = &[$(stringify!($variant)),*];

        impl Says {
            /// For tests and docs: the name of the variant (`NotDelivered`).
            pub fn variant(&self) -> &'static str {
                match self {
                    $(Says::$variant { .. } => stringify!($variant),)*
                }
            }
        }
    };
}

// A build by capability carries the words of its own evaluators only (the storefront's: returns,
// and the SLA and calendar its decisions count on).
pub mod calendar;
#[cfg(feature = "exchanges")]
pub mod exchanges;
pub mod lint;
#[cfg(feature = "refunds")]
pub mod refunds;
pub mod returns;
pub mod sla;
#[cfg(feature = "warranty")]
pub mod warranty;

use crate::vocabulary::Locale;
use crate::zone::Tz;
use chrono::{DateTime, Datelike, TimeZone, Timelike};

/// A message to be put in words.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Returns(returns::Says),
    #[cfg(feature = "refunds")]
    Refunds(refunds::Says),
    #[cfg(feature = "warranty")]
    Warranty(warranty::Says),
    Sla(sla::Says),
    Calendar(calendar::Says),
    #[cfg(feature = "exchanges")]
    Exchanges(exchanges::Says),
}

impl Message {
    /// The words in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        match self {
            Message::Returns(m) => m.render(locale),
            #[cfg(feature = "refunds")]
            Message::Refunds(m) => m.render(locale),
            #[cfg(feature = "warranty")]
            Message::Warranty(m) => m.render(locale),
            Message::Sla(m) => m.render(locale),
            Message::Calendar(m) => m.render(locale),
            #[cfg(feature = "exchanges")]
            Message::Exchanges(m) => m.render(locale),
        }
    }

    /// For tests and docs: the area and the variant of the message (`("returns", "NotDelivered")`);
    /// the area is the one `crate::reasons::CATALOGUE` gives its codes.
    pub fn variant(&self) -> (&'static str, &'static str) {
        match self {
            Message::Returns(m) => ("returns", m.variant()),
            #[cfg(feature = "refunds")]
            Message::Refunds(m) => ("refunds", m.variant()),
            #[cfg(feature = "warranty")]
            Message::Warranty(m) => ("warranty", m.variant()),
            Message::Sla(m) => ("sla", m.variant()),
            Message::Calendar(m) => ("calendar", m.variant()),
            #[cfg(feature = "exchanges")]
            Message::Exchanges(m) => ("exchanges", m.variant()),
        }
    }
}

/// For tests and docs: every variant of every area, as [`Message::variant`] names it.
pub fn variants() -> Vec<(&'static str, &'static str)> {
    let area = |name: &'static str, list: &'static [&'static str]| list.iter().map(move |v| (name, *v));
    let mut all: Vec<_> = area("returns", returns::VARIANTS).collect();
    #[cfg(feature = "refunds")]
    all.extend(area("refunds", refunds::VARIANTS));
    #[cfg(feature = "warranty")]
    all.extend(area("warranty", warranty::VARIANTS));
    all.extend(area("sla", sla::VARIANTS).chain(area("calendar", calendar::VARIANTS)));
    #[cfg(feature = "exchanges")]
    all.extend(area("exchanges", exchanges::VARIANTS));
    all
}

/// For tests and docs: a sample of every template with realistic values, each with the code
/// (of `crate::reasons::CATALOGUE`) the evaluators give it with, a template used for two codes
/// once for each. `tests/reason_codes.rs` renders them all in both locales, and checks that every
/// variant ([`variants`]) and every code of the catalogue has one.
pub fn samples() -> Vec<(&'static str, Message)> {
    fn wrap<S: Into<Message>>(list: Vec<(&'static str, S)>) -> impl Iterator<Item = (&'static str, Message)> {
        list.into_iter().map(|(code, says)| (code, says.into()))
    }
    let mut all: Vec<_> = wrap(returns::samples()).collect();
    #[cfg(feature = "refunds")]
    all.extend(wrap(refunds::samples()));
    #[cfg(feature = "warranty")]
    all.extend(wrap(warranty::samples()));
    all.extend(wrap(sla::samples()).chain(wrap(calendar::samples())));
    #[cfg(feature = "exchanges")]
    all.extend(wrap(exchanges::samples()));
    all
}

/// For samples: a local time in `Asia/Shanghai` (`None` only if the zone or the time is not).
fn sample_time(y: i32, m: u32, d: u32, h: u32, min: u32) -> Option<DateTime<Tz>> {
    let zone = Tz::named("Asia/Shanghai")?;
    zone.with_ymd_and_hms(y, m, d, h, min, 0).single()
}

macro_rules! from_area {
    ($($area:ident => $variant:ident),*) => {$(
        impl From<$area::Says> for Message {
            fn from(m: $area::Says) -> Self {
                Message::$variant(m)
            }
        }
    )*};
}
from_area!(returns => Returns, sla => Sla, calendar => Calendar);
#[cfg(feature = "refunds")]
from_area!(refunds => Refunds);
#[cfg(feature = "warranty")]
from_area!(warranty => Warranty);
#[cfg(feature = "exchanges")]
from_area!(exchanges => Exchanges);

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A local date and time for a message: `10 Nov 2026 23:59` / `2026年11月10日 23:59`.
pub fn format_datetime<Tz: TimeZone>(locale: Locale, t: &DateTime<Tz>) -> String {
    let t = t.naive_local(); // once: each field of a zoned `DateTime` adds the offset again
    let month_en = MONTHS_EN.get(t.month0() as usize).copied().unwrap_or("");
    match locale {
        Locale::En => format!("{} {} {} {:02}:{:02}", t.day(), month_en, t.year(), t.hour(), t.minute()),
        Locale::ZhCn => format!("{}年{}月{}日 {:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute()),
    }
}

/// A local date for a message: `10 Nov 2026` / `2026年11月10日`.
pub fn format_date<D: Datelike>(locale: Locale, d: &D) -> String {
    let month_en = MONTHS_EN.get(d.month0() as usize).copied().unwrap_or("");
    match locale {
        Locale::En => format!("{} {} {}", d.day(), month_en, d.year()),
        Locale::ZhCn => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

/// An amount of money for a message: `¥563.91`, `$19.85`, `¥500` (JPY), `KWD 1.250`.
pub fn format_money(minor: i64, currency: &str, exponent: u32) -> String {
    let symbol = match currency {
        "CNY" => "¥",
        "JPY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        _ => "",
    };
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let body = if exponent == 0 {
        abs.to_string()
    } else {
        let scale = 10u64.pow(exponent);
        format!("{}.{:0width$}", abs / scale, abs % scale, width = exponent as usize)
    };
    if symbol.is_empty() {
        format!("{sign}{currency} {body}")
    } else {
        format!("{sign}{symbol}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_formatted_by_exponent() {
        assert_eq!(format_money(56391, "CNY", 2), "¥563.91");
        assert_eq!(format_money(500, "JPY", 0), "¥500");
        assert_eq!(format_money(1250, "KWD", 3), "KWD 1.250");
        assert_eq!(format_money(-5, "USD", 2), "-$0.05");
    }
}
