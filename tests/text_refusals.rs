//! Refusals of request texts that the vectors cannot hold (a vector's request is a JSON value, so
//! it has no number beyond an f64, no key given twice and no lone surrogate): each with its exact
//! code, path and message, through the engine's JSON calls as every host makes them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersales::{ErrorCode, PolicyEngine};

fn engine() -> PolicyEngine {
    let policy =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policies/sportswear-cn.json")).unwrap();
    PolicyEngine::new(&policy).unwrap()
}

/// The returns vectors' base request, as compact text (it is approved).
fn base() -> String {
    let vectors: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/returns-acceptance.json"))
            .unwrap(),
    )
    .unwrap();
    vectors["base"].to_string()
}

/// The base request with `from` replaced by `to` (`from` is there exactly once).
fn request_with(from: &str, to: &str) -> String {
    let text = base();
    assert_eq!(text.matches(from).count(), 1, "{from} in {text}");
    text.replacen(from, to, 1)
}

/// The code, path and message `check_return_json` refuses `text` with, and the same request in a
/// batch of two (the first one good) under `[1]`.
fn refusal(text: &str) -> (ErrorCode, String, String) {
    let engine = engine();
    let e = engine.check_return_json(text).unwrap_err();
    let batch = format!("[{},{text}]", base());
    let answers: serde_json::Value = serde_json::from_str(&engine.check_returns_json(&batch).unwrap()).unwrap();
    assert_eq!(answers[0]["ok"], true);
    assert_eq!(answers[1]["ok"], false);
    assert_eq!(answers[1]["error"]["code"], e.code.as_str());
    assert_eq!(answers[1]["error"]["path"], aftersales::error::join_path("[1]", &e.path));
    assert_eq!(answers[1]["error"]["message"], e.message.as_str());
    (e.code, e.path, e.message)
}

fn r(code: ErrorCode, path: &str, message: &str) -> (ErrorCode, String, String) {
    (code, path.to_string(), message.to_string())
}

#[test]
fn an_amount_beyond_an_f64_is_out_of_range_as_other_amounts_are() {
    let text = request_with(r#""unit_price":59900"#, r#""unit_price":1e400"#);
    assert_eq!(
        refusal(&text),
        r(
            ErrorCode::AmountOutOfRange,
            "order.lines[0].unit_price",
            "1e400 is beyond ±9007199254740991 minor units, the exact range of a JavaScript number"
        )
    );
}

#[test]
fn a_key_given_twice_is_named_where_it_is() {
    let text = request_with(r#""locale":"en""#, r#""locale":"en","locale":"zh-CN""#);
    assert_eq!(refusal(&text), r(ErrorCode::InvalidField, "locale", "`locale` appears twice"));
    let text = request_with(r#""quantity":2"#, r#""quantity":2,"quantity":2"#);
    assert_eq!(refusal(&text), r(ErrorCode::InvalidField, "order.lines[0].quantity", "`quantity` appears twice"));
}

#[test]
fn a_lone_surrogate_escape_is_not_json_text() {
    let text = request_with(r#""sku":"SHOE-42""#, r#""sku":"SHOE-\ud800""#);
    assert_eq!(
        refusal(&text),
        r(
            ErrorCode::InvalidJson,
            "order.lines[0].sku",
            "a string holds a lone surrogate escape (\\ud800), which is not Unicode text"
        )
    );
}
