//! Exact money. Amounts are integers of the currency's minor units (`59900` = ¥599.00); no
//! floating point touches them. At the boundary an amount must be a whole number within
//! ±(2^53 − 1), the range JavaScript numbers hold exactly: anything else is refused, never
//! rounded.

use crate::error::{tagged, ErrorCode, PolicyError, Result};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

pub use rust_decimal::Decimal;

/// The largest integer a JavaScript number holds exactly.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// An amount in minor units as it arrives in JSON: a whole number, |x| ≤ 2^53 − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Minor(pub i64);

// The checks of `Minor`, `Count` and `Percent` are made inside their visitors: serde_json then
// reports a refusal at the number itself, and the error's path is read from there
// (`crate::error::from_json_str`). Numbers are asked for with `deserialize_i64`/`deserialize_f64`,
// which serde_json answers like `deserialize_any` for a number but refuses an array or object
// before its bracket.
impl<'de> Deserialize<'de> for Minor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_i64(MinorVisitor).map_err(beyond_an_f64)
    }
}

/// serde_json refuses a number beyond an f64's range (`1e400`) itself, before any visitor sees it,
/// as `number out of range`. Read as an amount, that is an amount out of range like any other: the
/// refusal is tagged so here, and `crate::error::from_json_str`, which has the text, words it as
/// `crate::error::beyond_exact_range` does, with the number as written.
fn beyond_an_f64<E: serde::de::Error>(e: E) -> E {
    if e.to_string().starts_with(crate::error::NUMBER_OUT_OF_RANGE) {
        E::custom(tagged(ErrorCode::AmountOutOfRange, crate::error::NUMBER_OUT_OF_RANGE))
    } else {
        e
    }
}

struct MinorVisitor;

impl serde::de::Visitor<'_> for MinorVisitor {
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

fn out_of_range(v: &str) -> String {
    tagged(ErrorCode::AmountOutOfRange, crate::error::beyond_exact_range(v))
}

/// A count of items: a whole number ≥ 0 and ≤ 2^53 − 1 (0 is refused where a field needs ≥ 1,
/// by the code that reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                MinorVisitor.expecting(f)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Count, E> {
                count(MinorVisitor.visit_i64(v)?)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Count, E> {
                count(MinorVisitor.visit_u64(v)?)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Count, E> {
                count(MinorVisitor.visit_f64(v)?)
            }
        }
        d.deserialize_i64(V).map_err(beyond_an_f64)
    }
}

fn count<E: serde::de::Error>(m: Minor) -> Result<Count, E> {
    if m.0 < 0 {
        return Err(E::custom(tagged(ErrorCode::InvalidValue, format!("{} is negative; a count is 0 or more", m.0))));
    }
    Ok(Count(m.0.unsigned_abs()))
}

/// A currency of the policy or an order: its ISO 4217 code and the number of digits of its minor
/// unit (CNY 2, JPY 0, KWD 3), from the `iso_currency` crate's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    pub exponent: u32,
}

/// Reads an ISO 4217 code at `path`: it must be a currency with a minor unit.
pub fn currency(code: &str, path: &str) -> Result<Currency> {
    let found = iso_currency::Currency::from_code(code).and_then(|c| c.exponent().map(|e| (c, e)));
    match found {
        Some((c, exponent)) => Ok(Currency { code: c.code().to_string(), exponent: u32::from(exponent) }),
        None => Err(PolicyError::invalid(
            path,
            format!(
                "`{}` is not an ISO 4217 currency with a minor unit (e.g. CNY, USD, JPY)",
                crate::time::truncate(code, 16)
            ),
        )),
    }
}

/// How a fraction of a minor unit is rounded (the policy's `rounding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Halves away from zero: 198.5 → 199.
    #[default]
    HalfUp,
    /// Halves to the even neighbour (banker's rounding): 198.5 → 198, 199.5 → 200.
    HalfEven,
    /// Toward zero: 198.9 → 198.
    Down,
}

