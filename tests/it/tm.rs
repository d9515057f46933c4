//! Translation memory over the real binary: fuzzy match in both Serbian scripts, tiers,
//! number substitution, concordance highlights, and the `tm bench` output contract.

use super::support::{binary, data, run, run_json};

/// A data directory with tests/data/tm/units.tsv imported.
fn imported() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = run_json(dir.path(), &["import", data("tm/units.tsv").to_str().expect("utf-8")]);
    assert_eq!(summary["stored"], 5);
    dir
}

fn top_hit(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["tm", "match"];
    all.extend_from_slice(args);
    let result = run_json(dir, &all);
    result["hits"][0].clone()
}

#[test]
fn serbian_matches_across_scripts_with_tier_script() {
    let dir = imported();
    // Stored in Cyrillic, asked in Latin.
    let hit = top_hit(dir.path(), &["--src", "sr", "--tgt", "sq", "Opština Priština"]);
    assert_eq!(hit["id"], "m1");
    assert_eq!(hit["source"], "Општина Приштина");
    assert_eq!(hit["tier"], "script");
    assert_eq!(hit["score"], 100.0);
    assert_eq!(hit["target"], "Komuna e Prishtinës");
    // Stored in Latin, asked in Cyrillic.
    let hit = top_hit(dir.path(), &["--src", "sr", "--tgt", "en", "Скупштина општине"]);
    assert_eq!(hit["id"], "m2");
    assert_eq!(hit["source"], "Skupština opštine");
    assert_eq!(hit["tier"], "script");
    assert_eq!(hit["target"], "Municipal Assembly");
    // A Serbian target in the script asked for.
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sr-Latn", "Municipality of Prishtina"]);
    assert_eq!(hit["target"], "Opština Priština");
}

#[test]
fn tiers_and_fuzzy_scores() {
    let dir = imported();
    for (query, src, tier, score) in [
        ("Municipality of Prishtina", "en", "exact", 100.0),
        ("municipality of prishtina", "en", "case", 92.0),
        ("Municipality of Prishtina!", "en", "punct", 96.15),
        ("Komuna e Prishtines", "sq", "diacritics", 94.74),
        ("Municipality of Prizren", "en", "fuzzy", 80.0),
    ] {
        let hit = top_hit(dir.path(), &["--src", src, query]);
        assert_eq!(hit["id"], "m1", "{query}");
        assert_eq!(hit["tier"], tier, "{query}");
        assert_eq!(hit["score"], score, "{query}");
    }
}

#[test]
fn changed_numbers_are_reported_and_substituted() {
    let dir = imported();
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "Decision 12 of 2025"]);
    assert_eq!(hit["id"], "d1");
    assert_eq!(hit["numbers"], serde_json::json!([{"source": "11", "query": "12"}, {"source": "2024", "query": "2025"}]));
    assert_eq!(hit["patched_target"], "Vendimi 12 i vitit 2025");
    assert_eq!(hit["target"], "Vendimi 11 i vitit 2024");
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sr", "Decision 12 of 2024"]);
    assert_eq!(hit["patched_target"], "Одлука 12 из 2024");
}

/// `--json tm match` on tests/data/tm/patch_units.tsv: each kind of patch with its fields.
#[test]
fn patched_hits_carry_their_patches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = run_json(dir.path(), &["import", data("tm/patch_units.tsv").to_str().expect("utf-8")]);
    assert_eq!(summary["stored"], 3);
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "Municipal Assembly of Gjilan"]);
    assert_eq!(hit["id"], "p1");
    assert_eq!(hit["target"], "Kuvendi i Komunës së Prishtinës");
    assert_eq!(hit["patched_target"], "Kuvendi i Komunës së Gjilanit");
    assert_eq!(hit["patches"], serde_json::json!([{"from": "Prishtinës", "to": "Gjilanit", "kind": "place", "start": 23, "end": 31}]));
    assert_eq!(hit["tier"], "fuzzy");
    let (score, patched_score) = (hit["score"].as_f64().unwrap_or(100.0), hit["patched_score"].as_f64().unwrap_or(100.0));
    assert!(score < patched_score && patched_score < 100.0, "{hit}");
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sr-Cyrl", "Municipal Assembly of Gjilan"]);
    assert_eq!(hit["patched_target"], "Скупштина општине Гњилане");

    let query = "The law 04/L-174 enters into force on 15 September 2025.";
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", query]);
    assert_eq!(hit["patched_target"], "Ligji 04/L-174 hyn në fuqi më 15 shtator 2025.");
    let kinds: Vec<&str> = hit["patches"].as_array().map(|patches| patches.iter().filter_map(|patch| patch["kind"].as_str()).collect()).unwrap_or_default();
    assert_eq!(kinds, ["code", "date"]);
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sr-Latn", query]);
    assert_eq!(hit["patched_target"], "Zakon 04/L-174 stupa na snagu 15. septembra 2025.");

    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "The fee is 2,350.25 euros."]);
    assert_eq!(hit["patched_target"], "Taksa është 2.350,25 euro.");
    assert_eq!(hit["patches"][0]["kind"], "number");
    let patched = hit["patched_target"].as_str().unwrap_or_default();
    let (start, end) = (hit["patches"][0]["start"].as_u64().unwrap_or(0) as usize, hit["patches"][0]["end"].as_u64().unwrap_or(0) as usize);
    assert_eq!(&patched[start..end], "2.350,25");

    // An exact match is not patched.
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "The fee is 1,000.5 euros."]);
    assert_eq!(hit["tier"], "exact");
    assert!(hit.get("patched_target").is_none() && hit.get("patched_score").is_none(), "{hit}");
}

