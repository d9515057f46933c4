//! The JSON report, exactly as DESIGN.md "Audit report" specifies (pretty-printed).

use crate::audit::Report;

/// Renders the report as JSON.
pub fn render(report: &Report) -> String {
    // A report holds strings, numbers and maps only; serialising it cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"))
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::run;

    #[test]
    fn has_the_contract_fields() {
        let report =
            run(&[("sq", "Komuna: Klinë\nNjë kartelë e re u krijua sot."), ("en", "Municipality: Klinë\nA new file was created today.")], &Default::default());
        let value: serde_json::Value = serde_json::from_str(&super::render(&report)).unwrap();
        for key in ["version", "municipality", "documents", "findings", "summary"] {
            assert!(value.get(key).is_some(), "{key}");
        }
        let finding = &value["findings"][0];
        for key in ["check", "severity", "lang", "line", "column", "excerpt", "message", "suggestion", "related"] {
            assert!(finding.get(key).is_some(), "{key}");
        }
        assert_eq!(finding["check"], "missing-version");
        assert_eq!(finding["line"], 0);
        for key in ["score", "errors", "warnings", "by_check"] {
            assert!(value["summary"].get(key).is_some(), "{key}");
        }
        assert_eq!(value["documents"][0]["script"], "Latn");
    }
}