/// A percentage as written in a policy or request (`15`, `12.5`), kept as an exact decimal, 0 to 100,
/// and printed back as the same JSON number.
///
/// The second field is the JSON number as serde_json read it (an `f64`), printed back as it came.
/// Printing the decimal instead would need its `f64`, through core's float parser and its 10 KB
/// table of powers of five, which the storefront build would then carry for this alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct Percent(pub Decimal, f64);

impl Percent {
    /// A percentage the engine works out (a warranty's pro rata share), not one read from JSON.
    pub fn of(value: Decimal) -> Percent {
        // A decimal's text always reads as an f64 (the nearest one).
        Percent(value, value.normalize().to_string().parse().unwrap_or_default())
    }
}

impl PartialEq for Percent {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Percent {}

impl Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let n = self.0.normalize();
        if n.fract().is_zero() {
            if let Ok(whole) = i64::try_from(n) {
                return s.serialize_i64(whole);
            }
        }
        // The f64 the decimal was read from (or, worked out, the nearest): its shortest text is
        // the decimal's.
        s.serialize_f64(self.1)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Percent;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                JsonNumber.expecting(f)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Percent, E> {
                percent(JsonNumber.visit_i64(v)?)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Percent, E> {
                percent(JsonNumber.visit_u64(v)?)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Percent, E> {
                percent(JsonNumber.visit_f64(v)?)
            }
        }
        d.deserialize_f64(V)
    }
}

/// Reads a `serde_json::Number` as `Number`'s own `Deserialize` does, with the same words, but
/// through `deserialize_f64` (see `Minor`).
struct JsonNumber;

impl serde::de::Visitor<'_> for JsonNumber {
    type Value = serde_json::Number;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON number")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<serde_json::Number, E> {
        Ok(v.into())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<serde_json::Number, E> {
        Ok(v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<serde_json::Number, E> {
        serde_json::Number::from_f64(v).ok_or_else(|| E::custom("not a JSON number"))
    }
}

/// An optional `serde_json::Number` field (`#[serde(default, deserialize_with = …)]`), read through
/// [`JsonNumber`].
#[cfg(feature = "warranty")]
pub(crate) fn optional_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<serde_json::Number>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<serde_json::Number>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("option")
        }
        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> std::result::Result<Self::Value, D2::Error> {
            d.deserialize_f64(JsonNumber).map(Some)
        }
    }
    d.deserialize_option(V)
}

fn percent<E: serde::de::Error>(n: serde_json::Number) -> std::result::Result<Percent, E> {
    let json = n.as_f64().unwrap_or_default();
    // JSON numbers arrive as f64; their shortest decimal text is exactly what was written
    // (12.5, 0.1), which Decimal then holds exactly.
    let value: Decimal = n
        .to_string()
        .parse()
        .map_err(|_| E::custom(tagged(ErrorCode::InvalidValue, format!("{n} is not a percentage"))))?;
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(E::custom(tagged(ErrorCode::InvalidValue, format!("{n} is not between 0 and 100"))));
    }
    Ok(Percent(value, json))
}

/// A fee or deduction: a percentage of the amount it applies to, or a fixed amount per unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "maxProperties" = 1)))]
#[serde(deny_unknown_fields)]
pub struct Fee {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Percent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Minor>,
}

impl Fee {
    /// Exactly one of `percent` and `amount`, and no negative amount.
    pub fn validate(&self, path: &str) -> Result<()> {
        match (self.percent, self.amount) {
            (Some(_), None) => Ok(()),
            (None, Some(a)) if a.0 >= 0 => Ok(()),
            (None, Some(_)) => Err(PolicyError::invalid(format!("{path}.amount"), "a fee is not negative")),
            _ => Err(PolicyError::invalid(path, "a fee is either {\"percent\": P} or {\"amount\": A}")),
        }
    }

