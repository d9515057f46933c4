//! The audit commands end to end: the golden triple, exit codes, report formats, document
//! formats, history and audit-dir.
//!
//! Golden files live in tests/data/audit/; `TERMBRIDGE_BLESS=1 cargo test` rewrites them (read
//! the diff before committing).

use std::path::Path;
use std::process::Command;

use crate::support::{binary, data, run};

fn audit(data_dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    run(data_dir, &all)
}

fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn golden_triple_covers_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    // Relative paths, so the report is the same on every machine.
    let output = Command::new(binary())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--data-dir"])
        .arg(dir.path())
        .args([
            "audit",
            "--sq",
            "tests/data/audit/triple.sq.txt",
            "--sr",
            "tests/data/audit/triple.sr.txt",
            "--en",
            "tests/data/audit/triple.en.txt",
            "--config",
            "tests/data/audit/triple.toml",
            "--no-history",
        ])
        .env("TERMBRIDGE_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "errors found: exit 1; stderr: {}", String::from_utf8_lossy(&output.stderr));
    let actual = String::from_utf8(output.stdout).unwrap();
    termbridge::testing::assert_golden(&data("audit/triple.expected.json"), &actual);

    let report: serde_json::Value = serde_json::from_str(&actual).unwrap();
    let by_check = report["summary"]["by_check"].as_object().unwrap();
    let shipped_places = !termbridge::audit::resources().places.is_empty();
    // Sign checks judge signs, not documents.
    for check in termbridge::audit::checks::REGISTRY.iter().filter(|check| check.scope() != termbridge::audit::checks::Scope::Sign) {
        // Without the gazetteer there is no municipality language table and no place name.
        if !shipped_places && matches!(check.id(), "missing-version" | "place-name") {
            continue;
        }
        assert!(by_check.contains_key(check.id()), "the golden triple has no {} finding", check.id());
    }
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let sq = work.path().join("a.sq.txt");
    let sr = work.path().join("a.sr.txt");
    std::fs::write(&sq, "Komuna: Junik\nVendimi hyn në fuqi ditën e nënshkrimit.\n").unwrap();
    std::fs::write(&sr, "Opština: Junik\nOdluka stupa na snagu danom potpisivanja.\n").unwrap();
    let clean = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap()]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stderr));
    assert_eq!(stdout_json(&clean)["summary"]["score"], 100);

    std::fs::write(&sr, "Opština: Junik\nVendimi hyn në fuqi ditën e nënshkrimit.\n").unwrap();
    let errors = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap()]);
    assert_eq!(errors.status.code(), Some(1));
    assert_eq!(stdout_json(&errors)["findings"][0]["check"], "untranslated");

    let missing = audit(dir.path(), &["--sq", "no/such/file.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.txt"));

    let config = work.path().join("bad.toml");
    std::fs::write(&config, "[checks.mojibake]\nseverity = \"fatal\"\n").unwrap();
    let bad_config = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert_eq!(bad_config.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_config.stderr).contains("bad.toml: line 2"), "{}", String::from_utf8_lossy(&bad_config.stderr));

    let nothing = audit(dir.path(), &[]);
    assert_eq!(nothing.status.code(), Some(2));
}

#[test]
fn config_turns_checks_off_and_changes_severity() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let sq = work.path().join("a.sq.txt");
    let sr = work.path().join("a.sr.txt");
    std::fs::write(&sq, "Komuna: Junik\nVendimi hyn në fuqi ditën e nënshkrimit.\n").unwrap();
    std::fs::write(&sr, "Opština: Junik\nVendimi hyn në fuqi ditën e nënshkrimit.\n").unwrap();
    let config = work.path().join("policy.json");
    std::fs::write(&config, r#"{"checks": {"untranslated": {"severity": "warning"}}}"#).unwrap();
    let output = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "a warning is not an error");
    assert_eq!(stdout_json(&output)["findings"][0]["severity"], "warning");
    std::fs::write(&config, r#"{"checks": {"untranslated": {"enabled": false}}}"#).unwrap();
    let output = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert!(stdout_json(&output)["findings"].as_array().unwrap().is_empty());
}

