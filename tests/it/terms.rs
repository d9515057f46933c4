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

use super::http::{TestServer, client};
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
    // "Kosovo i Metohija" is a concept of its own (Serbia's designation of the territory), not a
    // forbidden name of the Republic.
    let province = find("Kosovu i Metohiji");
    assert_eq!((province["concept_id"].as_str(), province["status"].as_str()), (Some("kosovo-and-metohija"), Some("admitted")));
    assert_eq!((province["line"].as_u64(), province["column"].as_u64()), (Some(2), Some(4)));
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
    assert!(human.contains("forbidden.sr.txt:2:4: «Kosovu i Metohiji» kosovo-and-metohija (sr-Latn «Kosovo i Metohija», admitted, stem)"), "{human}");
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
        assert_eq!(report["concepts"], termbridge::termbase::shipped_concepts().expect("shipped").len() + 8);
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
    assert_eq!(old["concepts"], report_count(&dir.path().join("old.tbx")));
    assert!(std::fs::read_to_string(dir.path().join("old.tbx")).expect("read").contains("<martif type=\"TBX-Basic\""));
}

#[test]
fn shipped_term_base_loads_and_every_entry_has_a_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("shipped.csv");
    let report = run_json(dir.path(), &["terms", "export", "--format", "csv", "-o", path_str(&out)]);
    assert_eq!(report["concepts"], termbridge::termbase::shipped_concepts().expect("shipped").len());
    let mut reader = csv_reader(&out);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("row");
        assert!(!record.get(7).unwrap_or_default().trim().is_empty(), "row {rows}: no source: {record:?}");
        rows += 1;
    }
    let shipped_rows = csv_reader(&Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/kosovo/terms.csv")).records().count();
    assert_eq!(rows, shipped_rows, "the exported term base has the shipped rows, derived terms aside");
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

/// The number of concepts in a TBX file, as our reader reads it.
fn report_count(path: &Path) -> usize {
    read_file(path, FileFormat::Tbx).expect("reads").concepts.len()
}

fn csv_reader(path: &Path) -> ::csv::Reader<std::fs::File> {
    ::csv::Reader::from_path(path).expect("open csv")
}

/// `terms lint` JSON of `args` (after `terms lint`) and the exit code.
fn lint_json(data_dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut full = vec!["--json", "terms", "lint"];
    full.extend_from_slice(args);
    let output = run(data_dir, &full);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), report)
}

