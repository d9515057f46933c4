//! `length-limit`: segments longer than the audit configuration allows (`[length_limit]`:
//! characters for every version, or per language). Without a limit it finds nothing.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds segments over the configured length limit.
pub struct LengthLimit;

impl Check for LengthLimit {
    fn about(&self) -> About {
        About { id: "length-limit", severity: Severity::Error, category: Category::Quality, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "length"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A segment is longer than the configured limit",
            sq: "Një segment është më i gjatë se kufiri i caktuar",
            sr: "Segment je duži od zadatog ograničenja",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds segments with more characters (Unicode characters, not bytes) than the audit configuration allows: \
         `[length_limit]` gives `chars` for every version and `per_language` limits (`{ sr = 110 }`) that override it. \
         The finding points at the text past the limit. Without a limit in the configuration the check finds \
         nothing; the examples below assume `chars = 40`.\n\n\
         **Why** a label, a message or a sign has room for so many characters: a longer version is cut off or breaks \
         the layout, and its readers lose the end of it.\n\n\
         **Bad** sq: `Kërkesa për leje ndërtimi dorëzohet në zyrën e pritjes.`\n\n\
         **Good** sq: `Kërkesa për leje ndërtimi.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let config = &ctx.config.length_limit;
        for (version, view) in ctx.versions.iter().enumerate() {
            let Some(limit) = config.for_lang(view.lang()) else { continue };
            for (idx, segment) in view.segments.iter().enumerate() {
                let count = segment.text.chars().count();
                if count <= limit {
                    continue;
                }
                let cut = segment.text.char_indices().nth(limit).map_or(segment.text.len(), |(pos, _)| pos);
                out.push(ctx.finding(
                    version,
                    idx,
                    Some((cut, segment.text.len())),
                    format!("{count} characters, {} more than the limit of {limit} for {}", count - limit, view.lang().code()),
                    None,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::{expect, expect_with};
    use std::path::Path;

    #[test]
    fn limits_for_every_version_and_per_language() {
        let config = AuditConfig::parse("[length_limit]\nchars = 12\nper_language = { sr = 10 }\n", Path::new("a.toml")).unwrap();
        expect_with("length-limit", &[("sq", "Ruaj skedarë\nHap\nPërshëndetje"), ("sr-Cyrl", "Сачувај да⟦тотеку⟧\nОтвори\nДобар дан!")], &config);
        expect_with(
            "length-limit",
            &[("sq", "Ruaj skedar⟦in⟧"), ("sr", "Sačuvaj datoteku")],
            &AuditConfig::parse("[length_limit]\nchars = 11\nper_language = { sr = 16 }\n", Path::new("a.toml")).unwrap(),
        );
    }

    #[test]
    fn no_limit_no_finding() {
        expect("length-limit", &[("sq", "Kërkesa për leje ndërtimi dorëzohet në zyrën e pritjes, brenda afatit ligjor."), ("sr", "Zahtev.")]);
    }
}
