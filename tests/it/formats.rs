//! File formats: golden files read into units (tests/data/formats/NAME.expected.json beside
//! each input; `TERMBRIDGE_BLESS=1` rewrites them, then read the diff), round trips through the
//! writers, refused files, the import/export/align commands end to end, and property tests:
//! no byte sequence makes a reader panic, and write → read is the identity.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use serde_json::json;
use termbridge::formats::tmx::{TmxHeader, TmxWriter};
use termbridge::formats::{Format, FormatError, ReadOptions, read_file};
use termbridge::model::lang::LangTag;
use termbridge::model::{InlineTag, TranslationUnit, Variant};
use termbridge::problem::Classify;

use super::support::{data, run, run_json};

/// Compares `actual` with the golden file `relative` (or rewrites it when blessing).
#[track_caller]
fn golden_text(relative: &str, actual: &str) {
    termbridge::testing::assert_golden(&data(relative), actual);
}

fn read(name: &str, options: &ReadOptions) -> termbridge::formats::Parsed {
    read_file(&data(&format!("formats/{name}")), options).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// Reads `name` and compares units and problems with `name.expected.json`.
fn golden(name: &str, options: &ReadOptions) -> Vec<TranslationUnit> {
    let parsed = read(name, options);
    let problems: Vec<_> = parsed.problems.iter().map(|problem| json!({"line": problem.line, "reason": problem.reason})).collect();
    let rendered = serde_json::to_string_pretty(&json!({"units": parsed.units, "problems": problems})).expect("json") + "\n";
    golden_text(&format!("formats/{name}.expected.json"), &rendered);
    parsed.units
}

fn tmx_bytes(units: &[TranslationUnit]) -> Vec<u8> {
    let mut writer = TmxWriter::new(Vec::new(), &TmxHeader::default()).expect("header");
    for unit in units {
        writer.write_unit(unit).expect("unit");
    }
    writer.finish().expect("finish")
}

/// Writes `units` as TMX to a temporary file and reads them back.
fn tmx_round_trip(units: &[TranslationUnit]) -> Vec<TranslationUnit> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.tmx");
    std::fs::write(&path, tmx_bytes(units)).expect("write");
    read_file(&path, &ReadOptions::default()).expect("read back").units
}

fn langs(src: LangTag, tgt: LangTag) -> ReadOptions {
    ReadOptions { src: Some(src), tgt: Some(tgt), ..ReadOptions::default() }
}

#[test]
fn tmx_inline_tags_props_and_notes() {
    let units = golden("inline.tmx", &ReadOptions::default());
    assert_eq!(units.len(), 3, "the German-only unit is skipped");
    let first = &units[0];
    assert_eq!(first.variants.iter().map(|v| v.lang.to_string()).collect::<Vec<_>>(), ["en", "sq", "sr-Cyrl"]);
    // Inline codes are markup, not text: `{count}` is the content of a `ph`.
    assert_eq!(first.variants[0].text, "Press Save to keep  files in Prishtina.");
    assert_eq!(first.variants[0].inline.len(), 5);
    assert_eq!(tmx_round_trip(&units), units, "TMX → TMX keeps everything");
}

#[test]
fn po_plural_fuzzy_obsolete() {
    let units = golden("plural.po", &ReadOptions::default());
    assert_eq!(units.len(), 6, "context entry, three plural forms, fuzzy entry, multi-line entry");
    assert!(units.iter().any(|unit| unit.props.get("fuzzy").map(String::as_str) == Some("yes")));
    assert_eq!(tmx_round_trip(&units), units);
}