#[test]
fn top_and_min_limit_the_hits() {
    let dir = imported();
    let result = run_json(dir.path(), &["tm", "match", "--src", "en", "--top", "2", "Municipal Assembly of Prishtina"]);
    assert_eq!(result["hits"].as_array().map(Vec::len), Some(2));
    assert!(result["micros"].as_u64().is_some());
    let result = run_json(dir.path(), &["tm", "match", "--src", "en", "--min", "99", "Municipal Assembly of Prishtina"]);
    assert_eq!(result["hits"], serde_json::json!([]));
}

#[test]
fn queries_file_gives_jsonl_in_order() {
    let dir = imported();
    let output = run(dir.path(), &["tm", "match", "--src", "en", "--tgt", "sq", "--queries", data("tm/bench_queries.txt").to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).expect("JSON line")).collect();
    let queries: Vec<&str> = lines.iter().map(|line| line["query"].as_str().unwrap_or_default()).collect();
    assert_eq!(queries, ["Delete the selected items", "Save and add another one", "Enter a valid e-mail address", "x"]);
}

#[test]
fn concordance_highlights_in_the_original() {
    let dir = imported();
    let result = run_json(dir.path(), &["tm", "concordance", "komunes", "--lang", "sq"]);
    let line = &result["lines"][0];
    let text = line["text"].as_str().expect("text");
    let (start, end) = (line["start"].as_u64().expect("start") as usize, line["end"].as_u64().expect("end") as usize);
    assert_eq!(text, "Kuvendi i Komunës");
    assert_eq!(&text[start..end], "Komunës");
    assert_eq!(line["tier"], "diacritics");
    assert_eq!(line["translation"], "Municipal Assembly");

    // Script-tolerant: a Latin phrase finds the Cyrillic text, highlighted where it stands.
    let result = run_json(dir.path(), &["tm", "concordance", "Priština", "--lang", "sr"]);
    let line = &result["lines"][0];
    let text = line["text"].as_str().expect("text");
    let (start, end) = (line["start"].as_u64().expect("start") as usize, line["end"].as_u64().expect("end") as usize);
    assert_eq!(&text[start..end], "Приштина");
    assert_eq!(line["tier"], "script");

    // Exact matches come first.
    let result = run_json(dir.path(), &["tm", "concordance", "Komuna"]);
    assert_eq!(result["lines"][0]["tier"], "exact");
    assert_eq!(result["lines"][0]["text"], "Komuna e Prishtinës");
    let human = run(dir.path(), &["tm", "concordance", "Komuna"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("[Komuna] e Prishtinës"), "{}", String::from_utf8_lossy(&human.stdout));
}

#[test]
fn bench_follows_the_peer_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = std::process::Command::new(binary())
        .args(["tm", "bench", "--corpus", data("tm/bench.tsv").to_str().expect("utf-8"), "--queries", data("tm/bench_queries.txt").to_str().expect("utf-8")])
        .current_dir(dir.path())
        .env("TERMBRIDGE_LOG", "warn")
        .output()
        .expect("termbridge runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).expect("JSON line")).collect();
    assert_eq!(lines.len(), 4, "one line a non-empty query");
    for line in &lines {
        assert!(line["micros"].as_u64().is_some(), "{line}");
        let hits = line["hits"].as_array().expect("hits");
        assert!(hits.len() <= 5);
        for hit in hits {
            for field in ["id", "score", "tier", "source", "target"] {
                assert!(!hit[field].is_null(), "{field} missing in {hit}");
            }
        }
    }
    assert_eq!(lines[0]["hits"][0]["id"], "b1");
    assert_eq!(lines[0]["hits"][0]["score"], 84.0);
    assert_eq!(lines[0]["hits"][0]["target"], "Fshij objektet e përzgjedhura");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().expect("summary line");
    assert!(last.starts_with(r#"{"summary": "termbridge""#), "{last}");
    let summary: serde_json::Value = serde_json::from_str(last).expect("summary JSON");
    for key in ["count", "p50_us", "p95_us", "p99_us", "mean_us", "max_us", "empty", "total_s", "load_s", "index_s", "rss_mib", "rows"] {
        assert!(!summary[key].is_null(), "{key} missing in {summary}");
    }
    assert_eq!(summary["count"], 4);
    assert_eq!(summary["rows"], 7);
    // The temporary data directory is gone, and nothing was written to the working directory.
    assert_eq!(std::fs::read_dir(dir.path()).expect("read dir").count(), 0);
}

/// A data directory with the files of tests/data/tm/context imported.
fn with_context(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in files {
        let path = data(&format!("tm/context/{file}"));
        run_json(dir.path(), &["import", "--src", "en", "--tgt", "sq", path.to_str().expect("utf-8")]);
    }
    dir
}

#[test]
fn a_match_in_the_same_context_ranks_first_with_101_and_102() {
    let dir = with_context(&["menu.po"]);
    let result = run_json(dir.path(), &["tm", "match", "--src", "en", "--tgt", "sq", "--min", "50", "--context", "door", "Open"]);
    let hits = result["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "{result}");
    // Both stored translations come back, each with its context; two translations of one
    // source cost each a point.
    assert_eq!(
        hits[0],
        serde_json::json!({"id": "door|Open", "score": 101.0, "tier": "context", "penalised_score": 100.0,
            "penalties": [{"kind": "variants", "points": 1.0}], "context": "door", "source": "Open", "target": "E hapur",
            "source_lang": "en", "target_lang": "sq", "collection": "default"})
    );
    assert_eq!((hits[1]["target"].as_str(), hits[1]["score"].as_f64(), hits[1]["tier"].as_str()), (Some("Hap"), Some(100.0), Some("exact")));
    assert_eq!((hits[1]["context"].as_str(), hits[1]["penalised_score"].as_f64()), (Some("menu"), Some(99.0)));

    // The neighbours in the catalogue: "Open" (menu) before, "Save the file" after.
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "--context", "door", "--prev", "Open", "--next", "Save the file", "Open"]);
    assert_eq!((hit["score"].as_f64(), hit["tier"].as_str(), hit["target"].as_str()), (Some(102.0), Some("context"), Some("E hapur")));
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "--context", "menu", "--prev", "Open", "--next", "Save the file", "Open"]);
    assert_eq!((hit["score"].as_f64(), hit["target"].as_str()), (Some(101.0), Some("Hap")));
    // No context asked: two exact matches.
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "Open"]);
    assert_eq!(hit["tier"], "exact");
}

