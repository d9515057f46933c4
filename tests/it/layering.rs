//! The layering test: no module of `src/` uses a module of a higher layer.
//!
//! The layers, lowest first (a module may use its own layer's files and any lower layer):
//!
//! 0. `problem`, `testing`: structured problems, error classes and hints; the golden-file
//!    helper of the tests. They use nothing of the crate.
//! 1. `model::lang`: languages and tags.
//! 2. `text`: the folding ladder, transliteration, script, language, segments, stems.
//! 3. `model`: translation units, concepts and terms, findings (plain data, uses `text` only
//!    to tell a Serbian text's script and to normalise a neighbour's text before its key).
//! 4. `formats`: readers and writers of file formats.
//! 5. `store`: sled, the source of truth.
//! 6. `index`: tantivy, derived from the store.
//! 7. `memory`, `termbase`, `places`: TM matching, the term base, the place names. The three
//!    are independent of each other.
//! 8. `align`: sentence alignment.
//! 9. `audit`: the language-rights audit.
//! 10. `proofread`: one text checked span by span (runs the audit's checks); `patch`: a TM
//!     hit's target with the query's numbers, dates, codes, place names and terms (uses
//!     `memory`, `termbase`, `places` and the audit's month and placeholder readers).
//! 11. `workspace`: an opened data directory (store, index, match and term indexes kept in
//!     step; TM match and concordance over them).
//! 12. `ops`: backup, restore and check of a data directory.
//! 13. `usecase`: import, audit with history, export, shared by the two front ends.
//! 14. `api`: the HTTP service.
//! 15. `cli`, `main`: the binary.
//!
//! A dependency is a path in code: `crate::x`, `termbridge::x`, `crate::{x, X}` (a crate-root
//! re-export counts as the module it comes from) and `super::` paths that leave the module's
//! top-level folder, in `use` lines and in expressions, types and attributes alike. Comments,
//! doc comments (their links and examples) and string literals are not code and are skipped:
//! a doc link to a higher module is documentation, not a dependency. Modules in one layer may
//! not use each other unless `SAME_LAYER` allows it, and single files may be let through in
//! `EXCEPTIONS`, each with its reason. A module that is in no layer fails the test, so a new
//! folder has to be placed.

use std::collections::BTreeMap;

use super::sources::{lex, rust_sources};

/// The layers, lowest first; a module is placed by its longest listed prefix.
const LAYERS: &[&[&str]] = &[
    &["problem", "testing"],
    &["model::lang"],
    &["text"],
    &["model", "lexicon"],
    &["formats"],
    &["store"],
    &["index"],
    &["memory", "termbase", "places"],
    &["align"],
    &["audit"],
    &["proofread", "patch", "monitor"],
    &["workspace"],
    &["ops"],
    &["usecase"],
    &["api"],
    &["cli", "main"],
];

/// Uses between modules of one layer that are allowed: (user, used). The binary's modules
/// form one program; the library's modules of one layer do not use each other.
const SAME_LAYER: &[(&str, &str)] = &[("main", "cli")];

/// Files allowed to use a higher module: (file under `src/`, used module, why).
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// One use of a higher layer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    /// File under `src/` and 1-based line.
    file: String,
    line: usize,
    /// The module of the file, and the layer entry (`LAYERS`) of the module it uses.
    from: String,
    to: String,
    /// The path as written.
    path: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if layer_of(&self.from).map(|(idx, _)| idx) == layer_of(&self.to).map(|(idx, _)| idx) {
            "a module of the same layer that SAME_LAYER does not allow"
        } else {
            "a higher layer"
        };
        write!(f, "src/{}:{}: `{}` ({}) uses `{}` ({}), {what}", self.file, self.line, self.from, layer_name(&self.from), self.path, layer_name(&self.to))
    }
}

/// The index in `LAYERS` and the matching prefix of a module path (`a::b::c`).
fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for (idx, layer) in LAYERS.iter().enumerate() {
        for prefix in layer.iter() {
            let matches = module == *prefix || module.starts_with(&format!("{prefix}::"));
            if matches && best.is_none_or(|(_, found)| prefix.len() > found.len()) {
                best = Some((idx, prefix));
            }
        }
    }
    best
}

fn layer_name(module: &str) -> String {
    match layer_of(module) {
        Some((idx, prefix)) => format!("layer {idx}, {prefix}"),
        None => "no layer".to_string(),
    }
}

/// The module path of a file under `src/` (`audit/checks/mod.rs` → `audit::checks`).
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifiers of a `{…}` list starting at `text[0] == '{'`, top level only, each with
/// its following `::segment` when it has one (`{a::b, C}` → `a::b`, `C`).
fn brace_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth > 1 {
                    current.push(c);
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    items.push(std::mem::take(&mut current));
                    break;
                }
                current.push(c);
            }
            ',' if depth == 1 => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.into_iter().map(|item| item.split_whitespace().collect::<String>()).filter(|item| !item.is_empty()).collect()
}

