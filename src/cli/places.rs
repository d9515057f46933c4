//! `termbridge places`: official place names: look up, show one place with its history and
//! coordinates, export the gazetteer as GeoJSON, check a text or a sign, self-check, evaluate,
//! compile the gazetteer.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use serde::Serialize;

use termbridge::model::lang::Lang;

use super::common::{Output, emit, parse_tag};
use super::user_error;

#[derive(Debug, Subcommand)]
pub(super) enum PlacesCommand {
    /// Compile the shipped gazetteer (places.tsv, place_variants.tsv, corrections.tsv) from the sources
    Build {
        /// Folder holding places.csv and raw/ (the collected sources)
        #[arg(long, default_value = "../shared/data/places")]
        from: PathBuf,
        /// Output folder
        #[arg(short = 'o', long = "out", default_value = "glossaries/kosovo")]
        out: PathBuf,
        /// Curation rules (default: the ones shipped with termbridge)
        #[arg(long)]
        curation: Option<PathBuf>,
    },
    /// Run the gazetteer self-checks (NFC, C1 controls, Đ, Cyrillic letters, scripts agree, unique names, sources)
    Selfcheck,
    /// Resolve any spelling of a place to its official names
    Lookup {
        /// The name as written (any language, script, case form or spelling)
        name: String,
    },
    /// Report place names in a text file that are not the official form (check id place-name)
    Check {
        /// The text file (UTF-8)
        file: PathBuf,
        /// Language of the text: sq, sr, sr-Latn or sr-Cyrl
        #[arg(long)]
        lang: String,
        /// List every place mention, official or not, instead of the findings
        #[arg(long)]
        mentions: bool,
    },
    /// Check a place-name sign (parts separated by " / ", "|" or new lines) or a CSV list of signs
    Sign {
        /// The sign's text, e.g. "Zveçan / Звечан / Zvečan"
        #[arg(required_unless_present = "csv", conflicts_with = "csv")]
        text: Option<String>,
        /// The municipality the sign stands in (any spelling)
        #[arg(long)]
        municipality: Option<String>,
        /// CSV list of signs: municipality, id, and sign or one column per language (sq, sr-Cyrl, sr-Latn, tr, bs), order
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Serbian script policy (default: the municipality's, from the language table)
        #[arg(long, value_parser = ["cyrillic-required", "latin-allowed", "both"])]
        sr_script: Option<String>,
        /// Which language comes first
        #[arg(long, default_value = "majority-first", value_parser = ["majority-first", "law-order", "any"])]
        order: String,
    },
    /// Show one place: official names, municipality, coordinates, official languages, variants, former names with their dates
    Show {
        /// The place's id: mun:<slug> for a municipality (mun:drenas), gns:<UFI> for a settlement (see `places lookup`)
        id: String,
    },
    /// Export the gazetteer as GeoJSON (a FeatureCollection of points, [lon, lat], names as properties)
    Export {
        /// Output format
        #[arg(long, default_value = "geojson", value_parser = ["geojson"])]
        format: String,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Only municipalities (their seats' points) or only settlements
        #[arg(long, value_parser = ["municipality", "settlement"])]
        kind: Option<String>,
    },
    /// Measure lookup accuracy on a labelled set (query, expected_sq, expected_sr_latn, status)
    Eval {
        /// The labelled set; without it, the synthetic municipality set is used
        file: Option<PathBuf>,
        /// Variant types per query (query, variant_type, source); default FILE with .meta.tsv
        #[arg(long)]
        meta: Option<PathBuf>,
        /// Leave the sourced variants out of the index (measures the generated forms alone)
        #[arg(long)]
        no_sourced_variants: bool,
        /// Use every sourced variant as a query (with --no-sourced-variants: a held-out test)
        #[arg(long, conflicts_with = "file")]
        sourced_as_queries: bool,
        /// List the misses
        #[arg(long)]
        misses: bool,
    },
}

/// Runs a `places` subcommand: build the gazetteer, look a name up, check a text or a sign,
/// run the self-checks or the evaluation. Findings exit with 1, bad input with 2.
pub(super) fn places_command(command: PlacesCommand, json: bool) -> Result<ExitCode> {
    fn place_line(names: &termbridge::places::PlaceNames) -> String {
        let mut parts = vec![names.sq.clone(), names.sr_latn.clone()];
        if !names.sr_cyrl.is_empty() {
            parts.push(names.sr_cyrl.clone());
        }
        parts.extend(names.tr.iter().map(|tr| format!("tr {tr}")));
        parts.extend(names.bs.iter().map(|bs| format!("bs {bs}")));
        parts.join(" / ")
    }

    fn format_lookup(lookup: &termbridge::places::Lookup) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let Some(best) = lookup.best() else {
            let _ = writeln!(out, "{}: no place found", lookup.query);
            return out;
        };
        let where_ = |candidate: &termbridge::places::Candidate| match candidate.kind {
            termbridge::places::PlaceKind::Municipality => "municipality".to_string(),
            termbridge::places::PlaceKind::Settlement => format!("settlement in {}", candidate.municipality.join(" or ")),
        };
        let _ = writeln!(out, "{} → {} ({})", lookup.query, place_line(&best.names), where_(best));
        let also = if best.also.is_empty() { String::new() } else { format!(", also {}", best.also.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")) };
        let _ = writeln!(out, "  variant type: {}{also}; tier: {}; confidence {:.2}", best.variant_type, best.tier.as_str(), best.confidence);
        let lang = best.matched_lang.as_deref().map(|lang| format!(" ({lang})")).unwrap_or_default();
        let _ = writeln!(out, "  matched: {}{lang}{}", best.matched, best.source.as_deref().map(|source| format!("; source: {source}")).unwrap_or_default());
        if let Some(repaired) = &lookup.repaired {
            let _ = writeln!(out, "  repaired encoding: {repaired}");
        }
        if let Some(span) = &lookup.matched_span {
            let _ = writeln!(out, "  taken as the name: {:?} (characters {}–{}; found as a {})", span.name, span.start, span.end, span.how);
            let around: Vec<&str> = [span.before.as_str(), span.after.as_str()].into_iter().filter(|words| !words.is_empty()).collect();
            if !around.is_empty() {
                let _ = writeln!(out, "  set aside: {}", around.join(" … "));
            }
        } else if let Some(context) = &lookup.context {
            let _ = writeln!(out, "  context set aside: {context}");
        }
        if let Some(history) = &best.history {
            let _ = writeln!(out, "  history: {history}");
        }
        if !best.note.is_empty() {
            let _ = writeln!(out, "  note: {}", best.note);
        }
        if lookup.candidates.len() > 1 {
            let _ = writeln!(out, "{}", if lookup.ambiguous { "ambiguous; candidates:" } else { "other candidates:" });
            let skip = usize::from(!lookup.ambiguous);
            for (idx, candidate) in lookup.candidates.iter().enumerate().skip(skip) {
                let _ = writeln!(
                    out,
                    "  {}. {} ({}) — {}, {}, confidence {:.2}",
                    idx + 1,
                    place_line(&candidate.names),
                    where_(candidate),
                    candidate.variant_type,
                    candidate.tier.as_str(),
                    candidate.confidence
                );
                if let Some(history) = &candidate.history {
                    let _ = writeln!(out, "     history: {history}");
                }
            }
        }
        out
    }

    fn format_detail(detail: &termbridge::places::PlaceDetail) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "{} {}: {}", detail.kind.as_str(), detail.id, place_line(&detail.names));
        if detail.kind == termbridge::places::PlaceKind::Settlement {
            let _ = writeln!(out, "  municipality: {}", detail.municipality.join(" or "));
        }
        let _ = writeln!(
            out,
            "  status: {}{}",
            detail.status.as_str(),
            if detail.disambiguation.is_empty() { String::new() } else { format!(" ({})", detail.disambiguation) }
        );
        match &detail.coordinates {
            Some(point) => {
                let _ = writeln!(out, "  coordinates: {:.5} N, {:.5} E ({}; {})", point.lat, point.lon, point.origin.as_str(), point.source);
            }
            None => {
                let _ = writeln!(out, "  coordinates: none");
            }
        }
        let _ = writeln!(out, "  official languages: {}", detail.official_languages.join(", "));
        if !detail.in_official_use.is_empty() {
            let _ = writeln!(out, "  in official use: {}", detail.in_official_use.join(", "));
        }
        if !detail.note.is_empty() {
            let _ = writeln!(out, "  note: {}", detail.note);
        }
        if !detail.former_names.is_empty() {
            let _ = writeln!(out, "  former names:");
            for former in &detail.former_names {
                let _ = writeln!(out, "    {} ({}; {}, {}): {}", former.name, former.lang, former.change, former.period, former.note);
                let _ = writeln!(out, "      source: {}", former.source);
            }
        }
        if !detail.variants.is_empty() {
            let _ = writeln!(out, "  variants ({}):", detail.variants.len());
            for variant in &detail.variants {
                let lang = if variant.lang.is_empty() { String::new() } else { format!(", {}", variant.lang) };
                let _ = writeln!(out, "    {} ({}{lang})", variant.variant, variant.variant_type);
            }
        }
        let _ = writeln!(out, "  attribution: {}", detail.attribution);
        out
    }

    fn format_sign_report(id: Option<&str>, report: &termbridge::audit::SignReport) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let label = id.map(|id| format!("[{id}] ")).unwrap_or_default();
        let _ = writeln!(out, "{label}sign: {}", report.sign);
        if let Some(names) = &report.names {
            let _ = writeln!(out, "  names: {}", place_line(names));
        }
        let _ = writeln!(
            out,
            "  rules: {}required {}; Serbian script {}",
            report.municipality.as_deref().map(|municipality| format!("municipality {municipality}; ")).unwrap_or_default(),
            report.required.join(", "),
            report.sr_script_policy.as_str()
        );
        let parts: Vec<String> =
            report.parts.iter().map(|part| format!("{}. {:?} {}", part.position, part.text, part.lang.as_deref().unwrap_or("?"))).collect();
        let _ = writeln!(out, "  parts: {}", parts.join("  "));
        if report.findings.is_empty() {
            let _ = writeln!(out, "  no findings");
        }
        for finding in &report.findings {
            let part = finding.part.map(|part| format!(" part {part}")).unwrap_or_default();
            let suggestion = finding.suggestion.as_deref().map(|suggestion| format!(" → {suggestion}")).unwrap_or_default();
            let _ = writeln!(out, "  {}{part}: {}{suggestion}", finding.check, finding.message);
        }
        out
    }

