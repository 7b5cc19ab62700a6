//! The engine a host holds: a policy compiled once, evaluated by reference for every request.
//! Each evaluator has a typed form (`check_return`) and a JSON-text twin (`check_return_json`)
//! that every host (wasm, a server, a CLI) can call; batch forms answer one envelope per request
//! (`{"ok": true, "value": …}` or `{"ok": false, "error": {code, path, message}}`), so one bad
//! request never fails the batch.

#[cfg(feature = "sla")]
use crate::calendar_query::{self, CalendarAnswer, CalendarRequest};
use crate::error::{from_json_str, ErrorCode, PolicyError, Result};
#[cfg(feature = "exchanges")]
use crate::exchange::{self, ExchangeDecision, ExchangeRequest};
#[cfg(any(feature = "returns", feature = "warranty", feature = "sla"))]
use crate::explain::render;
use crate::explain::PolicyRef;
use crate::lint::PolicyWarning;
use crate::policy::{Policy, PolicySet};
use crate::problems::Problems;
#[cfg(feature = "refunds")]
use crate::refund::{self, RefundQuote, RefundRequest};
#[cfg(feature = "returns")]
use crate::returns::{self, ReturnDecision, ReturnRequest};
#[cfg(feature = "sla")]
use crate::sla::{Case, SlaAnswer};
#[cfg(feature = "returns")]
use crate::time::Timestamp;
use crate::vocabulary::Locale;
#[cfg(feature = "warranty")]
use crate::warranty::{self, Claim, WarrantyDecision};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

/// Most requests one batch call may hold.
pub const MAX_BATCH: usize = 100_000;

/// A compiled policy and the evaluators over it.
#[derive(Debug, Clone)]
pub struct PolicyEngine {
    policies: PolicySet,
}

/// The answer of [`validate_policy`].
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Validation {
    pub ok: bool,
    /// Every error, each with its path (none when `ok`).
    pub errors: Vec<PolicyError>,
    /// What a careful reviewer would say: where the policy goes below the statutory floor
    /// (`BELOW_STATUTORY_MINIMUM`; decisions apply the law), SLA stages that can fall due out of
    /// order, a paid repair with no price, rules that never match or add nothing, unused
    /// definitions (docs/policy.md lists the codes). The policy still loads.
    pub warnings: Vec<PolicyWarning>,
    /// The policy's id, version and fingerprint, when it is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRef>,
}

/// What [`PolicyEngine::info`] says of the policy held.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyInfo {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
    /// The preset the policy extends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<crate::vocabulary::Jurisdiction>,
    /// The policy's warnings, as `validate_policy` gives them (left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<PolicyWarning>,
}

/// Every version's warnings; with several versions, paths start with the version's index.
fn warnings_of(set: &PolicySet) -> Vec<PolicyWarning> {
    let several = set.versions().count() > 1;
    set.versions()
        .enumerate()
        .flat_map(|(i, p)| {
            p.warnings.iter().cloned().map(move |mut w| {
                if several {
                    w.path = crate::error::join_path(&format!("[{i}]"), &w.path);
                }
                w
            })
        })
        .collect()
}

/// Checks a policy without keeping it: `ok`, the errors with their paths, and the warnings.
/// Every error is listed, the way a compiler lists them: each section, each rule.
pub fn validate_policy(text: &str) -> Validation {
    validate_policy_in(text, Locale::En)
}

