//! What every check reads: the versions as segments with their analysis (script counts,
//! encoding damage, the language a segment is really in), the aligned rows, the
//! municipality and the languages it requires, and the word list for diacritics.
//!
//! The analysis runs once per segment here, so that the checks agree with each other: a
//! segment in the wrong language is judged by one rule, and the checks only decide what to
//! call it (`untranslated` when it is another official language, `wrong-language`
//! otherwise), and a damaged segment (mojibake) is reported once, not again as a wrong
//! language or missing diacritics.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::formats::document::{BlockKind, DocumentFormat};
use crate::lexicon::{DictLang, Lexicon};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::text::script::{count_cyrillic, is_latin_letter};

use super::align::{AlignItem, align, assign_sections};
use super::checks::number_mismatch::Invariant;
use super::language::{by_dictionary, copy_by_dictionary, foreign_language, same_family, which_of};
use super::places::{Mention, Municipality};
use super::terms::TermHit;
use super::vocabulary::{Vocabulary, words};
use super::{AuditConfig, DocumentInfo, REPORT_VERSION, Report, Resources, Summary, Version};
use crate::model::{Anchor, Finding, Related, Severity};

/// One segment of a version, with its analysis.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// The text with code (placeholders, tags, URLs, identifiers) blanked out, byte for
    /// byte: what script, language and spelling are judged on.
    pub prose: String,
    /// 1-based line or block number.
    pub line: usize,
    /// 1-based column where the text starts.
    pub column: usize,
    /// What block it is.
    pub kind: BlockKind,
    /// Latin letters.
    pub latin: usize,
    /// Cyrillic letters.
    pub cyrillic: usize,
    /// True when the text shows encoding damage (see the mojibake check).
    pub damaged: bool,
    /// Words of two letters or more that are not capitalised inside the sentence and not
    /// numbers: what is left when names and numbers are set aside.
    pub content_words: usize,
    /// The text with names, numbers and punctuation set aside, case-folded: equal keys mean
    /// the same wording.
    pub content_key: String,
    /// The language the segment is written in, when it is clearly not its version's.
    pub foreign: Option<Lang>,
    /// The version whose aligned segment it copies, when it does.
    pub copy_of: Option<usize>,
}

impl Segment {
    /// The segment's script by its letters.
    pub fn script(&self) -> crate::text::script::Script {
        use crate::text::script::Script;
        match (self.latin, self.cyrillic) {
            (0, 0) => Script::Other,
            (_, 0) => Script::Latn,
            (0, _) => Script::Cyrl,
            (l, c) if l >= 4 * c => Script::Latn,
            (l, c) if c >= 4 * l => Script::Cyrl,
            _ => Script::Mixed,
        }
    }
}

/// One version, analysed.
#[derive(Debug, Clone)]
pub struct VersionView {
    /// The language tag as given (Serbian with its script when known).
    pub tag: LangTag,
    /// The path as given.
    pub path: String,
    /// The input format.
    pub format: DocumentFormat,
    /// The segments.
    pub segments: Vec<Segment>,
    /// For Serbian: the script of most of its own-language letters.
    pub majority: Option<SrScript>,
    /// The BLAKE3 hash of the file it was read from.
    pub blake3: String,
    /// The source side of a bilingual file.
    pub original: bool,
}

impl VersionView {
    /// The language.
    pub fn lang(&self) -> Lang {
        self.tag.lang
    }
}

