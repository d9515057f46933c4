//! The web UI and the standalone audit report in headless Chromium, end to end: a person's
//! path through search, places of a term in every script, the audit page, the language
//! switcher and the import page, with no JavaScript or console errors on the way.
//!
//! Needs a Chromium (`CHROME`, or /usr/bin/chromium, chromium-browser, google-chrome); without
//! one the tests say `SKIPPED` and pass. Screenshots go to `target/screenshots/` (test
//! artifacts, not committed).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::js_protocol::runtime::{ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use serde_json::Value;
use termbridge::api::ServeConfig;
use termbridge::store::Role;

use crate::http::TestServer;
use crate::support::data;

/// The browser to drive, if this machine has one.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROME").map(PathBuf::from).filter(|path| path.exists()) {
        return Some(path);
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/chromium-headless-shell"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// A launched browser with one page whose errors are collected.
struct Driver {
    browser: Browser,
    page: Page,
    errors: Arc<Mutex<Vec<String>>>,
    _profile: tempfile::TempDir,
}

impl Driver {
    async fn launch(executable: &Path) -> Driver {
        let profile = tempfile::tempdir().expect("profile folder");
        let config = BrowserConfig::builder()
            .chrome_executable(executable)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1200, 860)
            .viewport(None)
            .args(["disable-gpu", "disable-background-networking", "disable-component-update", "disable-sync", "no-first-run", "disable-quic", "lang=en-US"])
            .build()
            .expect("browser config");
        let (browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
        tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    break;
                }
            }
        });
        let page = browser.new_page("about:blank").await.expect("page");
        let errors = Arc::new(Mutex::new(Vec::new()));
        let mut console = page.event_listener::<EventConsoleApiCalled>().await.expect("console events");
        let sink = errors.clone();
        tokio::spawn(async move {
            while let Some(event) = console.next().await {
                if matches!(event.r#type, ConsoleApiCalledType::Error | ConsoleApiCalledType::Assert) {
                    let text: Vec<String> =
                        event.args.iter().map(|arg| arg.value.as_ref().map_or_else(|| format!("{:?}", arg.description), Value::to_string)).collect();
                    sink.lock().expect("errors").push(format!("console.error: {}", text.join(" ")));
                }
            }
        });
        let mut exceptions = page.event_listener::<EventExceptionThrown>().await.expect("exception events");
        let sink = errors.clone();
        tokio::spawn(async move {
            while let Some(event) = exceptions.next().await {
                let details = &event.exception_details;
                let description = details.exception.as_ref().and_then(|exception| exception.description.clone()).unwrap_or_default();
                sink.lock().expect("errors").push(format!("exception: {} {description}", details.text));
            }
        });
        let mut log = page.event_listener::<EventEntryAdded>().await.expect("log events");
        let sink = errors.clone();
        tokio::spawn(async move {
            while let Some(event) = log.next().await {
                if event.entry.level == LogEntryLevel::Error {
                    sink.lock().expect("errors").push(format!("log: {} ({:?})", event.entry.text, event.entry.url));
                }
            }
        });
        page.enable_log().await.expect("log domain");
        Driver { browser, page, errors, _profile: profile }
    }

    async fn goto(&self, url: &str) {
        self.page.goto(url).await.unwrap_or_else(|err| panic!("open {url}: {err}"));
    }

    /// Evaluates a JavaScript expression and returns its JSON value (`null` for undefined).
    async fn eval(&self, expression: &str) -> Value {
        let wrapped = format!("(() => {{ const value = ({expression}); return value === undefined ? null : value; }})()");
        let result = self.page.evaluate_expression(wrapped).await.unwrap_or_else(|err| panic!("evaluate {expression}: {err}"));
        result.into_value::<Value>().unwrap_or(Value::Null)
    }

    /// Waits until `expression` is truthy (the page works asynchronously) and returns it.
    async fn wait_for(&self, expression: &str, what: &str) -> Value {
        for _ in 0..600 {
            let value = self.eval(expression).await;
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(flag) => *flag,
                Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
                Value::String(text) => !text.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let status = self.eval("[...document.querySelectorAll('.status')].map((node) => node.id + ': ' + node.textContent).join(' | ')").await;
        panic!("never happened: {what}; statuses: {status}; errors: {:?}", self.errors());
    }

    async fn click(&self, selector: &str) {
        let element = self.page.find_element(selector).await.unwrap_or_else(|err| panic!("find {selector}: {err}"));
        element.scroll_into_view().await.ok();
        element.click().await.unwrap_or_else(|err| panic!("click {selector}: {err}"));
    }

    /// Types `text` (any script) into the field `selector`, as an input method would.
    async fn type_into(&self, selector: &str, text: &str) {
        self.click(selector).await;
        self.page.execute(InsertTextParams::new(text)).await.unwrap_or_else(|err| panic!("type into {selector}: {err}"));
    }

    async fn choose_file(&self, selector: &str, file: &Path) {
        let element = self.page.find_element(selector).await.unwrap_or_else(|err| panic!("find {selector}: {err}"));
        let params = SetFileInputFilesParams::builder().file(file.display().to_string()).backend_node_id(element.backend_node_id).build().expect("params");
        self.page.execute(params).await.unwrap_or_else(|err| panic!("choose {} for {selector}: {err}", file.display()));
    }

    async fn screenshot(&self, name: &str, full_page: bool) -> PathBuf {
        let path = screenshot_dir().join(name);
        let bytes = self.page.screenshot(ScreenshotParams::builder().full_page(full_page).build()).await.expect("screenshot");
        std::fs::write(&path, bytes).expect("write screenshot");
        path
    }

    fn errors(&self) -> Vec<String> {
        self.errors.lock().expect("errors").clone()
    }

    async fn close(mut self) {
        self.browser.close().await.ok();
        self.browser.wait().await.ok();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// A data directory holding the small term base of tests/data/ui.
fn data_dir_with_terms() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = termbridge::store::Store::open(dir.path()).expect("store");
    let imported = termbridge::termbase::read_file(&data("ui/terms.csv"), termbridge::termbase::FileFormat::Csv).expect("term base fixture");
    store.put_concepts(&imported.concepts).expect("store concepts");
    drop(store);
    dir
}

#[test]
fn the_web_ui_end_to_end() {
    let Some(executable) = chromium() else {
        eprintln!("SKIPPED: no Chromium found (install chromium; .ci/run does)");
        return;
    };
    let server = TestServer::start_in(data_dir_with_terms(), ServeConfig::default());
    let editor = server.token(Role::Editor);
    let base = server.url("/");
    runtime().block_on(async {
        let driver = Driver::launch(&executable).await;
        driver.goto(&base).await;
        driver.wait_for("document.body.dataset.ready === 'true'", "the page script to start").await;

        // The tabs answer the keyboard: arrows, Home and End move the selection and the focus.
        driver.click("#tab-search").await;
        for (key, expected) in [("ArrowRight", "tab-places"), ("End", "tab-monitor"), ("ArrowRight", "tab-search"), ("ArrowLeft", "tab-monitor"), ("Home", "tab-search")] {
            driver.page.find_element(":focus").await.expect("a focused tab").press_key(key).await.expect("key");
            let state = driver.eval("[document.activeElement.id, document.querySelector('[role=tab][aria-selected=true]').id, document.querySelector('#panel-' + document.activeElement.id.slice(4)).hidden]").await;
            assert_eq!(state, serde_json::json!([expected, expected, false]), "after {key}");
        }

        // Search in Serbian Latin, inflected and without diacritics' help: the concept comes
        // back with its Cyrillic and Albanian terms.
        driver.click("[data-ui-lang='en']").await;
        driver.type_into("#q", "opštini").await;
        driver.click("#go").await;
        let terms = driver.wait_for("document.querySelector('#group-terms') && document.querySelector('#group-terms').textContent", "term results").await;
        let terms = terms.as_str().unwrap_or_default();
        assert!(terms.contains("општина"), "Cyrillic equivalent shown: {terms}");
        assert!(terms.contains("komunë"), "Albanian equivalent shown: {terms}");
        assert!(terms.contains("Serbian (Cyrillic)"), "languages are labelled: {terms}");
        driver.screenshot("search.png", false).await;

        // The language switcher changes every label, in both Serbian scripts.
        for (lang, tab, button) in [("sr-Cyrl", "Претрага", "Тражи"), ("sr-Latn", "Pretraga", "Traži"), ("sq", "Kërko", "Kërko"), ("en", "Search", "Search")] {
            driver.click(&format!("[data-ui-lang='{lang}']")).await;
            let labels = driver.eval("[document.documentElement.lang, document.querySelector('#tab-search').textContent, document.querySelector('#go').textContent, document.querySelector('#group-terms h3').textContent]").await;
            assert_eq!(labels[0], lang);
            assert_eq!((labels[1].as_str(), labels[2].as_str()), (Some(tab), Some(button)), "{lang}: {labels}");
            if lang == "sr-Cyrl" {
                assert!(labels[3].as_str().unwrap_or_default().starts_with("Термини"), "result headings follow: {labels}");
                driver.screenshot("search-sr-Cyrl.png", false).await;
            }
        }
        let untranslated = driver
            .eval("(() => { document.querySelector('[data-ui-lang=\"sq\"]').click(); return [...document.querySelectorAll('[data-i18n]')].filter((node) => /[a-z]_[a-z]/.test(node.textContent)).map((node) => node.dataset.i18n); })()")
            .await;
        assert_eq!(untranslated, Value::Array(Vec::new()), "every label has an Albanian text");

        // The audit page: three versions of a decision, findings in the summary and marked
        // in the side-by-side report (styled: the frame may use the report's own style sheet).
        driver.click("[data-ui-lang='en']").await;
        driver.click("#tab-audit").await;
        driver.choose_file("#audit-sq", &data("audit/triple.sq.txt")).await;
        driver.choose_file("#audit-sr", &data("audit/triple.sr.txt")).await;
        driver.choose_file("#audit-en", &data("audit/triple.en.txt")).await;
        driver.click("#audit-go").await;
        driver.wait_for("document.querySelector('#audit-summary')", "the audit summary").await;
        let errors_shown = driver.eval("Number(document.querySelector('#audit-summary .metric.errors .value').textContent)").await;
        assert!(errors_shown.as_f64().unwrap_or(0.0) > 0.0, "errors counted: {errors_shown}");
        let listed = driver.eval("document.querySelectorAll('#audit-results li.finding').length").await;
        assert!(listed.as_u64().unwrap_or(0) > 5, "findings listed: {listed}");
        let marks = driver
            .wait_for(
                "(() => { const frame = document.querySelector('#audit-report'); const doc = frame && frame.contentDocument; return doc && doc.querySelectorAll('mark.finding').length; })()",
                "marks in the report frame",
            )
            .await;
        assert!(marks.as_u64().unwrap_or(0) >= listed.as_u64().unwrap_or(0), "every finding marked: {marks} marks, {listed} findings");
        let mark_background = driver
            .eval("getComputedStyle(document.querySelector('#audit-report').contentDocument.querySelector('mark.finding.sev-error')).backgroundColor")
            .await;
        assert_eq!(mark_background, "rgb(255, 215, 213)", "the report's style sheet applies inside the frame");
        let sandbox = driver.eval("document.querySelector('#audit-report').getAttribute('sandbox')").await;
        assert_eq!(sandbox, "allow-same-origin", "the report frame runs no script");
        driver.screenshot("audit.png", true).await;

        // The import page: a small TMX, the progress bar runs to the end.
        driver.click("#tab-import").await;
        driver.choose_file("#import-file", &data("ui/memory.tmx")).await;
        driver.type_into("#import-token", &editor).await;
        driver.click("#import-go").await;
        driver.wait_for("document.querySelector('#import-summary')", "the import to finish").await;
        let progress = driver.eval("[document.querySelector('#import-progress').value, document.querySelector('#import-summary [data-key=stored]').textContent]").await;
        assert_eq!(progress, serde_json::json!([100, "3"]), "progress complete, 3 units stored");
        driver.screenshot("import.png", false).await;

        // The places page: municipalities of the shipped gazetteer, then one municipality's
        // settlements in the three official forms and its official languages.
        driver.click("#tab-places").await;
        let listed = driver.wait_for("document.querySelectorAll('#municipalities button').length", "the municipalities").await;
        assert_eq!(listed, 38, "every municipality listed");
        driver.type_into("#municipality-filter", "urosev").await;
        let filtered = driver.eval("[...document.querySelectorAll('#municipalities button')].map((button) => button.textContent)").await;
        assert_eq!(filtered, serde_json::json!(["Ferizaj / Uroševac"]), "the filter folds diacritics");
        driver.click("#municipalities button").await;
        let settlements = driver.wait_for("document.querySelector('#settlements table') && document.querySelector('#settlements').textContent", "the settlements").await;
        let settlements = settlements.as_str().unwrap_or_default();
        assert!(settlements.contains("Урошевац") && settlements.contains("Official languages: Albanian, Serbian"), "{settlements}");
        driver.screenshot("places.png", false).await;

        // The sign checker: a Serbian name without its diacritics is not the official form.
        driver.click("#tab-sign").await;
        driver.type_into("#sign-text", "Zveçan / Zvecan").await;
        driver.type_into("#sign-municipality", "Zveçan").await;
        driver.click("#sign-go").await;
        let findings = driver.wait_for("[...document.querySelectorAll('#sign-results li.finding')].map((item) => item.textContent).join(' | ')", "the sign findings").await;
        assert!(findings.as_str().unwrap_or_default().contains("Zvečan"), "the official form is suggested: {findings}");
        driver.screenshot("sign.png", false).await;

        let errors = driver.errors();
        driver.close().await;
        assert!(errors.is_empty(), "no JavaScript or console errors: {errors:#?}");
    });
    let (status, stats) = {
        let response = crate::http::client().get(server.url("/api/v1/stats")).send().expect("stats");
        (response.status().as_u16(), response.json::<Value>().expect("json"))
    };
    assert_eq!((status, stats["units"].as_u64()), (200, Some(3)), "the import through the page stored the units");
}

#[test]
fn the_standalone_report_marks_every_finding() {
    let Some(executable) = chromium() else {
        eprintln!("SKIPPED: no Chromium found (install chromium; .ci/run does)");
        return;
    };
    use termbridge::audit::report::{Format, UiLang, render};
    use termbridge::model::lang::LangTag;
    let given = [(LangTag::SQ, data("audit/triple.sq.txt")), (LangTag::SR, data("audit/triple.sr.txt")), (LangTag::EN, data("audit/triple.en.txt"))];
    let versions = termbridge::audit::input::read_versions(&given).expect("versions");
    let config = termbridge::audit::AuditConfig::default();
    let report = termbridge::audit::audit(&versions, None, &config, &termbridge::audit::input::resources_for(&config)).expect("audit");
    assert!(report.findings.len() > 5, "the fixture has findings");
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&report, Format::Html, UiLang::Sq)).expect("write report");

    runtime().block_on(async {
        let driver = Driver::launch(&executable).await;
        driver.goto(&format!("file://{}", page.display())).await;
        driver.wait_for("document.readyState === 'complete'", "the report to load").await;
        let ids = driver.eval("[...document.querySelectorAll('mark.finding')].map((mark) => mark.id)").await;
        let ids: Vec<&str> = ids.as_array().expect("ids").iter().filter_map(Value::as_str).collect();
        for idx in 0..report.findings.len() {
            assert!(ids.contains(&format!("f{idx}").as_str()), "finding {idx} ({}) is marked", report.findings[idx].check);
        }
        let notes = driver.eval("document.querySelectorAll('li.note').length").await;
        assert!(notes.as_u64().unwrap_or(0) >= report.findings.len() as u64, "every finding explained: {notes}");
        let title = driver.eval("document.querySelector('h1').textContent").await;
        assert_eq!(title, "Raport i auditimit gjuhësor");
        let highlighted = driver.eval("getComputedStyle(document.querySelector('mark.finding.sev-error')).backgroundColor").await;
        assert_eq!(highlighted, "rgb(255, 215, 213)");
        driver.screenshot("report.png", true).await;
        let errors = driver.errors();
        driver.close().await;
        assert!(errors.is_empty(), "no console errors: {errors:#?}");
    });
}

