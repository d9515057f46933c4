//! `missing-segment`: a segment that one version has and another lacks.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds aligned rows where a version has no counterpart segment.
pub struct MissingSegment;

/// A segment worth a counterpart: it has words (a lone number, bullet or dash is not).
fn substantive(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

impl Check for MissingSegment {
    fn about(&self) -> About {
        About { id: "missing-segment", severity: Severity::Error, category: Category::Completeness, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A paragraph, article or line has no counterpart in this version",
            sq: "Një paragraf, nen ose rresht nuk ka homolog në këtë version",
            sr: "Pasus, član ili red nema odgovarajući deo u ovoj verziji",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds segments (paragraphs, headings, list items, table cells, lines) that some versions have and others lack, \
         after aligning the versions by structure (article numbers, units) and content. The finding sits in the version \
         that lacks the segment, at the line where it would be; when most versions lack it, it sits on the extra segment. \
         With two versions, a segment only the translation has sits on the translation: the original is the configured \
         `source`, else the source side of a bilingual file, else the Albanian version.\n\n\
         **Why** equal status (Law No. 02/L-37 Art. 2) means the same content in each official language. Partial \
         translations of websites and legal acts are a recurring finding of the OSCE and of NGO monitoring \
         (DOMAIN.md V3, V4).\n\n\
         **Bad** sq: `Neni 1` `Komuna vendos.` `Neni 2` `Vendimi hyn në fuqi.` sr: `Član 1` `Opština odlučuje.` \
         `Član 2` (the second article's text missing in Serbian).\n\n\
         **Good** every article, paragraph and list item present in both versions: sr: `Član 1` `Opština odlučuje.` \
         `Član 2` `Odluka stupa na snagu.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let width = ctx.versions.len();
        if width < 2 {
            return;
        }
        for (row_idx, row) in ctx.rows.iter().enumerate() {
            let present: Vec<usize> = (0..width).filter(|&v| row[v].is_some_and(|s| substantive(&ctx.versions[v].segments[s].text))).collect();
            let lacking: Vec<usize> = (0..width).filter(|&v| row[v].is_none() && !ctx.versions[v].segments.is_empty()).collect();
            if present.is_empty() || lacking.is_empty() {
                continue;
            }
            // The segment that is there, for the message: Albanian first, then in order.
            let witness = present.iter().copied().min_by_key(|&v| (ctx.versions[v].lang() != crate::model::lang::Lang::Sq, v)).unwrap_or(present[0]);
            let Some(witness_segment) = row[witness] else { continue };
            let witness_view = &ctx.versions[witness];
            let witness_text = &witness_view.segments[witness_segment].text;
            // With two versions, a segment the original lacks is the translation's addition: the
            // finding goes on the translation, which is the version to correct.
            let original = ctx.original();
            if width == 2 && lacking == [original] {
                for &version in &present {
                    let Some(segment) = row[version] else { continue };
                    let original_lang = ctx.versions[original].lang();
                    out.push(ctx.finding(
                        version,
                        segment,
                        None,
                        format!(
                            "this segment of the {} translation has no counterpart in the {} original",
                            ctx.versions[version].lang().english_name(),
                            original_lang.english_name()
                        ),
                        None,
                    ));
                }
            } else if lacking.len() <= present.len() {
                for &version in &lacking {
                    let view = &ctx.versions[version];
                    // Where the segment would be: before the version's next segment.
                    let next = ctx.rows[row_idx + 1..].iter().find_map(|later| later[version]);
                    let (line, column) = match next {
                        // Units of a bilingual file share their number across sides.
                        _ if view.format.is_bilingual() && witness_view.format.is_bilingual() => (witness_view.segments[witness_segment].line, 1),
                        Some(next) => (view.segments[next].line, view.segments[next].column),
                        None => (view.segments.last().map_or(1, |last| last.line + 1), 1),
                    };
                    let mut finding = ctx.version_finding(
                        Some(version),
                        view.lang(),
                        format!(
                            "the {} version has no counterpart of {} line {}: \"{}\"",
                            view.lang().english_name(),
                            witness_view.lang(),
                            witness_view.segments[witness_segment].line,
                            crate::audit::context::shorten(witness_text, 80)
                        ),
                        None,
                    );
                    finding.line = line;
                    finding.column = column;
                    finding.excerpt = crate::audit::context::shorten(witness_text, 160);
                    finding.related =
                        Some(crate::model::Related { lang: witness_view.lang().code().to_string(), line: witness_view.segments[witness_segment].line });
                    finding.anchor.row = Some(row_idx);
                    out.push(finding);
                }
            } else {
                for &version in &present {
                    let Some(segment) = row[version] else { continue };
                    let missing_in: Vec<&str> = lacking.iter().map(|&v| ctx.versions[v].lang().code()).collect();
                    out.push(ctx.finding(version, segment, None, format!("this segment has no counterpart in the {} version(s)", missing_in.join(", ")), None));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn a_deleted_line_is_found_where_it_is_missing() {
        expect(
            "missing-segment",
            &[
                ("sq", "Komuna: Junik\nE pamundur heqja e kartelës së origjinës.\nZbraz koshin para se të kryhet zmontimi?\nZvarritja nuk suportohet."),
                ("sr", "Општина: Јуник\nНе могу да уклоним изворну фасциклу.\n⟦⟧Превлачење и пуштање није подржано."),
                (
                    "en",
                    "Municipality: Junik\nCould not remove the source folder.\nDo you want to empty the trash before you unmount?\nDrag and drop is not supported.",
                ),
            ],
        );
    }

    #[test]
    fn with_two_versions_the_translation_is_blamed() {
        // Albanian is the original by default: a segment it lacks is the Serbian translation's
        // addition, reported on the Serbian side.
        expect(
            "missing-segment",
            &[
                ("sq", "Neni 1\nKomuna vendos për buxhetin e vitit 2025.\nNeni 2\nVendimi hyn në fuqi."),
                ("sr", "Član 1\nOpština odlučuje o budžetu za 2025. godinu.\n⟦Predsednik potpisuje odluku o budžetu opštine.⟧\nČlan 2\nOdluka stupa na snagu."),
            ],
        );
        // With Serbian as the configured source, the same difference is a segment missing
        // from the Albanian translation.
        let config = crate::audit::AuditConfig { source: Some(crate::model::lang::Lang::Sr), ..Default::default() };
        crate::audit::checks::tests::expect_with(
            "missing-segment",
            &[
                ("sq", "Neni 1\nKomuna vendos për buxhetin e vitit 2025.\n⟦⟧Neni 2\nVendimi hyn në fuqi."),
                ("sr", "Član 1\nOpština odlučuje o budžetu za 2025. godinu.\nPredsednik potpisuje odluku o budžetu opštine.\nČlan 2\nOdluka stupa na snagu."),
            ],
            &config,
        );
    }

    #[test]
    fn complete_versions_are_clean() {
        expect(
            "missing-segment",
            &[("sq", "Neni 1\nKomuna vendos.\nNeni 2\nVendimi hyn në fuqi."), ("sr", "Član 1\nOpština odlučuje.\nČlan 2\nOdluka stupa na snagu.")],
        );
    }

    #[test]
    fn a_missing_article_is_found() {
        expect(
            "missing-segment",
            &[
                ("sq", "Neni 1\nKomuna vendos për buxhetin.\nNeni 2\nKryetari zbaton vendimin.\nNeni 3\nVendimi hyn në fuqi."),
                ("sr", "Član 1\nOpština odlučuje o budžetu.\n⟦⟧⟦⟧Član 3\nOdluka stupa na snagu."),
            ],
        );
    }
}