#[test]
fn xliff_1_2_and_2_0() {
    let v1 = golden("v12.xlf", &ReadOptions::default());
    assert_eq!(v1.len(), 3);
    assert_eq!(v1[2].variants[1].lang, LangTag::SR_LATN, "the second <file> has its own target-language");
    let v2 = golden("v2.xlf", &ReadOptions::default());
    assert_eq!(v2.len(), 2, "the empty target is skipped");
    assert_eq!(v2[0].notes.len(), 2);
    // Through TMX the XLIFF tags become TMX codes: texts, props, notes and the number and
    // places of the tags survive.
    for units in [v1, v2] {
        let back = tmx_round_trip(&units);
        assert_eq!(back.len(), units.len());
        for (before, after) in units.iter().zip(&back) {
            assert_eq!((&before.id, &before.props, &before.notes), (&after.id, &after.props, &after.notes));
            for (variant_before, variant_after) in before.variants.iter().zip(&after.variants) {
                assert_eq!(
                    (&variant_before.lang, &variant_before.text, &variant_before.props),
                    (&variant_after.lang, &variant_after.text, &variant_after.props)
                );
                let offsets = |variant: &Variant| variant.inline.iter().map(|tag| tag.offset).collect::<Vec<_>>();
                assert_eq!(offsets(variant_before), offsets(variant_after));
            }
        }
    }
}