    /// The fee on `base` (for `units` units): a percentage of `base`, rounded by `rounding`, or the
    /// fixed amount per unit; never more than `base`.
    pub fn on(&self, base: i64, units: u64, rounding: Rounding) -> Result<i64> {
        let fee = match (self.percent, self.amount) {
            (Some(p), _) => percent_of(base, p, rounding)?,
            (None, Some(a)) => a.0.checked_mul(i64::try_from(units).unwrap_or(i64::MAX)).ok_or_else(overflow)?,
            (None, None) => 0,
        };
        Ok(fee.clamp(0, base.max(0)))
    }
}

/// `percent` % of `amount`, rounded by `rounding`, exactly.
pub fn percent_of(amount: i64, percent: Percent, rounding: Rounding) -> Result<i64> {
    times_decimal(amount, percent.0.checked_div(Decimal::ONE_HUNDRED).ok_or_else(overflow)?, rounding)
}

/// `amount` × `factor` (an exact decimal: 1.5 hours, 0.125), rounded by `rounding`.
pub fn times_decimal(amount: i64, factor: Decimal, rounding: Rounding) -> Result<i64> {
    let exact = Decimal::from(amount).checked_mul(factor).ok_or_else(overflow)?;
    let strategy = match rounding {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::Down => RoundingStrategy::ToZero,
    };
    exact
        .round_dp_with_strategy(0, strategy)
        .to_i64()
        .filter(|v| v.unsigned_abs() <= MAX_SAFE_INTEGER as u64)
        .ok_or_else(overflow)
}

/// Splits `total` over `weights` by largest remainder: each share is the floor of its exact part,
/// and the units left go one each to the largest remainders, ties to the earlier weight. The shares
/// always sum to `total`. With no weight above zero, the split is even.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    let (weights, sum): (Vec<i128>, i128) = if sum == 0 {
        (vec![1; weights.len()], weights.len() as i128)
    } else {
        (weights.iter().map(|w| i128::from((*w).max(0))).collect(), sum)
    };
    let total = i128::from(total);
    let mut shares: Vec<i128> = weights.iter().map(|w| (total * w).div_euclid(sum)).collect();
    let mut order: Vec<(usize, i128)> =
        weights.iter().enumerate().map(|(i, w)| (i, (total * w).rem_euclid(sum))).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut left = total - shares.iter().sum::<i128>();
    for (i, _) in order {
        if left <= 0 {
            break;
        }
        if let Some(s) = shares.get_mut(i) {
            *s += 1;
            left -= 1;
        }
    }
    shares.into_iter().map(|s| i64::try_from(s).unwrap_or(i64::MAX)).collect()
}

/// Adds amounts, refusing to leave the exact range.
pub fn sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64> {
    let mut total: i64 = 0;
    for a in amounts {
        total = total.checked_add(a).filter(|t| t.unsigned_abs() <= MAX_SAFE_INTEGER as u64).ok_or_else(overflow)?;
    }
    Ok(total)
}

/// Multiplies an amount by a count, refusing to leave the exact range.
pub fn times(amount: i64, count: u64) -> Result<i64> {
    i64::try_from(count)
        .ok()
        .and_then(|c| amount.checked_mul(c))
        .filter(|t| t.unsigned_abs() <= MAX_SAFE_INTEGER as u64)
        .ok_or_else(overflow)
}

