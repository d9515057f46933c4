//! How well `termbridge::text::stem` brings inflected place names back to their dictionary
//! form, and how often it merges different names.
//!
//! ```text
//! cargo bench --bench stem_eval -- [--places places.csv] [--variants places_variants_dev.tsv] [--misses N]
//! ```
//! Defaults: `../shared/data/places/places.csv` and `../shared/data/dev/places_variants_dev.tsv`
//! (relative to the crate root).
//!
//! For every single-word name of the gazetteer (Albanian `name_sq`, Serbian `name_sr_latn`) the
//! bench generates the common inflected forms with the rules in [`albanian_forms`] and
//! [`serbian_forms`]. Those rules are written here from the grammars, independently of the
//! stemmer, so the stemmer is measured against grammar and not against itself. It reports:
//! - recall: the share of inflected forms whose stem equals the stem of the name;
//! - over-stemming: names whose stem equals the stem of a different name, and inflected forms
//!   whose stem equals the stem of a different name (a wrong match);
//! - the same figures with no stemming (folding only) as the baseline;
//! - the inflected rows of the dev variants file, one by one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use termbridge::model::lang::Lang;
use termbridge::text::{self, Tier, stem};

/// Albanian inflected forms of a name given in the indefinite nominative (the gazetteer form).
///
/// Rules (Newmark, Hubbard & Prifti, *Standard Albanian*, 1982, noun declension):
/// - feminine in -ë: definite nominative -a replacing ë (Prishtina), genitive/dative/ablative
///   -s (Prishtinës), accusative -n (Prishtinën), indefinite genitive -e replacing ë (Prishtine);
/// - feminine in -e: -ja replacing e, or -a after j (Shtimja; Banja), -s (Shtimes), -n (Shtimen);
/// - names in unstressed -a are definite feminine forms (Shkoza, of Shkozë): -ës, -ën
///   replacing a (Shkozës, Shkozën);
/// - in -i, -o, -u (stressed vowel): -a or -ja (Vitia), -së (Vitisë), -në (Vitinë);
/// - masculine in -k, -g, -h: -u (Kaçaniku), -ut (Kaçanikut), -un (Kaçanikun);
/// - masculine in -j: -i (Ferizaji), -t (Ferizajt), -n (Ferizajn);
/// - other masculine: -i (Prizreni), -it (Prizrenit), -in (Prizrenin).
fn albanian_forms(base: &str) -> Vec<String> {
    let last = base.chars().last().unwrap_or(' ');
    let without_last = &base[..base.len() - last.len_utf8()];
    match last {
        'ë' => vec![format!("{without_last}a"), format!("{base}s"), format!("{base}n"), format!("{without_last}e")],
        'e' if without_last.ends_with('j') => vec![format!("{without_last}a"), format!("{base}s"), format!("{base}n")],
        'e' => vec![format!("{without_last}ja"), format!("{base}s"), format!("{base}n")],
        'a' => vec![format!("{without_last}ës"), format!("{without_last}ën")],
        'i' => vec![format!("{base}a"), format!("{base}së"), format!("{base}në")],
        'o' | 'u' => vec![format!("{base}ja"), format!("{base}së"), format!("{base}në")],
        'k' | 'g' | 'h' => vec![format!("{base}u"), format!("{base}ut"), format!("{base}un")],
        'j' => vec![format!("{base}i"), format!("{base}t"), format!("{base}n")],
        _ => vec![format!("{base}i"), format!("{base}it"), format!("{base}in")],
    }
}

/// Serbian feminine nouns of the i-declension among the names (the rest in a consonant are
/// masculine).
const SERBIAN_I_DECLENSION: &[&str] = &["Peć"];

fn ends_palatal(stem: &str) -> bool {
    ["c", "č", "ć", "š", "ž", "j", "lj", "nj", "dž", "đ"].iter().any(|palatal| stem.ends_with(palatal))
}

