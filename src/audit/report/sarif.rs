//! The SARIF 2.1.0 report: one run, the tool's rules from the check registry (id, name,
//! descriptions, help, default level, category), one result per finding with its location
//! (the version's file, line and column; a missing version has no location).

use serde_json::{Value, json};

use crate::audit::Report;
use crate::audit::checks::REGISTRY;
use crate::model::Severity;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `missing-segment` -> `MissingSegment`.
fn rule_name(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// Renders the report as SARIF 2.1.0 JSON.
pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|check| {
            json!({
                "id": check.id(),
                "name": rule_name(check.id()),
                "shortDescription": {"text": check.summary().en},
                "fullDescription": {"text": check.docs()},
                "help": {"text": check.docs(), "markdown": check.docs()},
                "defaultConfiguration": {"level": level(check.severity())},
                "properties": {"category": check.category().as_str(), "version": check.version()},
            })
        })
        .collect();
    let artifacts: Vec<Value> =
        report.documents.iter().map(|doc| json!({"location": {"uri": doc.path}, "hashes": {"blake3": doc.blake3}, "properties": {"lang": doc.lang}})).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let rule_index = REGISTRY.iter().position(|check| check.id() == finding.check);
            let document = report.documents.iter().position(|doc| doc.lang == finding.lang);
            let mut result = json!({
                "ruleId": finding.check,
                "level": level(finding.severity),
                "message": {"text": finding.message},
                "properties": {"lang": finding.lang, "excerpt": finding.excerpt},
            });
            if let Some(index) = rule_index {
                result["ruleIndex"] = json!(index);
            }
            if let Some(doc_idx) = document {
                let mut physical = json!({"artifactLocation": {"uri": report.documents[doc_idx].path, "index": doc_idx}});
                if finding.line > 0 {
                    physical["region"] = json!({"startLine": finding.line, "startColumn": finding.column.max(1), "snippet": {"text": finding.excerpt}});
                }
                result["locations"] = json!([{"physicalLocation": physical}]);
            }
            if let Some(suggestion) = &finding.suggestion {
                result["properties"]["suggestion"] = json!(suggestion);
            }
            if let Some(related) = &finding.related
                && let Some(doc_idx) = report.documents.iter().position(|doc| doc.lang == related.lang)
            {
                result["relatedLocations"] = json!([{
                    "id": 1,
                    "physicalLocation": {"artifactLocation": {"uri": report.documents[doc_idx].path, "index": doc_idx}, "region": {"startLine": related.line.max(1)}},
                    "message": {"text": format!("the {} version", related.lang)},
                }]);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "termbridge",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/termbridge/termbridge",
                "rules": rules,
            }},
            "artifacts": artifacts,
            "results": results,
            "properties": {"score": report.summary.score, "municipality": report.municipality},
        }],
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::run;

    #[test]
    fn rules_and_results() {
        let report =
            run(&[("sq", "Komuna: Klinë\nZbraz kоshin para se të kryhet zmontimi?"), ("en", "Municipality: Klinë\nEmpty the trash?")], &Default::default());
        let value: serde_json::Value = serde_json::from_str(&super::render(&report)).unwrap();
        assert_eq!(value["version"], "2.1.0");
        let run = &value["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), crate::audit::checks::REGISTRY.len());
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), report.findings.len());
        let mixed = results.iter().find(|r| r["ruleId"] == "mixed-script").unwrap();
        assert_eq!(mixed["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(mixed["locations"][0]["physicalLocation"]["region"]["startColumn"], 7);
        let missing = results.iter().find(|r| r["ruleId"] == "missing-version").unwrap();
        assert!(missing.get("locations").is_none());
        assert_eq!(super::rule_name("missing-segment"), "MissingSegment");
    }
}
