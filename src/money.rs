//! Exact money. Amounts are integers of the currency's minor units (`59900` = ¥599.00); no
//! floating point touches them. At the boundary an amount must be a whole number within
//! ±(2^53 − 1), the range JavaScript numbers hold exactly: anything else is refused, never
//! rounded.

use crate::error::{tagged, ErrorCode};
use serde::{Deserialize, Serialize};

/// The largest integer a JavaScript number holds exactly.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// An amount in minor units as it arrives in JSON: a whole number, |x| ≤ 2^53 − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Minor(pub i64);

impl<'de> Deserialize<'de> for Minor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Minor;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer number of minor units")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Minor, E> {
                if v.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
                    return Err(E::custom(out_of_range(&v.to_string())));
                }
                Ok(Minor(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Minor, E> {
                if v > MAX_SAFE_INTEGER as u64 {
                    return Err(E::custom(out_of_range(&v.to_string())));
                }
                Ok(Minor(v as i64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Minor, E> {
                Err(E::custom(tagged(
                    ErrorCode::AmountOutOfRange,
                    format!("{v} is not a whole number of minor units (amounts are integers, e.g. 1999 for 19.99)"),
                )))
            }
        }
        d.deserialize_any(V)
    }
}

fn out_of_range(v: &str) -> String {
    tagged(
        ErrorCode::AmountOutOfRange,
        format!("{v} is beyond ±9007199254740991 minor units, the exact range of a JavaScript number"),
    )
}

/// A count of items: a whole number ≥ 0 and ≤ 2^53 − 1 (0 is refused where a field needs ≥ 1,
/// by the code that reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = Minor::deserialize(d)?;
        if m.0 < 0 {
            return Err(serde::de::Error::custom(tagged(
                ErrorCode::InvalidValue,
                format!("{} is negative; a count is 0 or more", m.0),
            )));
        }
        Ok(Count(m.0.unsigned_abs()))
    }
}

/// Checks an ISO 4217 code's form (three capital letters) and returns it.
pub fn currency_code(code: &str, path: &str) -> crate::error::Result<String> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code.to_string())
    } else {
        Err(crate::error::PolicyError::invalid(
            path,
            format!("`{}` is not an ISO 4217 currency code (e.g. CNY)", crate::time::truncate(code, 16)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_must_be_exact_integers() {
        assert_eq!(serde_json::from_str::<Minor>("59900").unwrap(), Minor(59900));
        assert!(serde_json::from_str::<Minor>("19.99").is_err());
        assert!(serde_json::from_str::<Minor>("9007199254740992").is_err());
        assert!(serde_json::from_str::<Minor>("-9007199254740991").is_ok());
        assert!(serde_json::from_str::<Count>("-1").is_err());
    }
}
