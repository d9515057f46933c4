//! The embedded web UI: one HTML page, its script with the interface texts (and the Monitoring
//! page's script, run after it), one style sheet,
//! compiled into the binary (no build step, nothing fetched from the internet).

use std::sync::LazyLock;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const INDEX_HTML: &str = include_str!("ui/index.html");
/// The interface texts, one object a language (`en`, `sq`, `sr` in Cyrillic), the same keys in each.
const STRINGS_JSON: &str = include_str!("ui/strings.json");
/// The script: strict mode, the interface texts as `STRINGS`, then `ui/app.js`.
static APP_JS: LazyLock<String> = LazyLock::new(|| format!("\"use strict\";\nconst STRINGS = {};\n{}", STRINGS_JSON.trim_end(), include_str!("ui/app.js")));
const STYLE_CSS: &str = include_str!("ui/style.css");
/// The Monitoring page's script, strict like `ui/app.js`, run after it (it uses its helpers).
static MONITOR_JS: LazyLock<String> = LazyLock::new(|| format!("\"use strict\";\n{}", include_str!("ui/monitor.js")));

pub(super) async fn index() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-cache")], INDEX_HTML)
}

pub(super) async fn app_js() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], APP_JS.as_str())
}

pub(super) async fn monitor_js() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], MONITOR_JS.as_str())
}

pub(super) async fn style_css() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "no-cache")], STYLE_CSS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_interface_text() {
        let strings: serde_json::Map<String, serde_json::Value> = serde_json::from_str(STRINGS_JSON).expect("ui/strings.json is JSON");
        let keys = |lang: &str| -> Vec<String> {
            let mut keys: Vec<String> = strings[lang].as_object().expect("an object a language").keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(strings.keys().collect::<Vec<_>>(), ["en", "sq", "sr"]);
        assert_eq!(keys("sq"), keys("en"));
        assert_eq!(keys("sr"), keys("en"));
        for (lang, table) in &strings {
            for (key, text) in table.as_object().expect("an object a language") {
                assert!(text.as_str().is_some_and(|text| !text.trim().is_empty()), "{lang}.{key} is a text");
            }
        }
        assert!(APP_JS.starts_with("\"use strict\";\nconst STRINGS = {"));
        assert!(MONITOR_JS.starts_with("\"use strict\";\n"));
    }
}
