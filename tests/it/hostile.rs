//! Hostile and broken input, end to end: each file goes through the command a user would run
//! (`import`, `terms import`, `audit`) as a child process whose peak resident memory is taken
//! from the kernel (`wait4`), and must end in a clear error (file, line or position, reason)
//! that stores nothing, or in a safe result, always within 512 MiB.
//!
//! Small files live in tests/data/hostile/; large ones (a zip bomb, a PO catalogue with a
//! million plural forms, a CSV with a 100 MB field, a file without line breaks) are generated
//! into a temporary directory and never committed. The file without line breaks is 256 MiB;
//! `TERMBRIDGE_HOSTILE_LONG=1` makes it 2 GiB. `TERMBRIDGE_HOSTILE_REPORT=FILE` appends one
//! Markdown table row per case (file, outcome, peak RSS, time) to FILE, for BENCHMARKS.md.
//! Times are recorded, never asserted.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::support::{binary, data};

/// The memory every case must stay within.
const MAX_RSS_MIB: f64 = 512.0;

/// What a child process did.
struct Measured {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_rss_mib: f64,
    seconds: f64,
}

/// The environment variable that turns [`rss_probe`] on: it holds the child to run, as JSON.
const PROBE_ENV: &str = "TERMBRIDGE_HOSTILE_PROBE";