#[test]
fn penalties_are_shown_and_configurable() {
    let dir = with_context(&["menu.po", "menu.tmx"]);
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "Save the file"]);
    assert_eq!(hit["penalties"], serde_json::json!([{"kind": "unreviewed", "points": 5.0}]));
    assert_eq!((hit["score"].as_f64(), hit["penalised_score"].as_f64()), (Some(100.0), Some(95.0)));
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "Close %d"]);
    assert_eq!(hit["penalties"], serde_json::json!([{"kind": "tags", "points": 1.0}]), "{hit}");
    // The TMX unit last changed in 2010.
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "--context", "8", "Close"]);
    assert_eq!((hit["tier"].as_str(), hit["context"].as_str()), (Some("context"), Some("8")));
    assert_eq!(hit["penalties"], serde_json::json!([{"kind": "age", "points": 1.0}]), "{hit}");

    std::fs::write(dir.path().join("tm.toml"), "[penalties]\nunreviewed = 10\nage = 0\n").expect("write");
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "Save the file"]);
    assert_eq!(hit["penalised_score"].as_f64(), Some(90.0));
    let hit = top_hit(dir.path(), &["--src", "en", "--tgt", "sq", "--context", "8", "Close"]);
    assert!(hit.get("penalties").is_none(), "{hit}");
    std::fs::write(dir.path().join("tm.toml"), "[penalties]\nunreviewd = 10\n").expect("write");
    let output = run(dir.path(), &["tm", "match", "Close"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tm.toml"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn tags_and_placeholders_are_one_symbol_each_and_cost_the_tags_penalty() {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in ["tags.po", "tags.tmx"] {
        let path = data(&format!("tm/tags/{file}"));
        run_json(dir.path(), &["import", "--src", "en", "--tgt", "sq", path.to_str().expect("utf-8")]);
    }
    let hit = |query: &str| top_hit(dir.path(), &["--src", "en", "--tgt", "sq", query]);
    let tags = serde_json::json!([{"kind": "tags", "points": 1.0}]);
    // Markup written in the text: two symbols less, not seven characters (66.67 by characters);
    // equal but for tags, the tier is punct's.
    let found = hit("Click Save now");
    assert_eq!((found["source"].as_str(), found["score"].as_f64(), found["tier"].as_str()), (Some("Click <b>Save</b> now"), Some(87.5), Some("punct")));
    assert_eq!((&found["penalties"], found["penalised_score"].as_f64()), (&tags, Some(86.5)), "{found}");
    let found = hit("Click <b>Save</b> now");
    assert_eq!((found["score"].as_f64(), found["tier"].as_str()), (Some(100.0), Some("exact")));
    assert!(found.get("penalties").is_none(), "{found}");
    // A renamed placeholder is one substitution (86.84 by characters) and a tags penalty.
    let found = hit("Delete %(count)d files from %(name)s");
    assert_eq!((found["score"].as_f64(), &found["penalties"]), (Some(95.24), &tags), "{found}");
    // TMX inline tags take part at their offsets, keyed by their native code.
    let found = hit("Press <i>Open</i> to read the report");
    assert_eq!((found["id"].as_str(), found["score"].as_f64(), found["tier"].as_str()), (Some("open"), Some(100.0), Some("exact")), "{found}");
    assert_eq!(found["source"], "Press Open to read the report");
    assert!(found.get("penalties").is_none(), "{found}");
    let found = hit("Press Open to read the report");
    assert_eq!((found["score"].as_f64(), found["tier"].as_str(), &found["penalties"]), (Some(93.55), Some("punct"), &tags), "{found}");
}