/// Names the crate root re-exports, and the module each comes from (`Workspace` →
/// `workspace`), from `lib.rs`'s `pub use` lines.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    for line in lex(lib).code.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else { continue };
        let rest = rest.trim_end_matches(';');
        let Some((module, names)) = rest.split_once("::") else { continue };
        let names = if names.starts_with('{') { brace_items(names) } else { vec![names.to_string()] };
        for name in names {
            let name = name.rsplit("::").next().unwrap_or(&name).to_string();
            exports.insert(name, module.to_string());
        }
    }
    exports
}

/// The crate module a path names: `x::y::Z` → `x::y` as far as it goes down modules
/// (lower-case segments), a root re-export → its module.
fn target_module(segments: &[String], exports: &BTreeMap<String, String>) -> Option<String> {
    let first = segments.first()?;
    if first.chars().next().is_some_and(char::is_uppercase) {
        return exports.get(first).cloned();
    }
    let modules: Vec<&str> = segments
        .iter()
        .map(String::as_str)
        .take_while(|segment| *segment != "self" && segment.chars().next().is_some_and(|c| c.is_lowercase() || c == '_'))
        .collect();
    if modules.is_empty() { None } else { Some(modules.join("::")) }
}

/// Every path into another top-level module of the crate in one file: (line, module used,
/// path as written).
fn uses_of(file: &str, source: &str, exports: &BTreeMap<String, String>) -> Vec<(usize, String, String)> {
    let code = lex(source).code;
    let file_module = module_of(file);
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut line = 1;
    // Inline modules (`mod tests {`) open at a brace depth; `super` inside them first leaves them.
    let mut depth = 0usize;
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut idx = 0;
    while idx < chars.len() {
        let c = chars[idx];
        match c {
            '\n' => line += 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, at)| *at == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        let starts_word = is_ident(c) && (idx == 0 || !(is_ident(chars[idx - 1]) || chars[idx - 1] == ':' || chars[idx - 1] == '$'));
        if !starts_word {
            idx += 1;
            continue;
        }
        let mut end = idx;
        while end < chars.len()
            && (is_ident(chars[end]) || (chars[end] == ':' && chars.get(end + 1) == Some(&':')) || (chars[end] == ':' && end > 0 && chars[end - 1] == ':'))
        {
            end += 1;
        }
        let word: String = chars[idx..end].iter().collect();
        if word == "mod" {
            let rest: String = chars[end..chars.len().min(end + 80)].iter().collect();
            let name: String = rest.trim_start().chars().take_while(|c| is_ident(*c)).collect();
            let after = rest.trim_start()[name.len()..].trim_start();
            if !name.is_empty() && after.starts_with('{') {
                inline.push((name, depth));
            }
        }
        let mut segments: Vec<String> = word.split("::").map(str::to_string).collect();
        let trailing_brace = word.ends_with("::") && chars.get(end) == Some(&'{');
        if word.ends_with("::") {
            segments.pop();
        }
        let absolute: Option<Vec<String>> = match segments.first().map(String::as_str) {
            Some("crate" | "termbridge") if segments.len() > 1 || trailing_brace => Some(segments[1..].to_vec()),
            Some("super") => {
                let mut base: Vec<String> = file_module.clone();
                base.extend(inline.iter().map(|(name, _)| name.clone()));
                let mut rest = &segments[..];
                while rest.first().is_some_and(|segment| segment == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                Some(base)
            }
            _ => None,
        };
        if let Some(absolute) = absolute {
            let targets: Vec<(Vec<String>, String)> = if trailing_brace {
                let list: String = chars[end..].iter().collect();
                brace_items(&list)
                    .into_iter()
                    .map(|item| (absolute.iter().cloned().chain(item.split("::").map(str::to_string)).collect(), format!("{word}{item}")))
                    .collect()
            } else {
                vec![(absolute, word.trim_end_matches("::").to_string())]
            };
            for (target, written) in targets {
                let Some(module) = target_module(&target, exports) else { continue };
                if !found.iter().any(|(at, used, _): &(usize, String, String)| *at == line && *used == module) {
                    found.push((line, module, written));
                }
            }
        }
        idx = end;
    }
    found
}

/// The violations in `files` (path under `src/`, source), the modules in no layer, and how
/// many uses of another module were seen.
fn check_layers(files: &[(String, String)]) -> (Vec<Violation>, Vec<String>, usize) {
    let lib = files.iter().find(|(file, _)| file == "lib.rs").map(|(_, source)| source.as_str()).unwrap_or("");
    let exports = root_exports(lib);
    let mut violations = Vec::new();
    let mut unplaced = Vec::new();
    let mut seen = 0;
    for (file, source) in files {
        if file == "lib.rs" {
            continue;
        }
        let from = module_of(file).join("::");
        let Some((from_layer, from_prefix)) = layer_of(&from) else {
            unplaced.push(file.clone());
            continue;
        };
        for (line, to, path) in uses_of(file, source, &exports) {
            let Some((to_layer, to_prefix)) = layer_of(&to) else {
                let first = to.split("::").next().unwrap_or(&to);
                if !unplaced.iter().any(|known: &String| known.split(' ').next() == Some(first)) {
                    unplaced.push(format!("{first} (used by src/{file}:{line})"));
                }
                continue;
            };
            let same_module = from_prefix == to_prefix;
            seen += usize::from(!same_module);
            let allowed = to_layer < from_layer
                || same_module
                || (to_layer == from_layer && SAME_LAYER.contains(&(from_prefix, to_prefix)))
                || EXCEPTIONS.iter().any(|(exception, used, _)| exception == file && to_prefix == *used);
            if !allowed {
                violations.push(Violation { file: file.clone(), line, from: from.clone(), to: to_prefix.to_string(), path });
            }
        }
    }
    (violations, unplaced, seen)
}

#[test]
fn no_module_uses_a_higher_layer() {
    let files = rust_sources();
    let (violations, unplaced, seen) = check_layers(&files);
    assert!(seen > 300, "only {seen} uses of other modules found: the scanner misses paths");
    let report: Vec<String> = violations.iter().map(Violation::to_string).collect();
    assert!(
        unplaced.is_empty() && report.is_empty(),
        "modules in no layer (add them to LAYERS in tests/it/layering.rs):\n{}\n{} uses of a higher layer:\n{}",
        unplaced.join("\n"),
        report.len(),
        report.join("\n")
    );
}

#[test]
fn the_checker_finds_upward_uses() {
    let file = |path: &str, source: &str| (path.to_string(), source.to_string());
    let files = vec![
        file("lib.rs", "pub mod text;\npub use workspace::{ImportTimings, Workspace};\n"),
        // Downward and sideways-in-one-module uses pass; comments, doc links and strings are not code.
        file(
            "store/mod.rs",
            "use crate::model::TranslationUnit;\nuse super::text::nfc;\n// crate::api::router\n/// [`x`](crate::api::x)\nconst S: &str = \"crate::api\";\n",
        ),
        // An upward `use`, an upward path in an expression, and a root re-export.
        file("text/fold.rs", "use crate::store::Store;\n\nfn f() { let _ = crate::index::word_keys(\"a\"); }\nuse crate::{Workspace, model::lang::Lang};\n"),
        // `super` leaving the folder, from inside an inline test module.
        file(
            "formats/csv.rs",
            "mod tests {\n    use super::super::super::termbase::Term;\n    use super::super::xml::Reader;\n    use super::super::super::model::Term;\n}\n",
        ),
        // model::lang is below text.
        file("model/lang.rs", "use crate::text::fold;\n"),
        file("model/unit.rs", "use crate::text::script::word_script;\nuse crate::model::lang::Lang;\n"),
        // Same layer, not declared.
        file("memory/mod.rs", "use crate::termbase::TermIndex;\nuse crate::places::{self, Places};\n"),
        file("newthing.rs", ""),
    ];
    let (violations, unplaced, _) = check_layers(&files);
    let found: Vec<(&str, usize, &str)> = violations.iter().map(|v| (v.file.as_str(), v.line, v.to.as_str())).collect();
    assert_eq!(
        found,
        vec![
            ("text/fold.rs", 1, "store"),
            ("text/fold.rs", 3, "index"),
            ("text/fold.rs", 4, "workspace"),
            ("formats/csv.rs", 2, "termbase"),
            ("model/lang.rs", 1, "text"),
            ("memory/mod.rs", 1, "termbase"),
            ("memory/mod.rs", 2, "places"),
        ]
    );
    assert_eq!(unplaced, vec!["newthing.rs".to_string()]);
    let messages: Vec<String> = violations.iter().map(Violation::to_string).collect();
    assert_eq!(messages[0], "src/text/fold.rs:1: `text::fold` (layer 2, text) uses `crate::store::Store` (layer 5, store), a higher layer");
    assert_eq!(messages[2], "src/text/fold.rs:4: `text::fold` (layer 2, text) uses `crate::Workspace` (layer 11, workspace), a higher layer");
    assert!(
        messages[5].ends_with("uses `crate::termbase::TermIndex` (layer 7, termbase), a module of the same layer that SAME_LAYER does not allow"),
        "{}",
        messages[5]
    );
}