#[test]
fn csv_and_tsv_with_bom_crlf_utf16() {
    let csv = golden("quoted.csv", &ReadOptions::default());
    assert_eq!(csv[0].variants[0].text, "Line one\r\nline two");
    let tsv = golden("bom_crlf.tsv", &langs(LangTag::EN, LangTag::SQ));
    assert_eq!(tsv.len(), 3);
    let utf16 = golden("utf16le.tsv", &ReadOptions::default());
    assert_eq!(utf16[1].variants[1].lang, LangTag::SR_CYRL);
    let utf16_tmx = golden("utf16be.tmx", &ReadOptions::default());
    assert_eq!(utf16_tmx[0].variants[1].text, "Mitrovicë e Veriut");
    for units in [csv, tsv, utf16] {
        assert_eq!(tmx_round_trip(&units), units);
        let mut out = Vec::new();
        termbridge::formats::csv::write_csv(&mut out, &units).expect("csv");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("back.csv");
        std::fs::write(&path, out).expect("write");
        let back = read_file(&path, &ReadOptions::default()).expect("read csv back").units;
        // CSV columns come in a fixed language order, so compare the variants sorted.
        let texts = |units: &[TranslationUnit]| {
            units
                .iter()
                .map(|unit| {
                    let mut variants: Vec<_> = unit.variants.iter().map(|v| (v.lang, v.text.clone())).collect();
                    variants.sort();
                    (unit.id.clone(), variants)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&back), texts(&units), "CSV keeps ids, languages and texts");
    }
}

#[test]
fn aligned_text_pair() {
    let options = ReadOptions { langs: vec![LangTag::SQ, LangTag::SR], ..ReadOptions::default() };
    let paths = [data("formats/pair.sq.txt"), data("formats/pair.sr.txt")];
    let parsed = termbridge::formats::text::read_text_files(&[paths[0].as_path(), paths[1].as_path()], &options).expect("read");
    assert_eq!(parsed.units.len(), 3, "the blank line is skipped");
    let scripts: Vec<String> = parsed.units.iter().map(|unit| unit.variants[1].lang.to_string()).collect();
    assert_eq!(scripts, ["sr-Latn", "sr-Cyrl", "sr-Latn"]);
    let uneven = termbridge::formats::text::read_text_files(&[paths[0].as_path(), data("formats/short.en.txt").as_path()], &options).unwrap_err();
    assert!(uneven.to_string().contains("not line-aligned"), "{uneven}");
}

fn refused(name: &str, options: &ReadOptions) -> FormatError {
    match read_file(&data(&format!("formats/{name}")), options) {
        Ok(parsed) => panic!("{name} was read: {} units", parsed.units.len()),
        Err(err) => err,
    }
}

#[test]
fn unsafe_and_broken_files_are_refused_with_their_line() {
    let check = |name: &str, expected: &str| {
        let err = refused(name, &ReadOptions::default());
        let message = err.to_string();
        assert!(message.contains(&format!("{name}:{expected}")), "{name}: {message}");
        assert!(err.is_user_error());
    };
    check("doctype.tmx", "2: refused: the file has a DOCTYPE");
    check("xxe.xlf", "2: refused: the file has a DOCTYPE");
    check("malformed.tmx", "7: malformed XML");
    check("undefined_entity.xlf", "2: undefined entity &copy;");
    check("latin1.csv", "3: field 3 is not UTF-8");
    check("utf16_nobom.tsv", "1: looks like UTF-16 without a byte-order mark");
    let limits = termbridge::formats::Limits { max_file_bytes: 100, ..Default::default() };
    let err = refused("inline.tmx", &ReadOptions { limits, ..ReadOptions::default() });
    assert!(err.to_string().contains("more than the limit of 100"), "{err}");
}

#[test]
fn detection_reads_content() {
    for (name, format) in [
        ("inline.tmx", Format::Tmx),
        ("v12.xlf", Format::Xliff),
        ("plural.po", Format::Po),
        ("quoted.csv", Format::Csv),
        ("utf16le.tsv", Format::Tsv),
        ("utf16be.tmx", Format::Tmx),
        ("pair.sq.txt", Format::Text),
    ] {
        let bytes = std::fs::read(data(&format!("formats/{name}"))).expect("read");
        assert_eq!(termbridge::formats::detect(Path::new(name), &bytes), Some(format), "{name}");
    }
}

// ---- the binary ----

fn path_of(relative: &str) -> String {
    data(relative).to_str().expect("utf-8 path").to_string()
}

#[test]
fn import_every_format_then_export_and_reimport() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let mut expected = 0;
    for (file, extra) in [
        ("formats/inline.tmx", vec![]),
        ("formats/plural.po", vec![]),
        ("formats/v12.xlf", vec![]),
        ("formats/v2.xlf", vec![]),
        ("formats/quoted.csv", vec![]),
        ("formats/bom_crlf.tsv", vec!["--src", "en", "--tgt", "sq"]),
        ("formats/utf16le.tsv", vec![]),
        ("formats/utf16be.tmx", vec![]),
    ] {
        let file = path_of(file);
        let mut args = vec!["import", file.as_str()];
        args.extend(extra);
        let summary = run_json(&store, &args);
        assert_eq!(summary["stored"], summary["read"], "{file}: {summary}");
        expected += summary["read"].as_u64().expect("read");
    }
    let pair = run_json(&store, &["import", "--format", "text", "--langs", "sq,sr", &path_of("formats/pair.sq.txt"), &path_of("formats/pair.sr.txt")]);
    assert_eq!(pair["stored"], 3);
    expected += 3;
    let po = run_json(&store, &["import", &path_of("formats/plural.po")]);
    assert_eq!((po["stored"].as_u64(), po["duplicates"].as_u64(), po["skipped"].as_u64()), (Some(0), Some(6), Some(2)), "{po}");
    assert_eq!(run_json(&store, &["stats"])["units"], expected);

    let exported = dir.path().join("all.tmx");
    let summary = run_json(&store, &["export", "--format", "tmx", "-o", exported.to_str().expect("utf-8")]);
    assert_eq!(summary["written"], expected);
    let copy = dir.path().join("copy");
    let again = run_json(&copy, &["import", exported.to_str().expect("utf-8")]);
    assert_eq!(again["stored"], expected, "every unit comes back from the export");
    assert_eq!(run_json(&copy, &["stats"])["units"], expected);
    // A second export of the copy is the same file: nothing was lost or changed.
    let exported_again = dir.path().join("again.tmx");
    run_json(&copy, &["export", "--format", "tmx", "-o", exported_again.to_str().expect("utf-8")]);
    assert_eq!(std::fs::read_to_string(&exported).expect("read"), std::fs::read_to_string(&exported_again).expect("read"));

    let csv = dir.path().join("all.csv");
    let summary = run_json(&store, &["export", "--format", "csv", "--collection", "default", "-o", csv.to_str().expect("utf-8")]);
    assert_eq!(summary["written"], expected);
    let tsv = dir.path().join("all.tsv");
    let summary = run_json(&store, &["export", "--format", "tsv", "-o", tsv.to_str().expect("utf-8")]);
    assert!(summary["skipped"].as_u64().expect("skipped") >= 2, "units with line breaks cannot go to TSV: {summary}");
}

