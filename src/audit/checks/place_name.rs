//! `place-name`: a place named otherwise than by its official name in the version's
//! language and script.

use crate::audit::context::AuditContext;
use crate::audit::language::same_family;
use crate::audit::places::{FormKind, Mention, header_name};
use crate::audit::vocabulary::is_marked_letter;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{Category, Finding, Severity};
use crate::text::script::has_cyrillic;

use super::{About, Check, Issue, Localized, Scope, TextRefs};

/// Finds place names that are not the official form: unofficial, former or other-state
/// names, another language's official name, the name without its diacritics, and, where a
/// name stands alone (a header, a sign, a table cell), anything but the official form.
pub struct PlaceName;

/// True when the mention is the whole of a naming segment: "Komuna: X", a cell or sign
/// holding only the name. There the official name must stand as listed.
fn naming_context(text: &str, mention: &Mention) -> bool {
    let name = &text[mention.start..mention.end];
    if header_name(text).is_some_and(|header| header == name) {
        return true;
    }
    text.trim().trim_end_matches(['.', ',', ';', ':']) == name
}

fn lang_name(lang: Lang) -> &'static str {
    lang.english_name()
}

impl Check for PlaceName {
    fn about(&self) -> About {
        About { id: "place-name", severity: Severity::Error, category: Category::PlaceNames, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "terminology"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A place is not named by its official name in this language",
            sq: "Një vend nuk emërtohet me emrin e tij zyrtar në këtë gjuhë",
            sr: "Mesto nije navedeno službenim nazivom na ovom jeziku",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds place names (municipalities and settlements of the gazetteer) that are not the official form for the \
         version's language and script: unofficial alternative names (Besianë for Podujevë), former or other-state \
         names (Kosovska Mitrovica, Đeneral Janković), the official name of another language (Klina in Albanian text, \
         where the official Albanian name is Klinë), and the official name without its diacritics when the rest of the \
         segment has them. In running text inflected forms are accepted (Prishtinës, u Prištini); where the name stands \
         alone — a header such as `Komuna: Klinë`, a sign, a table cell — only the official form is. The suggestion is \
         the official name in the version's language and script.\n\n\
         **Why** official communication shall use the municipality names of the official list (UNMIK Regulation \
         2000/43 Art. 1; since 2008 Law No. 03/L-041), in each official language (Law No. 02/L-37); renamed and \
         other-state names are a documented source of conflict (DOMAIN.md V8, V9, D5).\n\n\
         **Bad** sr-Latn: `Sastanak je održan u Ferizaju.` (Uroševac is the official Serbian name)\n\n\
         **Good** sq: `Komuna: Klinë`; sr: `Opština: Klina`, `Општина: Клина`"
    }

    /// The gazetteer's mentions in Albanian or Serbian text that are not the official form
    /// ([`crate::places::Places::check_text`]).
    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        if !matches!(lang.lang, Lang::Sq | Lang::Sr) {
            return Vec::new();
        }
        refs.places
            .check_text(text, lang)
            .into_iter()
            .map(|finding| Issue::new(self.id(), finding.start..finding.end, finding.message, "Not the official place name", finding.suggestion))
            .collect()
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let places = &ctx.resources.places;
        for (version, view) in ctx.versions.iter().enumerate() {
            let lang = view.lang();
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.damaged || segment.foreign.is_some() {
                    continue;
                }
                let script = if segment.cyrillic > segment.latin { SrScript::Cyrl } else { SrScript::Latn };
                let has_marks = segment.text.chars().any(|c| is_marked_letter(lang, c));
                for mention in &ctx.mentions[version][segment_idx] {
                    let written = &segment.text[mention.start..mention.end];
                    let own: Vec<_> = mention.forms.iter().filter(|form| form.lang.is_some_and(|l| same_family(l, lang))).collect();
                    let official_here = own.iter().any(|form| form.kind == FormKind::Official);
                    let inflected_here = own.iter().any(|form| form.kind == FormKind::Inflected);
                    let place = own.first().map(|form| form.place).or(mention.forms.first().map(|form| form.place));
                    let Some(place) = place else { continue };
                    let official = places.place(place).name(lang, if matches!(lang, Lang::Sr | Lang::Bs) { Some(script) } else { None });
                    let naming = naming_context(&segment.text, mention);
                    // A capital at the start of a sentence proves no name: a single word there
                    // may be a common word that some place is also called (Burim, Ura).
                    let sentence_start = segment.text[..mention.start].trim_end().is_empty()
                        || segment.text[..mention.start].trim_end().ends_with(['.', '!', '?', ':', '"', '“', '„', '(']);
                    let proper = naming || !sentence_start || written.contains(' ');
                    let municipality = places.place(place).municipality;
                    let name_cyrillic = has_cyrillic(written);
                    let wrong_script = matches!(lang, Lang::Sr | Lang::Bs) && (name_cyrillic != (script == SrScript::Cyrl)) && official.is_some();
                    let problem: Option<String> = if official_here && wrong_script {
                        Some(format!("\"{written}\" is written in the other script than the text around it"))
                    } else if official_here || !proper {
                        None
                    } else if let Some(form) = mention.forms.iter().find(|form| matches!(form.kind, FormKind::NotOfficial(_))) {
                        let FormKind::NotOfficial(what) = form.kind else { continue };
                        Some(format!("\"{written}\" is {what}, not the official name"))
                    } else if lang == Lang::En || (!municipality && !naming) {
                        // English has no official place names here; Albanian and Serbian forms
                        // are both in use. Settlement names are often common words, so another
                        // language's name is reported only where a name stands alone.
                        // English has no official place names here; Albanian and Serbian forms are both in use.
                        None
                    } else if let Some(other) =
                        mention.forms.iter().find(|form| form.kind == FormKind::Official && form.lang.is_some_and(|l| !same_family(l, lang)))
                    {
                        let other_lang = other.lang.map_or("another language", lang_name);
                        if inflected_here && !naming {
                            None
                        } else {
                            Some(format!("\"{written}\" is the {other_lang} name; the official {} name is different", lang_name(lang)))
                        }
                    } else if inflected_here {
                        if naming { Some(format!("\"{written}\" stands alone here, where the official name belongs")) } else { None }
                    } else if own.iter().any(|form| form.kind == FormKind::MissingDiacritics) {
                        // A segment with no diacritics at all is the diacritics check's.
                        if has_marks { Some(format!("\"{written}\" lacks the diacritics of the official name")) } else { None }
                    } else {
                        None
                    };
                    let Some(problem) = problem else { continue };
                    // In running text the official name takes the case and script of the name
                    // as written (së Besianës → së Podujevës); where a name stands alone, the
                    // citation form.
                    let tag = match lang {
                        Lang::Sr => LangTag { lang: Lang::Sr, script: Some(script) },
                        _ => LangTag { lang, script: None },
                    };
                    let inflected = (!naming)
                        .then(|| {
                            let preceding = crate::places::preceding_word(&segment.text, mention.start);
                            crate::places::Places::shipped().inflect_like(written, preceding, &places.place(place).id, tag)
                        })
                        .flatten()
                        .filter(|done| done.sure && official.is_some());
                    let suggestion = match inflected {
                        // The segment's script decides (a name in the other script is reported
                        // in the script of the text around it).
                        Some(done) if lang == Lang::Sr && script == SrScript::Cyrl => Some(crate::text::lat_to_cyr(&done.text).into_owned()),
                        Some(done) if lang == Lang::Sr => Some(crate::text::cyr_to_lat(&done.text).into_owned()),
                        Some(done) => Some(done.text),
                        None => official.map(str::to_string),
                    };
                    if suggestion.as_deref() == Some(written) {
                        continue;
                    }
                    let message = match &suggestion {
                        Some(name) => format!("{problem}: {name}"),
                        None => problem,
                    };
                    out.push(ctx.finding(version, segment_idx, Some((mention.start, mention.end)), message, suggestion));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn the_serbian_name_in_an_albanian_header() {
        expect(
            "place-name",
            &[
                ("sq", "Komuna: ⟦Klina⟧\nFile i zvarritur nuk është lokal."),
                ("sr", "Општина: Клина\nДатотека из ⟦Klina⟧ није локална."),
                ("en", "Municipality: Klinë\nThe file that you dropped is not local."),
            ],
        );
    }

    #[test]
    fn unofficial_names_anywhere() {
        expect("place-name", &[("sq", "Kuvendi i Komunës ⟦Besianë⟧ mblidhet sot."), ("sr", "Skupština opštine Podujevo zaseda danas.")]);
    }

    #[test]
    fn official_and_inflected_forms_are_clean() {
        expect(
            "place-name",
            &[
                ("sq", "Komuna: Klinë\nKuvendi i Komunës së Klinës mblidhet. Klina ka shumë banorë.\nPrizren"),
                ("sr", "Opština: Klina\nSkupština opštine Klina zaseda u Klini.\nPrizren"),
                ("en", "Municipality: Klina\nThe Klinë assembly meets.\nPrizren"),
            ],
        );
    }
}
