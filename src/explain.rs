//! How every decision explains itself: reason codes with messages in the request's locale
//! (`en`, `zh-CN`), the figures behind them, the rules that matched, and the policy the
//! decision was made under.
//!
//! Evaluators give each reason a code, its figures and a [`Message`] (what to say); once the
//! answer is made, the engine renders every text of it ([`render`]): the merchant's override of
//! the code (the policy's `messages`) when there is one in the locale, else the built-in
//! template. This module never decides anything.

use crate::messages::Message;
use crate::vocabulary::{Locale, LocalizedText};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::sync::OnceLock;

/// One reason behind a decision: a stable code, a message in the request's locale, and the
/// figures the message speaks of (dates, days, amounts), so a UI can format its own text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reason {
    /// A stable SCREAMING_SNAKE code, e.g. `RETURN_WINDOW_EXPIRED` (docs/reason-codes.md lists them).
    pub code: &'static str,
    /// In the request's locale: the merchant's text for the code, else the engine's.
    pub message: Text,
    /// The order line the reason is about, when it is about one item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The policy rule that produced it, when a rule did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Arc<str>>,
    /// The figures the message speaks of (dates, days, amounts), by name.
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "std::collections::BTreeMap<String, crate::schema::Figure>"))]
    pub figures: Map<String, Value>,
}

impl Reason {
    pub fn new(code: &'static str, message: impl Into<Message>) -> Self {
        Reason { code, message: Text::new(message), line_id: None, rule: None, figures: Map::new() }
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
                    "not a reason code the engine gives (docs/reason-codes.md lists them all)",
                ));
            }
        }
        Ok(())
    }

    /// The merchant's text for `code` in `locale`, if any.
    fn get(&self, code: &str, locale: Locale) -> Option<&str> {
        if self.0.is_empty() {
            return None;
        }
        self.0.get(code).and_then(|t| t.get(locale))
    }
}

/// A text of an answer: what to say, and the words once rendered. Copies share both: a reason
/// that stands in an item and again in the answer's list is put in words once, and a copy costs
/// no more than a count.
#[derive(Debug, Clone, PartialEq)]
pub struct Text(Arc<Said>);

#[derive(Debug, PartialEq)]
struct Said {
    message: Message,
    words: OnceLock<String>,
}

impl Text {
    pub fn new(message: impl Into<Message>) -> Self {
        Text(Arc::new(Said { message: message.into(), words: OnceLock::new() }))
    }

    /// Puts the message in words in `locale` (once: a rendered text stays as it is).
    pub fn render(&self, locale: Locale) {
        self.0.words.get_or_init(|| self.0.message.render(locale));
    }

    /// The words (empty before [`Text::render`]).
    pub fn as_str(&self) -> &str {
        self.0.words.get().map_or("", String::as_str)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Reason {
    /// Renders the message (once): the merchant's override of the code in `locale`, filled with
    /// the reason's figures, else the built-in words.
    pub fn render(&mut self, locale: Locale, overrides: &MessageOverrides) {
        let said = &self.message.0;
        said.words.get_or_init(|| match overrides.get(self.code, locale) {
            Some(template) => fill(template, &self.figures),
            None => said.message.render(locale),
        });
    }
}

/// An answer whose texts are rendered after it is decided.
pub trait Explained {
    /// Calls `f` on every reason of the answer (the merchant may override their words).
    fn reasons(&mut self, f: &mut dyn FnMut(&mut Reason));
    /// Calls `f` on every other text (warnings, amounts' labels: built-in words only).
    fn texts(&mut self, _f: &mut dyn FnMut(&mut Text)) {}
}

/// Renders every text of `answer` in `locale`, with the merchant's overrides of reasons.
pub fn render<A: Explained>(mut answer: A, locale: Locale, overrides: &MessageOverrides) -> A {
    answer.reasons(&mut |r| r.render(locale, overrides));
    answer.texts(&mut |t| t.render(locale));
    answer
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TraceEntry {
    pub rule: Arc<str>,
    pub matched: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

/// The policy a decision was made under; a server compares the fingerprint with its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyRef {
    pub id: Arc<str>,
    pub version: Arc<str>,
    pub fingerprint: Arc<str>,
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
        let nothing = crate::messages::refunds::Says::NothingLeft;
        let mut r = Reason::new("X", nothing.clone()).figure("days", 7).figure("date", "10 Nov");
        r.render(Locale::ZhCn, &o);
        assert_eq!(r.message.as_str(), "closed after 7 days on 10 Nov {unknown}");
        // No override for the code: the built-in words, in the locale.
        let mut r = Reason::new("Y", nothing);
        r.render(Locale::ZhCn, &o);
        assert_eq!(r.message.as_str(), "这些商品已无可退款项。");
    }
}