#[test]
fn bad_files_exit_2_with_file_and_line_and_store_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, expected) in [
        ("formats/doctype.tmx", "doctype.tmx:2: refused"),
        ("formats/xxe.xlf", "xxe.xlf:2: refused"),
        ("formats/malformed.tmx", "malformed.tmx:7: malformed XML"),
        ("formats/latin1.csv", "latin1.csv:3:"),
        ("formats/utf16_nobom.tsv", "utf16_nobom.tsv:1:"),
    ] {
        // The good file is named first: it is parsed but not stored, because all files are
        // parsed before the first write.
        let output = run(dir.path(), &["import", &path_of("formats/inline.tmx"), &path_of(file)]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert_eq!(run_json(dir.path(), &["stats"])["units"], 0, "{file}: nothing stored");
    }
    let output = run(dir.path(), &["import", &path_of("formats/pair.sq.txt")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--langs"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn align_writes_the_golden_tmx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("decision.tmx");
    let summary = run_json(
        dir.path(),
        &[
            "align",
            &path_of("align/decision.sq.txt"),
            &path_of("align/decision.sr.txt"),
            &path_of("align/decision.en.txt"),
            "--langs",
            "sq,sr,en",
            "-o",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(summary["beads"]["1-0"], 1, "the Serbian version lacks one sentence: {summary}");
    let tmx = std::fs::read_to_string(&out).expect("read");
    golden_text("align/decision.expected.tmx", &tmx.replace(env!("CARGO_PKG_VERSION"), "VERSION"));
    let imported = run_json(&dir.path().join("store"), &["import", out.to_str().expect("utf-8")]);
    assert_eq!(imported["stored"], summary["units"]);
}

// ---- properties ----

fn write_temp(bytes: &[u8], name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    (dir, path)
}

const FORMATS: [Format; 6] = [Format::Tmx, Format::Xliff, Format::Po, Format::Csv, Format::Tsv, Format::Text];

/// Pieces of markup that reach deep into the readers.
fn markup_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<tmx version=\"1.4\">".to_string()),
        Just("<body>".to_string()),
        Just("<tu tuid=\"1\">".to_string()),
        Just("<tuv xml:lang=\"sq\">".to_string()),
        Just("<tuv xml:lang=\"sr\">".to_string()),
        Just("<seg>".to_string()),
        Just("</seg></tuv>".to_string()),
        Just("</tu>".to_string()),
        Just("<bpt i=\"1\">&lt;b&gt;</bpt>".to_string()),
        Just("<ph><sub>x</sub></ph>".to_string()),
        Just("<hi>".to_string()),
        Just("</hi>".to_string()),
        Just("<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"sq\">".to_string()),
        Just("<unit id=\"u\"><segment><source>".to_string()),
        Just("</source><target>".to_string()),
        Just("</target></segment></unit>".to_string()),
        Just("<pc id=\"1\">".to_string()),
        Just("</pc>".to_string()),
        Just("&#0;&#xD800;&amp;&foo;".to_string()),
        Just("<![CDATA[x]]>".to_string()),
        Just("msgid \"a\\\"\"\n".to_string()),
        Just("msgstr[1] \"b\\x\"\n".to_string()),
        Just("#~ msgid \"o\"\n".to_string()),
        Just("\"continued\"\n".to_string()),
        Just("id,en,sq\n".to_string()),
        Just("\"a\"\"b\",c\n".to_string()),
        "[a-zA-Zëçšđ<>&\"',\t\n\r\\\\#%{}]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn no_byte_sequence_makes_a_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (_dir, path) = write_temp(&bytes, "input.bin");
        for format in FORMATS {
            let options = ReadOptions { format: Some(format), src: Some(LangTag::EN), tgt: Some(LangTag::SQ), langs: vec![LangTag::SQ], ..ReadOptions::default() };
            let _ = read_file(&path, &options);
        }
    }

    #[test]
    fn no_markup_soup_makes_a_reader_panic(pieces in proptest::collection::vec(markup_piece(), 0..40), bom in 0u8..3) {
        let text: String = pieces.concat();
        let bytes = match bom {
            0 => text.into_bytes(),
            1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            _ => std::iter::once([0xFF, 0xFE]).chain(text.encode_utf16().map(u16::to_le_bytes)).flatten().collect(),
        };
        let (_dir, path) = write_temp(&bytes, "input.xml");
        for format in FORMATS {
            let options = ReadOptions { format: Some(format), langs: vec![LangTag::SQ], ..ReadOptions::default() };
            let _ = read_file(&path, &options);
        }
    }

    #[test]
    fn tmx_write_then_read_is_the_identity(units in proptest::collection::vec(unit(), 1..6)) {
        prop_assert_eq!(tmx_round_trip(&units), units);
    }

    #[test]
    fn csv_write_then_read_is_the_identity(units in proptest::collection::vec(plain_unit("[a-zA-Zëçšđ ,\"\n\r.?]{1,20}"), 1..6)) {
        let mut out = Vec::new();
        termbridge::formats::csv::write_csv(&mut out, &units).expect("csv");
        let (_dir, path) = write_temp(&out, "units.csv");
        let back = read_file(&path, &ReadOptions::default()).expect("read back").units;
        prop_assert_eq!(back, units);
    }

    #[test]
    fn tsv_write_then_read_is_the_identity(units in proptest::collection::vec(plain_unit("[a-zA-Zëçšđ ,\".?]{1,20}"), 1..6)) {
        let mut out = Vec::new();
        prop_assert!(termbridge::formats::tsv::write_tsv(&mut out, &units).expect("tsv").is_empty());
        let (_dir, path) = write_temp(&out, "units.tsv");
        let back = read_file(&path, &ReadOptions::default()).expect("read back").units;
        prop_assert_eq!(back, units);
    }
}

const TAGS: [LangTag; 6] = [LangTag::SQ, LangTag::SR_CYRL, LangTag::SR_LATN, LangTag::EN, LangTag::TR, LangTag::BS];

/// Text the XML layer carries unchanged: NFC, no characters XML 1.0 forbids, no combining
/// marks (a tag between a letter and its mark would change NFC).
const TEXT: &str = "[a-zA-Z0-9 ëçšđžćčЉљАБВабв.,!?<>&\"'\t\n\r]{0,24}";

fn inline_tag(text_len: usize) -> impl Strategy<Value = InlineTag> {
    (
        0..=text_len,
        prop_oneof![Just("bpt"), Just("ept"), Just("ph"), Just("it"), Just("ut")],
        proptest::collection::vec(("[a-z]{1,5}", "[a-zA-Z0-9 <&\"\n]{0,6}"), 0..2),
        "[a-zA-Z0-9 <>&/\"]{0,8}",
    )
        .prop_map(|(offset, kind, attrs, content)| {
            let mut seen = std::collections::BTreeSet::new();
            let attrs = attrs.into_iter().filter(|(key, _)| seen.insert(key.clone())).collect();
            InlineTag { offset, kind: kind.to_string(), attrs, content }
        })
}

fn variant() -> impl Strategy<Value = Variant> {
    (0..TAGS.len(), TEXT, proptest::collection::btree_map("[a-z]{1,8}", TEXT, 0..3))
        .prop_flat_map(|(tag_idx, text, props)| {
            // ASCII-only offsets are char boundaries; map them onto the text's boundaries.
            let boundaries: Vec<usize> = text.char_indices().map(|(idx, _)| idx).chain(std::iter::once(text.len())).collect();
            let n = boundaries.len() - 1;
            (Just(tag_idx), Just(text), Just(props), proptest::collection::vec(inline_tag(n), 0..4), Just(boundaries))
        })
        .prop_map(|(tag_idx, text, props, mut inline, boundaries)| {
            for tag in &mut inline {
                tag.offset = boundaries[tag.offset];
            }
            inline.sort_by_key(|tag| tag.offset);
            Variant { lang: TAGS[tag_idx], text, inline, props }
        })
}

fn unit() -> impl Strategy<Value = TranslationUnit> {
    (
        "[a-zA-Z0-9_:.\\-]{1,12}",
        prop_oneof![Just("default".to_string()), "[a-z]{1,8}"],
        proptest::collection::vec(variant(), 1..4),
        proptest::collection::btree_map("[a-z]{1,8}", TEXT, 0..3),
        proptest::collection::vec(TEXT, 0..3),
        proptest::option::of("[0-9]{8}T[0-9]{6}Z"),
        proptest::option::of("[0-9]{8}T[0-9]{6}Z"),
        proptest::option::of("[a-z]{1,8}"),
    )
        .prop_map(|(id, collection, variants, mut props, notes, created, changed, creator)| {
            if let Some(creator) = creator {
                props.insert("tmx:creationid".to_string(), creator);
            }
            TranslationUnit { id, collection, variants, props, notes, created, changed }
        })
}

/// A unit CSV and TSV can hold: id and texts in distinct languages, in column order.
fn plain_unit(text: &'static str) -> impl Strategy<Value = TranslationUnit> {
    ("[a-zA-Z0-9_]{1,10}", proptest::collection::btree_map(0..TAGS.len(), text, 1..4)).prop_map(|(id, texts): (String, BTreeMap<usize, String>)| {
        let variants = texts.into_iter().map(|(tag_idx, text)| Variant::new(TAGS[tag_idx], text)).collect();
        TranslationUnit { id, collection: "default".into(), variants, props: BTreeMap::new(), notes: Vec::new(), created: None, changed: None }
    })
}

#[test]
fn every_format_keeps_the_context() {
    let options = ReadOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), ..ReadOptions::default() };
    for (file, expected) in [
        ("menu.po", vec![("Open", Some("menu")), ("Open", Some("door")), ("Save the file", None), ("Close %s", None)]),
        ("menu.xlf", vec![("Open", Some("menu.open")), ("Save", Some("2"))]),
        // The tuid is the context of an imported TMX unit (below); the reader keeps the prop.
        ("menu.tmx", vec![("Open", None), ("Open", Some("door")), ("Close", None)]),
        ("menu.tsv", vec![("Open", Some("menu")), ("Open", Some("door")), ("Close", None)]),
        ("menu.csv", vec![("Open", Some("menu")), ("Open", Some("door, front"))]),
    ] {
        let parsed = read_file(&data(&format!("tm/context/{file}")), &options).expect(file);
        let found: Vec<(&str, Option<&str>)> = parsed.units.iter().map(|unit| (unit.variants[0].text.as_str(), unit.context())).collect();
        assert_eq!(found, expected, "{file}");
    }
}