#[test]
fn lint_finds_no_error_in_the_shipped_term_base() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, report) = lint_json(dir.path(), &[]);
    let errors: Vec<&Value> = report["findings"].as_array().expect("findings").iter().filter(|finding| finding["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!((code, report["summary"]["errors"].as_u64()), (Some(0), Some(0)));
    assert!(report["summary"]["concepts"].as_u64().expect("concepts") >= 200);
    // The same file, read as a file rather than from the store, gives the same counts.
    let (file_code, from_file) = lint_json(dir.path(), &[path_str(&Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/kosovo/terms.csv"))]);
    assert_eq!((file_code, &from_file["summary"]), (Some(0), &report["summary"]));
}

#[test]
fn lint_rules_each_fire_on_their_fixture() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data("termbase/lint-rules.csv");
    let (code, report) = lint_json(dir.path(), &[path_str(&file)]);
    assert_eq!(code, Some(1), "errors exit 1");
    let fired: std::collections::BTreeSet<&str> =
        report["findings"].as_array().expect("findings").iter().map(|finding| finding["rule"].as_str().expect("rule")).collect();
    for rule in termbridge::termbase::LintRule::ALL {
        assert!(fired.contains(rule.id()), "{} did not fire: {report:#}", rule.id());
    }
    let mut text = serde_json::to_string_pretty(&report).expect("json");
    text.push('\n');
    golden("lint-rules.expected.json", &text);
    let human = run(dir.path(), &["terms", "lint", path_str(&file)]);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("committee-communities sr-Latn «Komitet za zajednice»: warning head-word: head word «komitet»"), "{human}");
    assert!(human.contains("errors,"), "{human}");
}

#[test]
fn lint_over_http_reads_an_uploaded_tbx() {
    let concepts = read("lint-rules.csv").concepts;
    let server = TestServer::start(termbridge::api::ServeConfig::default());
    for version in [TbxVersion::V2019, TbxVersion::V2008] {
        let response =
            client().post(server.url("/api/v1/terms/lint")).header("content-type", "application/xml").body(tbx(&concepts, version)).send().expect("request");
        assert_eq!(response.status().as_u16(), 200);
        let report: Value = response.json().expect("json");
        assert!(report["errors"].as_u64().expect("errors") > 0, "{report:#}");
        let rules: Vec<&str> = report["findings"].as_array().expect("findings").iter().map(|finding| finding["rule"].as_str().expect("rule")).collect();
        assert!(rules.contains(&"script-pair") && rules.contains(&"head-word"), "{rules:?}");
    }
    let csv_body = std::fs::read(data("termbase/lint-rules.csv")).expect("read");
    let response = client().post(server.url("/api/v1/terms/lint?format=csv")).body(csv_body).send().expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let broken = client().post(server.url("/api/v1/terms/lint")).body("<martif><text><body><termEntry>").send().expect("request");
    assert_eq!(broken.status().as_u16(), 400);
    assert!(broken.text().expect("body").contains("upload.tbx"));
    let spec: Value = client().get(server.url("/api/v1/openapi.json")).send().expect("request").json().expect("json");
    assert!(spec["paths"]["/api/v1/terms/lint"]["post"].is_object(), "the lint route is documented");
}

#[test]
fn tbx2008_export_reads_back_in_our_reader_and_translate_toolkit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("shipped-2008.tbx");
    let report = run_json(dir.path(), &["terms", "export", "--format", "tbx2008", "-o", path_str(&out)]);
    let written = std::fs::read_to_string(&out).expect("read export");
    assert!(written.contains("<martif type=\"TBX-Basic\"") && written.contains("administrativeStatus"), "TBX 2008 with statuses");
    let shipped = termbridge::termbase::shipped_concepts().expect("shipped");
    assert_eq!(report["concepts"].as_u64(), Some(shipped.len() as u64));
    assert_eq!(canonical(parse_tbx(&written, "shipped-2008.tbx").expect("reads back").concepts), canonical(shipped.clone()), "our reader");

    let server = TestServer::start(termbridge::api::ServeConfig::default());
    let over_http = client().get(server.url("/api/v1/export?format=tbx2008")).send().expect("request").text().expect("body");
    assert!(over_http.contains("<martif"), "format=tbx2008 over HTTP");

    // translate-toolkit (what Weblate reads TBX glossaries with): each concept a unit with its id.
    let script = "import json, sys\nfrom translate.storage import tbx\nstore = tbx.tbxfile.parsefile(sys.argv[1])\nprint(json.dumps([[unit.getid(), unit.source] for unit in store.units]))";
    let output = match std::process::Command::new("python3").arg("-c").arg(script).arg(&out).output() {
        Ok(output) => output,
        Err(err) => {
            eprintln!("skipped: python3 is not available ({err})");
            return;
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named 'translate'") {
        eprintln!("skipped: translate-toolkit is not installed (pip install translate-toolkit)");
        return;
    }
    assert!(output.status.success(), "translate-toolkit refused the export: {stderr}");
    let units: Vec<(String, String)> = serde_json::from_slice(&output.stdout).expect("json from python");
    assert_eq!(units.len(), shipped.len(), "one unit per concept");
    let by_id: std::collections::HashMap<&str, &Concept> = shipped.iter().map(|concept| (concept.id.as_str(), concept)).collect();
    for (id, source) in &units {
        let concept = by_id.get(id.as_str()).unwrap_or_else(|| panic!("unit id {id:?} is not a concept id"));
        assert!(concept.terms.iter().any(|term| &term.text == source), "{id}: unit source {source:?} is a term of the concept");
    }
}

#[test]
fn usage_notes_exempt_fixed_phrases_and_date_superseded_terms() {
    use termbridge::model::lang::LangTag;
    let index = termbridge::termbase::TermIndex::build(read("usage.csv").concepts);
    let text = std::fs::read_to_string(data("termbase/usage.sr.txt")).expect("read");
    let findings = termbridge::termbase::check_forbidden(&index, &text, LangTag::SR_LATN);
    let flagged: Vec<&str> = findings.iter().map(|finding| &text[finding.start..finding.end]).collect();
    assert_eq!(flagged, ["manjina"], "only the use outside the fixed phrases");
    assert_eq!(findings[0].start, text.rfind("manjina").expect("second line"));

    let before = std::fs::read_to_string(data("termbase/usage-2011.sr.txt")).expect("read");
    let findings = termbridge::termbase::check_forbidden(&index, &before, LangTag::SR_LATN);
    assert!(findings.len() == 1 && findings[0].informational, "{findings:?}");
    assert!(findings[0].message.contains("replaced in 2013-01-01 by Law No. 03/L-199 on Courts"), "{}", findings[0].message);
    let after = std::fs::read_to_string(data("termbase/usage-2014.sr.txt")).expect("read");
    let findings = termbridge::termbase::check_forbidden(&index, &after, LangTag::SR_LATN);
    assert!(findings.len() == 1 && !findings[0].informational, "{findings:?}");

    // The same through `terms scan`, with the date from the text or given.
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(run(dir.path(), &["terms", "import", path_str(&data("termbase/usage.csv"))]).status.success());
    let report = run_json(dir.path(), &["terms", "scan", path_str(&data("termbase/usage.sr.txt")), "--lang", "sr"]);
    let exempt: Vec<bool> = report["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .filter(|found| found["status"] == "deprecated")
        .map(|found| found["correct_in"].is_string())
        .collect();
    // "manjina" inside the Convention's name is right; on its own it is flagged ("manjinskih" in
    // "pripadnici manjinskih zajednica" is no occurrence of the term at all).
    assert_eq!(exempt, [true, false], "{report:#}");
    let scan = |file: &str, extra: &[&str]| {
        let mut args = vec!["terms", "scan", file, "--lang", "sr"];
        args.extend_from_slice(extra);
        String::from_utf8_lossy(&run(dir.path(), &args).stdout).into_owned()
    };
    let older = data("termbase/usage-2011.sr.txt");
    assert!(scan(path_str(&older), &[]).contains("information: replaced in 2013-01-01 by Law No. 03/L-199 on Courts"));
    assert!(scan(path_str(&older), &["--date", "2015-06-01"]).contains("before this text's date 2015-06-01; use «Osnovni sud»"));
    assert!(scan(path_str(&data("termbase/usage-2014.sr.txt")), &[]).contains("before this text's date 2014-02-05"));
    let bad_date = run(dir.path(), &["terms", "scan", path_str(&older), "--lang", "sr", "--date", "2015-13"]);
    assert_eq!(bad_date.status.code(), Some(2));
}

#[test]
fn audit_reports_former_names_as_information_and_keeps_fixed_phrases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("policy.toml");
    std::fs::write(&config, "shipped_terms = true\n").expect("write");
    let audit = |sq: &str, sr: &str, extra: &str| -> Vec<Value> {
        let (sq_path, sr_path) = (dir.path().join("doc.sq.txt"), dir.path().join("doc.sr.txt"));
        std::fs::write(&sq_path, sq).expect("write");
        std::fs::write(&sr_path, sr).expect("write");
        std::fs::write(&config, format!("shipped_terms = true\n{extra}")).expect("write");
        let out = dir.path().join("report.json");
        let data_dir = dir.path().join("data");
        let _ = run(
            &data_dir,
            &[
                "audit",
                "--sq",
                path_str(&sq_path),
                "--sr",
                path_str(&sr_path),
                "--config",
                path_str(&config),
                "--no-history",
                "--format",
                "json",
                "-o",
                path_str(&out),
            ],
        );
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("report")).expect("json");
        report["findings"].as_array().expect("findings").iter().filter(|finding| finding["check"] == "term-forbidden").cloned().collect()
    };
    let sq = "Gjykata Komunale në Prizren vendosi më 12.03.2011.\n";
    let sr = "Opštinski sud u Prizrenu odlučio je 12.03.2011.\n";
    let findings = audit(sq, sr, "");
    assert!(!findings.is_empty() && findings.iter().all(|finding| finding["severity"] == "info"), "{findings:#?}");
    assert!(findings[0]["message"].as_str().expect("message").contains("former name"), "{findings:#?}");
    let findings = audit(sq, sr, "document_date = \"2014-05-01\"\n");
    assert!(!findings.is_empty() && findings.iter().all(|finding| finding["severity"] == "error"), "{findings:#?}");

    let sq = "Në përputhje me Konventën Kornizë për Mbrojtjen e Pakicave Kombëtare.\n";
    let sr = "U skladu sa Okvirnom konvencijom Saveta Evrope za zaštitu nacionalnih manjina.\n";
    assert_eq!(audit(sq, sr, ""), Vec::<Value>::new(), "the Constitution's phrase is right");
    let findings = audit("Të drejtat e komuniteteve.\n", "Prava manjina.\n", "");
    assert_eq!(findings.len(), 1, "{findings:#?}");
}
