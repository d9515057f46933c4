//! The term base: golden files for TBX 2019, TBX 2008 and both CSV forms, round trips, and
//! the `terms` commands of the binary (lookup, scan, import, export, the shipped term base).
//!
//! `TERMBRIDGE_BLESS=1` rewrites the expected files in tests/data/termbase; read the
//! diff before committing it.

use std::path::Path;

use serde_json::{Value, json};
use termbridge::model::Concept;
use termbridge::termbase::tbx::{TbxVersion, parse_tbx, write_tbx};
use termbridge::termbase::{FileFormat, Imported, parse_csv, read_file, write_csv};

use super::support::{data, run, run_json};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Compares `actual` with the golden file `tests/data/termbase/<name>`, or rewrites it.
#[track_caller]
fn golden(name: &str, actual: &str) {
    termbridge::testing::assert_golden(&data(&format!("termbase/{name}")), actual);
}

fn imported_json(imported: &Imported) -> String {
    let warnings: Vec<Value> = imported.warnings.iter().map(|warning| json!({"line": warning.line, "message": warning.message})).collect();
    let mut text = serde_json::to_string_pretty(&json!({"concepts": imported.concepts, "warnings": warnings})).expect("json");
    text.push('\n');
    text
}

fn read(name: &str) -> Imported {
    let path = data(&format!("termbase/{name}"));
    let format = FileFormat::from_path(&path).expect("known extension");
    read_file(&path, format).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn tbx(concepts: &[Concept], version: TbxVersion) -> String {
    let mut out = Vec::new();
    write_tbx(concepts, version, &mut out).expect("write tbx");
    String::from_utf8(out).expect("utf-8")
}

fn csv(concepts: &[Concept]) -> String {
    let mut out = Vec::new();
    write_csv(concepts, &mut out).expect("write csv");
    String::from_utf8(out).expect("utf-8")
}

/// Concepts with their terms in a canonical order, for comparing across formats that group
/// terms differently.
fn canonical(mut concepts: Vec<Concept>) -> Vec<Concept> {
    for concept in &mut concepts {
        concept.terms.sort_by(|a, b| (a.lang, &a.text).cmp(&(b.lang, &b.text)));
    }
    concepts.sort_by(|a, b| a.id.cmp(&b.id));
    concepts
}

#[test]
fn golden_tbx_2019() {
    let imported = read("basic-2019.tbx");
    golden("basic-2019.expected.json", &imported_json(&imported));
    let written = tbx(&imported.concepts, TbxVersion::V2019);
    golden("basic-2019.expected.tbx", &written);
    golden("basic-2019.expected.csv", &csv(&imported.concepts));
    assert_eq!(parse_tbx(&written, "written.tbx").expect("reads back").concepts, imported.concepts, "TBX → TBX keeps everything");
}

#[test]
fn golden_tbx_2008() {
    let imported = read("basic-2008.tbx");
    golden("basic-2008.expected.json", &imported_json(&imported));
    let written = tbx(&imported.concepts, TbxVersion::V2008);
    golden("basic-2008.expected-2008.tbx", &written);
    assert_eq!(parse_tbx(&written, "written.tbx").expect("reads back").concepts, imported.concepts);
    let as_2019 = tbx(&imported.concepts, TbxVersion::V2019);
    assert_eq!(parse_tbx(&as_2019, "written.tbx").expect("reads back").concepts, imported.concepts, "2008 → 2019 keeps everything");
}

#[test]
fn golden_csv_long_and_wide() {
    let long = read("long.csv");
    golden("long.expected.json", &imported_json(&long));
    let wide = read("wide.csv");
    golden("wide.expected.json", &imported_json(&wide));
    for imported in [&long, &wide] {
        let written = csv(&imported.concepts);
        assert_eq!(parse_csv(&written, "written.csv").expect("reads back").concepts, imported.concepts, "CSV → CSV keeps everything");
        let through_tbx = parse_tbx(&tbx(&imported.concepts, TbxVersion::V2019), "written.tbx").expect("reads back").concepts;
        assert_eq!(canonical(through_tbx), canonical(imported.concepts.clone()), "CSV → TBX keeps everything");
    }
}

#[test]
fn lookup_finds_inflected_albanian_and_unaccented_serbian() {
    let dir = tempfile::tempdir().expect("tempdir");
    for query in ["komunës", "opstini"] {
        let report = run_json(dir.path(), &["terms", "lookup", query]);
        let first = &report["hits"][0];
        assert_eq!(first["concept"]["id"], "municipality", "{query}: {report:#}");
        assert_eq!(first["tier"], "stem", "{query}");
        let terms: Vec<&str> = first["concept"]["terms"].as_array().expect("terms").iter().filter_map(|term| term["text"].as_str()).collect();
        for equivalent in ["komunë", "opština", "општина", "municipality"] {
            assert!(terms.contains(&equivalent), "{query}: {equivalent} missing from {terms:?}");
        }
    }
    let output = run(dir.path(), &["terms", "lookup", "komunës"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("municipality [local-government] — stem, via sq «komunë»"), "{text}");
}

#[test]
fn lookup_tiers_and_language_filter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tier_of = |query: &str, extra: &[&str]| {
        let mut args = vec!["terms", "lookup", query];
        args.extend_from_slice(extra);
        let report = run_json(dir.path(), &args);
        let first = &report["hits"][0];
        (
            first["concept"]["id"].as_str().unwrap_or("-").to_string(),
            first["tier"].as_str().unwrap_or("-").to_string(),
            first["prefix"].as_bool().unwrap_or(false),
        )
    };
    assert_eq!(tier_of("Opština", &[]), ("municipality".into(), "case".into(), false));
    assert_eq!(tier_of("ОПШТИНА", &[]), ("municipality".into(), "case".into(), false));
    assert_eq!(tier_of("Kuvendit të Komunës", &[]), ("municipal-assembly".into(), "stem".into(), false));
    assert_eq!(tier_of("Prishtna", &[]), ("municipality-prishtina".into(), "fuzzy".into(), false));
    assert_eq!(tier_of("Kancelarija pover", &[]), ("office-of-the-language-commissioner".into(), "exact".into(), true));
    assert_eq!(tier_of("komunës", &["--lang", "sr"]).0, "-");
    let usage = run(dir.path(), &["terms", "lookup", "x", "--lang", "de"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn scan_reports_forbidden_terms_with_the_preferred_term() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data("termbase/forbidden.sr.txt");
    let text = std::fs::read_to_string(&file).expect("read");
    let report = run_json(dir.path(), &["terms", "scan", path_str(&file), "--lang", "sr"]);
    let occurrences = report["occurrences"].as_array().expect("occurrences");
    let find =
        |written: &str| occurrences.iter().find(|occurrence| occurrence["text"] == written).unwrap_or_else(|| panic!("{written} not found in {report:#}"));
    let forbidden = find("Kosovu i Metohiji");
    assert_eq!((forbidden["status"].as_str(), forbidden["suggestion"].as_str()), (Some("forbidden"), Some("Republika Kosovo")));
    assert_eq!((forbidden["line"].as_u64(), forbidden["column"].as_u64()), (Some(2), Some(4)));
    let deprecated = find("općini");
    assert_eq!((deprecated["status"].as_str(), deprecated["suggestion"].as_str()), (Some("deprecated"), Some("opština")));
    let cyrillic = find("Канцеларија повјереника за језике");
    assert_eq!(cyrillic["suggestion"], "Канцеларија повереника за језике");
    assert_eq!(find("Đakovica")["suggestion"], Value::Null);
    for occurrence in occurrences {
        let (start, end) = (occurrence["start"].as_u64().expect("start") as usize, occurrence["end"].as_u64().expect("end") as usize);
        assert_eq!(&text[start..end], occurrence["text"].as_str().expect("text"), "offsets point into the file");
    }
    let human = run(dir.path(), &["terms", "scan", path_str(&file), "--lang", "sr"]);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("forbidden.sr.txt:2:4: «Kosovu i Metohiji» republic-of-kosovo (sr-Latn «Kosovo i Metohija», forbidden, stem); use «Republika Kosovo»"),
        "{human}"
    );
}

#[test]
fn bad_tbx_exits_2_with_file_and_line_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = data("termbase/bad-status.tbx");
    let good = data("termbase/basic-2008.tbx");
    let output = run(dir.path(), &["terms", "import", path_str(&good), path_str(&bad)]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad-status.tbx:12: unknown administrative status \"approvedTerm\""), "{stderr}");
    let lookup = run_json(dir.path(), &["terms", "lookup", "gradonačelnik"]);
    assert!(lookup["hits"].as_array().expect("hits").iter().all(|hit| hit["concept"]["id"] != "test-mayor"), "nothing of the import was stored");

    let xxe = data("termbase/xxe.tbx");
    let output = run(dir.path(), &["terms", "import", path_str(&xxe)]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("xxe.tbx:2: DOCTYPE declarations are refused"), "{stderr}");
    assert!(!stderr.contains("root:"), "no file content leaks: {stderr}");

    let unknown = run(dir.path(), &["terms", "import", path_str(&data("import/small.tsv"))]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown term base format"));
}

#[test]
fn import_then_export_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = ["basic-2019.tbx", "basic-2008.tbx", "long.csv", "wide.csv"].map(|name| data(&format!("termbase/{name}")));
    let mut args = vec!["terms", "import"];
    args.extend(files.iter().map(|file| path_str(file)));
    let output = run(dir.path(), &["--json", "terms", "import", path_str(&files[0]), path_str(&files[1]), path_str(&files[2]), path_str(&files[3])]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: Value = serde_json::from_str(String::from_utf8_lossy(&output.stdout).lines().last().expect("summary")).expect("json");
    assert_eq!(summary["added"], 8);
    let again = run(dir.path(), &args);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 concepts added, 0 replaced, 8 unchanged"));

    let imported: Vec<Concept> = files.iter().flat_map(|file| read_file(file, FileFormat::from_path(file).expect("format")).expect("reads").concepts).collect();
    let ids: Vec<&str> = imported.iter().map(|concept| concept.id.as_str()).collect();
    for (format, name) in [("tbx", "out.tbx"), ("csv", "out.csv")] {
        let out = dir.path().join(name);
        let report = run_json(dir.path(), &["terms", "export", "--format", format, "-o", path_str(&out)]);
        assert_eq!(report["concepts"], 199 + 8);
        let exported = read_file(&out, FileFormat::from_path(&out).expect("format")).expect("export reads back").concepts;
        let mine: Vec<Concept> = exported.into_iter().filter(|concept| ids.contains(&concept.id.as_str())).collect();
        let mut expected = imported.clone();
        if format == "csv" {
            // CSV has no place for definitions written in one language; TBX keeps them.
            expected.iter_mut().for_each(|concept| concept.lang_definitions.clear());
        }
        assert_eq!(canonical(mine), canonical(expected), "{format}: store → file keeps everything");
    }
    let old = run_json(dir.path(), &["terms", "export", "--format", "tbx", "--tbx-version", "2008", "-o", path_str(&dir.path().join("old.tbx"))]);
    assert_eq!(old["concepts"], 207);
    assert!(std::fs::read_to_string(dir.path().join("old.tbx")).expect("read").contains("<martif type=\"TBX-Basic\""));
}

#[test]
fn shipped_term_base_loads_and_every_entry_has_a_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("shipped.csv");
    let report = run_json(dir.path(), &["terms", "export", "--format", "csv", "-o", path_str(&out)]);
    assert_eq!(report["concepts"], 199);
    let mut reader = csv_reader(&out);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("row");
        assert!(!record.get(7).unwrap_or_default().trim().is_empty(), "row {rows}: no source: {record:?}");
        rows += 1;
    }
    assert_eq!(rows, 753, "the exported term base has the shipped rows, derived terms aside");
    let exported = std::fs::read_to_string(&out).expect("read");
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/kosovo/terms.csv")).expect("read shipped");
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&exported), sorted(&shipped), "store → CSV gives back the shipped file, row for row");
    let tbx_out = dir.path().join("shipped.tbx");
    run_json(dir.path(), &["terms", "export", "--format", "tbx", "-o", path_str(&tbx_out)]);
    let concepts = read_file(&tbx_out, FileFormat::Tbx).expect("reads").concepts;
    assert!(concepts.iter().flat_map(|concept| &concept.terms).all(|term| term.source.is_some()), "derived terms keep the source of their original");
}

fn csv_reader(path: &Path) -> ::csv::Reader<std::fs::File> {
    ::csv::Reader::from_path(path).expect("open csv")
}