#[test]
fn an_import_keeps_neighbours_and_tmx_tuids_as_context() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_json(dir.path(), &["import", "--src", "en", "--tgt", "sq", data("tm/context/menu.tsv").to_str().expect("utf-8")]);
    let (workspace, _) = termbridge::Workspace::open(dir.path(), &mut |_, _| {}).expect("open");
    let contexts = |workspace: &termbridge::Workspace| -> Vec<(String, Option<String>)> {
        let mut found: Vec<(String, Option<String>)> =
            workspace.store.records().map(|record| record.expect("record").unit).map(|unit| (unit.id.clone(), unit.context().map(str::to_string))).collect();
        found.sort();
        found
    };
    assert_eq!(contexts(&workspace), [("c1".to_string(), None), ("d1".to_string(), Some("door".to_string())), ("m1".to_string(), Some("menu".to_string()))]);
    let mut found: Vec<(String, Option<String>, Option<String>)> = workspace
        .store
        .records()
        .map(|record| {
            let unit = record.expect("record").unit;
            let (prev, next) = unit.neighbours();
            (unit.id.clone(), prev.map(str::to_string), next.map(str::to_string))
        })
        .collect();
    found.sort();
    let key = termbridge::model::neighbour_key;
    assert_eq!(
        found,
        [("c1".to_string(), Some(key("Open")), None), ("d1".to_string(), Some(key("Open")), Some(key("Close"))), ("m1".to_string(), None, Some(key("Open"))),]
    );
    drop(workspace);
    let tmx = tempfile::tempdir().expect("tempdir");
    run_json(tmx.path(), &["import", data("tm/context/menu.tmx").to_str().expect("utf-8")]);
    let (workspace, _) = termbridge::Workspace::open(tmx.path(), &mut |_, _| {}).expect("open");
    assert_eq!(
        contexts(&workspace),
        [("7".to_string(), Some("door".to_string())), ("8".to_string(), Some("8".to_string())), ("menu.open".to_string(), Some("menu.open".to_string()))]
    );
}