/// Everything the checks read.
#[derive(Debug)]
pub struct AuditContext<'a> {
    /// The versions, in the order given.
    pub versions: Vec<VersionView>,
    /// Aligned rows: per version, the segment index or `None`.
    pub rows: Vec<Vec<Option<usize>>>,
    /// Per version, per segment: its row.
    pub row_of: Vec<Vec<usize>>,
    /// The municipality, when known.
    pub municipality: Option<Municipality>,
    /// Languages the document must exist in.
    pub required: Vec<Lang>,
    /// The policy.
    pub config: &'a AuditConfig,
    /// Reference data.
    pub resources: &'a Resources,
    /// Words spelled with diacritics in this document, the corpus, the gazetteer and terms.
    pub vocabulary: Vocabulary,
    /// Place-name mentions per version and segment.
    pub mentions: Vec<Vec<Vec<Mention>>>,
    /// Per version and segment: the terms found in it, on first use (term-forbidden,
    /// term-inconsistent and term-missing read them).
    term_hits: Vec<Vec<OnceLock<Vec<TermHit>>>>,
    /// Per version and segment: its invariants (numbers, references, links), on first use
    /// (number-mismatch and url-mismatch read them).
    invariants: Vec<Vec<OnceLock<Vec<Invariant>>>>,
    /// The Hunspell dictionaries of the configuration's `dict_dir`, else the system ones.
    pub lexicon: &'static crate::lexicon::Lexicon,
}

/// The content key and content-word count of a text (names and numbers aside).
///
/// A capital inside a sentence marks a name, except in a title written with every long
/// word capitalised ("Open Path in New Window", "Filtro Sipas Vlerësimit"): there the
/// capitals are the style, and the words are the content. `lexicon` tells a title's words
/// from a person's name.
pub fn content_key(text: &str, lexicon: &Lexicon) -> (String, usize) {
    let mut key = String::with_capacity(text.len());
    let mut count = 0;
    let title = title_case(text, lexicon);
    for (idx, (_, word)) in words(text).enumerate() {
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        // A capital inside a sentence marks a name; the first word is capitalised anyway.
        if capitalised && idx > 0 && !title {
            continue;
        }
        let lowered = word.to_lowercase();
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&lowered);
        if word.chars().count() >= 2 {
            count += 1;
        }
    }
    (key, count)
}

/// True for a title in title case: three words or more, every word of three letters or more
/// after the first capitalised (at least two of them), no full stop, link or address
/// inside, and words of a language rather than a person's name: a short word in small
/// letters ("in", "by", "i", "sa"), or half the capitalised words known in small letters
/// to a dictionary ("Power Manager Plugin Settings", not "Rafael Fernández López").
fn title_case(text: &str, lexicon: &Lexicon) -> bool {
    let all: Vec<&str> = words(text).map(|(_, word)| word).collect();
    if all.len() < 3 || text.trim_end_matches('.').contains(". ") || text.contains(['@', '<', '/']) {
        return false;
    }
    // An acronym (GNOME, XMPP) is written in capitals in any style.
    let acronym = |word: &str| word.chars().count() >= 2 && !word.chars().any(char::is_lowercase);
    let long: Vec<&str> = all[1..].iter().copied().filter(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !acronym(word)).collect();
    let capitalised = |word: &str| word.chars().next().is_some_and(char::is_uppercase) && word.chars().skip(1).any(char::is_lowercase);
    if long.len() < 2 || !long.iter().all(|word| capitalised(word)) {
        return false;
    }
    let function_word = all.iter().any(|word| (2..=3).contains(&word.chars().count()) && word.chars().all(char::is_lowercase));
    function_word || {
        // Each word asks the dictionaries of its own script.
        let known = |word: &str| {
            let lowered = word.to_lowercase();
            let cyrillic = crate::text::script::has_cyrillic(word);
            DictLang::ALL
                .iter()
                .filter(|&&lang| (lang == DictLang::SrCyrl) == cyrillic)
                .any(|&lang| lexicon.get(lang).is_ok_and(|dictionary| dictionary.check(&lowered)))
        };
        let capitals: Vec<&str> = all.iter().copied().filter(|word| capitalised(word)).collect();
        capitals.iter().filter(|word| known(word)).count() * 2 >= capitals.len()
    }
}

