//! The returns messages, in English and Simplified Chinese.

use crate::vocabulary::Locale;

/// What a returns reason says, with the values its words need.
#[derive(Debug, Clone, PartialEq)]
pub enum Says {}

impl Says {
    /// The words in `locale`.
    pub fn render(&self, _locale: Locale) -> String {
        match *self {}
    }
}
