//! `custom-rule`: the audit configuration's own checklist of regular expressions
//! (`[[custom_rules]]`: a pattern, the language it applies to, a message and an optional
//! replacement), in the manner of a translation QA tool's checklists. Without rules it finds
//! nothing.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Reports text that matches a configured rule.
pub struct CustomRule;

impl Check for CustomRule {
    fn about(&self) -> About {
        About { id: "custom-rule", severity: Severity::Warning, category: Category::Quality, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "style"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Text matches a rule of the configured checklist",
            sq: "Teksti përputhet me një rregull të listës së kontrollit",
            sr: "Tekst odgovara pravilu zadate kontrolne liste",
        }
    }

    fn docs(&self) -> &'static str {
        "Runs the configuration's checklist: each `[[custom_rules]]` entry has a regular expression (`pattern`, Rust \
         regex syntax, `(?i)` for any case), the language it applies to (`lang`: `sq`, `sr`, `sr-Latn`…; every version \
         when absent), a `message` and, optionally, a `replacement` (`$1` names a group). Every match is a finding with \
         the rule's name and message; a rule whose expression does not compile is refused when the configuration is \
         read, naming the file and line. Without rules the check finds nothing; the examples below assume a rule \
         `(?i)\\bšifr\\w*` for `sr` with the message \"write lozinka\".\n\n\
         **Why** every institution has its own house rules (a preferred term, a banned abbreviation, a date format) \
         that no built-in check knows.\n\n\
         **Bad** sr: `Unesite šifru za prijavu.`\n\n\
         **Good** sr: `Unesite lozinku za prijavu.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for rule in &ctx.config.custom_rules {
            // The configuration was checked when it was read; a rule built in code that does
            // not compile finds nothing.
            let Ok(regex) = rule.regex() else { continue };
            let tag = rule.lang_tag();
            for (version, view) in ctx.versions.iter().enumerate() {
                if let Some(tag) = tag
                    && (tag.lang != view.lang() || tag.script.is_some_and(|script| view.tag.script.is_some_and(|own| own != script)))
                {
                    continue;
                }
                for (idx, segment) in view.segments.iter().enumerate() {
                    for found in regex.find_iter(&segment.text).filter(|found| !found.is_empty()) {
                        let message = match &rule.name {
                            Some(name) => format!("{name}: {}", rule.message),
                            None => rule.message.clone(),
                        };
                        let suggestion = rule.replacement.as_ref().map(|replacement| {
                            let replaced = regex.replace(found.as_str(), replacement.as_str());
                            format!("{}{replaced}{}", &segment.text[..found.start()], &segment.text[found.end()..])
                        });
                        out.push(ctx.finding(version, idx, Some((found.start(), found.end())), message, suggestion));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::{expect, expect_with, run};
    use std::path::Path;

    fn config() -> AuditConfig {
        let toml = "[[custom_rules]]\nname = \"lozinka\"\nlang = \"sr\"\npattern = '(?i)\\bšifr(\\w*)'\nmessage = \"write lozinka\"\nreplacement = \"lozink$1\"\n\n\
                    [[custom_rules]]\nlang = \"sq\"\npattern = '\\bp\\.sh\\.'\nmessage = \"write: për shembull\"\n";
        AuditConfig::parse(toml, Path::new("rules.toml")).unwrap()
    }

    #[test]
    fn rules_per_language_with_messages_and_replacements() {
        expect_with(
            "custom-rule",
            &[("sq", "Fjalëkalimi, ⟦p.sh.⟧ 1234, nuk është i sigurt. Šifra"), ("sr", "Lozinka, npr. 1234, nije sigurna. Unesite ⟦šifru⟧ ponovo.")],
            &config(),
        );
        let report = run(&[("sq", "Fjalëkalimi"), ("sr", "Unesite šifru ponovo.")], &config());
        let finding = report.findings.iter().find(|finding| finding.check == "custom-rule").expect("a finding");
        assert_eq!(finding.message, "lozinka: write lozinka");
        assert_eq!(finding.suggestion.as_deref(), Some("Unesite lozinku ponovo."));
    }

    #[test]
    fn no_rules_no_finding() {
        expect("custom-rule", &[("sq", "Fjalëkalimi, p.sh. 1234"), ("sr", "Unesite šifru ponovo.")]);
    }
}