#[test]
fn list_checks_documents_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let output = audit(dir.path(), &["--list-checks"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for check in termbridge::audit::checks::REGISTRY {
        assert!(text.contains(check.id()), "{}", check.id());
    }
    assert!(text.contains("02/L-37"));
}

#[test]
fn report_formats_and_html_escaping() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let sq = work.path().join("a.sq.md");
    let sr = work.path().join("a.sr.html");
    let en = work.path().join("a.en.txt");
    std::fs::write(&sq, "# Komuna: Junik\n\nZbraz kоshin <script>alert(1)</script> tani.\n\n- Afati është 15 ditë.\n").unwrap();
    std::fs::write(
        &sr,
        "<html><body><h1>Opština: Junik</h1><p>Isprazni korpu &lt;script&gt;alert(1)&lt;/script&gt; <span onclick=\"alert(2)\">sada</span>.</p><ul><li>Rok je 5 dana.</li></ul></body></html>",
    )
    .unwrap();
    std::fs::write(&en, "Municipality: Junik\nEmpty the trash <img src=x onerror=alert(3)> now.\nThe deadline is 15 days.\n").unwrap();
    let base = ["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--en", en.to_str().unwrap(), "--no-history"];

    let json = stdout_json(&audit(dir.path(), &base));
    let number = json["findings"].as_array().unwrap().iter().find(|f| f["check"] == "number-mismatch").expect("number-mismatch");
    // HTML locations are block numbers: heading 1, paragraph 2, list item 3.
    assert_eq!((number["lang"].as_str(), number["line"].as_u64()), (Some("sr"), Some(3)));
    let mixed = json["findings"].as_array().unwrap().iter().find(|f| f["check"] == "mixed-script").expect("mixed-script");
    // Markdown locations are file lines.
    assert_eq!(mixed["line"], 3);

    for ui in ["en", "sq", "sr-Cyrl", "sr-Latn"] {
        let out = work.path().join(format!("report.{ui}.html"));
        let mut args = base.to_vec();
        args.extend_from_slice(&["--format", "html", "--ui-lang", ui, "-o", out.to_str().unwrap()]);
        let output = audit(dir.path(), &args);
        assert_eq!(output.status.code(), Some(1));
        let page = std::fs::read_to_string(&out).unwrap();
        assert!(!page.contains("<script"), "no script element in the page");
        assert!(!page.contains("<img"));
        assert!(!page.contains("onclick=\""));
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains("<mark class=\"finding sev-error check-mixed-script\""));
        assert!(page.contains(&format!("<html lang=\"{ui}\">")));
    }

    let mut args = base.to_vec();
    args.extend_from_slice(&["--format", "sarif"]);
    let sarif = stdout_json(&audit(dir.path(), &args));
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    let mut args = base.to_vec();
    args.extend_from_slice(&["--format", "csv"]);
    let csv = String::from_utf8(audit(dir.path(), &args).stdout).unwrap();
    assert!(csv.starts_with("check,severity,lang,line,column,excerpt,message,suggestion,related_lang,related_line\n"));
}

#[test]
fn docx_versions_are_read_by_block() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let sq = work.path().join("vendim.sq.docx");
    let sr = work.path().join("vendim.sr.docx");
    let docx = |paragraphs: &[(&str, &str)]| termbridge::formats::docx::write_minimal_docx(paragraphs).unwrap();
    std::fs::write(&sq, docx(&[("Title", "Komuna: Junik"), ("", "Afati është 15 ditë."), ("", "Vendimi hyn në fuqi.")])).unwrap();
    std::fs::write(&sr, docx(&[("Title", "Opština: Junik"), ("", "Rok je 15 dana."), ("", "Vendimi hyn në fuqi ditën e parë të muajit.")])).unwrap();
    let output = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--no-history"]);
    let json = stdout_json(&output);
    assert_eq!(json["documents"][1]["segments"], 3);
    let untranslated = json["findings"].as_array().unwrap().iter().find(|f| f["check"] == "untranslated").expect("untranslated");
    assert_eq!((untranslated["lang"].as_str(), untranslated["line"].as_u64()), (Some("sr"), Some(3)));
}

#[test]
fn compare_last_shows_fixed_and_new() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let sq = work.path().join("a.sq.txt");
    let sr = work.path().join("a.sr.txt");
    std::fs::write(&sq, "Komuna: Junik\nZbraz kоshin para se të kryhet zmontimi?\nGabim gjatë lëvizjes së kartelës.\n").unwrap();
    std::fs::write(&sr, "Opština: Junik\nDa li želite da ispraznite smeće?\nGreška pri premeštanju datoteke.\n").unwrap();
    let args = ["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--compare-last"];
    let first = audit(dir.path(), &args);
    assert!(String::from_utf8_lossy(&first.stderr).contains("no earlier audit"), "{}", String::from_utf8_lossy(&first.stderr));
    std::fs::write(&sq, "Komuna: Junik\nZbraz koshin para se të kryhet zmontimi?\nGabim gjatë lëvizjes së kartelës.\n").unwrap();
    std::fs::write(&sr, "Opština: Junik\nDa li želite da ispraznite smeće?\nGreška pri premeštanju dаtoteke.\n").unwrap();
    let second = audit(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&second.stderr);
    // Unchanged findings depend on the dictionaries installed (a spelling warning on this
    // text with Debian's); the fixed and new ones do not.
    assert!(stderr.contains("1 fixed, 1 new, "), "{stderr}");
    assert!(stderr.contains("fixed  mixed-script sq:2 \"kоshin\""), "{stderr}");
}

