//! The command line: text commands, exit codes, error messages, imports.

use super::support::{data, run, run_json};

#[test]
fn translit_prints_latin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = run(dir.path(), &["text", "translit", "Љубљана, Њујорк, џемпер"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "Ljubljana, Njujork, džemper");
    let back = run_json(dir.path(), &["text", "translit", "--to", "cyrl", "Ljubljana, Njujork, džemper"]);
    assert_eq!(back["output"], "Љубљана, Њујорк, џемпер");
}

#[test]
fn normalize_shows_every_tier() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = run_json(dir.path(), &["text", "normalize", "Општина Приштина, 2024."]);
    assert_eq!(report["keys"]["exact"], "Општина Приштина, 2024.");
    assert_eq!(report["keys"]["punct"], "општина приштина 2024");
    assert_eq!(report["keys"]["script"], "opstina pristina 2024");
}

#[test]
fn import_then_stats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = run_json(dir.path(), &["import", data("import/small.tsv").to_str().expect("utf-8")]);
    assert_eq!(summary["read"], 2);
    assert_eq!(summary["stored"], 2);
    let again = run_json(dir.path(), &["import", data("import/small.tsv").to_str().expect("utf-8")]);
    assert_eq!(again["stored"], 0, "re-import adds nothing");
    assert_eq!(again["duplicates"], 2);
    let stats = run_json(dir.path(), &["stats"]);
    assert_eq!(stats["units"], 2);
    assert_eq!(stats["indexed_variants"], 6);
}