/// Runs termbridge with `args` in `cwd` and measures its peak RSS.
///
/// Linux counts into a child's `ru_maxrss` the high-water mark of the process that forked it
/// (it is kept across `exec`), so a child forked from this large, long-lived test process
/// would report this process's peak. The child is therefore started by a small, fresh
/// process: this test binary again, running only [`rss_probe`], which starts termbridge,
/// reaps it with `wait4` and prints its exit code and `ru_maxrss`.
fn run_measured(data_dir: &Path, cwd: &Path, args: &[OsString]) -> Measured {
    let scratch = tempfile::tempdir().expect("tempdir");
    let stdout_path = scratch.path().join("stdout");
    let stderr_path = scratch.path().join("stderr");
    let mut all_args = vec![OsString::from("--data-dir"), data_dir.as_os_str().to_os_string()];
    all_args.extend(args.iter().cloned());
    let spec = serde_json::json!({
        "cwd": path_str(cwd),
        "args": all_args.iter().map(|arg| arg.to_str().expect("test arguments are UTF-8")).collect::<Vec<_>>(),
        "stdout": path_str(&stdout_path),
        "stderr": path_str(&stderr_path),
    });
    let started = Instant::now();
    let probe = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "hostile::rss_probe", "--nocapture", "--test-threads", "1", "--quiet"])
        .env(PROBE_ENV, spec.to_string())
        .stdin(Stdio::null())
        .output()
        .expect("the probe runs");
    let seconds = started.elapsed().as_secs_f64();
    let report = String::from_utf8_lossy(&probe.stdout);
    let line = report
        .lines()
        .find_map(|line| line.strip_prefix("probe: "))
        .unwrap_or_else(|| panic!("the probe reported nothing: {report}{}", String::from_utf8_lossy(&probe.stderr)));
    let result: serde_json::Value = serde_json::from_str(line).expect("probe JSON");
    let code = result["code"].as_i64().map(|code| code as i32);
    let peak_rss_mib = result["maxrss_kib"].as_f64().expect("maxrss") / 1024.0;
    let stdout = String::from_utf8_lossy(&std::fs::read(&stdout_path).expect("child stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&std::fs::read(&stderr_path).expect("child stderr")).into_owned();
    Measured { code, stdout, stderr, peak_rss_mib, seconds }
}

/// Not a test of its own: when [`PROBE_ENV`] is set (by [`run_measured`]), starts the child it
/// describes, reaps it with `wait4` and prints `probe: {"code": …, "maxrss_kib": …}`.
#[test]
#[allow(clippy::zombie_processes, reason = "the child is reaped by wait4, which also gives its resource usage")]
fn rss_probe() {
    let Some(spec) = std::env::var(PROBE_ENV).ok() else { return };
    let spec: serde_json::Value = serde_json::from_str(&spec).expect("probe spec");
    let text = |key: &str| spec[key].as_str().expect("probe spec field").to_string();
    let args: Vec<String> = spec["args"].as_array().expect("args").iter().map(|arg| arg.as_str().expect("arg").to_string()).collect();
    let child = Command::new(binary())
        .current_dir(text("cwd"))
        .args(&args)
        .env("TERMBRIDGE_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(text("stdout")).expect("stdout file"))
        .stderr(std::fs::File::create(text("stderr")).expect("stderr file"))
        .spawn()
        .expect("termbridge starts");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (the `Child` is never waited on), and
    // both out-pointers point at live locals of the right types.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed: {}", std::io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) { Some(libc::WEXITSTATUS(status)) } else { None };
    // Linux reports ru_maxrss in KiB.
    println!("probe: {}", serde_json::json!({"code": code, "maxrss_kib": usage.ru_maxrss}));
}

/// What the store holds: units, term base concepts, audits recorded under the id `hostile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    units: u64,
    concepts: usize,
    audits: usize,
}

fn counts(data_dir: &Path) -> Counts {
    // Another test thread may be starting a child at this moment: between its fork and exec
    // the child holds copies of this process's descriptors, the store lock among them. Wait
    // for the exec instead of failing.
    let mut attempts = 0;
    let store = loop {
        match termbridge::store::Store::open(data_dir) {
            Ok(store) => break store,
            Err(err) if attempts < 100 => {
                attempts += 1;
                eprintln!("store busy ({err}); trying again");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(err) => panic!("store does not open: {err}"),
        }
    };
    Counts {
        units: store.unit_count().expect("unit count"),
        concepts: store.concept_count().expect("concept count"),
        audits: store.audit_count("hostile").expect("audit count"),
    }
}

/// A data directory that already holds units and concepts, so that "stores nothing" is seen
/// against a store that is not empty.
fn seeded_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [vec!["import", path_str(&data("import/small.tsv"))], vec!["terms", "import", path_str(&data("termbase/long.csv"))]] {
        let output = Command::new(binary()).arg("--data-dir").arg(dir.path()).args(&args).env("TERMBRIDGE_LOG", "warn").output().expect("termbridge runs");
        assert!(output.status.success(), "seeding with {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let seeded = counts(dir.path());
    assert!(seeded.units > 0 && seeded.concepts > 0, "{seeded:?}");
    dir
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// What a case must end in.
enum Expect<'a> {
    /// Exit 2, stderr holding every fragment (the file, its line, the reason), nothing stored.
    Error(&'a [&'a str]),
    /// Exit 0 or 1 (an audit with findings), stdout holding every fragment.
    Safe(&'a [&'a str]),
}

/// Runs one case against a seeded store, checks memory, outcome and store, records the row.
fn case(label: &str, args: &[&OsStr], expect: Expect<'_>) -> Measured {
    let store = seeded_store();
    let cwd = tempfile::tempdir().expect("tempdir");
    let before = counts(store.path());
    let args: Vec<OsString> = args.iter().map(|arg| arg.to_os_string()).collect();
    let mut measured = run_measured(store.path(), cwd.path(), &args);
    for _ in 0..20 {
        // The lock copy a concurrent fork holds for a moment (see `counts`).
        if !measured.stderr.contains("is in use by another termbridge process") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        measured = run_measured(store.path(), cwd.path(), &args);
    }
    let after = counts(store.path());
    let outcome = match &expect {
        Expect::Error(_) => format!("error: {}", measured.stderr.lines().last().unwrap_or_default().trim_start_matches("termbridge: error: ")),
        Expect::Safe(_) => format!("exit {}: {}", measured.code.unwrap_or(-1), measured.stdout.lines().next().unwrap_or_default()),
    };
    record(label, &outcome, &measured);
    assert!(
        measured.peak_rss_mib <= MAX_RSS_MIB,
        "{label}: peak RSS {:.0} MiB is more than {MAX_RSS_MIB} MiB; stderr: {}",
        measured.peak_rss_mib,
        measured.stderr
    );
    match expect {
        Expect::Error(fragments) => {
            assert_eq!(measured.code, Some(2), "{label}: expected exit 2 (bad input); stderr: {}", measured.stderr);
            for fragment in fragments {
                assert!(measured.stderr.contains(fragment), "{label}: stderr lacks {fragment:?}: {}", measured.stderr);
            }
            assert!(!measured.stderr.contains("panicked"), "{label}: {}", measured.stderr);
            assert_eq!(after, before, "{label}: an input that is refused stores nothing");
        }
        Expect::Safe(fragments) => {
            assert!(matches!(measured.code, Some(0 | 1)), "{label}: expected exit 0 or 1; stderr: {}", measured.stderr);
            for fragment in fragments {
                assert!(measured.stdout.contains(fragment), "{label}: stdout lacks {fragment:?}: {}", measured.stdout);
            }
        }
    }
    measured
}

/// Appends a Markdown row to `TERMBRIDGE_HOSTILE_REPORT`, if set, and prints it.
fn record(label: &str, outcome: &str, measured: &Measured) {
    let mut outcome = outcome.replace('|', "\\|");
    if outcome.len() > 160 {
        let mut cut = 160;
        while !outcome.is_char_boundary(cut) {
            cut -= 1;
        }
        outcome.truncate(cut);
        outcome.push('…');
    }
    let row = format!("| {label} | {outcome} | {:.0} | {:.2} |", measured.peak_rss_mib, measured.seconds);
    eprintln!("{row}");
    if let Some(report) = std::env::var_os("TERMBRIDGE_HOSTILE_REPORT") {
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(report).expect("open the report");
        writeln!(file, "{row}").expect("write the report");
    }
}

fn hostile(name: &str) -> PathBuf {
    data(&format!("hostile/{name}"))
}

fn os(text: &str) -> &OsStr {
    OsStr::new(text)
}

/// A DOCX holding `document_xml` as word/document.xml, plus `extra` entries (name, content).
fn write_docx(path: &Path, document_xml: &[u8], extra: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("create docx");
    let mut writer = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in extra {
        writer.start_file(*name, options).expect("start entry");
        writer.write_all(content).expect("write entry");
    }
    writer.start_file("word/document.xml", options).expect("start entry");
    writer.write_all(document_xml).expect("write entry");
    writer.finish().expect("finish zip");
}

const SAFE_DOCUMENT_XML: &str = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\
    <w:p><w:r><w:t>Komuna e Prishtinës</w:t></w:r></w:p></w:body></w:document>";

#[test]
fn entity_expansion_and_external_entities_are_refused() {
    for kind in ["laughs", "xxe"] {
        for extension in ["tmx", "xlf"] {
            let file = hostile(&format!("{kind}.{extension}"));
            let name = format!("{kind}.{extension}:2: refused: the file has a DOCTYPE");
            case(&format!("{kind}.{extension} (import)"), &[os("import"), file.as_os_str()], Expect::Error(&[&name]));
            // The same file as an audit input (a bilingual document).
            let flag = if extension == "tmx" { "--en" } else { "--sq" };
            case(
                &format!("{kind}.{extension} (audit)"),
                &[os("audit"), os("--id"), os("hostile"), os(flag), file.as_os_str()],
                Expect::Error(&[&format!("{kind}.{extension}: not a readable bilingual file: line 2: a DOCTYPE is not accepted")]),
            );
        }
        let tbx = hostile(&format!("{kind}.tbx"));
        case(
            &format!("{kind}.tbx (terms import)"),
            &[os("terms"), os("import"), tbx.as_os_str()],
            Expect::Error(&[&format!("{kind}.tbx:2: DOCTYPE declarations are refused")]),
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let docx = dir.path().join(format!("{kind}.docx"));
        write_docx(&docx, &std::fs::read(hostile(&format!("{kind}.document.xml"))).expect("read corpus"), &[]);
        case(
            &format!("{kind}.docx (audit)"),
            &[os("audit"), os("--id"), os("hostile"), os("--sq"), docx.as_os_str()],
            Expect::Error(&[&format!("{kind}.docx: not a readable DOCX file: word/document.xml line 2: a DOCTYPE is not accepted")]),
        );
    }
}

#[test]
fn docx_zip_bomb_is_refused() {
    const INFLATED: u64 = 3 << 30;
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.docx");
    {
        // Streamed: 3 GiB of spaces inside a paragraph deflate to a few MiB.
        let file = std::fs::File::create(&bomb).expect("create");
        let mut writer = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("word/document.xml", options).expect("start entry");
        writer.write_all(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>").expect("write");
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..(INFLATED >> 20) {
            writer.write_all(&chunk).expect("write");
        }
        writer.write_all(b"</w:t></w:r></w:p></w:body></w:document>").expect("write");
        writer.finish().expect("finish");
    }
    let compressed = std::fs::metadata(&bomb).expect("metadata").len();
    assert!(compressed < 8 << 20, "the bomb is small on disk ({compressed} bytes)");
    case(
        &format!("bomb.docx ({} MiB deflating to 3 GiB, audit)", compressed >> 20),
        &[os("audit"), os("--id"), os("hostile"), os("--sq"), bomb.as_os_str()],
        Expect::Error(&["bomb.docx: not a readable DOCX file: word/document.xml inflates to", "more than the limit of 67108864 (a zip bomb?)"]),
    );

    // The same bomb with its header claiming 1,000 bytes: the reader stops at its own limit.
    let mut bytes = std::fs::read(&bomb).expect("read bomb");
    // The local header of the only entry opens the file; its central header is the last one.
    assert_eq!(&bytes[..4], &[0x50, 0x4B, 0x03, 0x04]);
    let central = bytes.windows(4).rposition(|window| window == [0x50, 0x4B, 0x01, 0x02]).expect("central directory");
    for size_at in [22, central + 24] {
        bytes[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
    }
    let liar = dir.path().join("liar.docx");
    std::fs::write(&liar, &bytes).expect("write liar");
    case(
        "liar.docx (bomb whose header claims 1000 bytes, audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--sq"), liar.as_os_str()],
        Expect::Error(&["liar.docx: not a readable DOCX file"]),
    );
}

#[test]
fn zip_entries_with_traversal_names_are_never_written() {
    let root = tempfile::tempdir().expect("tempdir");
    let nested = root.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("mkdir");
    let docx = nested.join("traversal.docx");
    let absolute = root.path().join("absolute-evil.txt");
    let absolute_name = path_str(&absolute).to_string();
    write_docx(
        &docx,
        SAFE_DOCUMENT_XML.as_bytes(),
        &[("../../evil.txt", b"evil"), ("word/../../../evil2.txt", b"evil"), (&absolute_name, b"evil"), ("..\\..\\evil3.txt", b"evil")],
    );
    let store = seeded_store();
    let args: Vec<OsString> =
        ["audit", "--id", "hostile", "--format", "json", "--sq"].iter().map(OsString::from).chain([docx.clone().into_os_string()]).collect();
    let measured = run_measured(store.path(), &nested, &args);
    record(
        "traversal.docx (`../../evil.txt`, absolute and `..\\` names; audit)",
        &format!("exit {}: the document is read, no entry written", measured.code.unwrap_or(-1)),
        &measured,
    );
    assert!(matches!(measured.code, Some(0 | 1)), "{}", measured.stderr);
    assert!(measured.stdout.contains("\"segments\": 1"), "{}", measured.stdout);
    assert!(measured.peak_rss_mib <= MAX_RSS_MIB);
    for evil in [root.path().join("evil.txt"), root.path().join("a/evil.txt"), root.path().join("evil2.txt"), absolute, root.path().join("evil3.txt")] {
        assert!(!evil.exists(), "{} was written", evil.display());
    }
    let written: Vec<_> = walk(root.path()).into_iter().filter(|path| path != &docx).collect();
    assert!(written.is_empty(), "files appeared: {written:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn invalid_utf8_names_the_line() {
    case("invalid_utf8.csv (import)", &[os("import"), hostile("invalid_utf8.csv").as_os_str()], Expect::Error(&["invalid_utf8.csv:3: field 3 is not UTF-8"]));
    case("invalid_utf8.tmx (import)", &[os("import"), hostile("invalid_utf8.tmx").as_os_str()], Expect::Error(&["invalid_utf8.tmx:3:"]));
    case("invalid_utf8.po (import)", &[os("import"), hostile("invalid_utf8.po").as_os_str()], Expect::Error(&["invalid_utf8.po:6: not UTF-8"]));
    case(
        "invalid_utf8.sq.txt (audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--sq"), hostile("invalid_utf8.sq.txt").as_os_str()],
        Expect::Error(&["invalid_utf8.sq.txt: line 1: not UTF-8 text"]),
    );
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut push = |unit: u16| bytes.extend_from_slice(&if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    if bom {
        push(0xFEFF);
    }
    text.encode_utf16().for_each(&mut push);
    bytes
}

#[test]
fn utf16_with_a_bom_is_read_and_without_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tmx = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n\
               <tu tuid=\"t1\"><tuv xml:lang=\"en\"><seg>Municipality of Prishtina</seg></tuv><tuv xml:lang=\"sq\"><seg>Komuna e Prishtinës 😀</seg></tuv></tu>\n</body></tmx>\n";
    let tsv = "id\ten\tsr-Cyrl\n1\tMayor\tГрадоначелник\n2\tAssembly\tСкупштина\n";
    let files = [
        ("utf16le_bom.tmx", utf16(tmx, true, true)),
        ("utf16be_bom.tsv", utf16(tsv, false, true)),
        ("utf16le_nobom.tsv", utf16(tsv, true, false)),
        ("utf16_lone_surrogate.tsv", [utf16(tsv, true, true), 0xD800u16.to_le_bytes().to_vec(), utf16("x\n", true, false)].concat()),
        ("utf16le_bom.sq.txt", utf16("Komuna e Prishtinës\nVendim\n", true, true)),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    let file = |name: &str| dir.path().join(name).into_os_string();
    let imported = case("utf16le_bom.tmx (import)", &[os("--json"), os("import"), &file("utf16le_bom.tmx")], Expect::Safe(&["\"stored\":1"]));
    assert!(imported.stdout.contains("\"read\":1"), "{}", imported.stdout);
    case("utf16be_bom.tsv (import)", &[os("--json"), os("import"), &file("utf16be_bom.tsv")], Expect::Safe(&["\"stored\":2"]));
    case(
        "utf16le_nobom.tsv (import)",
        &[os("import"), &file("utf16le_nobom.tsv")],
        Expect::Error(&["utf16le_nobom.tsv:1: looks like UTF-16 without a byte-order mark"]),
    );
    case(
        "utf16_lone_surrogate.tsv (import)",
        &[os("import"), &file("utf16_lone_surrogate.tsv")],
        Expect::Error(&["utf16_lone_surrogate.tsv:4: invalid UTF-16: lone surrogate 0xd800"]),
    );
    case(
        "utf16le_bom.sq.txt (audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--format"), os("json"), os("--sq"), &file("utf16le_bom.sq.txt")],
        Expect::Safe(&["Komuna e Prishtinës"]),
    );
}