/// [`validate_policy`] with the warnings' messages in `locale` (errors are in English).
pub fn validate_policy_in(text: &str, locale: Locale) -> Validation {
    let mut problems = Problems::default();
    let set = PolicySet::read_json(text, &mut problems);
    match set {
        Some(p) if problems.is_empty() => Validation {
            ok: true,
            errors: Vec::new(),
            warnings: warnings_of(&p).into_iter().map(|w| w.in_locale(locale)).collect(),
            policy: Some(p.latest().reference()),
        },
        _ => Validation { ok: false, errors: problems.into_errors(), warnings: Vec::new(), policy: None },
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Envelope<T: Serialize> {
    Ok { ok: bool, value: T },
    Err { ok: bool, error: PolicyError },
}

impl PolicyEngine {
    /// Compiles a policy from JSON text: one document, or an array of its versions, each with
    /// `effective_from`.
    pub fn new(policy_json: &str) -> Result<Self> {
        Ok(PolicyEngine { policies: PolicySet::from_json(policy_json)? })
    }

    /// Compiles a policy (or an array of its versions) from a parsed JSON value.
    pub fn from_value(policy: serde_json::Value) -> Result<Self> {
        Ok(PolicyEngine { policies: PolicySet::from_value(policy)? })
    }

    /// The newest version of the policy.
    pub fn policy(&self) -> &Policy {
        self.policies.latest()
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = &Policy> {
        self.policies.versions()
    }

    /// `sha256:…` of the canonical policy (of the whole array, for several versions).
    pub fn fingerprint(&self) -> &str {
        self.policies.fingerprint()
    }

    /// The newest version's id, version and fingerprint, the preset it extends, its jurisdiction,
    /// and its warnings (where it goes below the statutory floor, and the rest of the policy lint).
    pub fn info(&self) -> PolicyInfo {
        let latest = self.policies.latest();
        PolicyInfo {
            id: latest.id.clone(),
            version: latest.version.clone(),
            fingerprint: latest.fingerprint.clone(),
            extends: latest.extends.clone(),
            jurisdiction: latest.env.jurisdiction,
            warnings: warnings_of(&self.policies),
        }
    }

    #[cfg(feature = "returns")]
    /// Decides a return or exchange request.
    pub fn check_return(&self, request: &ReturnRequest) -> Result<ReturnDecision> {
        let policy = self.policies.at(request.order.placed_at.utc());
        policy.check_fingerprint(request.policy_fingerprint.as_deref(), "policy_fingerprint")?;
        Ok(render(decide_return(policy, request)?, request.locale, &policy.messages))
    }

    #[cfg(feature = "sla")]
    /// A business-calendar computation: add a duration, business time elapsed, next opening, is open.
    pub fn calendar(&self, request: &CalendarRequest) -> Result<CalendarAnswer> {
        let policy = self.policies.at(request.from.utc());
        Ok(render(calendar_query::compute(&policy.env, request)?, request.locale, &policy.messages))
    }

    #[cfg(feature = "sla")]
    /// A case's service-level deadlines, their status at `now`, warnings and escalation.
    pub fn sla_deadlines(&self, case: &Case) -> Result<SlaAnswer> {
        let created = case.events.get("created_at").unwrap_or(&case.now);
        let policy = self.policies.at(created.utc());
        policy.check_fingerprint(case.policy_fingerprint.as_deref(), "policy_fingerprint")?;
        let sla = section(policy.sla.as_ref(), "sla")?;
        Ok(render(crate::sla::deadlines(&policy.env, sla, case)?, case.locale, &policy.messages))
    }

    #[cfg(feature = "warranty")]
    /// Decides a warranty claim: free or paid remedies, the quote, the promised completion.
    pub fn check_warranty(&self, claim: &Claim) -> Result<WarrantyDecision> {
        // Judged under the version in force on the purchase date (noon, in the newest version's zone).
        let latest = self.policies.latest();
        let bought = claim
            .purchase_date
            .as_deref()
            .and_then(|d| crate::calendar::parse_date(d, "purchase_date").ok())
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map_or(claim.now.utc(), |t| crate::time::resolve_local(latest.env.zone, t).with_timezone(&chrono::Utc));
        let policy = self.policies.at(bought);
        policy.check_fingerprint(claim.policy_fingerprint.as_deref(), "policy_fingerprint")?;
        let terms = section(policy.warranty.as_ref(), "warranty")?;
        Ok(render(warranty::check(&policy.env, terms, claim)?, claim.locale, &policy.messages))
    }

    #[cfg(feature = "refunds")]
    /// Quotes a refund, line by line.
    pub fn quote_refund(&self, request: &RefundRequest) -> Result<RefundQuote> {
        let policy = self.policies.at(request.order.placed_at.utc());
        policy.check_fingerprint(request.policy_fingerprint.as_deref(), "policy_fingerprint")?;
        Ok(render(quote_under(policy, request)?, request.locale, &policy.messages))
    }

    #[cfg(feature = "exchanges")]
    /// Decides an exchange into named variants: the return decision it stands on, the price
    /// difference and its direction, who pays each way's shipping, advance exchange, and the
    /// fallback (with its refund quote) when a variant is out of stock.
    pub fn check_exchange(&self, request: &ExchangeRequest) -> Result<ExchangeDecision> {
        let policy = self.policies.at(request.order.placed_at.utc());
        policy.check_fingerprint(request.policy_fingerprint.as_deref(), "policy_fingerprint")?;
        let exchanges = section(policy.exchanges.as_ref(), "exchanges")?;
        let decide = |r: &ReturnRequest| decide_return(policy, r);
        let quote = |r: &RefundRequest| quote_under(policy, r);
        let calls = exchange::Calls {
            decide_return: policy.returns.as_ref().map(|_| &decide as _),
            quote_refund: &quote,
            refunds: &policy.refunds,
        };
        Ok(render(exchange::check(&policy.env, exchanges, request, calls)?, request.locale, &policy.messages))
    }
}

#[cfg(feature = "refunds")]
/// A refund quote under `policy`, with its review and payout deadlines (the SLA's `refund_review`
/// and `refund_payout` targets of a `refund` case). Not yet rendered.
fn quote_under(policy: &Policy, request: &RefundRequest) -> Result<RefundQuote> {
    let decide = |r: &ReturnRequest| decide_return(policy, r);
    let decide: Option<refund::DecideReturn<'_>> = policy.returns.as_ref().map(|_| &decide as _);
    let mut quote = refund::quote(&policy.env, &policy.refunds, request, decide)?;
    if quote.total > 0 {
        quote.review_by = due_for(policy, "refund", "refund_review", &request.now)?;
    }
    if let Some(review_by) = &quote.review_by {
        let from = Timestamp::parse(review_by).map_err(|m| PolicyError::invalid("", m))?;
        quote.payout_by = due_for(policy, "refund", "refund_payout", &from)?;
    }
    refund::legal_payout(&policy.env, &mut quote, &request.now)?;
    Ok(quote)
}

/// Every evaluator of the engine, once: its typed method with its request and answer, the name
/// of its JSON-text twin, of its batch twin if it has one, its JavaScript names and its route in
/// the example service, and the Cargo feature that carries it (docs/performance.md: builds by
/// capability). Without its feature, the typed method is absent and the twins refuse every call
/// with `NOT_IN_THIS_BUILD`. The twins below, the wasm binding's methods and the list the JavaScript
/// package and the service read ([`EVALUATORS`]) are all made from this table: a new evaluator
/// is its typed method plus one row here.
macro_rules! evaluators {
    ($then:ident) => {
        $then! {
            check_return(ReturnRequest) -> ReturnDecision, feature "returns",
                json check_return_json, batch check_returns_json,
                js "checkReturn" "checkReturns", route "/v1/returns/check";
            quote_refund(RefundRequest) -> RefundQuote, feature "refunds",
                json quote_refund_json, batch quote_refunds_json,
                js "quoteRefund" "quoteRefunds", route "/v1/refunds/quote";
            check_exchange(ExchangeRequest) -> ExchangeDecision, feature "exchanges",
                json check_exchange_json, batch check_exchanges_json,
                js "checkExchange" "checkExchanges", route "/v1/exchanges/check";
            check_warranty(Claim) -> WarrantyDecision, feature "warranty",
                json check_warranty_json, batch check_warranties_json,
                js "checkWarranty" "checkWarranties", route "/v1/warranty/check";
            sla_deadlines(Case) -> SlaAnswer, feature "sla",
                json sla_deadlines_json, batch sla_deadlines_many_json,
                js "slaDeadlines" "slaDeadlinesMany", route "/v1/sla";
            calendar(CalendarRequest) -> CalendarAnswer, feature "sla",
                json calendar_json,
                js "calendar", route "/v1/calendar";
        }
    };
}
pub(crate) use evaluators;

/// One evaluator as the JavaScript package and the example service name it.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evaluator {
    /// The JavaScript method (`checkReturn`); `…Json` is its JSON-text twin.
    pub js: &'static str,
    /// The JavaScript batch method (`checkReturns`), if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub js_batch: Option<&'static str>,
    /// The engine's JSON-text method (`check_return_json`), which the wasm binding exports.
    pub json: &'static str,
    /// The engine's batch method (`check_returns_json`), if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<&'static str>,
    /// The example service's route (`/v1/returns/check`; its batch adds `/batch`).
    pub route: &'static str,
    /// The Cargo feature that carries it (`returns`, `refunds`, …).
    pub feature: &'static str,
    /// Whether this build carries it; when not, its methods refuse with `NOT_IN_THIS_BUILD`.
    pub built: bool,
}

/// The JavaScript name of the batch method whose engine method is `batch`.
#[cfg(evaluator_left_out)]
fn js_batch_of(batch: &'static str) -> &'static str {
    EVALUATORS.iter().find(|e| e.batch == Some(batch)).and_then(|e| e.js_batch).unwrap_or(batch)
}

/// The refusal of a call to an evaluator this build does not carry (`method`: its JavaScript name).
#[cfg(evaluator_left_out)]
fn not_in_this_build(method: &str, feature: &str) -> PolicyError {
    PolicyError::new(
        ErrorCode::NotInThisBuild,
        method,
        format!("this build does not carry `{method}` (Cargo feature `{feature}`); load the full build (`aftersales`) for it"),
    )
}

/// The JSON-text and batch twins of every evaluator, and [`EVALUATORS`].
macro_rules! twins {
    ($($name:ident($req:ty) -> $answer:ty, feature $feature:literal, json $json:ident $(, batch $batch:ident)?,
       js $js:literal $($js_batch:literal)?, route $route:literal;)*) => {
        impl PolicyEngine {
            $(
                #[cfg(feature = $feature)]
                #[doc = concat!("[`Self::", stringify!($name), "`] over JSON text.")]
                pub fn $json(&self, request: &str) -> Result<String> {
                    json_call(request, |r: &$req| self.$name(r))
                }
                #[cfg(not(feature = $feature))]
                #[doc = concat!("Refused with `NOT_IN_THIS_BUILD`: this build has no `", $feature, "` feature.")]
                pub fn $json(&self, _request: &str) -> Result<String> {
                    Err(not_in_this_build($js, $feature))
                }
                $(
                    #[cfg(feature = $feature)]
                    #[doc = concat!("[`Self::", stringify!($name), "`] over a JSON array of requests, one envelope each.")]
                    pub fn $batch(&self, requests: &str) -> Result<String> {
                        json_batch(requests, |r: &$req| self.$name(r))
                    }
                    #[cfg(not(feature = $feature))]
                    #[doc = concat!("Refused with `NOT_IN_THIS_BUILD`: this build has no `", $feature, "` feature.")]
                    pub fn $batch(&self, _requests: &str) -> Result<String> {
                        Err(not_in_this_build(js_batch_of(stringify!($batch)), $feature))
                    }
                )?
            )*
        }

        /// Every evaluator, in the order of the table (those this build does not carry too: their
        /// methods refuse with `NOT_IN_THIS_BUILD`).
        pub const EVALUATORS: &[Evaluator] = &[$(Evaluator {
            js: $js,
            js_batch: twins!(@some $($js_batch)?),
            json: stringify!($json),
            batch: twins!(@some $(stringify!($batch))?),
            route: $route,
            feature: $feature,
            built: cfg!(feature = $feature),
        }),*];
    };
    (@some $e:expr) => { Some($e) };
    (@some) => { None };
}
evaluators!(twins);

#[cfg(any(feature = "returns", feature = "warranty", feature = "sla"))]
/// The section an evaluator needs, or the refusal of a policy without it.
fn section<'a, S>(section: Option<&'a S>, name: &str) -> Result<&'a S> {
    section
        .ok_or_else(|| PolicyError::new(ErrorCode::InvalidField, name, format!("the policy has no `{name}` section")))
}

#[cfg(feature = "returns")]
/// A return decision under `policy`, with when the return will be complete (the SLA's
/// `return_complete` target of a `return` case) if it is allowed. Not yet rendered.
fn decide_return(policy: &Policy, request: &ReturnRequest) -> Result<ReturnDecision> {
    let returns = section(policy.returns.as_ref(), "returns")?;
    let mut decision = returns::check(&policy.env, returns, request)?;
    if decision.eligible {
        decision.complete_by = due_for(policy, "return", "return_complete", &request.now)?;
    }
    Ok(decision)
}

#[cfg(feature = "returns")]
/// The due time of a stage of the SLA plan for a case of `kind` started at `start`, for "you will
/// hear from us by …"; `None` when the policy has no SLA or no plan names the stage.
fn due_for(policy: &Policy, kind: &str, stage: &str, start: &Timestamp) -> Result<Option<String>> {
    match &policy.sla {
        Some(sla) => crate::sla::due_for(&policy.env, sla, kind, stage, start),
        None => Ok(None),
    }
}

/// Parses a request, evaluates it and prints the answer.
pub fn json_call<Req, Resp>(text: &str, eval: impl Fn(&Req) -> Result<Resp>) -> Result<String>
where
    Req: DeserializeOwned,
    Resp: Serialize,
{
    let request: Req = from_json_str(text)?;
    to_json(&eval(&request)?)
}

/// Evaluates a JSON array of requests; each answer is an envelope, and paths in errors start
/// with the request's index (`[3].order.lines[0].quantity`).
pub fn json_batch<Req, Resp>(text: &str, eval: impl Fn(&Req) -> Result<Resp>) -> Result<String>
where
    Req: DeserializeOwned,
    Resp: Serialize,
{
    // Most batches are all well-formed: one pass reads, judges and prints each request in turn.
    // A request that cannot be read stops that pass; then the batch is split first, so the
    // others are still answered and the bad one gets its own envelope.
    if let Some(printed) = one_pass(text, &eval) {
        return Ok(printed);
    }
    let requests: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| {
        PolicyError::new(ErrorCode::InvalidJson, "", format!("a batch is a JSON array of requests: {e}"))
    })?;
    if requests.len() > MAX_BATCH {
        return Err(PolicyError::new(
            ErrorCode::LimitExceeded,
            "",
            format!("more than {MAX_BATCH} requests in one batch"),
        ));
    }
    // Each answer is printed as soon as it is made, into one buffer: no list of 10,000 decisions
    // held at once.
    // An explained answer is mostly two to three times the size of its request: sized from the
    // input, the buffer is seldom regrown (and a regrowth copies everything printed so far).
    let mut out = Printed(Vec::with_capacity(text.len().saturating_mul(3).min(64 << 20)));
    out.0.push(b'[');
    for (i, raw) in requests.iter().enumerate() {
        if i > 0 {
            out.0.push(b',');
        }
        let printed = match from_json_str::<Req>(raw.get()).and_then(|r| eval(&r)) {
            Ok(value) => serde_json::to_writer(&mut out, &Envelope::Ok { ok: true, value }),
            Err(e) => {
                serde_json::to_writer(&mut out, &Envelope::<Resp>::Err { ok: false, error: e.under(&format!("[{i}]")) })
            }
        };
        printed.map_err(unprintable)?;
    }
    out.0.push(b']');
    String::from_utf8(out.0).map_err(unprintable)
}