#[test]
fn bad_file_is_rejected_whole_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_json(dir.path(), &["import", data("import/small.tsv").to_str().expect("utf-8")]);
    let bad = data("import/bad_fields.tsv");
    let output = run(dir.path(), &["import", bad.to_str().expect("utf-8"), data("import/small.tsv").to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad_fields.tsv:3: 4 fields, the header has 3"), "{stderr}");
    assert_eq!(run_json(dir.path(), &["stats"])["units"], 2, "what was stored before is kept, nothing new is added");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(run(dir.path(), &["no-such-command"]).status.code(), Some(2));
    let output = run(dir.path(), &["text", "stem", "--lang", "de", "Haus"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown language tag"));
    let missing = run(dir.path(), &["import", "/nonexistent/file.tsv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.tsv"));
}

#[test]
fn help_lists_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = run(dir.path(), &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["serve", "import", "reindex", "stats", "text"] {
        assert!(help.contains(command), "--help lacks {command}: {help}");
    }
}

#[test]
fn a_held_data_dir_is_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _held = termbridge::store::Store::open(dir.path()).expect("open");
    let output = run(dir.path(), &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("in use by another termbridge process"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn serve_loads_the_shipped_term_base_on_first_start() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(super::support::binary())
        .args(["--data-dir", dir.path().to_str().expect("utf-8"), "serve", "--addr", "127.0.0.1:0"])
        .env("TERMBRIDGE_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    // The service listens first (answering /readyz 503), loads, then says it is ready.
    let mut steps = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        for (step, text) in [("listening", "is listening"), ("loaded", "loaded the shipped Kosovo term base"), ("ready", "is ready")] {
            if line.contains(text) {
                steps.push(step);
            }
        }
        if line.contains("is ready") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(steps, ["listening", "loaded", "ready"], "the first start loads the shipped term base before it is ready");
    let output = run(dir.path(), &["terms", "lookup", "opstini"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("општина"), "{}", String::from_utf8_lossy(&output.stdout));
}

/// Runs termbridge with `--json` in `work` (so that relative file names stay as given) and
/// parses every line of stdout as JSON.
fn json_lines_in(work: &std::path::Path, data_dir: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let output = std::process::Command::new(super::support::binary())
        .current_dir(work)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--json")
        .args(args)
        .env("TERMBRIDGE_LOG", "warn")
        .output()
        .expect("termbridge runs");
    assert!(output.status.success(), "termbridge {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"))).collect()
}

/// The `--json` outputs of the commands a script relies on, as snapshots (timings redacted).
#[test]
fn json_outputs_are_stable() {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let work = tempfile::tempdir().expect("tempdir");
    std::fs::copy(data("import/small.tsv"), work.path().join("small.tsv")).expect("copy");
    std::fs::write(work.path().join("skips.tsv"), "id\ten\tsq\nok\tOpen the file\tHap skedarin\nempty\t\t\n").expect("write");
    let run_in = |args: &[&str]| json_lines_in(work.path(), data_dir.path(), args);

    insta::assert_json_snapshot!("import", run_in(&["import", "small.tsv"]));
    insta::assert_json_snapshot!("import_with_skips", run_in(&["import", "skips.tsv"]));
    insta::assert_json_snapshot!("stats", run_in(&["stats"]));
    insta::assert_json_snapshot!("export", run_in(&["export", "--format", "tsv", "-o", "out.tsv"]));
    insta::assert_json_snapshot!("tm_match", run_in(&["tm", "match", "Municipal Assembly", "--src", "en", "--top", "2"]), {"[].micros" => "[micros]"});
    insta::assert_json_snapshot!("text_normalize", run_in(&["text", "normalize", "Општина Приштина, 2024."]));
    insta::assert_json_snapshot!("text_lang", run_in(&["text", "lang", "Komuna e Prishtinës njofton qytetarët."]), {"[].confidence" => "[confidence]"});
}

#[test]
fn missing_information_is_asked_for_by_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let po = dir.path().join("messages.po");
    std::fs::write(&po, "msgid \"Mayor\"\nmsgstr \"Kryetari\"\n").unwrap();
    let output = run(dir.path(), &["import", po.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.trim_end().ends_with("messages.po: the catalogue names no Language: in its header; pass --tgt"), "{stderr}");
    let tsv = dir.path().join("corpus.tsv");
    std::fs::write(&tsv, "id\tsrc\ttgt\n1\tMayor\tKryetari\n").unwrap();
    let output = run(dir.path(), &["--json", "import", tsv.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap_or_default()).expect("a JSON error");
    assert_eq!(error["error"]["code"], "bad_input");
    assert!(error["error"]["message"].as_str().unwrap().ends_with("does not name its language; pass --src and --tgt"), "{error}");
    let unknown = dir.path().join("notes.dat");
    std::fs::write(&unknown, "nothing to see\n").unwrap();
    let output = run(dir.path(), &["import", unknown.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("notes.dat: unknown format; pass --format tmx|xliff|po|csv|tsv|text"));
}

#[test]
fn translit_asks_the_dictionaries_in_dict_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dicts = data("lexicon");
    let dicts = dicts.to_str().expect("utf-8");
    let report = run_json(dir.path(), &["text", "translit", "--to", "cyrl", "--dict-dir", dicts, "konjunkcija, konj, vrednost never"]);
    assert_eq!(report["output"], "конјункција, коњ, вредност never");
    assert_eq!(report["dictionary"], true);
    // The rules alone: nj is one letter, no word is English.
    let rules = run_json(dir.path(), &["text", "translit", "--to", "cyrl", "--no-dict", "konjunkcija vrednost never"]);
    assert_eq!(rules["output"], "конјункција вредност невер", "konjunkcija is a listed stem");
    assert_eq!(rules["dictionary"], false);
    let unknown = run_json(dir.path(), &["text", "translit", "--to", "cyrl", "--dict-dir", dicts, "anjon"]);
    assert_eq!(unknown["output"], "анјон", "spelled with н+ј in the dictionary");
}

#[test]
fn translit_without_dictionaries_says_so_and_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-dictionaries");
    let output = run(dir.path(), &["text", "translit", "--to", "cyrl", "--dict-dir", missing.to_str().expect("utf-8"), "anjon never"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "ањон невер");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Serbian dictionaries off") && stderr.contains("sr_RS") && stderr.contains("hunspell-sr"), "{stderr}");
}

#[test]
fn translit_codes_are_kept_unless_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kept = run_json(dir.path(), &["text", "translit", "--to", "cyrl", "--no-dict", "A4, UTF-8, 03/L-040"]);
    assert_eq!(kept["output"], "A4, UTF-8, 03/L-040");
    let translit = run_json(dir.path(), &["text", "translit", "--to", "cyrl", "--no-dict", "--codes", "translit", "A4, UTF-8, 03/L-040"]);
    assert_eq!(translit["output"], "А4, УТФ-8, 03/L-040");
}

#[test]
fn translit_with_the_system_serbian_dictionary() {
    let system = std::path::Path::new(termbridge::lexicon::SYSTEM_DICT_DIR);
    if !system.join("sr_RS.dic").exists() || !system.join("sr_Latn_RS.dic").exists() {
        eprintln!("skipped: {} has no Serbian Hunspell dictionaries (Debian package hunspell-sr)", system.display());
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // Words the split-stem list does not name, split or joined as the dictionary spells them.
    let report = run_json(
        dir.path(),
        &["text", "translit", "--to", "cyrl", "--dict-dir", system.to_str().expect("utf-8"), "anjon, predžalbeni, Andžej, konj, džemper, Njegoš"],
    );
    assert_eq!(report["output"], "анјон, преджалбени, Анджеј, коњ, џемпер, Његош");
}

/// `places show ID` (text and `--json`) and `places export --format geojson [-o FILE]`.
#[test]
fn places_show_and_geojson_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = run(dir.path(), &["places", "show", "mun:drenas"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("municipality mun:drenas: Drenas / Glogovac / Глоговац\n"), "{text}");
    assert!(text.contains("  coordinates: 42.") && text.contains("(seat; seat gns:"), "{text}");
    assert!(text.contains("    Gllogoc (sq; renamed, date unknown): "), "{text}");
    let shown = run_json(dir.path(), &["places", "show", "gns:-78323"]);
    assert_eq!(shown["names"]["sr_latn"], "Elez Han");
    let former = shown["former_names"].as_array().expect("former names");
    assert!(former.iter().any(|name| name["name"] == "Đeneral Janković" && name["period"] == "1914–2012"), "{shown}");

    let output = run(dir.path(), &["places", "show", "gns:1"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no place with id \"gns:1\"") && stderr.contains("places lookup"), "{stderr}");

    let file = dir.path().join("places.geojson");
    let done = run_json(dir.path(), &["places", "export", "--format", "geojson", "-o", file.to_str().expect("path")]);
    assert_eq!(done["features"], 38 + 1547);
    let collection: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("GeoJSON is JSON");
    assert_eq!(collection["type"], "FeatureCollection");
    let drenas = collection["features"].as_array().expect("features").iter().find(|feature| feature["id"] == "mun:drenas").expect("Drenas exported").clone();
    let point = drenas["geometry"]["coordinates"].as_array().expect("point").clone();
    assert!(
        point[0].as_f64().is_some_and(|lon| lon > 20.0 && lon < 21.5) && point[1].as_f64().is_some_and(|lat| lat > 42.0 && lat < 43.0),
        "[lon, lat]: {point:?}"
    );
    assert_eq!(drenas["properties"]["former_names"][0]["name"], "Gllogoc");

    let output = run(dir.path(), &["places", "export", "--kind", "municipality"]);
    assert!(output.status.success());
    let collection: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is GeoJSON");
    assert_eq!(collection["features"].as_array().map(Vec::len), Some(38));
}
