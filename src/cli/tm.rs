//! `termbridge tm`: fuzzy match, concordance and the match benchmark.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

use termbridge::Workspace;
use termbridge::memory::fragments::FragmentOptions;
use termbridge::memory::{Fragment, TmHit};
use termbridge::model::lang::LangTag;

use super::bench::{cpu_seconds, dir_bytes, memory_mib, percentile};
use super::common::{Output, emit, open_workspace, parse_tag};
use super::user_error;

#[derive(Debug, Subcommand)]
pub(super) enum TmCommand {
    /// Best TM matches for a sentence (or for each line of --queries, as JSONL)
    Match {
        /// The sentence to match
        #[arg(required_unless_present = "queries", conflicts_with = "queries")]
        text: Option<String>,
        /// A file with one query a line
        #[arg(long)]
        queries: Option<PathBuf>,
        /// Language of the query (default: every language)
        #[arg(long)]
        src: Option<String>,
        /// Language of the translation to show (default: another language of the unit)
        #[arg(long)]
        tgt: Option<String>,
        /// Number of matches
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Lowest score to show (0-100)
        #[arg(long, default_value_t = 0.0)]
        min: f64,
        /// The query's context (msgctxt, resource name): a 100% match with the same context
        /// scores 101
        #[arg(long)]
        context: Option<String>,
        /// The source segment before the query: with --next, a 100% match with both
        /// neighbours equal scores 102
        #[arg(long)]
        prev: Option<String>,
        /// The source segment after the query
        #[arg(long)]
        next: Option<String>,
        /// Add the query's fragments found in the memory, the term base and the gazetteer
        #[arg(long)]
        fragments: bool,
    },
    /// The longest word sequences of a sentence found in the memory, the term base and the
    /// gazetteer, with their translations
    Fragments {
        /// The sentence
        text: String,
        /// Language of the sentence (default: guessed among en, sq and sr)
        #[arg(long)]
        src: Option<String>,
        /// Language of the translations (default: sq for English, else en)
        #[arg(long)]
        tgt: Option<String>,
        /// At most this many fragments
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Every unit containing a word or phrase, in context
    Concordance {
        /// The word or phrase
        phrase: String,
        /// Only texts in this language
        #[arg(long)]
        lang: Option<String>,
        /// At most this many lines
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Import a TSV corpus into a temporary data directory and time a query file against it
    Bench {
        /// Corpus: `id<TAB>src<TAB>tgt` with that header
        #[arg(long)]
        corpus: PathBuf,
        /// One query a line
        #[arg(long)]
        queries: PathBuf,
        /// Number of matches a query
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Language of the `src` column
        #[arg(long, default_value = "en")]
        src: String,
        /// Language of the `tgt` column
        #[arg(long, default_value = "sq")]
        tgt: String,
        /// Look up each query's fragments too (timed with the match)
        #[arg(long)]
        fragments: bool,
    },
}

pub(super) fn tm_command(data_dir: &Path, command: TmCommand, json: bool) -> Result<ExitCode> {
    match command {
        TmCommand::Match { text, queries, src, tgt, top, min, context, prev, next, fragments } => {
            let options = termbridge::memory::MatchOptions {
                src: src.as_deref().map(|raw| parse_tag(raw, "--src")).transpose()?,
                tgt: tgt.as_deref().map(|raw| parse_tag(raw, "--tgt")).transpose()?,
                top,
                min_score: min,
                context: termbridge::memory::MatchContext { context, prev, next },
            };
            let lines = match (&text, &queries) {
                (Some(text), _) => vec![text.clone()],
                (None, Some(path)) => read_queries(path)?,
                (None, None) => return Err(user_error("give a TEXT or --queries FILE")),
            };
            let workspace = open_workspace(data_dir)?;
            workspace.prepare_matcher(&termbridge::memory::source_langs(options.src)).context("cannot build the match index")?;
            let batch = queries.is_some();
            for query in &lines {
                let started = std::time::Instant::now();
                let hits = workspace.tm_match(query, &options)?;
                let fragments = if fragments { Some(workspace.fragments(query, &fragment_options(options.src, options.tgt, 10))?) } else { None };
                let micros = started.elapsed().as_micros() as u64;
                emit(&MatchRecord { query, hits, fragments, micros }, json || batch)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        TmCommand::Concordance { phrase, lang, limit } => {
            let lang = lang.as_deref().map(|raw| parse_tag(raw, "--lang")).transpose()?.map(|tag| tag.lang);
            let workspace = open_workspace(data_dir)?;
            let lines = workspace.concordance(&phrase, &termbridge::memory::ConcordanceOptions { lang, limit })?;
            emit(&ConcordanceOutput { phrase, lines }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        TmCommand::Fragments { text, src, tgt, top } => {
            let src = src.as_deref().map(|raw| parse_tag(raw, "--src")).transpose()?;
            let tgt = tgt.as_deref().map(|raw| parse_tag(raw, "--tgt")).transpose()?;
            let workspace = open_workspace(data_dir)?;
            let fragments = workspace.fragments(&text, &fragment_options(src, tgt, top))?;
            emit(&FragmentsOutput { query: text, fragments }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        TmCommand::Bench { corpus, queries, top, src, tgt, fragments } => tm_bench(&corpus, &queries, top, &src, &tgt, fragments),
    }
}

pub(super) fn read_queries(path: &Path) -> Result<Vec<String>> {
    let raw = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
    Ok(raw.lines().map(|line| line.trim_end_matches('\r')).filter(|line| !line.is_empty()).map(str::to_string).collect())
}

fn fragment_options(src: Option<LangTag>, tgt: Option<LangTag>, top: usize) -> FragmentOptions {
    FragmentOptions { src, tgt, limit: top }
}

/// The matches of one query, with the time the lookup took.
#[derive(Debug, Serialize)]
pub(super) struct MatchRecord<'a> {
    query: &'a str,
    hits: Vec<TmHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fragments: Option<Vec<Fragment>>,
    micros: u64,
}

/// The fragments `tm fragments` found.
#[derive(Debug, Serialize)]
struct FragmentsOutput {
    query: String,
    fragments: Vec<Fragment>,
}

fn write_fragments(out: &mut dyn Write, fragments: &[Fragment]) -> std::io::Result<()> {
    for fragment in fragments {
        let translation = fragment.translation.as_deref().unwrap_or("-");
        let target_lang = fragment.target_lang.map(|tag| tag.to_string()).unwrap_or_default();
        writeln!(
            out,
            "  [{}..{}] {} -> [{target_lang}] {translation}  ({}, {} unit{}, confidence {:.2})",
            fragment.start,
            fragment.end,
            fragment.text,
            fragment.origin.as_str(),
            fragment.occurrences,
            if fragment.occurrences == 1 { "" } else { "s" },
            fragment.confidence
        )?;
        if let Some(example) = &fragment.example {
            writeln!(out, "      {}: {}", example.id, example.source)?;
            let target = &example.target;
            writeln!(out, "      {}[{}]{}", &target[..example.target_start], &target[example.target_start..example.target_end], &target[example.target_end..])?;
        }
    }
    Ok(())
}

impl Output for FragmentsOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.query)?;
        if self.fragments.is_empty() {
            writeln!(out, "  (no fragment)")?;
        }
        write_fragments(out, &self.fragments)
    }
}

impl Output for MatchRecord<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.query)?;
        if self.hits.is_empty() {
            writeln!(out, "  (no match)")?;
        }
        for hit in &self.hits {
            writeln!(out, "  {:>6.2} {:<10} {} [{}] {}", hit.score, hit.tier.as_str(), hit.id, hit.source_lang, hit.source)?;
            if let (Some(target), Some(target_lang)) = (&hit.target, hit.target_lang) {
                writeln!(out, "         {:<10} [{target_lang}] {target}", "")?;
            }
            if let Some(context) = &hit.context {
                writeln!(out, "         context: {context}")?;
            }
            if let Some(penalised) = hit.penalised_score {
                let penalties: Vec<String> = hit.penalties.iter().map(|penalty| format!("{} -{}", penalty.kind.as_str(), penalty.points)).collect();
                writeln!(out, "         penalised: {penalised:.2} ({})", penalties.join(", "))?;
            }
            for change in &hit.numbers {
                writeln!(out, "         number {} -> {}", change.source.as_deref().unwrap_or("-"), change.query.as_deref().unwrap_or("-"))?;
            }
            if let (Some(patched), Some(score)) = (&hit.patched_target, hit.patched_score) {
                let kinds: Vec<&str> = hit.patches.iter().map(|patch| patch.kind.as_str()).collect();
                writeln!(out, "         patched {score:.2} ({}): {patched}", kinds.join(", "))?;
            }
        }
        if let Some(fragments) = &self.fragments {
            writeln!(out, "  fragments:")?;
            write_fragments(out, fragments)?;
        }
        Ok(())
    }
}

/// The lines `tm concordance` found.
#[derive(Debug, Serialize)]
struct ConcordanceOutput {
    phrase: String,
    lines: Vec<termbridge::memory::ConcordanceLine>,
}

impl Output for ConcordanceOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for line in &self.lines {
            let before = &line.text[..line.start];
            let hit = &line.text[line.start..line.end];
            let after = &line.text[line.end..];
            writeln!(out, "{} [{}] {before}[{hit}]{after}  ({})", line.id, line.lang, line.tier.as_str())?;
            if let (Some(translation), Some(translation_lang)) = (&line.translation, line.translation_lang) {
                writeln!(out, "    {translation_lang}: {translation}")?;
            }
        }
        Ok(())
    }
}