#[test]
fn audit_dir_handles_two_hundred_documents() {
    let dir = tempfile::tempdir().unwrap();
    let site = tempfile::tempdir().unwrap();
    let sentences_sq = ["Komuna njofton banorët për orarin e ri të punës.", "Afati për aplikim është 15 ditë.", "Kuvendi mblidhet të hënën në orën 10:00."];
    let sentences_sr = ["Opština obaveštava građane o novom radnom vremenu.", "Rok za prijavu je 15 dana.", "Skupština zaseda u ponedeljak u 10:00 časova."];
    for doc in 0..200 {
        let folder = site.path().join(format!("lajme/{:02}", doc % 20));
        std::fs::create_dir_all(&folder).unwrap();
        let sq: String = (0..3).map(|i| format!("{}\n", sentences_sq[(doc + i) % 3])).collect();
        std::fs::write(folder.join(format!("njoftim{doc}.sq.txt")), format!("Njoftimi {doc}\n{sq}")).unwrap();
        // Every tenth document has no Serbian version.
        if doc % 10 != 0 {
            let sr: String = (0..3).map(|i| format!("{}\n", sentences_sr[(doc + i) % 3])).collect();
            std::fs::write(folder.join(format!("njoftim{doc}.sr.txt")), format!("Obaveštenje {doc}\n{sr}")).unwrap();
        }
    }
    let out = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["audit-dir", site.path().to_str().unwrap(), "-o", out.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "missing versions are errors: {}", String::from_utf8_lossy(&output.stderr));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("200 documents, 20 without a counterpart"), "{table}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["documents"], 200);
    assert_eq!(summary["without_counterpart_documents"].as_array().unwrap().len(), 20);
    assert!(table.contains("without a counterpart in the other official language:\n  lajme/00/njoftim0"), "{table}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 201);
}

#[test]
fn a_po_file_audits_its_own_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let po = work.path().join("nautilus.sq.po");
    std::fs::write(
        &po,
        "msgid \"\"\nmsgstr \"\"\n\"Language: sq\\n\"\n\nmsgid \"The file could not be saved.\"\nmsgstr \"Kartela nuk mund të ruhej.\"\n\n\
         msgid \"Delete all items in the trash?\"\nmsgstr \"Delete all items in the trash?\"\n\nmsgid \"Open\"\nmsgstr \"\"\n",
    )
    .unwrap();
    let output = audit(dir.path(), &["--sq", po.to_str().unwrap(), "--no-history"]);
    let json = stdout_json(&output);
    let found: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["check"].as_str().unwrap().to_string(), f["lang"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    // Units are numbered 1, 2, 3 on both sides; the English side joins the audit.
    assert!(found.contains(&("wrong-language".to_string(), "sq".to_string(), 2)), "{found:?}");
    assert!(found.contains(&("missing-segment".to_string(), "sq".to_string(), 3)), "{found:?}");
    assert!(found.contains(&("missing-version".to_string(), "sr".to_string(), 0)), "{found:?}");
    let missing_side = audit(dir.path(), &["--sr", po.to_str().unwrap()]);
    assert_eq!(missing_side.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing_side.stderr).contains("has no Serbian side"));
}

/// The audit of two versions over HTTP, with the query `query` and the bearer `token`.
fn post_audit(server: &crate::http::TestServer, query: &str, token: Option<&str>, sq: &str, sr: &str) -> (u16, serde_json::Value) {
    use reqwest::blocking::multipart::{Form, Part};
    let form = || {
        Form::new()
            .part("sq", Part::bytes(sq.as_bytes().to_vec()).file_name("vendim.sq.txt"))
            .part("sr", Part::bytes(sr.as_bytes().to_vec()).file_name("vendim.sr.txt"))
    };
    // A request refused before its body is read may see the connection closed while the body
    // is still being sent; only such transport failures are tried again.
    for _ in 0..10 {
        let mut request = crate::http::client().post(server.url(&format!("/api/v1/audit{query}"))).multipart(form());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Ok(response) = request.send() {
            let status = response.status().as_u16();
            let text = response.text().expect("body");
            return (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}")));
        }
    }
    panic!("no answer from the audit route");
}

