//! Every error a policy has, in one pass, the way a compiler reports them: the compilers of the
//! sections note each refusal here and go on with the next field, rule or section, so
//! `validate_policy` lists them all. The engine refuses the policy with the first.

use crate::error::{PolicyError, Result};

/// The refusals found so far, in the order they were found.
#[derive(Debug, Default)]
pub struct Problems {
    found: Vec<PolicyError>,
}

impl Problems {
    /// Notes the error of `result`, if any, and gives its value otherwise.
    pub fn check<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.found.push(e);
                None
            }
        }
    }

    /// Notes a refusal.
    pub fn push(&mut self, error: PolicyError) {
        self.found.push(error);
    }

    /// Whether nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Every refusal, in the order found.
    pub fn into_errors(self) -> Vec<PolicyError> {
        self.found
    }

    /// `value` when nothing was refused, else the first refusal.
    pub fn first_or<T>(self, value: T) -> Result<T> {
        match self.found.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}