impl<'a> AuditContext<'a> {
    /// Reads, analyses and aligns the versions.
    pub fn build(versions: &[Version], municipality: Option<&str>, config: &'a AuditConfig, resources: &'a Resources) -> AuditContext<'a> {
        let lexicon = config.lexicon();
        let mut views: Vec<VersionView> = versions
            .iter()
            .map(|version| {
                let segments: Vec<Segment> = version
                    .document
                    .blocks
                    .iter()
                    .map(|block| {
                        let prose = super::prose::prose(&block.text);
                        let latin = prose.chars().filter(|c| is_latin_letter(*c)).count();
                        let cyrillic = count_cyrillic(&prose);
                        let (content_key, content_words) = content_key(&prose, lexicon);
                        Segment {
                            text: block.text.clone(),
                            prose,
                            line: block.line,
                            column: block.column,
                            kind: block.kind,
                            latin,
                            cyrillic,
                            damaged: super::checks::mojibake::is_damaged(&block.text),
                            content_words,
                            content_key,
                            foreign: None,
                            copy_of: None,
                        }
                    })
                    .collect();
                let majority = serbian_majority(version.tag.lang, &segments);
                VersionView {
                    tag: version.tag,
                    path: version.document.path.display().to_string(),
                    format: version.document.format,
                    segments,
                    majority,
                    blake3: version.document.blake3.clone(),
                    original: version.document.original,
                }
            })
            .collect();

        let features: Vec<Vec<AlignItem>> = views
            .iter()
            .zip(versions)
            .map(|(view, version)| {
                let mut items: Vec<AlignItem> = view
                    .segments
                    .iter()
                    .zip(&version.document.blocks)
                    .map(|(segment, block)| AlignItem::new(&segment.text, segment.kind, block.unit.as_deref()))
                    .collect();
                assign_sections(&mut items);
                items
            })
            .collect();
        let rows = align(&features);
        let mut row_of: Vec<Vec<usize>> = views.iter().map(|view| vec![0; view.segments.len()]).collect();
        for (row_idx, row) in rows.iter().enumerate() {
            for (version, cell) in row.iter().enumerate() {
                if let Some(segment) = cell {
                    row_of[version][*segment] = row_idx;
                }
            }
        }

        let first_segments: Vec<&str> = views.iter().flat_map(|view| view.segments.iter().take(3).map(|s| s.text.as_str())).collect();
        let municipality = resources.places.municipality(municipality, &first_segments);
        let required = municipality.as_ref().map(|m| m.required.clone()).unwrap_or_else(|| vec![Lang::Sq, Lang::Sr]);

        // Candidates for "which language is this": the versions' languages, the required
        // ones, and English, the usual source of untranslated text.
        let mut candidates: Vec<Lang> = views.iter().map(VersionView::lang).chain(required.iter().copied()).collect();
        candidates.push(Lang::En);
        candidates.sort();
        candidates.dedup();
        judge_languages(&mut views, &rows, &candidates, lexicon);
        // A version's script is its own-language text's: segments left in another language
        // (an English paragraph in a Cyrillic Serbian version) must not tip it. When they did,
        // the languages are judged again with the script corrected, since a copy's language
        // can be decided by the version's script.
        let mut rejudge = false;
        for view in &mut views {
            let own = serbian_majority(view.lang(), &view.segments);
            if own != view.majority {
                view.majority = own;
                rejudge = true;
            }
        }
        if rejudge {
            for segment in views.iter_mut().flat_map(|view| view.segments.iter_mut()) {
                segment.foreign = None;
                segment.copy_of = None;
            }
            judge_languages(&mut views, &rows, &candidates, lexicon);
        }