#[test]
fn nul_bytes_are_refused_with_their_line() {
    case("nul.tsv (import)", &[os("import"), hostile("nul.tsv").as_os_str()], Expect::Error(&["nul.tsv:3: NUL byte at byte"]));
    case("nul.tmx (import)", &[os("import"), hostile("nul.tmx").as_os_str()], Expect::Error(&["nul.tmx:3: NUL byte at byte"]));
    // An audit reads a NUL as a control character of the text: no crash, no markup.
    case(
        "nul.sq.txt (audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--format"), os("json"), os("--sq"), hostile("nul.sq.txt").as_os_str()],
        Expect::Safe(&["\"documents\""]),
    );
}

#[test]
fn deep_nesting_is_refused_or_flattened() {
    const DEPTH: usize = 100_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let nest = |open: &str, close: &str| format!("{}text{}", open.repeat(DEPTH), close.repeat(DEPTH));
    let files = [
        ("deep.tmx", format!("<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n{}</body></tmx>", nest("<tu>", "</tu>"))),
        (
            "deep.xlf",
            format!("<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"sq\"><body>\n{}</body></file></xliff>", nest("<group>", "</group>")),
        ),
        (
            "deep.tbx",
            format!(
                "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\"><text><body><conceptEntry id=\"c\">\n{}</conceptEntry></body></text></tbx>",
                nest("<note>", "</note>")
            ),
        ),
        ("deep.sq.html", format!("<html><body>\n{}</body></html>", nest("<div>", "</div>"))),
        ("deep.sr.html", format!("<html><body>\n{}</body></html>", nest("<span>", "</span>"))),
    ];
    for (name, content) in &files {
        std::fs::write(dir.path().join(name), content).expect("write");
    }
    let docx = dir.path().join("deep.docx");
    write_docx(&docx, format!("<w:document xmlns:w=\"w\"><w:body><w:p>{}</w:p></w:body></w:document>", nest("<w:r>", "</w:r>")).as_bytes(), &[]);
    let file = |name: &str| dir.path().join(name).into_os_string();
    case("deep.tmx (100,000 levels, import)", &[os("import"), &file("deep.tmx")], Expect::Error(&["deep.tmx:2: refused: elements nested deeper than 64"]));
    case("deep.xlf (100,000 levels, import)", &[os("import"), &file("deep.xlf")], Expect::Error(&["deep.xlf:2: refused: elements nested deeper than 64"]));
    case(
        "deep.tbx (100,000 levels, terms import)",
        &[os("terms"), os("import"), &file("deep.tbx")],
        Expect::Error(&["deep.tbx:2: elements nested deeper than 64"]),
    );
    case(
        "deep.sq.html + deep.sr.html (100,000 levels, audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--format"), os("json"), os("--sq"), &file("deep.sq.html"), os("--sr"), &file("deep.sr.html")],
        Expect::Safe(&["\"documents\""]),
    );
    case(
        "deep.docx (100,000 levels, audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--format"), os("json"), os("--sq"), docx.as_os_str()],
        Expect::Safe(&["\"documents\""]),
    );
}