/// A batch in one pass over its text, or `None` when a request in it cannot be read (or there
/// are too many), for [`json_batch`] to answer request by request.
fn one_pass<Req, Resp>(text: &str, eval: &impl Fn(&Req) -> Result<Resp>) -> Option<String>
where
    Req: DeserializeOwned,
    Resp: Serialize,
{
    struct Requests<'a, Req, F> {
        out: &'a mut Printed,
        eval: &'a F,
        read: std::marker::PhantomData<Req>,
    }
    impl<'de, Req, Resp, F> serde::de::Visitor<'de> for Requests<'_, Req, F>
    where
        Req: DeserializeOwned,
        Resp: Serialize,
        F: Fn(&Req) -> Result<Resp>,
    {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array of requests")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            use serde::de::Error;
            let mut i = 0usize;
            while let Some(request) = seq.next_element::<Req>()? {
                if i >= MAX_BATCH {
                    return Err(A::Error::custom("too many requests"));
                }
                if i > 0 {
                    self.out.0.push(b',');
                }
                let printed = match (self.eval)(&request) {
                    Ok(value) => serde_json::to_writer(&mut *self.out, &Envelope::Ok { ok: true, value }),
                    Err(e) => serde_json::to_writer(
                        &mut *self.out,
                        &Envelope::<Resp>::Err { ok: false, error: e.under(&format!("[{i}]")) },
                    ),
                };
                printed.map_err(A::Error::custom)?;
                i += 1;
            }
            Ok(())
        }
    }
    let mut out = Printed(Vec::with_capacity(text.len().saturating_mul(3).min(64 << 20)));
    out.0.push(b'[');
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_seq(&mut de, Requests { out: &mut out, eval, read: std::marker::PhantomData })
        .ok()?;
    de.end().ok()?;
    out.0.push(b']');
    String::from_utf8(out.0).ok()
}

fn unprintable(e: impl std::fmt::Display) -> PolicyError {
    PolicyError::new(ErrorCode::InvalidValue, "", format!("the answer could not be printed: {e}"))
}

/// Prints an answer as compact JSON.
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    // An explained decision is most often 0.5 to 2 KB: one allocation instead of a dozen regrowths.
    let mut out = Printed(Vec::with_capacity(2048));
    serde_json::to_writer(&mut out, value).map_err(unprintable)?;
    String::from_utf8(out.0).map_err(unprintable)
}

/// The buffer answers are printed into. serde_json writes its punctuation (`{`, `"`, `:`, `,`) a
/// byte at a time, and `Vec::extend_from_slice` pays a `memcpy` call for each; a push does not.
struct Printed(Vec<u8>);

impl std::io::Write for Printed {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let [byte] = bytes {
            self.0.push(*byte);
        } else {
            self.0.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