        let mut vocabulary = Vocabulary::seeded();
        for view in &views {
            for segment in view.segments.iter().filter(|s| !s.damaged && s.foreign.is_none()) {
                vocabulary.add_segment(view.lang(), &segment.prose);
            }
        }
        for place in resources.places.places() {
            vocabulary.add_trusted(Lang::Sq, &place.sq);
            vocabulary.add_trusted(Lang::Sr, &place.sr_latn);
        }
        for rule in resources.terms.rules() {
            for (lang, forms) in &rule.approved {
                for form in forms {
                    vocabulary.add_trusted(*lang, form);
                }
            }
        }
        if let Some(corpus) = &resources.corpus {
            vocabulary.extend(corpus);
        }
        let mentions = views.iter().map(|view| view.segments.iter().map(|segment| resources.places.mentions(&segment.text)).collect()).collect();
        let (term_hits, invariants) = (per_segment(&views), per_segment(&views));
        AuditContext { versions: views, rows, row_of, municipality, required, config, resources, vocabulary, mentions, term_hits, invariants, lexicon }
    }

    /// The terms of the policy found in a segment (`TermList::find` in its version's language),
    /// found once however many checks ask.
    pub fn term_hits(&self, version: usize, segment: usize) -> &[TermHit] {
        self.term_hits[version][segment]
            .get_or_init(|| self.resources.terms.find(&self.versions[version].segments[segment].text, self.versions[version].lang()))
    }

    /// A segment's invariants (numbers, references, links: `number_mismatch::invariants`),
    /// found once however many checks ask.
    pub fn invariants(&self, version: usize, segment: usize) -> &[Invariant] {
        self.invariants[version][segment].get_or_init(|| super::checks::number_mismatch::invariants(&self.versions[version].segments[segment].text))
    }

    /// The reference data of the single-text checks: the shipped gazetteer, no term base
    /// (the audit's terms are its own), this document's word
    /// list and the configured dictionaries.
    pub fn text_refs(&self) -> super::checks::TextRefs<'_> {
        super::checks::TextRefs { places: crate::places::Places::shipped(), terms: None, vocabulary: &self.vocabulary, lexicon: self.lexicon, known: None }
    }

    /// True when `code` names an official language of the document's municipality (sq, sr,
    /// and tr or bs where official).
    pub fn is_official(&self, code: &str) -> bool {
        self.required.iter().any(|lang| lang.code() == code) || matches!(code, "sq" | "sr")
    }

    /// The version taken as the original, the others being its translations: the configured
    /// `source`, else the source side of a bilingual file, else the Albanian version, else the
    /// first one. With two versions, a difference between them is placed on the translation.
    pub fn original(&self) -> usize {
        original_among(self.versions.iter().map(|view| (view.lang(), view.original)), self.config.source)
    }

    /// True when `lang` is official here.
    pub fn official(&self, lang: Lang) -> bool {
        self.is_official(lang.code())
    }

    /// The counterpart of a segment in another version (same row).
    pub fn counterpart(&self, version: usize, segment: usize, other: usize) -> Option<usize> {
        self.rows[self.row_of[version][segment]][other]
    }

    /// The version index of a language, when present.
    pub fn version_of(&self, lang: Lang) -> Option<usize> {
        self.versions.iter().position(|view| same_family(view.lang(), lang) && (view.lang() == lang || lang != Lang::Bs))
    }

    /// The version to cite as related evidence for a segment: Albanian first, then Serbian,
    /// then any other, never the version itself.
    pub fn related(&self, version: usize, segment: usize) -> Option<Related> {
        let order = [Lang::Sq, Lang::Sr, Lang::En, Lang::Tr, Lang::Bs];
        for lang in order {
            let Some(other) = self.versions.iter().position(|view| view.lang() == lang) else { continue };
            if other == version {
                continue;
            }
            if let Some(counterpart) = self.counterpart(version, segment, other) {
                return Some(Related { lang: lang.code().to_string(), line: self.versions[other].segments[counterpart].line });
            }
        }
        None
    }

    /// A finding on a segment, or on a span (byte range) of it.
    pub fn finding(&self, version: usize, segment: usize, span: Option<(usize, usize)>, message: String, suggestion: Option<String>) -> Finding {
        let view = &self.versions[version];
        let seg = &view.segments[segment];
        let (column, excerpt) = match span {
            Some((start, end)) => (seg.column + seg.text[..start].chars().count(), seg.text[start..end].to_string()),
            None => (seg.column, seg.text.clone()),
        };
        Finding {
            check: String::new(),
            severity: Severity::Error,
            lang: view.lang().code().to_string(),
            line: seg.line,
            column,
            excerpt: shorten(&excerpt, 160),
            message,
            suggestion,
            related: self.related(version, segment),
            anchor: Anchor { version, segment: Some(segment), span, row: Some(self.row_of[version][segment]) },
        }
    }

    /// A finding on a whole version (or a missing one: `version` is then `None`).
    pub fn version_finding(&self, version: Option<usize>, lang: Lang, message: String, suggestion: Option<String>) -> Finding {
        Finding {
            check: String::new(),
            severity: Severity::Error,
            lang: lang.code().to_string(),
            line: 0,
            column: 0,
            excerpt: String::new(),
            message,
            suggestion,
            related: None,
            anchor: Anchor { version: version.unwrap_or(usize::MAX), segment: None, span: None, row: None },
        }
    }

    /// The report: documents, findings, summary and score.
    pub fn into_report(self, findings: Vec<Finding>) -> Report {
        let documents = self
            .versions
            .iter()
            .map(|view| {
                let (latin, cyrillic) = own_letters(&view.segments);
                let script = match (latin, cyrillic) {
                    (0, 0) => "Other",
                    (l, c) if c == 0 || l >= 20 * c => "Latn",
                    (l, c) if l == 0 || c >= 20 * l => "Cyrl",
                    (l, c) if l > c => "Latn",
                    _ => "Cyrl",
                };
                DocumentInfo {
                    lang: view.lang().code().to_string(),
                    path: view.path.clone(),
                    segments: view.segments.len(),
                    blake3: view.blake3.clone(),
                    script: script.to_string(),
                }
            })
            .collect();
        let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
        let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
        let mut by_check: BTreeMap<String, usize> = BTreeMap::new();
        for finding in &findings {
            *by_check.entry(finding.check.clone()).or_default() += 1;
        }
        // Score: each aligned row loses 1 for an error finding in it, a quarter for a
        // warning only; whole-version findings count against the share of versions present.
        let mut penalty = vec![0.0f64; self.rows.len()];
        for finding in &findings {
            let weight = match finding.severity {
                Severity::Error => 1.0,
                Severity::Warning => 0.25,
                Severity::Info => 0.0,
            };
            if let Some(row) = finding.anchor.row
                && row < penalty.len()
            {
                penalty[row] = f64::max(penalty[row], weight);
            }
        }
        let rows = self.rows.len().max(1) as f64;
        let row_share = 1.0 - penalty.iter().sum::<f64>() / rows;
        let present = self.required.iter().filter(|lang| self.versions.iter().any(|v| v.lang() == **lang && !v.segments.is_empty())).count();
        let version_share = present as f64 / self.required.len().max(1) as f64;
        let score = (100.0 * row_share * version_share).round().clamp(0.0, 100.0) as u32;
        let texts = self.versions.iter().map(|view| view.segments.iter().map(|s| (s.line, s.text.clone())).collect()).collect();
        Report {
            version: REPORT_VERSION,
            municipality: self.municipality.map(|m| m.name),
            documents,
            findings,
            summary: Summary { score, errors, warnings, by_check },
            evidence: Default::default(),
            rows: self.rows,
            texts,
        }
    }
}