/// Tags of `html` that could run code: script-capable elements, event handler attributes,
/// `javascript:` URLs, a refresh. The report's own markup has none, so any is the input's.
fn executable_markup(html: &str) -> Vec<String> {
    const ELEMENTS: [&str; 11] = ["script", "iframe", "img", "svg", "object", "embed", "math", "base", "form", "link", "frame"];
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let (tag, after) = read_tag(&rest[start + 1..]);
        rest = after;
        let Some((name, attributes)) = tag else { continue };
        let bad_attribute = attributes.iter().any(|(key, value)| {
            key.starts_with("on") || value.trim_start().starts_with("javascript:") || (name == "meta" && key == "http-equiv" && value == "refresh")
        });
        if ELEMENTS.contains(&name.as_str()) || bad_attribute {
            found.push(format!("<{name} {attributes:?}>"));
        }
    }
    found
}

/// Reads a start tag after its `<`: its name and attributes (quoted values may hold spaces
/// and `>`), and the rest of the text. Not a tag (text such as `a < b`): `None`.
#[allow(clippy::type_complexity)]
fn read_tag(text: &str) -> (Option<(String, Vec<(String, String)>)>, &str) {
    let name: String = text.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() {
        return (None, text);
    }
    let mut rest = &text[name.len()..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return (Some((name, attributes)), rest.get(1..).unwrap_or(""));
        }
        let key_len = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
        let key = rest[..key_len].to_string();
        rest = rest[key_len..].trim_start();
        let mut value = String::new();
        if let Some(after_equals) = rest.strip_prefix('=') {
            let after_equals = after_equals.trim_start();
            let (quote, body) = match after_equals.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &after_equals[1..]),
                _ => (None, after_equals),
            };
            let end = match quote {
                Some(q) => body.find(q).unwrap_or(body.len()),
                None => body.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(body.len()),
            };
            value = body[..end].to_string();
            rest = &body[(end + usize::from(quote.is_some())).min(body.len())..];
        }
        if key.is_empty() {
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        attributes.push((key, value));
    }
}