    use termbridge::places;
    match command {
        PlacesCommand::Eval { file, meta, no_sourced_variants, sourced_as_queries, misses } => {
            let shipped = places::Places::shipped();
            let ablated;
            let index = if no_sourced_variants {
                ablated = places::Places::with_options(shipped.gazetteer().clone(), places::IndexOptions { sourced_variants: false, generated_forms: true });
                &ablated
            } else {
                shipped
            };
            let (cases, set_name) = match &file {
                Some(path) => {
                    let text = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
                    let meta_path = meta.clone().or_else(|| {
                        let candidate = PathBuf::from(path.display().to_string().replace(".tsv", ".meta.tsv"));
                        (candidate != *path && candidate.exists()).then_some(candidate)
                    });
                    let meta_text = match &meta_path {
                        Some(meta_path) => Some(std::fs::read_to_string(meta_path).map_err(|err| user_error(format!("{}: {err}", meta_path.display())))?),
                        None => None,
                    };
                    (places::read_eval_set(&text, meta_text.as_deref(), &path.display().to_string())?, path.display().to_string())
                }
                None if sourced_as_queries => (places::sourced_variant_cases(shipped.gazetteer()), "sourced variants as queries".to_string()),
                None => (places::synthetic_municipality_cases(shipped.gazetteer())?, "synthetic municipality set".to_string()),
            };
            let report = places::evaluate(index, &cases);
            use std::fmt::Write as _;
            let mut out = String::new();
            let line = |name: &str, score: &places::Score| {
                format!(
                    "  {name:<38} {:>4}/{:<4} top-1 {:>6.2} %   found {:>6.2} %\n",
                    score.top1,
                    score.cases,
                    100.0 * score.top1_rate(),
                    if score.cases == 0 { 100.0 } else { 100.0 * score.found as f64 / score.cases as f64 }
                )
            };
            let _ = writeln!(out, "{set_name} ({} cases; sourced variants {})", cases.len(), if no_sourced_variants { "left out" } else { "indexed" });
            out.push_str(&line("overall", &report.overall));
            out.push_str(&line("municipalities", &report.municipalities));
            for (variant_type, score) in &report.by_type {
                out.push_str(&line(variant_type, score));
            }
            let _ = writeln!(out, "  lookup time: p50 {} µs, p95 {} µs, max {} µs", report.p50_us, report.p95_us, report.max_us);
            if misses {
                for miss in &report.misses {
                    let _ = writeln!(out, "  miss: {} → {} (expected {})", miss.query, if miss.got.is_empty() { "nothing" } else { &miss.got }, miss.expected);
                }
            }
            emit(&Rendered { fields: EvalFields { set: set_name, sourced_variants: !no_sourced_variants, report }, text: out }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        PlacesCommand::Check { file, lang, mentions } => {
            let tag = parse_tag(&lang, "--lang")?;
            if !matches!(tag.lang, Lang::Sq | Lang::Sr) {
                return Err(user_error(format!("--lang: place names are checked in sq and sr text, not {tag}")));
            }
            let text = std::fs::read_to_string(&file).map_err(|err| user_error(format!("{}: {err}", file.display())))?;
            if mentions {
                let found = places::Places::shipped().mentions(&text, tag);
                use std::fmt::Write as _;
                let mut out = String::new();
                for mention in &found {
                    let line = text[..mention.start].matches('\n').count() + 1;
                    let verdict = if mention.official {
                        "official".to_string()
                    } else {
                        format!("{} → {}", mention.variant_type, mention.suggestion.as_deref().unwrap_or("?"))
                    };
                    let _ = writeln!(out, "{}:{line}: {} = {} ({}; {verdict})", file.display(), mention.text, mention.names.sq, mention.place_id);
                }
                let _ = writeln!(out, "{} mention{}", found.len(), if found.len() == 1 { "" } else { "s" });
                emit(&Rendered { fields: MentionsFields { file: file.display().to_string(), lang: tag.to_string(), mentions: found }, text: out }, json)?;
                return Ok(ExitCode::SUCCESS);
            }
            let findings = places::Places::shipped().check_text(&text, tag);
            let code = if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
            use std::fmt::Write as _;
            let mut out = String::new();
            for finding in &findings {
                let suggestion = match (&finding.suggestion, finding.alternatives.is_empty()) {
                    (Some(suggestion), _) => format!(" → {suggestion}"),
                    (None, false) => format!(" → {}", finding.alternatives.join(" | ")),
                    (None, true) => String::new(),
                };
                let _ = writeln!(out, "{}:{}:{}: {}: {}{suggestion}", file.display(), finding.line, finding.column, finding.check, finding.message);
            }
            let _ = writeln!(out, "{} finding{}", findings.len(), if findings.len() == 1 { "" } else { "s" });
            emit(&Rendered { fields: FindingsFields { file: file.display().to_string(), lang: tag.to_string(), findings }, text: out }, json)?;
            Ok(code)
        }
        PlacesCommand::Sign { text, municipality, csv, sr_script, order } => {
            let shipped = places::Places::shipped();
            let sr_script = sr_script
                .as_deref()
                .map(|raw| places::SrScriptPolicy::parse(raw).ok_or_else(|| user_error(format!("--sr-script: unknown policy {raw:?}"))))
                .transpose()?;
            let order = termbridge::audit::OrderRule::parse(&order).ok_or_else(|| user_error(format!("--order: unknown rule {order:?}")))?;
            let mut reports = Vec::new();
            match (&text, &csv) {
                (Some(text), _) => {
                    let options = termbridge::audit::SignOptions { municipality: municipality.clone(), sr_script, order };
                    reports.push((None, shipped.check_sign(text, &options)?));
                }
                (None, Some(path)) => {
                    let content = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
                    for row in termbridge::audit::read_sign_csv(&content, &path.display().to_string())? {
                        let options =
                            termbridge::audit::SignOptions { municipality: row.municipality.clone().or_else(|| municipality.clone()), sr_script, order };
                        let sign = row.parts.iter().map(|(_, part)| part.as_str()).collect::<Vec<_>>().join(" / ");
                        let report = shipped
                            .check_sign_parts(&sign, &row.parts, &options)
                            .map_err(|err| user_error(format!("{}:{}: {err}", path.display(), row.line)))?;
                        reports.push((Some(row.id.clone()), report));
                    }
                }
                (None, None) => return Err(user_error("give the sign's text or --csv FILE")),
            }
            let any_findings = reports.iter().any(|(_, report)| !report.findings.is_empty());
            // One record a sign (JSONL for a list).
            for (id, report) in reports {
                let text = format_sign_report(id.as_deref(), &report);
                emit(&Rendered { fields: SignFields { id, report }, text }, json)?;
            }
            Ok(if any_findings { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        PlacesCommand::Selfcheck => {
            let gazetteer = places::Gazetteer::shipped();
            let mut problems = Vec::new();
            for (file, text) in [
                ("places.tsv", places::SHIPPED_PLACES_TSV),
                ("place_variants.tsv", places::SHIPPED_VARIANTS_TSV),
                ("municipal_languages.tsv", places::SHIPPED_LANGUAGES_TSV),
            ] {
                problems.extend(places::check_file_text(file, text));
            }
            problems.extend(places::self_check(gazetteer));
            use std::fmt::Write as _;
            let mut out = String::new();
            for problem in &problems {
                let place = gazetteer.place(&problem.entity).map(|place| format!(" ({})", place.note)).unwrap_or_default();
                let _ = writeln!(out, "{}\t{}\t{}{place}", problem.check, problem.entity, problem.value);
            }
            let _ = writeln!(out, "{} places, {} variants: {} problem(s)", gazetteer.places().len(), gazetteer.variants().len(), problems.len());
            let code = if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
            emit(&Rendered { fields: SelfcheckFields { places: gazetteer.places().len(), variants: gazetteer.variants().len(), problems }, text: out }, json)?;
            Ok(code)
        }
        PlacesCommand::Show { id } => {
            let gazetteer = places::Gazetteer::shipped();
            let detail = gazetteer.detail(id.trim()).map_err(|err| user_error(format!("{err}; `termbridge places lookup NAME` gives the id of a name")))?;
            let text = format_detail(&detail);
            emit(&Rendered { fields: detail, text }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        PlacesCommand::Export { format: _, output, kind } => {
            let kind = match kind.as_deref() {
                Some("municipality") => Some(places::PlaceKind::Municipality),
                Some(_) => Some(places::PlaceKind::Settlement),
                None => None,
            };
            let collection = places::geojson(places::Gazetteer::shipped(), places::GeoJsonOptions { kind });
            let features = collection["features"].as_array().map_or(0, Vec::len);
            let body = serde_json::to_string(&collection)?;
            match &output {
                Some(path) => {
                    std::fs::write(path, format!("{body}\n")).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
                    let text = format!("wrote {features} features to {}\n", path.display());
                    emit(&Rendered { fields: ExportFields { output: path.display().to_string(), features }, text }, json)?;
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    match writeln!(stdout, "{body}") {
                        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => return Err(err.into()),
                        _ => {}
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlacesCommand::Lookup { name } => {
            let lookup = places::Places::shipped().lookup(&name);
            let text = format_lookup(&lookup);
            emit(&Rendered { fields: lookup, text }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        PlacesCommand::Build { from, out, curation } => {
            let curation_text = match &curation {
                Some(path) => std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?,
                None => places::SHIPPED_CURATION_TSV.to_string(),
            };
            let compiled = places::compile_dir(&from, &curation_text)?;
            compiled.write(&out)?;
            use std::fmt::Write as _;
            let mut text = format!("compiled {} into {}\n", from.display(), out.display());
            if let Some(fields) = serde_json::to_value(&compiled.report)?.as_object() {
                for (name, value) in fields {
                    let _ = writeln!(text, "  {name:<22} {value}");
                }
            }
            emit(&Rendered { fields: BuildFields { out: out.display().to_string(), report: compiled.report }, text }, json)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A `places` result: its fields for `--json`, and the text people read, made from the same
/// values.
#[derive(Debug, Serialize)]
struct Rendered<T: Serialize> {
    #[serde(flatten)]
    fields: T,
    #[serde(skip)]
    text: String,
}

impl<T: Serialize> Output for Rendered<T> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(self.text.as_bytes())
    }
}

/// `places eval`: the set, whether sourced variants were indexed, and the scores.
#[derive(Debug, Serialize)]
struct EvalFields {
    set: String,
    sourced_variants: bool,
    report: termbridge::places::EvalReport,
}

/// `places check --mentions`: every place mention in a file.
#[derive(Debug, Serialize)]
struct MentionsFields {
    file: String,
    lang: String,
    mentions: Vec<termbridge::places::Mention>,
}

/// `places check`: the place names that are not the official form.
#[derive(Debug, Serialize)]
struct FindingsFields {
    file: String,
    lang: String,
    findings: Vec<termbridge::places::PlaceFinding>,
}

/// `places sign`: the report of one sign (`id` from a CSV list).
#[derive(Debug, Serialize)]
struct SignFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(flatten)]
    report: termbridge::audit::SignReport,
}

/// `places selfcheck`: the gazetteer's size and its problems.
#[derive(Debug, Serialize)]
struct SelfcheckFields {
    places: usize,
    variants: usize,
    problems: Vec<termbridge::places::SelfCheckProblem>,
}

/// `places export -o FILE`: where the export went and how many features it holds.
#[derive(Debug, Serialize)]
struct ExportFields {
    output: String,
    features: usize,
}

/// `places build`: where the gazetteer was written and what went into it.
#[derive(Debug, Serialize)]
struct BuildFields {
    out: String,
    report: termbridge::places::CompileReport,
}