/// Of versions given as (language, source side of a bilingual file), the one taken as the
/// original: the one in `source`, else the source side, else the Albanian one, else the first
/// ([`AuditContext::original`]; [`original_version`](super::original_version) before an audit).
pub(crate) fn original_among(versions: impl Iterator<Item = (Lang, bool)> + Clone, source: Option<Lang>) -> usize {
    let position = |lang: Lang| versions.clone().position(|(version_lang, _)| version_lang == lang);
    source.and_then(position).or_else(|| versions.clone().position(|(_, original)| original)).or_else(|| position(Lang::Sq)).unwrap_or(0)
}

/// One empty cell per segment of each version.
fn per_segment<T>(views: &[VersionView]) -> Vec<Vec<OnceLock<T>>> {
    views.iter().map(|view| view.segments.iter().map(|_| OnceLock::new()).collect()).collect()
}

/// Cuts a text to at most `max` characters, marking the cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// The Latin and Cyrillic letters of a version's own-language segments (of all of them when
/// none is judged its own yet), so text left in another language does not decide its script.
fn own_letters(segments: &[Segment]) -> (usize, usize) {
    let own = |s: &&Segment| s.foreign.is_none();
    let (latin, cyrillic) = segments.iter().filter(own).fold((0, 0), |(l, c), s| (l + s.latin, c + s.cyrillic));
    if latin + cyrillic > 0 { (latin, cyrillic) } else { segments.iter().fold((0, 0), |(l, c), s| (l + s.latin, c + s.cyrillic)) }
}