#[test]
fn audit_report_shows_hostile_html_as_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The file name itself is markup: the report shows the path.
    let sq = dir.path().join("q\"><img src=x onerror=alert(21)>.sq.html");
    std::fs::copy(hostile("script.sq.html"), &sq).expect("copy");
    let report = dir.path().join("report.html");
    let measured = case(
        "script.sq.html + script.sr.html (script, event handlers, javascript: URLs; audit --format html)",
        &[
            os("audit"),
            os("--id"),
            os("hostile"),
            os("--format"),
            os("html"),
            os("-o"),
            report.as_os_str(),
            os("--sq"),
            sq.as_os_str(),
            os("--sr"),
            hostile("script.sr.html").as_os_str(),
        ],
        Expect::Safe(&[]),
    );
    assert!(measured.code.is_some());
    let html = std::fs::read_to_string(&report).expect("the report is written");
    assert_eq!(executable_markup(&html), Vec::<String>::new(), "the report carries executable markup from the input");
    assert!(!html.to_ascii_lowercase().contains("<script"), "no <script in the report");
    // What the documents say is shown, as text.
    assert!(html.contains("Kuvendi i Komunës &lt;script&gt;alert(8)&lt;/script&gt; miraton vendimin."), "escaped text is shown");
    assert!(html.contains("&lt;img src=x onerror=alert(21)&gt;.sq.html"), "the path is shown escaped");
    // Script bodies, attributes and URLs of the page are not document text.
    for absent in ["alert(1)", "alert(4)", "alert(6)", "alert(15)", "alert(16)"] {
        assert!(!html.contains(absent), "{absent} should not be read as text");
    }
    // The JSON report carries the same text unescaped, for machines.
    let json = run_measured(
        dir.path(),
        dir.path(),
        &["audit", "--no-history", "--format", "json", "--sq"].iter().map(OsString::from).chain([sq.into_os_string()]).collect::<Vec<_>>(),
    );
    assert!(json.stdout.contains("<img src=x onerror=alert(21)>.sq.html"), "{}", json.stdout);
}