fn overflow() -> PolicyError {
    PolicyError::new(ErrorCode::AmountOutOfRange, "", "an amount left the exact range of ±9007199254740991 minor units")
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
        // Beyond an f64: serde_json's own refusal, tagged as an amount's.
        for text in ["1e400", "-1e400", &format!("1{}", "0".repeat(400))] {
            let e = serde_json::from_str::<Minor>(text).unwrap_err().to_string();
            assert!(e.starts_with("[AMOUNT_OUT_OF_RANGE] number out of range"), "{e}");
            let e = serde_json::from_str::<Count>(text).unwrap_err().to_string();
            assert!(e.starts_with("[AMOUNT_OUT_OF_RANGE] number out of range"), "{e}");
        }
    }

    #[test]
    fn exponents_come_from_the_iso_table() {
        assert_eq!(currency("CNY", "c").unwrap().exponent, 2);
        assert_eq!(currency("JPY", "c").unwrap().exponent, 0);
        assert_eq!(currency("KWD", "c").unwrap().exponent, 3);
        assert!(currency("RMB", "c").is_err());
        assert!(currency("XAU", "c").is_err());
    }

    #[test]
    fn percentages_are_exact_and_rounded_as_declared() {
        let ten: Percent = serde_json::from_str("10").unwrap();
        assert_eq!(percent_of(1985, ten, Rounding::HalfUp).unwrap(), 199); // 198.5
        assert_eq!(percent_of(1985, ten, Rounding::HalfEven).unwrap(), 198);
        assert_eq!(percent_of(1995, ten, Rounding::HalfEven).unwrap(), 200); // 199.5
        assert_eq!(percent_of(1989, ten, Rounding::Down).unwrap(), 198);
        let p: Percent = serde_json::from_str("12.5").unwrap();
        assert_eq!(p.0, "12.5".parse::<Decimal>().unwrap());
        let tenth: Percent = serde_json::from_str("0.1").unwrap();
        assert_eq!(percent_of(1000, tenth, Rounding::HalfUp).unwrap(), 1); // exactly 1.0, not 1.0000000000000000555
        assert_eq!(percent_of(56391, serde_json::from_str("5").unwrap(), Rounding::HalfUp).unwrap(), 2820); // 2819.55
        assert!(serde_json::from_str::<Percent>("101").is_err());
    }

    #[test]
    fn a_percentage_prints_back_as_the_number_written() {
        for (written, printed) in [
            ("15", "15"),
            ("15.0", "15"),
            ("12.5", "12.5"),
            ("12.50", "12.5"),
            ("0.1", "0.1"),
            ("33.333333333333336", "33.333333333333336"),
            ("66.66666666666667", "66.66666666666667"),
            ("99.99", "99.99"),
        ] {
            let p: Percent = serde_json::from_str(written).unwrap();
            assert_eq!(serde_json::to_string(&p).unwrap(), printed, "{written}");
        }
        // Worked out, not read: the nearest f64's shortest text.
        assert_eq!(serde_json::to_string(&Percent::of(Decimal::new(125, 1))).unwrap(), "12.5");
        assert_eq!(serde_json::to_string(&Percent::of(Decimal::new(200, 2))).unwrap(), "2");
        let third = Decimal::ONE_HUNDRED / Decimal::from(3);
        assert_eq!(serde_json::to_string(&Percent::of(third)).unwrap(), "33.333333333333336");
    }

    proptest::proptest! {
        /// A percentage read from JSON prints back its own f64; the same decimal worked out
        /// (`Percent::of`, through core's float parser) prints the same text.
        #[test]
        fn read_and_worked_out_percentages_print_alike(x in 0.0f64..=100.0) {
            let text = serde_json::to_string(&x).unwrap();
            let read: Percent = serde_json::from_str(&text).unwrap();
            let printed = serde_json::to_string(&read).unwrap();
            proptest::prop_assert_eq!(&printed, &serde_json::to_string(&Percent::of(read.0)).unwrap());
            let back: f64 = serde_json::from_str(&printed).unwrap();
            proptest::prop_assert_eq!(back, x);
        }
    }

    #[test]
    fn allocation_by_largest_remainder_sums_exactly() {
        // a worked order: 5000 over subtotals 119800 and 9900 → 4618.35 and 381.65
        assert_eq!(allocate(5000, &[119800, 9900]), vec![4618, 382]);
        // 160 of tax over 3 units: 53.33 each; the extra unit goes to the earlier
        assert_eq!(allocate(160, &[1, 1, 1]), vec![54, 53, 53]);
        assert_eq!(allocate(1, &[1, 1]), vec![1, 0]);
        assert_eq!(allocate(7, &[0, 0]), vec![4, 3]);
        assert_eq!(allocate(0, &[5, 5]), vec![0, 0]);
    }
}