/// The script of a Serbian (or Bosnian) version: the one most of its own-language letters are in.
fn serbian_majority(lang: Lang, segments: &[Segment]) -> Option<SrScript> {
    let (latin, cyrillic) = own_letters(segments);
    match lang {
        Lang::Sr | Lang::Bs if latin + cyrillic > 0 => Some(if cyrillic > latin { SrScript::Cyrl } else { SrScript::Latn }),
        _ => None,
    }
}

/// The minimum wording two segments must share before equality counts as a copy: a single
/// word or a name is the same in every language.
fn copy_eligible(segment: &Segment) -> bool {
    segment.content_words >= 2 && segment.content_key.chars().filter(|c| c.is_alphabetic()).count() >= 8
}

/// Decides, for every segment, whether it is written in another language than its
/// version's: first by copies (equal wording with its counterpart in another version, the
/// language of the shared text deciding which side is wrong), then by evidence.
fn judge_languages(views: &mut [VersionView], rows: &[Vec<Option<usize>>], candidates: &[Lang], lexicon: &Lexicon) {
    for row in rows {
        for (version, cell) in row.iter().enumerate() {
            let Some(segment) = *cell else { continue };
            let lang = views[version].lang();
            let this = &views[version].segments[segment];
            if this.damaged || this.content_words == 0 {
                continue;
            }
            let mut verdict: Option<(Lang, Option<usize>)> = None;
            if copy_eligible(this) {
                for (other, other_cell) in row.iter().enumerate() {
                    let Some(other_segment) = *other_cell else { continue };
                    if other == version || same_family(views[other].lang(), lang) {
                        continue;
                    }
                    let that = &views[other].segments[other_segment];
                    if that.damaged || that.content_key != this.content_key {
                        continue;
                    }
                    let other_lang = views[other].lang();
                    // With no evidence either way, the script decides: Latin text shared with
                    // another version inside a Cyrillic Serbian version is that version's.
                    // The dictionaries decide where function words are too few (titles:
                    // "Power Manager Plugin Settings").
                    let decided = which_of(&this.prose, lang, other_lang).or_else(|| by_dictionary(lexicon, &this.prose, lang, other_lang)).or_else(|| {
                        let cyrillic_version = views[version].majority == Some(SrScript::Cyrl);
                        (cyrillic_version && this.cyrillic == 0 && this.latin > 0).then_some(other_lang)
                    });
                    if decided == Some(other_lang) {
                        verdict = Some((other_lang, Some(other)));
                        break;
                    }
                }
            }
            if verdict.is_none() {
                verdict = short_copy(views, row, version, segment, lexicon);
            }
            if verdict.is_none() && this.content_words >= 3 {
                verdict = foreign_language(&this.prose, lang, candidates).map(|found| (found, None));
            }
            if let Some((found, copy)) = verdict {
                let this = &mut views[version].segments[segment];
                this.foreign = Some(found);
                this.copy_of = copy;
            }
        }
    }
}

/// True when every word of three letters or more (acronyms aside) is capitalised, and there is
/// one: how a name is written ("Claws Mail", "Eye of MATE").
fn capitalised(text: &str) -> bool {
    let mut long = text.split(|c: char| !c.is_alphabetic()).filter(|word| word.chars().count() >= 3 && word.chars().any(char::is_lowercase)).peekable();
    long.peek().is_some() && long.all(|word| word.chars().next().is_some_and(char::is_uppercase))
}