/// The map: every place as a point, municipalities coloured by their official languages;
/// choosing a point shows its official and former names, in the interface language. The search
/// box shows which words of a phrase were taken as the place name.
#[test]
fn the_map_and_the_name_taken_from_a_phrase() {
    let Some(executable) = chromium() else {
        eprintln!("SKIPPED: no Chromium found (install chromium; .ci/run does)");
        return;
    };
    let server = TestServer::start_in(data_dir_with_terms(), ServeConfig::default());
    let base = server.url("/");
    runtime().block_on(async {
        let driver = Driver::launch(&executable).await;
        driver.goto(&base).await;
        driver.wait_for("document.body.dataset.ready === 'true'", "the page script to start").await;
        driver.click("[data-ui-lang='en']").await;

        // A phrase in the search box: the words taken as the name are marked.
        driver.type_into("#q", "Municipality of Gjakova").await;
        driver.click("#go").await;
        let span = driver.wait_for("document.querySelector('#place-span mark') && document.querySelector('#place-span').textContent", "the name taken from the phrase").await;
        assert_eq!(span, "Taken as the place name: Municipality of Gjakova");
        let marked = driver.eval("document.querySelector('#place-span mark').textContent").await;
        assert_eq!(marked, "Gjakova", "only the name is marked");

        // The map draws every place from the GeoJSON export, with a legend of language sets.
        driver.click("#tab-map").await;
        let points = driver.wait_for("document.querySelectorAll('#map-svg circle').length", "the map points").await;
        assert_eq!(points, 38 + 1547, "one point a place");
        let municipalities = driver.eval("document.querySelectorAll('#map-svg circle.mun').length").await;
        assert_eq!(municipalities, 38);
        let legend = driver.eval("[...document.querySelectorAll('#map-legend li')].map((item) => item.textContent)").await;
        let legend: Vec<&str> = legend.as_array().expect("legend").iter().filter_map(Value::as_str).collect();
        assert!(legend.contains(&"Albanian, Serbian") && legend.iter().any(|entry| entry.contains("Turkish")), "{legend:?}");
        let colours = driver.eval("new Set([...document.querySelectorAll('#map-svg circle.mun')].map((dot) => dot.getAttribute('fill'))).size").await;
        assert_eq!(colours.as_u64(), Some(legend.len() as u64), "one colour a language set");

        // Choosing a point shows its official names and its former names with their dates.
        driver.click("#map-svg circle[data-id='mun:drenas']").await;
        let name = driver.wait_for("document.querySelector('#map-place-name') && document.querySelector('#map-place-name').textContent", "the chosen place").await;
        assert_eq!(name, "Drenas / Glogovac");
        let detail = driver.eval("document.querySelector('#map-detail').textContent").await;
        let detail = detail.as_str().unwrap_or_default();
        assert!(detail.contains("Глоговац") && detail.contains("Official languages: Albanian, Serbian"), "{detail}");
        assert!(!detail.contains("null") && !detail.contains("undefined"), "{detail}");
        let former = driver.eval("document.querySelector('#map-former').textContent").await;
        assert!(former.as_str().is_some_and(|text| text.contains("Gllogoc") && text.contains("name before a renaming, date unknown")), "{former}");
        driver.screenshot("map.png", false).await;
        // A seat lies under its municipality's point: its own point is chosen by a click event.
        driver.eval("document.querySelector(\"#map-svg circle[data-id='gns:-78323']\").dispatchEvent(new MouseEvent('click', { bubbles: true }))").await;
        let settlement = driver.wait_for("document.querySelector('#map-place-name').textContent === 'Hani i Elezit / Elez Han' && document.querySelector('#map-detail').textContent", "a settlement's names").await;
        assert!(settlement.as_str().is_some_and(|text| text.contains("Municipality: Hani i Elezit") && text.contains("Đeneral Janković")), "{settlement}");
        driver.click("#map-svg circle[data-id='mun:drenas']").await;
        driver.wait_for("document.querySelector('#map-place-name').textContent === 'Drenas / Glogovac'", "Drenas chosen again").await;

        // In Serbian Cyrillic, the same place's texts follow.
        driver.click("[data-ui-lang='sr-Cyrl']").await;
        let texts = driver.eval("[document.querySelector('#tab-map').textContent, document.querySelector('#map-detail h4').textContent, document.querySelector('#map-former').textContent]").await;
        assert_eq!((texts[0].as_str(), texts[1].as_str()), (Some("Мапа"), Some("Ранији називи")), "{texts}");
        assert!(texts[2].as_str().is_some_and(|text| text.contains("датум непознат")), "{texts}");
        driver.click("#map-svg circle[data-id='mun:hani-i-elezit']").await;
        let former = driver.wait_for("document.querySelector('#map-former') && document.querySelector('#map-former').textContent.includes('Janković') && document.querySelector('#map-former').textContent", "the former names of Hani i Elezit").await;
        assert!(former.as_str().is_some_and(|text| text.contains("Đeneral Janković") && text.contains("–2012")), "{former}");
        driver.screenshot("map-sr-Cyrl.png", false).await;

        let errors = driver.errors();
        driver.close().await;
        assert!(errors.is_empty(), "no JavaScript or console errors: {errors:#?}");
    });
}

