//! What an evaluator decides against besides its own section of the policy: the merchant's time
//! zone, currency and business calendars, the jurisdiction whose law sits underneath, and the
//! policy a decision names. The engine hands each evaluator this and nothing more of the policy.

use crate::calendar::{Calendar, Calendars};
use crate::error::{ErrorCode, PolicyError, Result};
use crate::explain::PolicyRef;
use crate::money::Currency;
use crate::vocabulary::Jurisdiction;
use crate::zone::Tz;

/// The policy's setting, shared by every section.
#[derive(Debug, Clone)]
pub struct Env {
    /// The IANA zone the merchant's days and deadlines are counted in.
    pub zone: Tz,
    /// The currency the policy's amounts, and every order judged under it, are in.
    pub currency: Currency,
    /// The named business calendars (`clock` is not among them: it is always there).
    pub calendars: Calendars,
    /// Whose consumer law the policy sits on.
    pub jurisdiction: Option<Jurisdiction>,
    /// What every decision names; shared, so naming it copies nothing.
    pub reference: PolicyRef,
}

impl Env {
    /// The policy a decision names.
    pub fn reference(&self) -> PolicyRef {
        self.reference.clone()
    }

    /// Looks up a calendar by name: `clock` is the plain clock of the policy's zone (`clock`, made
    /// by the caller), any other name one of the policy's calendars.
    pub fn calendar<'a>(&'a self, name: &str, clock: &'a Calendar, path: &str) -> Result<&'a Calendar> {
        if name == "clock" {
            return Ok(clock);
        }
        self.calendars.get(name).ok_or_else(|| {
            PolicyError::new(
                ErrorCode::UnknownReference,
                path,
                format!("no calendar `{}` in the policy", crate::time::truncate(name, 64)),
            )
        })
    }
}