#[test]
fn audit_history_over_http_records_and_compares() {
    use termbridge::store::Role;
    let server = crate::http::TestServer::start(termbridge::api::ServeConfig::default());
    let editor = server.token(Role::Editor);
    let reader = server.token(Role::Reader);
    let before = ("Komuna: Junik\nZbraz kоshin para se të kryhet zmontimi?\n", "Opština: Junik\nDa li želite da ispraznite smeće?\n");
    let after = ("Komuna: Junik\nZbraz koshin para se të kryhet zmontimi?\n", "Opština: Junik\nDa li želite da ispraznite smeće?\n");

    // Recording is a write: anonymous callers and readers are refused.
    let (status, body) = post_audit(&server, "?record=true", None, before.0, before.1);
    assert_eq!(status, 401, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("record"), "{body}");
    let (status, body) = post_audit(&server, "?record=true", Some(&reader), before.0, before.1);
    assert_eq!(status, 403, "{body}");

    // Nothing recorded yet: the comparison is null, and this audit is not recorded.
    let (status, report) = post_audit(&server, "?compare_last=true&id=vendim-12", None, before.0, before.1);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["comparison"], serde_json::Value::Null);
    assert_eq!(report["history"], serde_json::json!({"id": "vendim-12", "recorded": false}));

    let (status, report) = post_audit(&server, "?record=true&id=vendim-12", Some(&editor), before.0, before.1);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["history"], serde_json::json!({"id": "vendim-12", "recorded": true}));
    assert!(report.get("comparison").is_none(), "no comparison unless asked: {report}");
    let first_score = report["summary"]["score"].clone();

    // The homoglyph is fixed: the comparison says so, in the JSON report.
    let (status, report) = post_audit(&server, "?compare_last=true&record=true&id=vendim-12", Some(&editor), after.0, after.1);
    assert_eq!(status, 200, "{report}");
    let comparison = &report["comparison"];
    assert_eq!(comparison["id"], "vendim-12");
    assert_eq!(comparison["previous_score"], first_score);
    assert_eq!(comparison["score"], report["summary"]["score"]);
    let fixed: Vec<&str> = comparison["fixed"].as_array().unwrap().iter().map(|finding| finding["excerpt"].as_str().unwrap()).collect();
    assert_eq!(fixed, ["kоshin"]);
    assert_eq!(comparison["new"], serde_json::json!([]));

    // The last record is now the fixed version: nothing changed since.
    let (_, report) = post_audit(&server, "?compare_last=true&id=vendim-12", None, after.0, after.1);
    assert_eq!(report["comparison"]["fixed"], serde_json::json!([]));

    // Without an id, the document is known by its file names (and municipality), as on the
    // command line; another name is another document.
    let (_, report) = post_audit(&server, "?compare_last=true", None, after.0, after.1);
    assert_eq!(report["comparison"], serde_json::Value::Null);

    // Only the JSON report carries the comparison.
    let (status, body) = post_audit(&server, "?compare_last=true&format=html", None, after.0, after.1);
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("compare_last"), "{body}");
}

#[test]
fn audit_history_parameters_are_documented() {
    let server = crate::http::TestServer::start(termbridge::api::ServeConfig::default());
    let document: serde_json::Value = crate::http::client().get(server.url("/api/v1/openapi.json")).send().unwrap().json().unwrap();
    let parameters = document["paths"]["/api/v1/audit"]["post"]["parameters"].as_array().expect("parameters");
    let names: Vec<&str> = parameters.iter().filter_map(|parameter| parameter["name"].as_str()).collect();
    for name in ["record", "compare_last", "id", "tm"] {
        assert!(names.contains(&name), "{name} is not documented: {names:?}");
    }
}

#[test]
fn text_format_prints_lint_lines_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let sq = work.path().join("a.sq.txt");
    let sr = work.path().join("a.sr.txt");
    std::fs::write(&sq, "Komuna: Junik\nZbraz kоshin para se të kryhet zmontimi?\n").unwrap();
    std::fs::write(&sr, "Opština: Junik\nDa li želite da ispraznite smeće?\n").unwrap();
    let output = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--no-history", "--format", "text"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().find(|line| line.contains("mixed-script")).unwrap_or_else(|| panic!("{text}"));
    let expected_prefix = format!("{}:2:7: ", sq.display());
    assert!(line.starts_with(&expected_prefix), "{line}");
    assert!(line.contains(" mixed-script: "), "{line}");
    assert!(text.lines().any(|line| line.starts_with("check ") && line.ends_with("findings")), "{text}");
    assert!(text.lines().last().unwrap().contains("score"), "{text}");
    // Not a terminal and no --format: the JSON report, as before.
    let output = audit(dir.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--no-history"]);
    assert!(stdout_json(&output)["findings"].is_array());
}

