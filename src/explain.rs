//! How every decision explains itself: reason codes with messages in the request's locale
//! (`en`, `zh-CN`), the figures behind them, the rules that matched, and the policy the
//! decision was made under. This module formats; it never decides anything.

use chrono::{DateTime, Datelike, TimeZone, Timelike};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;

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

/// One reason behind a decision: a stable code, a message in the request's locale, and the
/// figures the message speaks of (dates, days, amounts), so a UI can format its own text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub code: &'static str,
    pub message: String,
    /// The order line the reason is about, when it is about one item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The policy rule that produced it, when a rule did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub figures: Map<String, Value>,
}

impl Reason {
    pub fn new(code: &'static str, message: String) -> Self {
        Reason { code, message, line_id: None, rule: None, figures: Map::new() }
    }

    pub fn figure(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.figures.insert(key.to_string(), value.into());
        self
    }

    /// The rule behind the reason: a compiled rule's shared id costs no copy.
    pub fn rule(mut self, rule: impl Into<Arc<str>>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    pub fn line(mut self, line_id: &str) -> Self {
        self.line_id = Some(line_id.to_string());
        self
    }
}

/// Merchant texts that replace the engine's messages, by reason code (the policy's `messages`
/// section): `{"RETURN_WINDOW_EXPIRED": {"en": "Returns close {window_days} days after delivery.",
/// "zh-CN": "…"}}`. `{name}` is replaced by the reason's figure of that name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct MessageOverrides(pub std::collections::BTreeMap<String, LocalizedText>);

impl MessageOverrides {
    /// Checks that every key has the form of a reason code.
    pub fn validate(&self, path: &str) -> crate::error::Result<()> {
        for code in self.0.keys() {
            let ok =
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !ok {
                return Err(crate::error::PolicyError::invalid(
                    crate::error::join_path(path, code),
                    "a message override is keyed by a reason code such as RETURN_WINDOW_EXPIRED",
                ));
            }
            if !crate::reasons::lookup(code).is_some_and(|c| c.kind == crate::reasons::Kind::Reason) {
                return Err(crate::error::PolicyError::invalid(
                    crate::error::join_path(path, code),
                    "not a reason code the engine gives (the README lists them all)",
                ));
            }
        }
        Ok(())
    }

    /// Replaces the messages of `reasons` that the merchant overrides.
    pub fn apply(&self, reasons: &mut [Reason], locale: Locale) {
        if self.0.is_empty() {
            return;
        }
        for reason in reasons {
            if let Some(text) = self.0.get(reason.code).and_then(|t| t.get(locale)) {
                reason.message = fill(text, &reason.figures);
            }
        }
    }
}

/// Replaces `{name}` in `template` by the figure of that name (text as is, other values as JSON).
fn fill(template: &str, figures: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let name_end = after.find('}');
        match name_end.and_then(|end| after.get(1..end).map(|name| (end, name))) {
            Some((end, name)) if figures.contains_key(name) => {
                match figures.get(name) {
                    Some(Value::String(s)) => out.push_str(s),
                    Some(v) => out.push_str(&v.to_string()),
                    None => {}
                }
                rest = after.get(end + 1..).unwrap_or("");
            }
            _ => {
                out.push('{');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// One rule's part in a decision: whether its `when` held, and for which lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub rule: Arc<str>,
    pub matched: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

/// The policy a decision was made under; a server compares the fingerprint with its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    pub id: Arc<str>,
    pub version: Arc<str>,
    pub fingerprint: Arc<str>,
}

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
    fn locales_fall_back_to_english() {
        assert_eq!(Locale::parse("zh-CN"), Locale::ZhCn);
        assert_eq!(Locale::parse("zh_Hans_CN"), Locale::ZhCn);
        assert_eq!(Locale::parse("fr"), Locale::En);
        for zh in ["zh", "ZH", "zh-cn", "ZH_cn", "zh-Hans", "zh-hans-SG", "zh-SG", "zh-CN-x-private"] {
            assert_eq!(Locale::parse(zh), Locale::ZhCn, "{zh}");
        }
        for en in ["", "z", "zh-", "zh-TW", "zh-Hant", "zh-sgp", "zhx", "en-US", "中文", "zh-c"] {
            assert_eq!(Locale::parse(en), Locale::En, "{en}");
        }
    }

    #[test]
    fn overrides_fill_figures() {
        let o: MessageOverrides =
            serde_json::from_str(r#"{"X": {"en": "closed after {days} days on {date} {unknown}"}}"#).unwrap();
        let mut r = vec![Reason::new("X", "generated".into()).figure("days", 7).figure("date", "10 Nov")];
        o.apply(&mut r, Locale::ZhCn);
        assert_eq!(r[0].message, "closed after 7 days on 10 Nov {unknown}");
    }

    #[test]
    fn money_is_formatted_by_exponent() {
        assert_eq!(format_money(56391, "CNY", 2), "¥563.91");
        assert_eq!(format_money(500, "JPY", 0), "¥500");
        assert_eq!(format_money(1250, "KWD", 3), "KWD 1.250");
        assert_eq!(format_money(-5, "USD", 2), "-$0.05");
    }
}
