//! # aftersales
//!
//! A policy engine for e-commerce after-sales service: return and exchange eligibility, refund
//! calculations, warranty checks and SLA deadlines, decided from a merchant's policy document.
//! The same core runs natively, in Node and in the browser (through `wasm`), and gives the same
//! answer, byte for byte.
//!
//! ```
//! use aftersales::PolicyEngine;
//! let policy = r#"{"schema": 1, "id": "demo", "version": "1", "currency": "CNY",
//!   "timezone": "Asia/Shanghai", "returns": {"window": {"days": 7},
//!   "reasons": {"changed_mind": {}}}}"#;
//! let engine = PolicyEngine::new(policy).unwrap();
//! let answer = engine.check_return_json(r#"{"now": "2026-11-05T10:00:00+08:00", "reason": "changed_mind",
//!   "order": {"id": "A1", "currency": "CNY", "placed_at": "2026-11-01T12:00:00+08:00",
//!     "delivered_at": "2026-11-03T15:00:00+08:00",
//!     "lines": [{"id": "L1", "quantity": 1, "unit_price": 59900}]},
//!   "items": [{"line_id": "L1", "quantity": 1}]}"#).unwrap();
//! assert!(answer.contains(r#""outcome":"approve""#));
//! ```
//!
//! The engine never reads a clock (every request carries `now`), never panics on input (bad
//! input is a [`PolicyError`] with a code and a JSON path), and never uses floating point for
//! money.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod builtin_facts;
pub mod calendar;
pub mod calendar_query;
#[cfg(feature = "compare")]
pub mod compare;
pub mod conditions;
pub mod engine;
pub mod env;
pub mod error;
#[cfg(feature = "exchanges")]
pub mod exchange;
pub mod explain;
pub mod facts;
mod json_path;
pub mod lint;
pub mod locate;
pub mod messages;
pub mod money;
pub mod order;
pub mod policy;
pub mod presets;
pub mod problems;
pub mod reasons;
#[cfg(feature = "refunds")]
pub mod refund;
pub mod returns;
#[cfg(feature = "schema")]
pub mod schema;
pub mod sla;
pub mod statute;
pub mod time;
pub mod vocabulary;
#[cfg(feature = "warranty")]
pub mod warranty;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
pub mod zone;

pub use engine::{validate_policy, validate_policy_in, PolicyEngine, Validation};
pub use error::{ErrorCode, PolicyError};
pub use policy::Policy;
pub use vocabulary::Locale;