#[test]
fn paragraphs_left_in_english_do_not_change_a_cyrillic_versions_script() {
    // The Serbian version is Cyrillic, but four of its seven paragraphs, the longest, were
    // left in English: they are reported as the wrong language, and the Cyrillic ones are not
    // reported as the wrong script.
    let dir = tempfile::tempdir().unwrap();
    let fixture = |lang: &str| format!("{}/tests/data/audit/left_in_english.{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    let (sq, sr, en) = (fixture("sq"), fixture("sr"), fixture("en"));
    let output = audit(dir.path(), &["--sq", &sq, "--sr", &sr, "--en", &en, "--no-history", "--format", "json"]);
    let report = stdout_json(&output);
    assert_eq!(report["documents"][1]["lang"], "sr");
    assert_eq!(report["documents"][1]["script"], "Cyrl", "{report}");
    let findings = report["findings"].as_array().unwrap();
    let of = |check: &str| findings.iter().filter(|f| f["check"] == check && f["lang"] == "sr").map(|f| f["line"].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(of("wrong-language"), [7, 9, 11, 13], "{report}");
    assert!(of("wrong-script").is_empty(), "{report}");

    // The report is evidence: each document's BLAKE3 hash, the termbridge version and the
    // version of every check that ran.
    for (idx, path) in [&sq, &sr, &en].into_iter().enumerate() {
        assert_eq!(report["documents"][idx]["blake3"], blake3::hash(&std::fs::read(path).unwrap()).to_hex().as_str());
    }
    assert_eq!(report["evidence"]["termbridge"], env!("CARGO_PKG_VERSION"));
    let checks = report["evidence"]["checks"].as_array().unwrap();
    assert!(checks.iter().any(|check| check["id"] == "wrong-script" && check["version"].as_u64() >= Some(1)), "{report}");
    let html = audit(dir.path(), &["--sq", &sq, "--sr", &sr, "--no-history", "--format", "html"]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(html.contains(report["documents"][1]["blake3"].as_str().unwrap()), "the HTML report shows the hashes");
    assert!(html.contains(&format!("termbridge {}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn an_html_page_is_read_as_a_browser_reads_it() {
    // 400 paragraphs without end tags, and text nested 300 elements deep: every paragraph is
    // a segment, and the deep text is there, not a missing version.
    let work = tempfile::tempdir().unwrap();
    let page = |words: &str| {
        let paragraphs: String = (1..=400).map(|n| format!("<p>{words} {n}\n")).collect();
        format!("<!DOCTYPE html><html><body>{paragraphs}{}<p>{words} deep{}</body></html>", "<div>".repeat(300), "</div>".repeat(300))
    };
    let sq = work.path().join("page.sq.html");
    let sr = work.path().join("page.sr.html");
    std::fs::write(&sq, page("Paragrafi i vendimit")).unwrap();
    std::fs::write(&sr, page("Paragraf odluke")).unwrap();
    let output = audit(work.path(), &["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--no-history", "--format", "json"]);
    let report = stdout_json(&output);
    assert_eq!(report["documents"][0]["segments"], 401, "{report}");
    assert_eq!(report["documents"][1]["segments"], 401, "{report}");
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["check"] != "missing-version" && f["check"] != "missing-segment"), "{report}");
}

/// The QA checks through the command line: each finds its defect on the version that has it,
/// the configuration's length limit and checklist apply, clean Serbian „…“ and Albanian «…»
/// quotation and a link that differs only by its language path give nothing, and a checklist
/// rule that does not compile is refused naming the file and line.
#[test]
fn qa_checks_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let write = |name: &str, lines: &[&str]| {
        let path = work.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path.to_str().unwrap().to_string()
    };
    let sq = write(
        "doc.sq.txt",
        &[
            "Komuna: Junik",
            "Shih «Gazetën Zyrtare» në https://kk.rks-gov.net/sq/junik/ për %(count)d vendime.",
            "A e keni lexuar vendimin e kuvendit?",
            "Kërkesa dorëzohet në zyrën e pritjes brenda afatit ligjor.",
            "Ankesa shqyrtohet nga komisioni komunal brenda tetë ditëve.",
        ],
    );
    let sr = write(
        "doc.sr.txt",
        &[
            "Opština: Junik",
            "Vidi „Službeni list“ na https://kk.rks-gov.net/sr/junik/ za %(broj)d odluka.",
            "Da li ste pročitali odluku skupštine.",
            "zahtev se podnosi  u prijemnoj kancelariji (u zakonskom roku.",
            "Molba se razmatra od strane opštinske komisije komisije u roku od osam radnih dana.",
        ],
    );
    let en = write(
        "doc.en.txt",
        &[
            "Municipality: Junik",
            "See the «Official Gazette» at https://kk.rks-gov.net/en/junik/ for %(count)d decisions.",
            "Have you read the assembly's decision?",
            "The request is filed at the reception office within the legal deadline.",
            "The complaint is reviewed by the municipal committee within eight days.",
        ],
    );
    let config = work.path().join("qa.toml");
    std::fs::write(
        &config,
        "[length_limit]\nper_language = { sr = 80 }\n\n[[custom_rules]]\nname = \"request\"\nlang = \"sr\"\npattern = '(?i)\\bmolb\\w*'\nmessage = \"write zahtev\"\n",
    )
    .unwrap();
    let output = audit(dir.path(), &["--sq", &sq, "--sr", &sr, "--en", &en, "--config", config.to_str().unwrap(), "--no-history"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = stdout_json(&output);
    let mut found: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| !matches!(finding["check"].as_str(), Some("missing-version" | "term-missing" | "length-ratio")))
        .map(|finding| (finding["check"].as_str().unwrap().to_string(), finding["lang"].as_str().unwrap().to_string(), finding["line"].as_u64().unwrap()))
        .collect();
    found.sort();
    let expected = |check: &str, line: u64| (check.to_string(), "sr".to_string(), line);
    let mut want = vec![
        expected("placeholder-mismatch", 2),
        expected("end-punctuation", 3),
        expected("whitespace", 4),
        expected("unpaired-brackets", 4),
        expected("capitalization", 4),
        expected("repeated-word", 5),
        expected("length-limit", 5),
        expected("custom-rule", 5),
    ];
    want.sort();
    assert_eq!(found, want, "{}", serde_json::to_string_pretty(&report["findings"]).unwrap());
    let severity = |check: &str| report["findings"].as_array().unwrap().iter().find(|f| f["check"] == check).map(|f| f["severity"].clone());
    assert_eq!(severity("placeholder-mismatch"), Some("error".into()));
    assert_eq!(severity("whitespace"), Some("warning".into()));

    std::fs::write(
        &config,
        "[[custom_rules]]\nname = \"ok\"\npattern = \"a\"\nmessage = \"m\"\n\n[[custom_rules]]\npattern = \"(unclosed\"\nmessage = \"m\"\n",
    )
    .unwrap();
    let refused = audit(dir.path(), &["--sq", &sq, "--sr", &sr, "--config", config.to_str().unwrap(), "--no-history"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("qa.toml: line 7: custom rule 2: invalid regular expression \"(unclosed\""), "{stderr}");
}

#[test]
fn with_two_versions_a_difference_is_placed_on_the_translation() {
    // The Serbian version has a sentence the Albanian one lacks, and a different number.
    let sq = "Neni 1\nKomuna vendos për buxhetin e vitit 2025.\nNeni 2\nVendimi hyn në fuqi pas 15 ditësh.\n";
    let sr =
        "Član 1\nOpština odlučuje o budžetu za 2025. godinu.\nPredsednik potpisuje odluku o budžetu opštine.\nČlan 2\nOdluka stupa na snagu posle 10 dana.\n";
    let work = tempfile::tempdir().unwrap();
    let (sq_path, sr_path) = (work.path().join("odluka.sq.txt"), work.path().join("odluka.sr.txt"));
    std::fs::write(&sq_path, sq).unwrap();
    std::fs::write(&sr_path, sr).unwrap();
    let blamed = |extra: &[&str]| {
        let mut args = vec!["--sq", sq_path.to_str().unwrap(), "--sr", sr_path.to_str().unwrap(), "--no-history", "--format", "json"];
        args.extend_from_slice(extra);
        let report = stdout_json(&audit(work.path(), &args));
        let findings = report["findings"].as_array().unwrap().clone();
        let on = |check: &str| findings.iter().filter(|f| f["check"] == check).map(|f| f["lang"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        (on("missing-segment"), on("number-mismatch"), findings)
    };
    // Albanian is the original by default: both findings are the Serbian translation's.
    let (missing, numbers, findings) = blamed(&[]);
    assert_eq!((missing, numbers), (vec!["sr".to_string()], vec!["sr".to_string()]), "{findings:?}");
    let message = findings.iter().find(|f| f["check"] == "missing-segment").unwrap()["message"].as_str().unwrap().to_string();
    assert!(message.contains("Serbian translation") && message.contains("Albanian original"), "{message}");
    // With Serbian as the original, they are the Albanian translation's.
    let (missing, numbers, findings) = blamed(&["--source", "sr"]);
    assert_eq!((missing, numbers), (vec!["sq".to_string()], vec!["sq".to_string()]), "{findings:?}");
    // An unknown language is refused with the flag's name.
    let output = audit(work.path(), &["--sq", sq_path.to_str().unwrap(), "--source", "xx"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--source"), "{}", String::from_utf8_lossy(&output.stderr));

    // Over HTTP, `source` does the same, and an unknown language is a 400.
    let server = crate::http::TestServer::start(termbridge::api::ServeConfig::default());
    let (status, report) = post_audit(&server, "?source=sr", None, sq, sr);
    assert_eq!(status, 200, "{report}");
    let langs: Vec<&str> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "number-mismatch").map(|f| f["lang"].as_str().unwrap()).collect();
    assert_eq!(langs, ["sq"], "{report}");
    let (status, body) = post_audit(&server, "?source=xx", None, sq, sr);
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("source"), "{body}");
}

#[test]
fn one_stripped_word_in_a_short_line_is_found_with_the_dictionary() {
    // A heading with two words that lost their ë: the document spells neither elsewhere, so
    // only the dictionary can tell. The test dictionaries in tests/data/lexicon stand in for
    // Debian's, so the result does not depend on what the machine has installed.
    let work = tempfile::tempdir().unwrap();
    let (sq, sr) = (work.path().join("njoftim.sq.txt"), work.path().join("njoftim.sr.txt"));
    std::fs::write(&sq, "Njoftim per punesim\n").unwrap();
    std::fs::write(&sr, "Obaveštenje o zapošljavanju\n").unwrap();
    let audit_with = |dict_dir: &Path| {
        let output = Command::new(binary())
            .env("TERMBRIDGE_DICT_DIR", dict_dir)
            .args(["--data-dir"])
            .arg(work.path().join("data"))
            .args(["audit", "--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--no-history", "--format", "json"])
            .output()
            .unwrap();
        let report = stdout_json(&output);
        report["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "missing-diacritics").cloned().collect::<Vec<_>>()
    };
    let found = audit_with(&data("lexicon"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["lang"], "sq");
    assert_eq!(found[0]["suggestion"], "Njoftim për punësim");
    // Without dictionaries, two short words are not evidence enough.
    assert!(audit_with(&work.path().join("no-dictionaries")).is_empty());
}

/// The `inconsistent-translation` findings of an audit-dir report: (line, message).
fn inconsistencies(report: &std::path::Path) -> Vec<(u64, String)> {
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["check"] == "inconsistent-translation")
        .map(|finding| (finding["line"].as_u64().unwrap(), finding["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn audit_dir_finds_one_text_translated_two_ways_in_two_documents() {
    // njoftim, udhezim and vendim translate "Kërkesa dorëzohet në zyrën e pritjes." into
    // Serbian: njoftim in Latin, udhezim the same in Cyrillic, vendim otherwise. "Hap" is
    // translated two ways too, but a single word may rightly be.
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["audit-dir", data("audit/folder").to_str().unwrap(), "-o", out.path().to_str().unwrap()]);
    assert!(output.status.code().is_some_and(|code| code <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(inconsistencies(&out.path().join("njoftim.txt.json")), []);
    assert_eq!(inconsistencies(&out.path().join("udhezim.txt.json")), []);
    let found = inconsistencies(&out.path().join("vendim.txt.json"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 3);
    assert!(found[0].1.contains("njoftim.sr.txt line 3: \"Zahtev se podnosi u prijemnoj kancelariji.\""), "{found:?}");

    // Off in the configuration, off across the folder too.
    let config = dir.path().join("off.toml");
    std::fs::write(&config, "[checks.inconsistent-translation]\nenabled = false\n").unwrap();
    let out_off = tempfile::tempdir().unwrap();
    run(dir.path(), &["audit-dir", data("audit/folder").to_str().unwrap(), "--config", config.to_str().unwrap(), "-o", out_off.path().to_str().unwrap()]);
    assert_eq!(inconsistencies(&out_off.path().join("vendim.txt.json")), []);
}

#[test]
fn audit_compares_with_the_translation_memory_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let imported = run(dir.path(), &["import", data("audit/folder-tm.tsv").to_str().unwrap()]);
    assert_eq!(imported.status.code(), Some(0), "{}", String::from_utf8_lossy(&imported.stderr));
    let folder = data("audit/folder");
    let (sq, sr) = (folder.join("njoftim.sq.txt"), folder.join("njoftim.sr.txt"));
    let args = ["--sq", sq.to_str().unwrap(), "--sr", sr.to_str().unwrap(), "--no-history", "--format", "json"];

    // Without --tm the TM is not read.
    let report = stdout_json(&audit(dir.path(), &args));
    assert_eq!(report["summary"]["by_check"].get("inconsistent-translation"), None, "{report}");

    // With it, the unit whose Albanian is the segment's and whose Serbian differs is named;
    // the unit with the same translation (tm-2) and the longer one (tm-3) are not.
    let mut with_tm = args.to_vec();
    with_tm.push("--tm");
    let report = stdout_json(&audit(dir.path(), &with_tm));
    let found: Vec<(u64, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["check"] == "inconsistent-translation")
        .map(|finding| (finding["line"].as_u64().unwrap(), finding["message"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [(3, "the sq text of line 3 is translated differently in the translation memory (unit tm-1): \"Zahtev se podnosi u pisarnici.\"")]);

    // audit-dir: the folder's own finding on vendim (named before the TM's), and the TM's on
    // njoftim and udhezim (Cyrillic: the same text as njoftim's, not the TM's).
    let out = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["audit-dir", folder.to_str().unwrap(), "--tm", "-o", out.path().to_str().unwrap()]);
    assert!(output.status.code().is_some_and(|code| code <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let lines =
        |name: &str| inconsistencies(&out.path().join(name)).into_iter().map(|(line, message)| (line, message.contains("unit tm-1"))).collect::<Vec<_>>();
    assert_eq!(lines("njoftim.txt.json"), [(3, true)]);
    assert_eq!(lines("udhezim.txt.json"), [(3, true)]);
    assert_eq!(lines("vendim.txt.json"), [(3, false)]);
}

#[test]
fn audit_over_http_compares_with_the_translation_memory_when_asked() {
    use termbridge::model::lang::LangTag;
    use termbridge::model::{TranslationUnit, Variant};
    let server = crate::http::TestServer::start(termbridge::api::ServeConfig::default());
    let unit = TranslationUnit {
        id: "tm-1".into(),
        collection: "default".into(),
        variants: vec![Variant::new(LangTag::SQ, "Kërkesa dorëzohet në zyrën e pritjes."), Variant::new(LangTag::SR, "Zahtev se podnosi u pisarnici.")],
        props: Default::default(),
        notes: vec![],
        created: None,
        changed: None,
    };
    server.state.workspace.add_units(&[unit]).unwrap();
    let (sq, sr) = ("Komuna: Junik\nKërkesa dorëzohet në zyrën e pritjes.\n", "Opština: Junik\nZahtev se podnosi u prijemnoj kancelariji.\n");
    let (status, report) = post_audit(&server, "", None, sq, sr);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["summary"]["by_check"].get("inconsistent-translation"), None, "{report}");
    let (status, report) = post_audit(&server, "?tm=true", None, sq, sr);
    assert_eq!(status, 200, "{report}");
    let finding = report["findings"].as_array().unwrap().iter().find(|finding| finding["check"] == "inconsistent-translation").expect("a TM finding");
    assert_eq!(finding["line"], 2);
    assert!(finding["message"].as_str().unwrap().contains("(unit tm-1): \"Zahtev se podnosi u pisarnici.\""), "{finding}");
}

#[test]
fn spelling_asks_the_dictionaries_of_dict_dir_and_is_off_without_them() {
    // The test dictionaries in tests/data/lexicon stand in for Debian's, so the result does
    // not depend on what the machine has installed.
    let work = tempfile::tempdir().unwrap();
    let (sq, en) = (work.path().join("ruajtja.sq.txt"), work.path().join("ruajtja.en.txt"));
    std::fs::write(&sq, "Dokumenti u ruajt në dosjje.\nHapeni Dolphin.\n").unwrap();
    std::fs::write(&en, "The document was saved in the folder.\nOpen Dolphin.\n").unwrap();
    let audit_with = |dict_dir: &Path, format: &str| {
        Command::new(binary())
            .args(["--data-dir"])
            .arg(work.path().join("data"))
            .args(["audit", "--sq", sq.to_str().unwrap(), "--en", en.to_str().unwrap(), "--no-history", "--format", format, "--dict-dir"])
            .arg(dict_dir)
            .output()
            .unwrap()
    };
    let report = stdout_json(&audit_with(&data("lexicon"), "json"));
    let found: Vec<&serde_json::Value> = report["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "spelling").collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0]["lang"].as_str(), found[0]["excerpt"].as_str(), found[0]["severity"].as_str()), (Some("sq"), Some("dosjje"), Some("warning")));
    assert_eq!(found[0]["suggestion"], "dosje");
    // Without the dictionaries: no finding, the run succeeds, and the report says why.
    let missing = work.path().join("no-dictionaries");
    let output = audit_with(&missing, "json");
    let report = stdout_json(&output);
    assert!(report["findings"].as_array().unwrap().iter().all(|f| f["check"] != "spelling"), "{report}");
    let spelling = report["evidence"]["checks"].as_array().unwrap().iter().find(|c| c["id"] == "spelling").cloned().unwrap();
    assert!(spelling["note"].as_str().unwrap().contains("off for sq") && spelling["note"].as_str().unwrap().contains("myspell-sq"), "{spelling}");
    let lines = String::from_utf8(audit_with(&missing, "text").stdout).unwrap();
    assert!(lines.contains("note: spelling: off for sq"), "{lines}");
    // --list-checks says so too.
    let output = Command::new(binary())
        .args(["--data-dir"])
        .arg(work.path().join("data"))
        .args(["--json", "audit", "--list-checks", "--dict-dir"])
        .arg(&missing)
        .output()
        .unwrap();
    let listed = stdout_json(&output);
    let spelling = listed["checks"].as_array().unwrap().iter().find(|c| c["id"] == "spelling").cloned().unwrap();
    assert!(spelling["note"].as_str().unwrap().contains("hunspell-sr"), "{spelling}");
}
