//! The CSV report: a header, then one finding a row (RFC 4180 quoting).

use crate::audit::Report;

/// The columns, in order.
pub const COLUMNS: [&str; 10] = ["check", "severity", "lang", "line", "column", "excerpt", "message", "suggestion", "related_lang", "related_line"];

/// Renders the findings as CSV.
pub fn render(report: &Report) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail for I/O reasons, and every record has the header's width.
    let _ = writer.write_record(COLUMNS);
    for finding in &report.findings {
        let line = finding.line.to_string();
        let column = finding.column.to_string();
        let related_lang = finding.related.as_ref().map(|r| r.lang.clone()).unwrap_or_default();
        let related_line = finding.related.as_ref().map(|r| r.line.to_string()).unwrap_or_default();
        let _ = writer.write_record([
            finding.check.as_str(),
            finding.severity.as_str(),
            finding.lang.as_str(),
            &line,
            &column,
            &finding.excerpt,
            &finding.message,
            finding.suggestion.as_deref().unwrap_or(""),
            &related_lang,
            &related_line,
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::run;

    #[test]
    fn one_row_per_finding() {
        let report = run(&[("sq", "Komuna: Klinë\nNjë \"kartelë\", e re."), ("sr", "")], &Default::default());
        let text = super::render(&report);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), super::COLUMNS.to_vec());
        assert_eq!(reader.records().count(), report.findings.len());
    }
}