/// Serbian Latin inflected forms of a name given in the nominative.
///
/// Rules (Stanojčić & Popović, *Gramatika srpskoga jezika*, 2012; Pravopis srpskoga jezika,
/// 2010, on place names):
/// - adjectival names in -ska/-ška/-čka: -e, -oj, -u, -om (Banjska, Banjskoj);
///   in -sko/-ško/-čko: -og, -om, -im;
/// - feminine in -a: genitive -e, dative/locative -i (with sibilarization k→c, g→z, h→s after
///   a vowel: Reka, Reci), accusative -u, instrumental -om;
/// - neuter in -o: -a, -u, -om (Kosova, Kosovu, Kosovom);
/// - neuter in -e: -a, -u, -em after a palatal else -om (Gnjilana, Gnjilanu, Gnjilanom; Štrpcem);
/// - plural in -i: genitive -a (-aca for -ci: Dragoljevaca), -ima, accusative -e;
/// - i-declension (Peć): -i, -ju;
/// - masculine in a consonant: -a, -u, -om / -em after a palatal, with the fleeting a of -ac
///   dropped (Uroševac, Uroševca, Uroševcu, Uroševcem). The fleeting a of -ak is not applied
///   (Dubočak, Dubočaka), since many names keep it.
fn serbian_forms(base: &str) -> Vec<String> {
    let last = base.chars().last().unwrap_or(' ');
    let without_last = &base[..base.len() - last.len_utf8()];
    let adjectival = |suffixes: &[&str]| suffixes.iter().any(|suffix| base.ends_with(suffix));
    match last {
        'a' if adjectival(&["ska", "ška", "čka"]) => {
            vec![format!("{without_last}e"), format!("{without_last}oj"), format!("{without_last}u"), format!("{without_last}om")]
        }
        'a' => {
            let mut chars: Vec<char> = without_last.chars().collect();
            let sibilarized = match (chars.iter().rev().nth(1), chars.last()) {
                (Some(before), Some(&consonant)) if "aeiou".contains(*before) && "kgh".contains(consonant) => {
                    let replaced = match consonant {
                        'k' => 'c',
                        'g' => 'z',
                        _ => 's',
                    };
                    if let Some(slot) = chars.last_mut() {
                        *slot = replaced;
                    }
                    chars.into_iter().collect::<String>()
                }
                _ => without_last.to_string(),
            };
            vec![format!("{without_last}e"), format!("{sibilarized}i"), format!("{without_last}u"), format!("{without_last}om")]
        }
        'o' if adjectival(&["sko", "ško", "čko"]) => vec![format!("{without_last}og"), format!("{without_last}om"), format!("{without_last}im")],
        'o' => vec![format!("{without_last}a"), format!("{without_last}u"), format!("{without_last}om")],
        'e' => {
            let instrumental = if ends_palatal(without_last) { "em" } else { "om" };
            vec![format!("{without_last}a"), format!("{without_last}u"), format!("{without_last}{instrumental}")]
        }
        'i' => {
            let genitive = match without_last.strip_suffix('c') {
                Some(before_c) if !before_c.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{before_c}aca"),
                _ => format!("{without_last}a"),
            };
            vec![genitive, format!("{without_last}ima"), format!("{without_last}e")]
        }
        _ if SERBIAN_I_DECLENSION.contains(&base) => vec![format!("{base}i"), format!("{base}ju")],
        _ => {
            let oblique = match base.strip_suffix("ac") {
                Some(before) if before.chars().last().is_some_and(|c| !"aeiou".contains(c)) => format!("{before}c"),
                _ => base.to_string(),
            };
            let instrumental = if ends_palatal(&oblique) { "em" } else { "om" };
            vec![format!("{oblique}a"), format!("{oblique}u"), format!("{oblique}{instrumental}")]
        }
    }
}

fn fold(word: &str) -> String {
    text::fold(word, Tier::Script).into_owned()
}

