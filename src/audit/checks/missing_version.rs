//! `missing-version`: a language the document must exist in has no version.

use crate::audit::context::AuditContext;
use crate::model::lang::Lang;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds required languages without a version (or with an empty one).
///
/// Albanian and Serbian are required everywhere; Turkish and Bosnian where the municipality
/// language table makes them official (Law No. 02/L-37 Art. 2; DOMAIN.md A.2).
pub struct MissingVersion;

impl Check for MissingVersion {
    fn about(&self) -> About {
        About { id: "missing-version", severity: Severity::Error, category: Category::Completeness, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A required language version is missing", sq: "Mungon një version gjuhësor i detyrueshëm", sr: "Nedostaje obavezna jezička verzija"
        }
    }

    fn docs(&self) -> &'static str {
        "Finds a language the document must be published in that has no version, or only an empty one. \
         The line of such a finding is 0. A missing Albanian or Serbian version is an error; a missing Turkish or \
         Bosnian version a warning, because the municipality table behind it is partly unsourced (DOMAIN.md A.2); \
         `severity = \"error\"` under `[checks.missing-version]` makes both errors.\n\n\
         **Why** Albanian and Serbian \"and their alphabets\" are official languages with equal status in Kosovo \
         institutions (Law No. 02/L-37 on the Use of Languages, Art. 2); a community language spoken by 5 % of a \
         municipality's inhabitants, and Turkish in Prizren, is official there too (Art. 2.3). Documents published only \
         in Albanian are the most common violation monitors report (DOMAIN.md V1).\n\n\
         **Bad** a decision of the Municipality of Klina in Albanian only, sq: `Komuna: Klinë` `Një vendim i ri.` \
         (the Serbian version is missing; in Prizren the Turkish one would be too).\n\n\
         **Good** the same decision in Albanian and Serbian, sr: `Opština: Klina` `Nova odluka.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for lang in &ctx.required {
            let version = ctx.versions.iter().position(|view| view.lang() == *lang);
            let empty = version.is_some_and(|idx| ctx.versions[idx].segments.is_empty());
            if version.is_some() && !empty {
                continue;
            }
            let municipality = ctx.municipality.as_ref().map(|m| format!(" in {}", m.name)).unwrap_or_default();
            let what = if empty { "is empty" } else { "is missing" };
            let community = !matches!(lang, Lang::Sq | Lang::Sr);
            let basis = if community { "Law No. 02/L-37 Art. 2.3" } else { "Law No. 02/L-37 Art. 2" };
            let mut finding = ctx.version_finding(
                version,
                *lang,
                format!("the {} version {what}; {} is an official language{municipality} ({basis})", lang.english_name(), lang.english_name()),
                None,
            );
            // Albanian and Serbian are official everywhere; a community language's status
            // comes from the municipality table, whose rows are partly unsourced (DOMAIN.md
            // A.2), so its absence is reported for review unless the configuration says error.
            if community {
                finding.severity = Severity::Warning;
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::run;

    fn missing(versions: &[(&str, &str)]) -> Vec<(String, usize)> {
        run(versions, &AuditConfig::default()).findings.into_iter().filter(|f| f.check == "missing-version").map(|f| (f.lang, f.line)).collect()
    }

    #[test]
    fn required_versions() {
        // Serbian missing: a finding at line 0.
        assert_eq!(missing(&[("sq", "Komuna: Klinë\nNjë vendim i ri."), ("en", "Municipality: Klinë\nA new decision.")]), vec![("sr".to_string(), 0)]);
        // Both official languages present.
        assert!(missing(&[("sq", "Komuna: Klinë\nNjë vendim."), ("sr", "Opština: Klina\nOdluka.")]).is_empty());
        // Prizren: Turkish and Bosnian are official there too.
        assert_eq!(missing(&[("sq", "Komuna: Prizren\nNjë vendim."), ("sr", "Opština: Prizren\nOdluka.")]), vec![("tr".to_string(), 0), ("bs".to_string(), 0)]);
        // An empty Serbian file is as good as none.
        assert_eq!(missing(&[("sq", "Një vendim."), ("sr", "")]), vec![("sr".to_string(), 0)]);
    }
}