/// The language and version a segment too short for [`copy_eligible`] copies, when the copy is
/// plain: Cyrillic text in a version of a language not written in Cyrillic here that equals the
/// Serbian counterpart ("Вр. зона (УТЦ)" in the Albanian version: Serbian, not Albanian in the
/// wrong script); or a line equal to its counterpart in another language that a third version
/// writes otherwise (so it is not a name or a code every version shares), whose words are that
/// language's by the dictionaries ([`copy_by_dictionary`]: "Go to Tab 7" in the Albanian version,
/// "Kë Të Cyt" in the Serbian one). The English version is not judged this way: it is the
/// source the others are copied from.
fn short_copy(views: &[VersionView], row: &[Option<usize>], version: usize, segment: usize, lexicon: &Lexicon) -> Option<(Lang, Option<usize>)> {
    let lang = views[version].lang();
    let this = &views[version].segments[segment];
    if lang == Lang::En || this.damaged {
        return None;
    }
    let key = super::translations::text_key(&this.text);
    let members: Vec<(usize, &Segment)> = row
        .iter()
        .enumerate()
        .filter_map(|(other, cell)| cell.map(|idx| (other, &views[other].segments[idx])))
        .filter(|(other, _)| *other != version)
        .collect();
    for &(other, that) in &members {
        let other_lang = views[other].lang();
        if same_family(other_lang, lang) || that.damaged || super::translations::text_key(&that.text) != key {
            continue;
        }
        if this.cyrillic > this.latin && this.cyrillic >= 4 && same_family(other_lang, Lang::Sr) && !same_family(lang, Lang::Sr) {
            return Some((other_lang, Some(other)));
        }
        let others: Vec<&Segment> =
            members.iter().filter(|&&(third, text)| third != other && super::translations::text_key(&text.text) != key).map(|&(_, text)| text).collect();
        // A name that the English source and every other version capitalise word by word
        // ("Google Chrome", "Гугл Хром") is transcribed, not translated. Albanian titles
        // capitalise every word too ("Kë Të Cyt"), so a copy of them is still one.
        let name = other_lang == Lang::En && capitalised(&this.prose) && others.iter().all(|text| capitalised(&text.prose));
        if !others.is_empty() && !name && copy_by_dictionary(lexicon, &this.prose, lang, other_lang) {
            return Some((other_lang, Some(other)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_set_names_and_numbers_aside() {
        let none = Lexicon::new("/nonexistent-dictionaries");
        assert_eq!(content_key("Gjej 12 fjalë në Prishtinë.", &none), ("gjej fjalë në".to_string(), 3));
        assert_eq!(content_key("Junik", &none).1, 1);
    }

    #[test]
    fn titles_keep_their_capitalised_words() {
        let dir = tempfile::tempdir().unwrap();
        for (stem, words) in [("sq_AL", "sipas\nvlerësimit"), ("en_US", "power\nmanager\nlog\nRafael")] {
            std::fs::write(dir.path().join(format!("{stem}.aff")), "SET UTF-8\n").unwrap();
            std::fs::write(dir.path().join(format!("{stem}.dic")), format!("{}\n{words}\n", words.lines().count())).unwrap();
        }
        let lexicon = Lexicon::new(dir.path());
        assert_eq!(content_key("Open Path in New Window", &lexicon), ("open path in new window".to_string(), 5));
        // No function word: the dictionaries know the words.
        assert_eq!(content_key("Filtro Sipas Vlerësimit", &lexicon).1, 3);
        assert_eq!(content_key("Power Manager Applet", &lexicon).1, 3);
        assert_eq!(content_key("Power Log Manager", &lexicon).1, 3);
        assert_eq!(content_key("Power GNOME Log Manager", &lexicon).1, 4);
        // A sentence with names is not a title.
        assert_eq!(content_key("Zyra në Prishtinë dhe Gjilan është e hapur.", &lexicon).1, 5);
        assert_eq!(content_key("Chris Howells", &lexicon).1, 1);
        // Nor is a person's name (known only capitalised), nor a line with an address.
        assert_eq!(content_key("Rafael Fernández López", &lexicon).1, 1);
        assert!(!title_case("Sergios - Anestis Kefalidis <sergios@example.org>", &lexicon));
        assert!(title_case("Open Path in New Window", &lexicon));
    }
}
