//! The HTML report: one standalone page (inline CSS, no scripts, no external assets) with
//! the summary (compliance score, errors, warnings, counts per check), the findings that
//! concern whole versions, and the versions side by side, aligned row by row, every finding
//! highlighted in place (`<mark class="finding …">`) and explained beneath its segment with
//! the check's summary in the reader's language, the detail and the suggestion.
//!
//! Every piece of document text goes through [`escape`]: the page never carries markup from
//! the audited documents.
//!
//! Stable hooks for tools and tests: `mark.finding` (with `sev-error`, `sev-warning`,
//! `sev-info` and `check-<id>`), `li.note` for each explanation, `table.versions` for the
//! aligned view, `#summary` and `#score`.

use crate::audit::Report;
use crate::audit::checks::{self, Localized};
use crate::model::{Finding, Severity};

use super::UiLang;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Interface texts: (English, Albanian, Serbian Latin).
struct Labels;

impl Labels {
    const TITLE: (&'static str, &'static str, &'static str) = ("Language audit report", "Raport i auditimit gjuhësor", "Izveštaj o jezičkoj reviziji");
    const MUNICIPALITY: (&'static str, &'static str, &'static str) = ("Municipality", "Komuna", "Opština");
    const SCORE: (&'static str, &'static str, &'static str) = ("Compliance score", "Shkalla e përputhshmërisë", "Stepen usklađenosti");
    const ERRORS: (&'static str, &'static str, &'static str) = ("Errors", "Gabime", "Greške");
    const WARNINGS: (&'static str, &'static str, &'static str) = ("Warnings", "Paralajmërime", "Upozorenja");
    const CHECK: (&'static str, &'static str, &'static str) = ("Check", "Kontrolli", "Provera");
    const COUNT: (&'static str, &'static str, &'static str) = ("Findings", "Gjetje", "Nalazi");
    const VERSIONS: (&'static str, &'static str, &'static str) = ("Versions", "Versionet", "Verzije");
    const LANGUAGE: (&'static str, &'static str, &'static str) = ("Language", "Gjuha", "Jezik");
    const FILE: (&'static str, &'static str, &'static str) = ("File", "Skedari", "Datoteka");
    const SEGMENTS: (&'static str, &'static str, &'static str) = ("Segments", "Segmente", "Segmenti");
    const SCRIPT: (&'static str, &'static str, &'static str) = ("Script", "Alfabeti", "Pismo");
    const HASH: (&'static str, &'static str, &'static str) = ("BLAKE3 hash", "Hash-i BLAKE3", "BLAKE3 heš");
    const MADE_BY: (&'static str, &'static str, &'static str) = ("Audited by", "Audituar me", "Revizija izvršena programom");
    const CHECKS: (&'static str, &'static str, &'static str) = ("checks and their versions", "kontrollet dhe versionet e tyre", "provere i njihove verzije");
    const WHOLE: (&'static str, &'static str, &'static str) = ("Findings on whole versions", "Gjetje për versione të tëra", "Nalazi za cele verzije");
    const SIDE_BY_SIDE: (&'static str, &'static str, &'static str) = ("Versions side by side", "Versionet krah për krah", "Verzije uporedo");
    const SUGGESTION: (&'static str, &'static str, &'static str) = ("Suggestion", "Sugjerim", "Predlog");
    const MISSING: (&'static str, &'static str, &'static str) = ("(missing)", "(mungon)", "(nedostaje)");
    const NONE: (&'static str, &'static str, &'static str) = ("No findings.", "Asnjë gjetje.", "Nema nalaza.");
    const LINE: (&'static str, &'static str, &'static str) = ("line", "rreshti", "red");
    const SEVERITY: (&'static str, &'static str, &'static str) = ("Severity", "Rëndësia", "Ozbiljnost");
}

fn label(ui: UiLang, text: (&str, &str, &str)) -> String {
    escape(&ui.pick(text.0, text.1, text.2))
}

fn localized(ui: UiLang, text: Localized) -> String {
    escape(&ui.pick(text.en, text.sq, text.sr))
}

fn severity_label(ui: UiLang, severity: Severity) -> String {
    match severity {
        Severity::Error => label(ui, ("error", "gabim", "greška")),
        Severity::Warning => label(ui, ("warning", "paralajmërim", "upozorenje")),
        Severity::Info => label(ui, ("note", "shënim", "napomena")),
    }
}

fn check_summary(ui: UiLang, id: &str) -> String {
    checks::by_id(id).map(|check| localized(ui, check.summary())).unwrap_or_else(|| escape(id))
}

/// The report's one style sheet, inlined in its `<style>` element (a page that shows the report
/// in a frame allows exactly this text by its hash).
pub const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff;line-height:1.45}\
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\
table{border-collapse:collapse}th,td{border:1px solid #c9c9c9;padding:.35rem .5rem;vertical-align:top;text-align:left}\
th{background:#f1f1f1}#score{font-size:2.2rem;font-weight:700}\
table.versions{width:100%;table-layout:fixed}table.versions .num{width:3rem;color:#666;font-size:.8rem}\
.ln{color:#767676;font-size:.75rem;margin-right:.3rem}\
mark.finding{background:#fff0a8;border-bottom:2px solid #b58900;padding:0 .1rem}\
mark.sev-error{background:#ffd7d5;border-bottom-color:#c62828}mark.sev-warning{background:#fff0a8;border-bottom-color:#b58900}\
mark.sev-info{background:#e3f0ff;border-bottom-color:#1565c0}\
td.gap{background:#fafafa;color:#767676;font-style:italic}\
ul.notes{margin:.35rem 0 0;padding-left:1.1rem;font-size:.85rem}li.note{margin:.15rem 0}\
li.note .sev{font-weight:600}li.sev-error .sev{color:#b71c1c}li.sev-warning .sev{color:#8a6d00}\
.detail{color:#444}.sugg{display:block;color:#1b5e20}\
@media print{mark.finding{border-bottom-width:1px}}";

/// Renders the standalone HTML page in the interface language `ui`.
pub fn render(report: &Report, ui: UiLang) -> String {
    let mut html = String::with_capacity(16 * 1024);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        ui.tag(),
        label(ui, Labels::TITLE)
    ));
    html.push_str(&format!("<h1>{}</h1>\n", label(ui, Labels::TITLE)));
    if let Some(municipality) = &report.municipality {
        html.push_str(&format!("<p class=\"municipality\">{}: <strong>{}</strong></p>\n", label(ui, Labels::MUNICIPALITY), escape(municipality)));
    }

    // Summary.
    html.push_str(&format!(
        "<section id=\"summary\">\n<p>{}: <span id=\"score\">{}</span>/100 · {}: <strong class=\"errors\">{}</strong> · {}: <strong class=\"warnings\">{}</strong></p>\n",
        label(ui, Labels::SCORE),
        report.summary.score,
        label(ui, Labels::ERRORS),
        report.summary.errors,
        label(ui, Labels::WARNINGS),
        report.summary.warnings
    ));
    if report.summary.by_check.is_empty() {
        html.push_str(&format!("<p>{}</p>\n", label(ui, Labels::NONE)));
    } else {
        html.push_str(&format!(
            "<table class=\"by-check\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            label(ui, Labels::CHECK),
            label(ui, Labels::SEVERITY),
            label(ui, Labels::COUNT)
        ));
        for check in checks::REGISTRY {
            let Some(count) = report.summary.by_check.get(check.id()) else { continue };
            let severity = report.findings.iter().find(|f| f.check == check.id()).map_or(check.severity(), |f| f.severity);
            html.push_str(&format!(
                "<tr><td><code>{}</code> {}</td><td>{}</td><td>{count}</td></tr>\n",
                escape(check.id()),
                localized(ui, check.summary()),
                severity_label(ui, severity)
            ));
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str("</section>\n");

    // Versions.
    html.push_str(&format!(
        "<h2>{}</h2>\n<table class=\"documents\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        label(ui, Labels::VERSIONS),
        label(ui, Labels::LANGUAGE),
        label(ui, Labels::FILE),
        label(ui, Labels::SEGMENTS),
        label(ui, Labels::SCRIPT),
        label(ui, Labels::HASH)
    ));
    for doc in &report.documents {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code class=\"hash\">{}</code></td></tr>\n",
            escape(&doc.lang),
            escape(&doc.path),
            doc.segments,
            escape(&doc.script),
            escape(&doc.blake3)
        ));
    }
    html.push_str("</tbody></table>\n");
    if !report.evidence.termbridge.is_empty() {
        let checks: Vec<String> = report.evidence.checks.iter().map(|check| format!("{} {}", escape(&check.id), check.version)).collect();
        html.push_str(&format!(
            "<p class=\"evidence\">{} termbridge {}; {}: {}.</p>\n",
            label(ui, Labels::MADE_BY),
            escape(&report.evidence.termbridge),
            label(ui, Labels::CHECKS),
            checks.join(", ")
        ));
    }

    // Findings on whole versions (missing versions, script policy).
    let whole: Vec<(usize, &Finding)> = report.findings.iter().enumerate().filter(|(_, f)| f.anchor.row.is_none()).collect();
    if !whole.is_empty() {
        html.push_str(&format!("<h2>{}</h2>\n<ul class=\"notes whole\">\n", label(ui, Labels::WHOLE)));
        for (idx, finding) in whole {
            html.push_str(&format!(
                "<li class=\"note sev-{}\"><mark class=\"finding sev-{} check-{}\" id=\"f{idx}\">{}</mark> {}</li>\n",
                finding.severity.as_str(),
                finding.severity.as_str(),
                escape(&finding.check),
                escape(&finding.lang),
                note_body(ui, finding)
            ));
        }
        html.push_str("</ul>\n");
    }

    // Side by side.
    html.push_str(&format!("<h2>{}</h2>\n<table class=\"versions\"><thead><tr><th class=\"num\">#</th>", label(ui, Labels::SIDE_BY_SIDE)));
    for doc in &report.documents {
        html.push_str(&format!("<th lang=\"{}\">{}</th>", escape(&doc.lang), escape(&doc.lang)));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for (row_idx, row) in report.rows.iter().enumerate() {
        html.push_str(&format!("<tr id=\"row{}\"><td class=\"num\">{}</td>", row_idx + 1, row_idx + 1));
        for (version, cell) in row.iter().enumerate() {
            let here: Vec<(usize, &Finding)> =
                report.findings.iter().enumerate().filter(|(_, f)| f.anchor.row == Some(row_idx) && f.anchor.version == version).collect();
            let lang = report.documents.get(version).map_or("", |doc| doc.lang.as_str());
            match cell {
                Some(segment) => {
                    let (line, text) = report.texts.get(version).and_then(|texts| texts.get(*segment)).cloned().unwrap_or_default();
                    html.push_str(&format!("<td lang=\"{}\"><span class=\"ln\" title=\"{}\">{line}</span>", escape(lang), label(ui, Labels::LINE)));
                    html.push_str(&highlight(&text, &here));
                }
                None => {
                    html.push_str(&format!("<td class=\"gap\" lang=\"{}\">", escape(lang)));
                    if here.is_empty() {
                        html.push_str(&label(ui, Labels::MISSING));
                    } else {
                        let (idx, first) = here[0];
                        html.push_str(&format!(
                            "<mark class=\"finding sev-{} check-{}\" id=\"f{idx}\">{}</mark>",
                            first.severity.as_str(),
                            escape(&first.check),
                            label(ui, Labels::MISSING)
                        ));
                    }
                }
            }
            if !here.is_empty() {
                html.push_str("<ul class=\"notes\">");
                for (idx, finding) in &here {
                    html.push_str(&format!(
                        "<li class=\"note sev-{}\"><a href=\"#f{idx}\" aria-label=\"{}\">↑</a> {}</li>",
                        finding.severity.as_str(),
                        escape(&finding.excerpt),
                        note_body(ui, finding)
                    ));
                }
                html.push_str("</ul>");
            }
            html.push_str("</td>");
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table>\n</body>\n</html>\n");
    html
}

/// The explanation of one finding: severity, the check's summary in the reader's language,
/// the detail (English) and the suggestion.
fn note_body(ui: UiLang, finding: &Finding) -> String {
    let mut body = format!(
        "<span class=\"sev\">{}</span> <code>{}</code> {}. <span class=\"detail\" lang=\"en\">{}</span>",
        severity_label(ui, finding.severity),
        escape(&finding.check),
        check_summary(ui, &finding.check),
        escape(&finding.message)
    );
    if let Some(suggestion) = &finding.suggestion {
        body.push_str(&format!("<span class=\"sugg\">{}: <q>{}</q></span>", label(ui, Labels::SUGGESTION), escape(suggestion)));
    }
    body
}

/// The segment's text, escaped, with every finding's span (or, without one, the whole
/// text) wrapped in a `mark.finding`. Overlapping spans: the first one wins the mark, the
/// others keep their note.
fn highlight(text: &str, findings: &[(usize, &Finding)]) -> String {
    let mut spans: Vec<(usize, usize, usize, &Finding)> = findings
        .iter()
        .filter(|(_, f)| f.anchor.segment.is_some())
        .map(|(idx, f)| {
            let (start, end) = f.anchor.span.unwrap_or((0, text.len()));
            (start.min(text.len()), end.min(text.len()), *idx, *f)
        })
        .filter(|(start, end, _, _)| start < end && text.is_char_boundary(*start) && text.is_char_boundary(*end))
        .collect();
    spans.sort_by_key(|(start, end, _, _)| (*start, std::cmp::Reverse(*end)));
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for (start, end, idx, finding) in spans {
        if start < last {
            // Overlaps a mark already placed: an empty mark keeps the finding addressable.
            out.push_str(&format!("<mark class=\"finding sev-{} check-{}\" id=\"f{idx}\"></mark>", finding.severity.as_str(), escape(&finding.check)));
            continue;
        }
        out.push_str(&escape(&text[last..start]));
        out.push_str(&format!(
            "<mark class=\"finding sev-{} check-{}\" id=\"f{idx}\" title=\"{}\">{}</mark>",
            finding.severity.as_str(),
            escape(&finding.check),
            escape(&finding.message),
            escape(&text[start..end])
        ));
        last = end;
    }
    out.push_str(&escape(&text[last..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::run;

    #[test]
    fn document_text_is_escaped() {
        let report = run(
            &[
                ("sq", "Komuna: Klinë\n<script>alert('x')</script> Zbraz kоshin <img src=x onerror=alert(1)>"),
                ("sr", "Opština: Klina\n<b onmouseover=\"alert(2)\">Isprazni</b> korpu?"),
                ("en", "Municipality: Klinë\nEmpty the trash?"),
            ],
            &Default::default(),
        );
        for ui in [UiLang::En, UiLang::Sq, UiLang::SrCyrl, UiLang::SrLatn] {
            let page = render(&report, ui);
            assert!(!page.contains("<script"), "{page}");
            assert!(!page.contains("<img"));
            assert!(!page.contains("<b "));
            assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
            assert!(page.contains("class=\"finding sev-error check-mixed-script\""));
            assert!(page.contains(&format!("lang=\"{}\"", ui.tag())));
        }
        let cyrillic = render(&report, UiLang::SrCyrl);
        assert!(cyrillic.contains("Извештај о језичкој ревизији"), "{cyrillic}");
        assert!(render(&report, UiLang::Sq).contains("Raport i auditimit gjuhësor"));
    }

    #[test]
    fn every_finding_has_a_mark() {
        let report = run(
            &[
                ("sq", "Komuna: Junik\nE pamundur heqja e kartelës së origjinës.\nZbraz koshin para se të kryhet zmontimi?\nZvarritja nuk suportohet."),
                ("sr", "Општина: Јуник\nНе могу да уклоним изворну фасциклу.\nПревлачење и пуштање није подржано."),
            ],
            &Default::default(),
        );
        let page = render(&report, UiLang::En);
        assert!(!report.findings.is_empty());
        for idx in 0..report.findings.len() {
            assert!(page.contains(&format!("id=\"f{idx}\"")), "finding {idx} has a mark");
        }
        assert!(page.contains("td class=\"gap\""));
    }
}