/// A match record of `tm bench`, with how much work the lookup did.
#[derive(Debug, Serialize)]
struct BenchRecord<'a> {
    #[serde(flatten)]
    record: MatchRecord<'a>,
    postings: u64,
    scored: u64,
    search_micros: u64,
}

pub(super) fn tm_bench(corpus: &Path, queries: &Path, top: usize, src: &str, tgt: &str, with_fragments: bool) -> Result<ExitCode> {
    let langs = termbridge::formats::tsv::TsvLanguages { src: parse_tag(src, "--src")?, tgt: parse_tag(tgt, "--tgt")? };
    let query_lines = read_queries(queries)?;
    let data = tempfile::Builder::new().prefix("termbridge-bench").tempdir().context("cannot create a temporary data directory")?;
    let (workspace, _) = Workspace::open(data.path(), &mut |_, _| {}).context("cannot open the temporary data directory")?;
    // An empty match index of the source language, so that the import builds it.
    workspace.prepare_matcher(&[langs.src.lang])?;

    // The import `termbridge import` runs: streamed in batches, published at the end.
    let load_started = std::time::Instant::now();
    let read_options = termbridge::formats::ReadOptions {
        format: Some(termbridge::formats::Format::Tsv),
        src: Some(langs.src),
        tgt: Some(langs.tgt),
        collection: Some("bench".into()),
        // The corpus is the benchmark's own file, whatever its size.
        limits: termbridge::formats::Limits { max_file_bytes: u64::MAX, ..termbridge::formats::Limits::default() },
        ..termbridge::formats::ReadOptions::default()
    };
    let source = termbridge::usecase::import::Source::from_path(corpus);
    let streamed = termbridge::usecase::import::import_memory(
        &workspace,
        std::slice::from_ref(&source),
        &read_options,
        termbridge::usecase::import::ImportSettings::default(),
        &mut |_| {},
    )
    .map_err(|err| match err {
        termbridge::usecase::UseCaseError::Format(err) => user_error(err.to_string()),
        err => anyhow::Error::new(err).context("import failed"),
    })?;
    let import_s = load_started.elapsed().as_secs_f64();
    let rows = streamed.documents.iter().map(|document| document.read).sum::<usize>();
    let timings = streamed.timings;
    termbridge::workspace::release_free_memory();
    // Reading and storing run in one pass now: load is the import's time outside the indexes.
    let index_s = timings.index_s;
    let load_s = (import_s - index_s).max(0.0);
    tracing::info!(rows, import_s, store_s = timings.store_s, index_s, match_index_s = timings.match_index_s, batches = streamed.batches, "corpus imported");

    let options = termbridge::memory::MatchOptions { src: Some(langs.src), tgt: Some(langs.tgt), top, ..termbridge::memory::MatchOptions::default() };
    let mut latencies = Vec::with_capacity(query_lines.len());
    let mut empty = 0usize;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let queries_started = std::time::Instant::now();
    let cpu_started = cpu_seconds();
    for query in &query_lines {
        let started = std::time::Instant::now();
        // tm_match, spelled out to report how much work each lookup did.
        let tm_query = termbridge::memory::TmQuery::new(query);
        let mut search_stats = termbridge::memory::matcher::SearchStats::default();
        let raw = workspace.fuzzy_search(&tm_query, &[langs.src.lang], top, 0.0, &mut search_stats)?;
        let search_micros = started.elapsed().as_micros() as u64;
        let hits = workspace.resolve_hits(&tm_query, raw, &options)?;
        let fragments = if with_fragments { Some(workspace.fragments(query, &fragment_options(Some(langs.src), Some(langs.tgt), 10))?) } else { None };
        let micros = started.elapsed().as_micros() as u64;
        latencies.push(micros);
        if hits.is_empty() {
            empty += 1;
        }
        let record =
            BenchRecord { record: MatchRecord { query, hits, fragments, micros }, postings: search_stats.postings, scored: search_stats.scored, search_micros };
        writeln!(stdout, "{}", serde_json::to_value(&record)?)?;
    }
    stdout.flush()?;
    let total_s = queries_started.elapsed().as_secs_f64();
    let query_cpu_s = cpu_seconds() - cpu_started;
    let (peak_mib, serving_mib) = memory_mib();
    latencies.sort_unstable();
    let count = latencies.len();
    let mean = if count == 0 { 0.0 } else { latencies.iter().sum::<u64>() as f64 / count as f64 };
    let matcher_bytes = workspace.matcher_bytes() as u64;
    let index_bytes = matcher_bytes + dir_bytes(&data.path().join("tantivy"));
    let store_bytes = dir_bytes(&data.path().join("store"));
    // Written by hand: the contract wants "summary" as the first key.
    let summary = format!(
        concat!(
            r#"{{"summary": "termbridge", "count": {}, "p50_us": {}, "p95_us": {}, "p99_us": {}, "mean_us": {:.1}, "max_us": {}, "empty": {}, "#,
            r#""total_s": {:.3}, "load_s": {:.3}, "index_s": {:.3}, "rss_mib": {:.1}, "serving_rss_mib": {:.1}, "rows": {}, "units_per_s": {:.0}, "#,
            r#""index_bytes": {}, "match_index_bytes": {}, "store_bytes": {}, "query_cpu_s": {:.2}}}"#
        ),
        count,
        percentile(&latencies, 50.0),
        percentile(&latencies, 95.0),
        percentile(&latencies, 99.0),
        mean,
        latencies.last().copied().unwrap_or(0),
        empty,
        total_s,
        load_s,
        index_s,
        peak_mib,
        serving_mib,
        rows,
        if load_s + index_s > 0.0 { rows as f64 / (load_s + index_s) } else { 0.0 },
        index_bytes,
        matcher_bytes,
        store_bytes,
        query_cpu_s,
    );
    drop(workspace);
    drop(data);
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}