/// The translation memory in the search page: a fuzzy hit that differs from the query by a
/// number shows the target adapted to the query with the changed number marked, the stored
/// target beside it, the penalty for a source stored with two translations and the unit's
/// context; a sentence without any whole match shows the fragments found in the memory.
#[test]
fn tm_hits_show_patches_penalties_context_and_fragments() {
    let Some(executable) = chromium() else {
        eprintln!("SKIPPED: no Chromium found (install chromium; .ci/run does)");
        return;
    };
    let server = TestServer::start_in(data_dir_with_terms(), ServeConfig::default());
    let editor = server.token(Role::Editor);
    runtime().block_on(async {
        let driver = Driver::launch(&executable).await;
        driver.goto(&server.url("/")).await;
        driver.wait_for("document.body.dataset.ready === 'true'", "the page script to start").await;
        driver.click("[data-ui-lang='en']").await;
        driver.click("#tab-import").await;
        driver.choose_file("#import-file", &data("ui/memory_matches.tmx")).await;
        driver.type_into("#import-token", &editor).await;
        driver.click("#import-go").await;
        driver.wait_for("document.querySelector('#import-summary')", "the import to finish").await;

        driver.click("#tab-search").await;
        driver.type_into("#q", "The deadline for appeal is 30 days.").await;
        driver.click("#go").await;
        driver.wait_for("document.querySelector('#group-tm li.has-patch')", "a patched TM hit").await;
        let shown = driver
            .eval(
                "(() => { const hit = document.querySelector('#group-tm li.has-patch'); return { \
                 patched: hit.querySelector('.target.patched').textContent, \
                 marked: [...hit.querySelectorAll('.target.patched mark')].map((mark) => mark.textContent), \
                 stored: hit.querySelector('.target.stored').textContent, \
                 badge: hit.querySelector('.badge.patched').textContent, \
                 penalties: [...hit.querySelectorAll('.badge.penalty')].map((badge) => badge.textContent), \
                 context: hit.querySelector('.context code') && hit.querySelector('.context code').textContent }; })()",
            )
            .await;
        assert!(shown["patched"].as_str().unwrap_or_default().contains("30 ditë"), "the target takes the query's number: {shown}");
        assert_eq!(shown["marked"], serde_json::json!(["30"]), "only the changed number is marked: {shown}");
        assert!(shown["stored"].as_str().unwrap_or_default().contains("15 ditë"), "the stored target is kept: {shown}");
        assert_eq!(shown["badge"], "adapted to the query: number · 99.9%", "a patched hit never reads as 100 %: {shown}");
        assert!(
            shown["penalties"]
                .as_array()
                .is_some_and(|badges| badges.iter().any(|badge| badge.as_str().unwrap_or_default().starts_with("several translations"))),
            "the penalty is named: {shown}"
        );
        assert!(shown["context"].as_str().unwrap_or_default().starts_with("appeal.deadline"), "the context is shown: {shown}");
        driver.screenshot("tm-patched.png", false).await;

        // In Albanian the same hit is labelled in Albanian.
        driver.click("[data-ui-lang='sq']").await;
        let badge = driver.eval("document.querySelector('#group-tm li.has-patch .badge.patched').textContent").await;
        assert!(badge.as_str().unwrap_or_default().starts_with("përshtatur me pyetjen"), "{badge}");
        driver.click("[data-ui-lang='en']").await;

        driver.eval("document.querySelector('#q').value = ''").await;
        driver.type_into("#q", "The Municipal Assembly approves the new regulation on parking.").await;
        driver.click("#go").await;
        let fragments =
            driver.wait_for("document.querySelector('#group-fragments') && document.querySelector('#group-fragments').textContent", "the fragments").await;
        let fragments = fragments.as_str().unwrap_or_default();
        assert!(fragments.contains("Municipal Assembly") && fragments.contains("Kuvendi i Komunës"), "the fragment and its translation: {fragments}");
        driver.screenshot("tm-fragments.png", false).await;

        let errors = driver.errors();
        driver.close().await;
        assert!(errors.is_empty(), "no JavaScript or console errors: {errors:#?}");
    });
}

