//! The crate's own sources read as text: one lexer (comments and literals told apart from
//! code, lines and columns kept) for the tests that read `src/`, the layering test
//! (`layering.rs`) and the check below that no library message names a command-line flag.

use std::path::Path;

/// A source file lexed: its code and its string literals.
pub(crate) struct Lexed {
    /// The source with comments and the contents of literals blanked.
    pub(crate) code: String,
    /// The contents of the string literals, as written (escapes not decoded).
    pub(crate) literals: Vec<String>,
}

/// `source` split into its code, with comments and the contents of string and character
/// literals blanked (lines and columns are kept), and the contents of its string literals.
pub(crate) fn lex(source: &str) -> Lexed {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut literals = Vec::new();
    let mut idx = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while idx < chars.len() {
        let c = chars[idx];
        let next = chars.get(idx + 1).copied();
        if c == '/' && next == Some('/') {
            while idx < chars.len() && chars[idx] != '\n' {
                out.push(' ');
                idx += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while idx < chars.len() {
                if chars[idx] == '/' && chars.get(idx + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    idx += 2;
                } else if chars[idx] == '*' && chars.get(idx + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    idx += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[idx]));
                    idx += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !idx.checked_sub(1).is_some_and(|p| chars[p] != 'b' && is_ident(chars[p])) {
            // A raw string: r"…", r#"…"#, br"…".
            let mut hashes = 0;
            let mut at = idx + 1;
            while chars.get(at) == Some(&'#') {
                hashes += 1;
                at += 1;
            }
            if chars.get(at) != Some(&'"') {
                out.push(c);
                idx += 1;
                continue;
            }
            for _ in idx..=at {
                out.push(' ');
            }
            idx = at + 1;
            let start = idx;
            while idx < chars.len() {
                if chars[idx] == '"' && (0..hashes).all(|k| chars.get(idx + 1 + k) == Some(&'#')) {
                    literals.push(chars[start..idx].iter().collect());
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    idx += 1 + hashes;
                    break;
                }
                out.push(blank(chars[idx]));
                idx += 1;
            }
        } else if c == '"' {
            out.push(' ');
            idx += 1;
            let start = idx;
            while idx < chars.len() && chars[idx] != '"' {
                if chars[idx] == '\\' {
                    out.push(' ');
                    idx += 1;
                }
                if idx < chars.len() {
                    out.push(blank(chars[idx]));
                    idx += 1;
                }
            }
            literals.push(chars[start..idx.min(chars.len())].iter().collect());
            out.push(' ');
            idx += 1;
        } else if c == '\'' && (chars.get(idx + 2) == Some(&'\'') || (next == Some('\\') && chars[idx + 2..].iter().take(10).any(|q| *q == '\''))) {
            // A character literal ('{', '\n', '\u{7f}'); lifetimes ('a) are left alone.
            out.push(' ');
            idx += 1;
            while idx < chars.len() && chars[idx] != '\'' {
                if chars[idx] == '\\' {
                    out.push(' ');
                    idx += 1;
                }
                out.push(' ');
                idx += 1;
            }
            out.push(' ');
            idx += 1;
        } else {
            out.push(c);
            idx += 1;
        }
    }
    Lexed { code: out, literals }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every `.rs` file under `src/`: (path under `src/` with `/`, source), in path order.
pub(crate) fn rust_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    assert!(files.len() > 50, "found only {} files under {}", files.len(), root.display());
    files
}

fn collect(dir: &Path, root: &Path, files: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src/ is readable").map(|entry| entry.expect("src/ entries are readable").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(root).expect("under src/").to_string_lossy().replace('\\', "/");
            files.push((relative, std::fs::read_to_string(&path).expect("sources are UTF-8")));
        }
    }
}

/// The command-line flags a literal names (`--` and a lowercase letter), but for other
/// programs' flags quoted in advice.
fn flags_named(literal: &str) -> Vec<String> {
    const OTHER_PROGRAMS: [&str; 1] = ["msgconv "];
    let dashes = "-".repeat(2);
    let mut flags = Vec::new();
    for (at, _) in literal.match_indices(&dashes) {
        let flag: String = literal[at + 2..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
        let quoted = OTHER_PROGRAMS.iter().any(|program| literal[..at].ends_with(program));
        if flag.starts_with(|c: char| c.is_ascii_lowercase()) && !quoted {
            flags.push(format!("{dashes}{flag}"));
        }
    }
    flags
}

#[test]
fn the_lexer_finds_literals_and_flags() {
    let source = "// \"--no\"\nlet a = '\"'; fn f<'a>() {} let b = \"x --src y\"; let c = r#\"--tgt \"q\"\"#;";
    assert_eq!(lex(source).literals, ["x --src y", "--tgt \"q\""]);
    assert_eq!(flags_named("pass --src and --tgt; -- or --"), ["--src", "--tgt"]);
    assert!(flags_named("convert with msgconv --to-code=UTF-8").is_empty());
}

/// Library messages name what is missing through a `problem::Hint`; only the command line
/// (`cli.rs`, `cli/`, `main.rs`) speaks of flags. Test code (after `#[cfg(test)]`) is not read.
#[test]
fn no_library_message_names_a_command_line_flag() {
    let front_end = |path: &str| path.starts_with("cli/") || path == "cli.rs" || path == "main.rs";
    let mut offenders = Vec::new();
    for (path, source) in rust_sources().iter().filter(|(path, _)| !front_end(path)) {
        let library_code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for literal in lex(library_code).literals {
            for flag in flags_named(&literal) {
                offenders.push(format!("src/{path}: {flag} in {literal:?}"));
            }
        }
    }
    assert!(offenders.is_empty(), "library messages name command-line flags (use a Hint):\n{}", offenders.join("\n"));
}