#[test]
fn po_with_a_million_plural_forms_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let po = dir.path().join("plurals.po");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&po).expect("create"));
    write!(file, "msgid \"\"\nmsgstr \"\"\n\"Language: sr\\n\"\n\nmsgid \"%d decision\"\nmsgid_plural \"%d decisions\"\n").expect("write");
    for form in 0..1_000_000 {
        writeln!(file, "msgstr[{form}] \"{form} одлука\"").expect("write");
    }
    file.flush().expect("flush");
    drop(file);
    // Lines 1-6 are the header and the msgids; msgstr[100] is on line 107.
    case(
        "plurals.po (msgstr[0] … msgstr[999999], import)",
        &[os("import"), po.as_os_str()],
        Expect::Error(&["plurals.po:107: plural form msgstr[100]: termbridge reads at most 100"]),
    );
    // A single msgstr[999999] names its own index.
    let single = dir.path().join("plural_999999.po");
    std::fs::write(&single, "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[999999] \"c\"\n").expect("write");
    case("plural_999999.po (import)", &[os("import"), single.as_os_str()], Expect::Error(&["plural_999999.po:4: plural form msgstr[999999]"]));
    // The audit's bilingual reader keeps only the first form: bounded, nothing refused.
    case(
        "plurals.po (audit)",
        &[os("audit"), os("--id"), os("hostile"), os("--format"), os("json"), os("--sr"), po.as_os_str()],
        Expect::Error(&["plurals.po: file is", "more than the limit of 8388608 for one document version"]),
    );
}