struct Report {
    names: usize,
    forms: usize,
    recalled: usize,
    names_sharing_stem: usize,
    stems_shared: usize,
    forms_matching_other_name: usize,
    misses: Vec<(String, String, String, String)>,
    shared: Vec<(String, Vec<String>)>,
}

/// Measures `stemmer` on the names (already folded → forms folded).
fn measure(names: &BTreeMap<String, Vec<String>>, stemmer: &dyn Fn(&str) -> String) -> Report {
    let mut by_stem: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for name in names.keys() {
        by_stem.entry(stemmer(name)).or_default().insert(name);
    }
    let mut report = Report {
        names: names.len(),
        forms: 0,
        recalled: 0,
        names_sharing_stem: 0,
        stems_shared: 0,
        forms_matching_other_name: 0,
        misses: Vec::new(),
        shared: Vec::new(),
    };
    for (stem, group) in by_stem.iter().filter(|(_, group)| group.len() > 1) {
        report.stems_shared += 1;
        report.names_sharing_stem += group.len();
        report.shared.push((stem.clone(), group.iter().map(|name| name.to_string()).collect()));
    }
    report.shared.sort();
    for (name, forms) in names {
        let name_stem = stemmer(name);
        for form in forms {
            report.forms += 1;
            let form_stem = stemmer(form);
            if form_stem == name_stem {
                report.recalled += 1;
            } else {
                report.misses.push((name.clone(), form.clone(), name_stem.clone(), form_stem.clone()));
            }
            if by_stem.get(&form_stem).is_some_and(|group| group.iter().any(|other| *other != name.as_str())) {
                report.forms_matching_other_name += 1;
            }
        }
    }
    report
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

fn print_report(title: &str, report: &Report) {
    println!(
        "| {title} | {} | {} | {} ({:.1}%) | {} names in {} shared stems ({:.1}%) | {} ({:.2}%) |",
        report.names,
        report.forms,
        report.recalled,
        percent(report.recalled, report.forms),
        report.names_sharing_stem,
        report.stems_shared,
        percent(report.names_sharing_stem, report.names),
        report.forms_matching_other_name,
        percent(report.forms_matching_other_name, report.forms)
    );
}

fn main() {
    let mut places = PathBuf::from("../shared/data/places/places.csv");
    let mut variants = PathBuf::from("../shared/data/dev/places_variants_dev.tsv");
    let mut n_misses = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--places" => places = args.next().map(PathBuf::from).unwrap_or(places),
            "--variants" => variants = args.next().map(PathBuf::from).unwrap_or(variants),
            "--misses" => n_misses = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            other => eprintln!("stem_eval: ignoring argument {other:?}"),
        }
    }
    let Ok(mut reader) = csv::Reader::from_path(&places) else {
        eprintln!("stem_eval: SKIPPED, cannot read {} (pass --places)", places.display());
        return;
    };
    let headers = reader.headers().cloned().unwrap_or_default();
    let column = |name: &str| headers.iter().position(|header| header == name);
    let (Some(sq_col), Some(sr_col)) = (column("name_sq"), column("name_sr_latn")) else {
        eprintln!("stem_eval: {} lacks name_sq or name_sr_latn", places.display());
        return;
    };
    // Folded name -> folded inflected forms, per language.
    let mut sq_names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut sr_names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for record in reader.records().flatten() {
        for (col, names, generate) in [(sq_col, &mut sq_names, albanian_forms as fn(&str) -> Vec<String>), (sr_col, &mut sr_names, serbian_forms)] {
            let name = record.get(col).unwrap_or("").trim();
            if name.is_empty() || name.contains([' ', '-']) {
                continue;
            }
            let forms: Vec<String> = generate(name).iter().map(|form| fold(form)).filter(|form| *form != fold(name)).collect();
            names.entry(fold(name)).or_default().extend(forms);
        }
    }
    for forms in sq_names.values_mut().chain(sr_names.values_mut()) {
        forms.sort();
        forms.dedup();
    }

    println!(
        "| language, stemmer | names | inflected forms | stem(form) = stem(name) | names sharing a stem with another name | forms matching another name's stem |"
    );
    println!("|---|---|---|---|---|---|");
    let identity = |word: &str| word.to_string();
    for (label, names, lang) in [("sq", &sq_names, Lang::Sq), ("sr", &sr_names, Lang::Sr)] {
        print_report(&format!("{label}, folding only"), &measure(names, &identity));
        let stemmer = move |word: &str| stem::stem(word, lang).into_owned();
        let report = measure(names, &stemmer);
        print_report(&format!("{label}, stem"), &report);
        for (name, form, name_stem, form_stem) in report.misses.iter().take(n_misses) {
            eprintln!("MISS {label}: {name} -> {name_stem} but {form} -> {form_stem}");
        }
        for (stem, group) in report.shared.iter().take(n_misses) {
            eprintln!("SHARED {label}: {stem} <- {}", group.join(", "));
        }
    }

    // Time per call over every name and form.
    let words: Vec<(&str, Lang)> = sq_names
        .iter()
        .flat_map(|(name, forms)| std::iter::once(name).chain(forms).map(|word| (word.as_str(), Lang::Sq)))
        .chain(sr_names.iter().flat_map(|(name, forms)| std::iter::once(name).chain(forms).map(|word| (word.as_str(), Lang::Sr))))
        .collect();
    let start = Instant::now();
    let mut total_len = 0;
    for _ in 0..20 {
        for (word, lang) in &words {
            total_len += stem::stem(word, *lang).len();
        }
    }
    let elapsed = start.elapsed();
    println!("\nstem(): {:.0} ns per word over {} calls (checksum {total_len})", elapsed.as_nanos() as f64 / (words.len() * 20) as f64, words.len() * 20);

    // The inflected rows of the dev variants file.
    let Ok(variants_text) = std::fs::read_to_string(&variants) else {
        eprintln!("stem_eval: SKIPPED the variants, cannot read {}", variants.display());
        return;
    };
    let meta_path = variants.with_file_name(variants.file_name().map(|name| name.to_string_lossy().replace(".tsv", ".meta.tsv")).unwrap_or_default());
    let meta_text = std::fs::read_to_string(&meta_path).unwrap_or_default();
    let variant_types: HashMap<&str, &str> = meta_text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some((fields.next()?, fields.next()?))
        })
        .collect();
    println!("\n| query | variant type | expected | stem(query word) | stem(expected) | match |");
    println!("|---|---|---|---|---|---|");
    let (mut n_rows, mut n_matched) = (0, 0);
    for line in variants_text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [query, expected_sq, expected_sr, ..] = fields[..] else { continue };
        let variant_type = variant_types.get(query).copied().unwrap_or("");
        let (lang, expected) = match variant_type {
            "sq_definite_or_inflected_form" => (Lang::Sq, expected_sq),
            "sr_inflected_form" => (Lang::Sr, expected_sr),
            "administrative_long_form" if text::script::word_script(query) == text::script::Script::Cyrl || query.starts_with("Op") => (Lang::Sr, expected_sr),
            "administrative_long_form" => (Lang::Sq, expected_sq),
            _ => continue,
        };
        // The place word of a long form is its last word ("Komuna e Zveçanit").
        let query_word = query.rsplit(' ').next().unwrap_or(query);
        let query_stem = stem::stem_word(query_word, lang);
        let expected_stem = stem::stem_word(expected, lang);
        let matched = query_stem == expected_stem;
        n_rows += 1;
        n_matched += usize::from(matched);
        println!("| {query} | {variant_type} | {expected} ({lang}) | {query_stem} | {expected_stem} | {} |", if matched { "yes" } else { "no" });
    }
    println!("\ninflected and long-form rows matched: {n_matched} / {n_rows}");
}