#[test]
fn the_monitoring_page_shows_scores_the_trend_and_findings_beside_the_page() {
    let Some(executable) = chromium() else {
        eprintln!("SKIPPED: no Chromium found (install chromium; .ci/run does)");
        return;
    };
    // An institution run twice over HTTP (a recorded site on 127.0.0.1): its score rose.
    let (server, editor) = crate::monitor_api::monitored();
    let listed: Value = crate::http::client().get(server.url("/api/v1/monitor/institutions")).send().expect("list").json().expect("json");
    let expected = listed["institutions"][0]["last_score"].as_f64().expect("a score");
    runtime().block_on(async {
        let driver = Driver::launch(&executable).await;
        driver.goto(&server.url("/#monitor")).await;
        driver.wait_for("document.body.dataset.ready === 'true'", "the page script to start").await;
        driver.click("[data-ui-lang='en']").await;
        driver.wait_for("document.querySelector('[data-institution=klina]')", "the institution in the list").await;
        let row = driver.eval("document.querySelector('#monitor-institutions tbody tr').textContent").await;
        assert!(row.as_str().unwrap_or_default().contains("Komuna e Klinës"), "{row}");
        assert!(row.as_str().unwrap_or_default().contains("central institution"), "{row}");
        driver.click("[data-institution=klina]").await;
        driver.wait_for("document.querySelector('#monitor-trend')", "the trend chart").await;
        let trend = driver
            .eval(
                "(() => { const svg = document.querySelector('#monitor-trend'); return { \
                 points: svg.querySelectorAll('circle.point').length, line: !!svg.querySelector('polyline.line'), \
                 ys: [...svg.querySelectorAll('circle.point')].map((point) => Number(point.getAttribute('cy'))), \
                 namespace: svg.namespaceURI, score: document.querySelector('#monitor-score').textContent }; })()",
            )
            .await;
        assert_eq!(trend["points"], 2, "a point a run: {trend}");
        assert_eq!(trend["line"], true, "{trend}");
        assert_eq!(trend["namespace"], "http://www.w3.org/2000/svg");
        let ys = trend["ys"].as_array().expect("ys");
        assert!(ys[1].as_f64() < ys[0].as_f64(), "the rising score is drawn higher: {trend}");
        let shown: f64 = trend["score"].as_str().unwrap_or_default().parse().expect("a number");
        assert!((shown - expected).abs() < 0.051, "the score shown is the last run's: {shown} against {expected}");
        driver.screenshot("monitor-institution.png", true).await;

        // The documents: addresses by language, the missing Serbian version of the notice.
        let documents = driver.eval("document.querySelector('#monitor-documents').textContent").await;
        let documents = documents.as_str().unwrap_or_default();
        assert!(documents.contains("/sq/njoftim") && documents.contains("Serbian") && documents.contains("Cyrillic"), "{documents}");
        let missing = driver.eval("document.querySelectorAll('#monitor-documents tr.has-missing').length").await;
        assert_eq!(missing, 1, "only the notice lacks its Serbian version now");

        // Drill down: the notice's findings beside its stored page, shown as text.
        let index = driver
            .eval("[...document.querySelectorAll('#monitor-documents tbody tr')].findIndex((row) => row.textContent.includes('/sq/lajme'))")
            .await;
        driver.click(&format!("[data-document='{}']", index.as_i64().expect("index"))).await;
        driver.wait_for("document.querySelector('.snapshot pre.snapshot-text') && document.querySelector('.snapshot pre.snapshot-text').textContent.includes('konkurs')", "the stored page").await;
        let shown = driver
            .eval(
                "(() => ({ pages: document.querySelectorAll('.snapshot[data-lang]').length, \
                 text: document.querySelector('.snapshot[data-lang=sq] pre').textContent, \
                 scripts: document.querySelectorAll('.snapshot script').length, \
                 link: document.querySelector('.snapshot[data-lang=sq] a').getAttribute('href'), \
                 findings: !!(document.querySelector('#monitor-findings') || document.querySelector('.side-by-side .hint')) }))()",
            )
            .await;
        assert_eq!(shown["pages"], 2, "both language versions: {shown}");
        assert!(shown["text"].as_str().unwrap_or_default().contains("<script>alert(1)</script>"), "the page's markup is text: {shown}");
        assert_eq!(shown["scripts"], 0, "nothing of the page is run: {shown}");
        assert!(shown["link"].as_str().unwrap_or_default().contains("/snapshots/"), "{shown}");
        assert_eq!(shown["findings"], true, "{shown}");
        driver.screenshot("monitor-document.png", true).await;

        // The same page in Serbian (Cyrillic and Latin) and Albanian.
        driver.click("[data-ui-lang='sr-Cyrl']").await;
        let heading = driver.eval("document.querySelector('#tab-monitor').textContent").await;
        assert_eq!(heading, "Праћење");
        driver.click("[data-ui-lang='sr-Latn']").await;
        let heading = driver.eval("document.querySelector('#tab-monitor').textContent").await;
        assert_eq!(heading, "Praćenje");
        driver.click("[data-ui-lang='sq']").await;
        let back = driver.eval("document.querySelector('#monitor-back').textContent").await;
        assert!(back.as_str().unwrap_or_default().contains("Kthehu te dokumentet"), "{back}");
        driver.click("#monitor-back").await;
        driver.wait_for("document.querySelector('#monitor-documents')", "the documents again").await;

        // An editor runs the institution again from the page; without the token it is refused.
        driver.click("[data-ui-lang='en']").await;
        driver.click("#monitor-run-now").await;
        let refused = driver.wait_for("document.querySelector('#monitor-status.error') && document.querySelector('#monitor-status').textContent", "the refusal").await;
        assert!(refused.as_str().unwrap_or_default().contains("editor token"), "{refused}");
        driver.type_into("#monitor-token", &editor).await;
        driver.click("#monitor-run-now").await;
        driver.wait_for("document.querySelectorAll('#monitor-trend circle.point').length === 3", "a third point after the run").await;
        // The page shows the run, then says it ended: wait for the last step.
        driver.wait_for("document.querySelector('#monitor-status').textContent === 'The run has ended.'", "the end of the run said").await;

        // And adds an institution, which is listed and shown.
        driver.type_into("#monitor-add-id", "kamenice").await;
        driver.type_into("#monitor-add-url", "http://127.0.0.1:9/kamenice/").await;
        driver.type_into("#monitor-add-municipality", "Kamenica").await;
        driver.click("#monitor-add-go").await;
        driver.wait_for("document.querySelector('[data-institution=kamenice]')", "the new institution in the list").await;
        // The page lists the institution, shows it, then says so: wait for the last step.
        driver.wait_for("document.querySelector('#monitor-add-status').textContent !== ''", "the add form's answer").await;
        let added = driver.eval("[document.querySelector('#monitor-add-status').textContent, document.querySelector('#monitor-detail h3').textContent]").await;
        assert_eq!(added[0], "Added: kamenice", "{added}");
        assert!(added[1].as_str().unwrap_or_default().starts_with("kamenice"), "the new institution is shown: {added}");
        let row = driver.eval("document.querySelector('[data-institution=kamenice]').closest('tr').textContent").await;
        assert!(row.as_str().unwrap_or_default().contains("Kamenicë"), "the municipality's official name: {row}");
        driver.screenshot("monitor-editor.png", true).await;
        driver.click("[data-ui-lang='sr-Cyrl']").await;
        let labels = driver.eval("[document.querySelector('#monitor-run-now').textContent, document.querySelector('#monitor-add-go').textContent]").await;
        assert_eq!(labels, serde_json::json!(["Провери сада", "Додај"]));

        let errors = driver.errors();
        driver.close().await;
        assert!(errors.is_empty(), "no JavaScript or console errors: {errors:#?}");
    });
}