/// Writes `head`, then `size` bytes of `fill` (in 1 MiB blocks), then `tail`.
fn write_filled(path: &Path, head: &[u8], fill: u8, size: u64, tail: &[u8]) {
    let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("create"));
    file.write_all(head).expect("write");
    let block = vec![fill; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n]).expect("write");
        left -= n as u64;
    }
    file.write_all(tail).expect("write");
    file.flush().expect("flush");
}

#[test]
fn csv_with_a_100_mb_field_is_refused() {
    const FIELD: u64 = 100_000_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("field.csv");
    write_filled(&plain, b"id,en,sq\n1,Mayor,Kryetari\n2,\"", b'x', FIELD, b"\",Komuna\n");
    case(
        "field.csv (100 MB quoted field, import)",
        &[os("import"), plain.as_os_str()],
        Expect::Error(&["field.csv:3: refused: a record longer than 16777216 bytes"]),
    );
    // Line breaks inside the quotes do not end the record.
    let lines = dir.path().join("field_lines.csv");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&lines).expect("create"));
        file.write_all(b"id,en,sq\n1,\"").expect("write");
        let line = [vec![b'y'; 79], vec![b'\n']].concat();
        for _ in 0..FIELD / 80 {
            file.write_all(&line).expect("write");
        }
        file.write_all(b"\",Komuna\n").expect("write");
    }
    case(
        "field_lines.csv (100 MB quoted field of 80-byte lines, import)",
        &[os("import"), lines.as_os_str()],
        Expect::Error(&["field_lines.csv:2: refused: a record longer than"]),
    );
    let terms = dir.path().join("terms_field.csv");
    write_filled(&terms, b"concept_id,lang,term,status\nc1,sq,komun\xc3\xab,preferred\nc2,sq,\"", b'z', FIELD, b"\",preferred\n");
    case(
        "terms_field.csv (100 MB term, terms import)",
        &[os("terms"), os("import"), terms.as_os_str()],
        Expect::Error(&["terms_field.csv:3: field 3 is 100000000 bytes, more than the limit of 65536"]),
    );
}

