//! Concordance: every unit whose text contains a word or phrase, as keyword-in-context lines.
//! (Filled in below.)

use serde::Serialize;

use crate::lang::{Lang, LangTag};
use crate::text::Tier;
use crate::{Workspace, WorkspaceError};

/// What [`concordance`] looks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConcordanceOptions {
    /// Only variants in this language.
    pub lang: Option<Lang>,
    /// At most this many lines.
    pub limit: usize,
}

/// One occurrence of the phrase, in context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcordanceLine {
    /// The unit's external id.
    pub id: String,
    /// Language of the text.
    pub lang: LangTag,
    /// The whole text.
    pub text: String,
    /// Byte range of the occurrence in `text`.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// How loose the comparison had to be.
    pub tier: Tier,
    /// The aligned translation.
    pub translation: Option<String>,
    /// Language of the translation.
    pub translation_lang: Option<LangTag>,
}

/// Lines for `phrase`.
pub fn concordance(_workspace: &Workspace, _phrase: &str, _options: &ConcordanceOptions) -> Result<Vec<ConcordanceLine>, WorkspaceError> {
    Ok(Vec::new())
}