/// A data directory with tests/data/tm/fragments.tsv (en → sq) imported.
fn fragment_memory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = run_json(dir.path(), &["import", data("tm/fragments.tsv").to_str().expect("utf-8")]);
    assert_eq!(summary["stored"], 7);
    dir
}

/// (text, translation, origin, occurrences) of each fragment.
fn fragment_rows(fragments: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    fragments
        .as_array()
        .expect("fragments")
        .iter()
        .map(|fragment| {
            (
                fragment["text"].as_str().unwrap_or_default().to_string(),
                fragment["translation"].as_str().unwrap_or_default().to_string(),
                fragment["origin"].as_str().unwrap_or_default().to_string(),
                fragment["occurrences"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn fragments_of_a_sentence_the_memory_does_not_hold() {
    let dir = fragment_memory();
    let query = "Open the file in a new window";
    let result = run_json(dir.path(), &["tm", "fragments", "--src", "en", "--tgt", "sq", query]);
    assert_eq!(result["query"], query);
    let row = |text: &str, translation: &str, occurrences| (text.to_string(), translation.to_string(), "memory".to_string(), occurrences);
    assert_eq!(fragment_rows(&result["fragments"]), [row("Open the file", "Hap skedarin", 1), row("new window", "dritare të re", 2)]);
    let fragment = &result["fragments"][1];
    assert_eq!((fragment["start"].as_u64(), fragment["end"].as_u64(), fragment["words"].as_u64()), (Some(19), Some(29), Some(2)));
    assert_eq!(fragment["target_lang"], "sq");
    let example = &fragment["example"];
    let target = example["target"].as_str().expect("target");
    let span = example["target_start"].as_u64().unwrap_or(0) as usize..example["target_end"].as_u64().unwrap_or(0) as usize;
    assert_eq!(&target[span], "dritare të re");

    // `tm match --fragments` adds the same list; without the flag there is none.
    let matched = run_json(dir.path(), &["tm", "match", "--src", "en", "--tgt", "sq", "--fragments", query]);
    assert_eq!(matched["fragments"], result["fragments"]);
    let plain = run_json(dir.path(), &["tm", "match", "--src", "en", "--tgt", "sq", query]);
    assert!(plain.get("fragments").is_none(), "{plain}");

    // Human output names each fragment with its translation.
    let output = super::support::run(dir.path(), &["tm", "fragments", "--src", "en", "--tgt", "sq", query]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("new window -> [sq] dritare të re"), "{text}");
}

/// `text symbols` writes each line as the fuzzy score reads it: one symbol a placeholder or
/// tag, equal tags equal symbols, a line without any unchanged (the peer benchmark computes
/// its reference over this).
#[test]
fn text_symbols_writes_each_tag_as_one_symbol() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(super::support::binary())
        .args(["--data-dir", dir.path().to_str().expect("utf-8"), "text", "symbols"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all("Click <b>Save</b> now\nDelete %(count)d files from %(name)s\nSave the file\n".as_bytes()).expect("write");
    let output = child.wait_with_output().expect("output");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let private = |line: &str| line.chars().filter(|c| ('\u{F0000}'..='\u{FFFFD}').contains(c)).count();
    assert_eq!(lines[0].chars().count(), "Click Save now".chars().count() + 2, "{text}");
    assert_eq!((private(lines[0]), private(lines[1])), (2, 2), "{text}");
    assert!(lines[1].starts_with("Delete ") && lines[1].contains(" files from "), "{text}");
    assert_eq!(lines[2], "Save the file");
}