#[test]
fn a_file_without_line_breaks_is_refused_early() {
    let long = std::env::var_os("TERMBRIDGE_HOSTILE_LONG").is_some();
    let size: u64 = if long { 2 << 30 } else { 256 << 20 };
    let label = if long { "2 GiB" } else { "256 MiB" };
    let dir = tempfile::tempdir().expect("tempdir");
    let letters = dir.path().join("letters.bin");
    write_filled(&letters, b"", b'a', size, b"");
    let linked = |name: &str| {
        let path = dir.path().join(name);
        std::fs::hard_link(&letters, &path).expect("hard link");
        path
    };
    let txt = linked("letters.sq.txt");
    let po = linked("letters.po");
    let tsv = linked("letters.tsv");
    let csv = linked("letters.csv");
    let tmx = linked("letters.tmx");
    let tbx = linked("letters.tbx");
    case(
        &format!("letters.sq.txt ({label}, one line; import --langs sq)"),
        &[os("import"), os("--langs"), os("sq"), txt.as_os_str()],
        Expect::Error(&["letters.sq.txt:1: refused: a line longer than 16777216 bytes"]),
    );
    case(&format!("letters.po ({label}, import)"), &[os("import"), po.as_os_str()], Expect::Error(&["letters.po:1: refused: a line longer than"]));
    case(&format!("letters.tsv ({label}, import)"), &[os("import"), tsv.as_os_str()], Expect::Error(&["letters.tsv:1: refused: a line longer than"]));
    case(&format!("letters.csv ({label}, import)"), &[os("import"), csv.as_os_str()], Expect::Error(&["letters.csv:1: refused: a record longer than"]));
    case(
        &format!("letters.tmx ({label}, import)"),
        &[os("import"), tmx.as_os_str()],
        Expect::Error(&["letters.tmx:1: refused: text or a tag without markup characters longer than"]),
    );
    case(
        &format!("letters.tbx ({label}, terms import)"),
        &[os("terms"), os("import"), tbx.as_os_str()],
        Expect::Error(&["letters.tbx:1: file is", "for a term base"]),
    );
    case(
        &format!("letters.sq.txt ({label}, audit)"),
        &[os("audit"), os("--id"), os("hostile"), os("--sq"), txt.as_os_str()],
        Expect::Error(&["letters.sq.txt: file is", "more than the limit of 8388608 for one document version"]),
    );

    // UTF-16 with a BOM is decoded as it is read, so it is no way around the limit.
    let wide = dir.path().join("wide.tsv");
    {
        let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&wide).expect("create"));
        file.write_all(&[0xFF, 0xFE]).expect("write");
        let block: Vec<u8> = "a".repeat(1 << 19).encode_utf16().flat_map(u16::to_le_bytes).collect();
        // One block short of `size`, so that the BOM does not take the file past the import limit.
        for _ in 1..size / block.len() as u64 {
            file.write_all(&block).expect("write");
        }
        file.flush().expect("flush");
    }
    case(
        &format!("wide.tsv ({label} of UTF-16 without a line break, import)"),
        &[os("import"), wide.as_os_str()],
        Expect::Error(&["wide.tsv:1: refused: a line longer than"]),
    );

    // A sparse file: a header, then zeros the file system does not even store.
    let sparse = dir.path().join("sparse.csv");
    {
        let mut file = std::fs::File::create(&sparse).expect("create");
        file.write_all(b"id,en,sq\n1,\"").expect("write");
        file.set_len(size).expect("set_len");
    }
    case(
        &format!("sparse.csv ({label}, zeros after a header, import)"),
        &[os("import"), sparse.as_os_str()],
        Expect::Error(&["sparse.csv:2: NUL byte at byte 12"]),
    );
}
