//! The compatible APIs over real HTTP, with the requests their clients send: Weblate's and
//! Virtaal's amaGama/tmserver lookups, LibreOffice's and editors' LanguageTool checks.

use serde_json::{Value, json};
use termbridge::api::ServeConfig;
use termbridge::model::lang::LangTag;
use termbridge::model::{Concept, Term, TermStatus};
use termbridge::model::{TranslationUnit, Variant};
use termbridge::store::Role;

use super::http::{TestServer, client};

/// Percent-encodes like Python's `urllib.parse.quote(text, safe="")` (Weblate) and
/// LibreOffice's `encodeTextForLT`: everything but RFC 3986 unreserved characters, as UTF-8.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn unit(id: &str, variants: &[(LangTag, &str)]) -> TranslationUnit {
    TranslationUnit {
        id: id.to_string(),
        collection: "default".to_string(),
        variants: variants.iter().map(|(tag, text)| Variant::new(*tag, *text)).collect(),
        props: Default::default(),
        notes: Vec::new(),
        created: None,
        changed: None,
    }
}

/// A server with a few units: English/Albanian/Serbian Cyrillic, and one Serbian Cyrillic
/// source with its Albanian translation.
fn tm_server(config: ServeConfig) -> TestServer {
    let server = TestServer::start(config);
    let units = [
        unit("u1", &[(LangTag::EN, "Open the file/folder"), (LangTag::SQ, "Hap skedarin/dosjen"), (LangTag::SR_CYRL, "Отвори датотеку/фасциклу")]),
        unit("u2", &[(LangTag::EN, "Open the file"), (LangTag::SQ, "Hap skedarin")]),
        unit("u3", &[(LangTag::SR_CYRL, "Општина Приштина је усвојила правилник."), (LangTag::SQ, "Komuna e Prishtinës miratoi rregulloren.")]),
    ];
    server.state.workspace.add_units(&units).expect("units stored");
    server
}

/// GET `url` and parse the JSON body; returns the status too.
fn get_json(url: &str) -> (u16, Value) {
    let response = client().get(url).send().expect("request");
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("body is not JSON ({err}): {text}")))
}

/// The URL Weblate's tmserver machinery builds: base, then each part quoted with no safe
/// characters, joined by "/".
fn weblate_url(server: &TestServer, source: &str, target: &str, text: &str) -> String {
    // Weblate lower-cases codes and writes "_" for "-" (map_language_code), cuts the text at
    // 500 characters and turns carriage returns into spaces.
    let code = |lang: &str| lang.replace('-', "_").to_lowercase();
    let text: String = text.chars().take(500).collect::<String>().replace('\r', " ");
    format!("{}/{}/{}/unit/{}", server.url("/tmserver"), quote(&code(source)), quote(&code(target)), quote(&text))
}

/// The text of UTF-16 code units: LanguageTool's offsets count them, so the tests select by
/// them on purpose.
#[allow(clippy::disallowed_methods)]
fn utf16_text(units: &[u16]) -> String {
    String::from_utf16(units).expect("whole characters")
}

#[test]
fn weblate_lookup_with_slashes_and_spaces() {
    let server = tm_server(ServeConfig::default());
    let (status, body) = get_json(&weblate_url(&server, "en", "sq", "Open the file/folder"));
    assert_eq!(status, 200, "{body}");
    let hits = body.as_array().expect("a list");
    assert_eq!(hits[0], json!({"source": "Open the file/folder", "target": "Hap skedarin/dosjen", "quality": 100.0, "rank": 100.0}));
    // "Open the file" scores 65, below amaGama's default min_similarity of 70.
    assert_eq!(hits.len(), 1, "{body}");
    // A fuzzy hit: Weblate keeps it when int(quality) reaches its threshold.
    let (_, body) = get_json(&weblate_url(&server, "en", "sq", "Open the files/folder"));
    assert_eq!(body[0]["source"], "Open the file/folder", "{body}");
    assert_eq!(body[0]["quality"], 95.24);
    // Best first, down to 30 when asked.
    let (_, body) = get_json(&format!("{}?min_similarity=30", weblate_url(&server, "en", "sq", "Open the files/folder")));
    let qualities: Vec<f64> = body.as_array().expect("a list").iter().filter_map(|hit| hit["quality"].as_f64()).collect();
    assert_eq!(qualities.len(), 2, "{body}");
    assert!(qualities.windows(2).all(|pair| pair[0] >= pair[1]), "{qualities:?}");
}

/// A hit that differs in a place name and a number: amaGama's `target` is the patched text,
/// the stored one is kept in `stored_target`.
#[test]
fn tmserver_offers_the_patched_target() {
    let server = tm_server(ServeConfig::default());
    let units = [unit("p1", &[(LangTag::EN, "Municipal Assembly of Prishtina, session 3"), (LangTag::SQ, "Kuvendi i Komunës së Prishtinës, seanca 3")])];
    server.state.workspace.add_units(&units).expect("units stored");
    let (status, body) = get_json(&weblate_url(&server, "en", "sq", "Municipal Assembly of Gjilan, session 4"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body[0]["source"], "Municipal Assembly of Prishtina, session 3", "{body}");
    assert_eq!(body[0]["target"], "Kuvendi i Komunës së Gjilanit, seanca 4");
    assert_eq!(body[0]["stored_target"], "Kuvendi i Komunës së Prishtinës, seanca 3");
    assert!(body[0]["quality"].as_f64().is_some_and(|quality| quality < 100.0), "{body}");
    // An unpatched hit has no extra field, as amaGama answers.
    let (_, body) = get_json(&weblate_url(&server, "en", "sq", "Open the files/folder"));
    assert!(body[0].get("stored_target").is_none(), "{body}");
}

#[test]
fn older_clients_leave_slashes_unencoded() {
    let server = tm_server(ServeConfig::default());
    let url = format!("{}/tmserver/en/sq/unit/Open%20the%20file/folder", server.base);
    let (status, body) = get_json(&url);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body[0]["target"], "Hap skedarin/dosjen");
    // amaGama's query-string form.
    let (status, body) = get_json(&format!("{}/tmserver/en/sq/unit/?source={}", server.base, quote("Open the file/folder")));
    assert_eq!((status, body[0]["target"].as_str()), (200, Some("Hap skedarin/dosjen")));
}

#[test]
fn serbian_target_comes_in_the_script_asked_for() {
    let server = tm_server(ServeConfig::default());
    let (_, latin) = get_json(&weblate_url(&server, "en", "sr_Latn", "Open the file/folder"));
    assert_eq!(latin[0]["target"], "Otvori datoteku/fasciklu", "{latin}");
    let (_, cyrillic) = get_json(&weblate_url(&server, "en", "sr_Cyrl", "Open the file/folder"));
    assert_eq!(cyrillic[0]["target"], "Отвори датотеку/фасциклу", "{cyrillic}");
    let (_, gettext) = get_json(&weblate_url(&server, "en", "sr@latin", "Open the file/folder"));
    assert_eq!(gettext[0]["target"], "Otvori datoteku/fasciklu", "{gettext}");
}

#[test]
fn cyrillic_query_in_the_path() {
    let server = tm_server(ServeConfig::default());
    let url = weblate_url(&server, "sr_cyrl", "sq", "Општина Приштина је усвојила правилник.");
    assert!(url.contains("%D0%9E"), "{url}");
    let (status, body) = get_json(&url);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body[0]["target"], "Komuna e Prishtinës miratoi rregulloren.");
    assert_eq!(body[0]["quality"], 100.0);
    // The same sentence in Latin finds the Cyrillic unit.
    let (_, body) = get_json(&weblate_url(&server, "sr_latn", "sq", "Opština Priština je usvojila pravilnik."));
    assert_eq!(body[0]["target"], "Komuna e Prishtinës miratoi rregulloren.", "{body}");
    assert_eq!(body[0]["quality"], 100.0);
}

#[test]
fn amagama_parameters_and_errors() {
    let server = tm_server(ServeConfig::default());
    let exact_only = format!("{}?min_similarity=100&max_candidates=5", weblate_url(&server, "en", "sq", "Open the file/folder"));
    let (_, body) = get_json(&exact_only);
    assert_eq!(body.as_array().map(Vec::len), Some(1), "{body}");
    let one = format!("{}?max_candidates=1&min_similarity=30", weblate_url(&server, "en", "sq", "Open the file"));
    let (_, body) = get_json(&one);
    assert_eq!(body.as_array().map(Vec::len), Some(1), "{body}");
    let (_, body) = get_json(&weblate_url(&server, "en", "sq", "Something else entirely"));
    assert_eq!(body, json!([]));
    // A text longer than Weblate sends is cut, not refused.
    let long = format!("Open the file/folder {}", "x".repeat(900));
    let (status, _) = get_json(&format!("{}/tmserver/en/sq/unit/{}", server.base, quote(&long)));
    assert_eq!(status, 200);
    let (status, body) = get_json(&weblate_url(&server, "de", "sq", "Open the file"));
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, _) = get_json(&weblate_url(&server, "en", "en", "Open the file"));
    assert_eq!(status, 404);
}

#[test]
fn weblate_language_list() {
    let server = tm_server(ServeConfig::default());
    // Weblate asks get_api_url("languages", ""), which ends in a slash.
    let (status, body) = get_json(&server.url("/tmserver/languages/"));
    assert_eq!(status, 200);
    for list in ["sourceLanguages", "targetLanguages"] {
        let codes: Vec<&str> = body[list].as_array().expect("a list").iter().filter_map(Value::as_str).collect();
        for code in ["en", "sq", "sr", "sr_cyrl", "sr_latn"] {
            assert!(codes.contains(&code), "{list} lacks {code}: {codes:?}");
        }
    }
}

#[test]
fn compatible_reads_follow_the_read_policy() {
    let server = tm_server(ServeConfig { open_reads: false, ..ServeConfig::default() });
    let url = weblate_url(&server, "en", "sq", "Open the file");
    let (status, body) = get_json(&url);
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthorized")));
    let reader = server.token(Role::Reader);
    let response = client().get(&url).bearer_auth(&reader).send().expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let response = post_form(&server, &[("text", "Një tekst."), ("language", "sq")]);
    assert_eq!(response.status().as_u16(), 401);
}

/// POSTs the body LibreOffice builds: `text=<encoded>&language=<BCP 47>` as a form.
fn libreoffice_check(server: &TestServer, text: &str, language: &str) -> (u16, String) {
    let body = format!("text={}&language={}", quote(text), language);
    let response = client().post(server.url("/v2/check")).header("Content-Type", "application/x-www-form-urlencoded").body(body).send().expect("request");
    (response.status().as_u16(), response.text().expect("body"))
}

/// POSTs `pairs` as an `application/x-www-form-urlencoded` body to `/v2/check`.
fn post_form(server: &TestServer, pairs: &[(&str, &str)]) -> reqwest::blocking::Response {
    let body: Vec<String> = pairs.iter().map(|(key, value)| format!("{}={}", quote(key), quote(value))).collect();
    client().post(server.url("/v2/check")).header("Content-Type", "application/x-www-form-urlencoded").body(body.join("&")).send().expect("request")
}

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|err| panic!("body is not JSON ({err}): {body}"))
}

/// UTF-16 offset and length of `needle` in `text`, as a Java or JavaScript client counts.
fn utf16_span(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("needle in text");
    (text[..at].encode_utf16().count() as u64, needle.encode_utf16().count() as u64)
}

#[test]
fn libreoffice_check_reports_place_names_at_utf16_offsets() {
    let server = TestServer::start(ServeConfig::default());
    // Astral characters before the match count two UTF-16 units each.
    let text = "😀🇽🇰 Sastanak je održan u Ferizaju. Sledeći je u Prištini.";
    let (status, body) = libreoffice_check(&server, text, "sr-Latn-RS");
    assert_eq!(status, 200, "{body}");
    let answer = parse(&body);
    assert_eq!(answer["language"]["code"], "sr-Latn");
    let matches = answer["matches"].as_array().expect("matches");
    assert_eq!(matches.len(), 1, "{body}");
    let found = &matches[0];
    let (offset, length) = utf16_span(text, "Ferizaju");
    assert_eq!((found["offset"].as_u64(), found["length"].as_u64()), (Some(offset), Some(length)));
    // The official name in the case of the name as written (u Ferizaju → u Uroševcu).
    assert_eq!(found["replacements"][0]["value"], "Uroševcu");
    assert_eq!(found["rule"]["id"], "PLACE_NAME");
    assert_eq!(found["rule"]["category"]["id"], "PLACE_NAMES");
    assert_eq!(found["rule"]["issueType"], "terminology");
    assert!(found["rule"]["description"].as_str().is_some_and(|text| !text.is_empty()));
    assert_eq!(found["sentence"], "😀🇽🇰 Sastanak je održan u Ferizaju.");
    assert!(found["message"].as_str().is_some_and(|message| message.contains("Uroševac")), "{found}");
    assert!(found["shortMessage"].as_str().is_some());
    assert_eq!(found["type"]["typeName"], "Other");
    // The context selects the match with its own offsets, in UTF-16 units too.
    let context_text = found["context"]["text"].as_str().expect("context text");
    let units: Vec<u16> = context_text.encode_utf16().collect();
    let from = found["context"]["offset"].as_u64().expect("offset") as usize;
    let to = from + found["context"]["length"].as_u64().expect("length") as usize;
    assert_eq!(utf16_text(&units[from..to]), "Ferizaju");
    // And the match's own offsets select it in the text as sent.
    let all: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(utf16_text(&all[offset as usize..(offset + length) as usize]), "Ferizaju");
}

#[test]
fn check_reports_scripts_diacritics_encoding_and_terms() {
    let server = TestServer::start(ServeConfig::default());
    let mut municipality = Concept::new("municipality");
    municipality.terms.push(Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
    municipality.terms.push(Term::new(LangTag::SR_LATN, "općina", TermStatus::Deprecated));
    server.state.workspace.store.put_concepts(&[municipality]).expect("concepts stored");

    let rules = |text: &str, language: &str| rule_matches(&server, text, language);
    let triple = |rule: &str, covered: &str, replacement: &str| (rule.to_string(), covered.to_string(), replacement.to_string());
    assert_eq!(rules("Odluka 😀 općine je doneta.", "sr-Latn"), [triple("TERM_FORBIDDEN", "općine", "opština")]);
    assert_eq!(rules("Општина 😀 Приштинa је донела одлуку.", "sr-Cyrl"), [triple("MIXED_SCRIPT", "Приштинa", "Приштина")]);
    assert_eq!(rules("Одлука је донета у opštini јуче.", "sr-Cyrl"), [triple("WRONG_SCRIPT", "opštini", "општини")]);
    assert_eq!(rules("Komuna e PrishtinÃ«s miratoi vendimin.", "sq"), [triple("MOJIBAKE", "Ã«", "ë")]);
    assert_eq!(rules("Ky eshte vendimi per komunen.", "sq-AL"), [triple("MISSING_DIACRITICS", "eshte", "është"), triple("MISSING_DIACRITICS", "per", "për")]);
}

#[test]
fn data_annotation_counts_markup_in_offsets() {
    let server = TestServer::start(ServeConfig::default());
    let data = json!({"annotation": [
        {"markup": "<p class=\"intro\">"},
        {"text": "Sastanak je održan u "},
        {"markup": "<b>"},
        {"text": "Ferizaju"},
        {"markup": "</b>"},
        {"markup": "<br/>", "interpretAs": "\n"},
        {"text": "😀 Dalje."},
        {"markup": "</p>"},
    ]});
    let response = post_form(&server, &[("data", data.to_string().as_str()), ("language", "sr-Latn")]);
    assert_eq!(response.status().as_u16(), 200);
    let answer = parse(&response.text().expect("body"));
    let original = "<p class=\"intro\">Sastanak je održan u <b>Ferizaju</b><br/>😀 Dalje.</p>";
    let (offset, length) = utf16_span(original, "Ferizaju");
    assert_eq!(answer["matches"][0]["offset"].as_u64(), Some(offset), "{answer}");
    assert_eq!(answer["matches"][0]["length"].as_u64(), Some(length));
    assert_eq!(answer["matches"][0]["sentence"], "Sastanak je održan u Ferizaju");
}

#[test]
fn get_auto_detection_and_rule_filters() {
    let server = TestServer::start(ServeConfig::default());
    let text = "Састанак је одржан у Феризају. Следећи је у Приштини.";
    let url = format!("{}?text={}&language=auto", server.url("/v2/check"), quote(text));
    let (status, answer) = get_json(&url);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["language"]["code"], "sr-Cyrl");
    assert_eq!(answer["language"]["detectedLanguage"]["code"], "sr-Cyrl");
    assert_eq!(answer["matches"][0]["replacements"][0]["value"], "Урошевцу", "{answer}");
    let (_, filtered) = get_json(&format!("{url}&disabledRules=PLACE_NAME"));
    assert_eq!(filtered["matches"], json!([]));
    let (_, only) = get_json(&format!("{url}&enabledOnly=true&enabledCategories=TYPOS"));
    assert_eq!(only["matches"], json!([]));
    let (_, albanian) = get_json(&format!("{}?text={}&language=auto", server.url("/v2/check"), quote("Takimi u mbajt në Uroševac dhe në Prishtinë.")));
    assert_eq!(albanian["language"]["code"], "sq", "{albanian}");
    assert_eq!(albanian["matches"][0]["replacements"][0]["value"], "Ferizaj", "{albanian}");
}

#[test]
fn languagetool_refusals_are_plain_text() {
    let server = TestServer::start(ServeConfig::default());
    let response = post_form(&server, &[("text", "Guten Tag."), ("language", "de-DE")]);
    assert_eq!(response.status().as_u16(), 400);
    let content_type = response.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let body = response.text().expect("body");
    assert!(body.starts_with("Error: 'de-DE' is not a language code known to LanguageTool."), "{body}");
    assert!(body.contains("sr-Latn"), "{body}");
    let response = post_form(&server, &[("language", "sq")]);
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().expect("body").starts_with("Error: "));
    let response = post_form(&server, &[("data", "{not json"), ("language", "sq")]);
    assert_eq!(response.status().as_u16(), 400);
}

#[test]
fn languagetool_language_list() {
    let server = TestServer::start(ServeConfig::default());
    let (status, body) = get_json(&server.url("/v2/languages"));
    assert_eq!(status, 200);
    let list = body.as_array().expect("a list");
    for (code, long_code) in [("sq", "sq"), ("sr", "sr-Latn"), ("sr", "sr-Cyrl")] {
        assert!(list.iter().any(|language| language["code"] == code && language["longCode"] == long_code && language["name"].is_string()), "{body}");
    }
}

/// `/v2/check` offers every single-text check of the registry, and each finds its own Bad
/// example (from the check's docs) over HTTP, as LanguageTool runs a rule on its examples.
#[test]
fn every_single_text_check_is_a_rule_and_finds_its_bad_example() {
    use termbridge::api::compat::languagetool::rules;
    use termbridge::audit::checks::{Scope, example, of_scope};

    let rule_checks: Vec<&str> = rules().iter().map(|rule| rule.check).collect();
    let text_checks: Vec<&str> = of_scope(Scope::Text).map(|check| check.id()).collect();
    assert_eq!(rule_checks, text_checks);
    assert!(!text_checks.is_empty());

    let server = TestServer::start(ServeConfig::default());
    let concepts = termbridge::termbase::shipped_concepts().expect("shipped term base");
    server.state.workspace.store.put_concepts(&concepts).expect("concepts stored");
    for (check, rule) in of_scope(Scope::Text).zip(rules()) {
        // Spelling needs the Hunspell dictionaries (Debian's myspell-sq, hunspell-sr).
        if let Some(off) =
            check.note(termbridge::lexicon::Lexicon::system(), &[termbridge::model::lang::LangTag::SQ, termbridge::model::lang::LangTag::SR_CYRL])
        {
            eprintln!("SKIPPED: the {} example: {off}", check.id());
            continue;
        }
        let bad = example(check.docs(), "Bad");
        assert!(!bad.is_empty(), "{} has a Bad example", check.id());
        for (tag, text) in bad {
            let response = post_form(&server, &[("text", &text), ("language", &tag)]);
            assert_eq!(response.status().as_u16(), 200);
            let answer = parse(&response.text().expect("body"));
            let ids: Vec<&str> = answer["matches"].as_array().expect("matches").iter().filter_map(|found| found["rule"]["id"].as_str()).collect();
            assert!(ids.contains(&rule.id.as_str()), "{} on {text:?} ({tag}): {ids:?}", rule.id);
        }
    }
}

/// The QA checks that judge one text (whitespace, unpaired brackets and quotes, repeated
/// words) answer over HTTP with LanguageTool's rule ids, UTF-16 offsets and replacements, and
/// leave clean Serbian „…“ and Albanian «…» quotation alone.
#[test]
fn qa_rules_over_http() {
    let server = TestServer::start(ServeConfig::default());
    let check = |text: &str, language: &str| rule_matches(&server, text, language);
    let triple = |rule: &str, covered: &str, replacement: &str| (rule.to_string(), covered.to_string(), replacement.to_string());
    assert_eq!(check("😀 Rok je 15 dana  od objave.", "sr-Latn"), [triple("WHITESPACE", "  ", " ")]);
    assert_eq!(check("😀 Afati është 15 ditë , nga publikimi.", "sq"), [triple("WHITESPACE", " ", "")]);
    assert_eq!(check("😀 Zakon („Službeni list br. 5).", "sr-Latn"), [triple("UNPAIRED_BRACKETS", "„", "-")]);
    assert_eq!(check("😀 Захтев се подноси у у року од 15 дана.", "sr-Cyrl"), [triple("REPEATED_WORD", "у у", "у")]);
    assert!(check("Zakon („Službeni list“ br. 5) i »Službeni glasnik«.", "sr-Latn").is_empty());
    assert!(check("Ligji («Gazeta Zyrtare» nr. 5) për të të ndihmuar.", "sq").is_empty());
}

/// The spelling rule over HTTP: a misspelt word with the dictionary's suggestions, and clean
/// text, official place names in their inflected forms and untranslated product names left
/// alone (with Debian's dictionaries; skipped when they are not installed).
#[test]
fn spelling_is_a_rule_with_suggestions() {
    use termbridge::model::lang::LangTag;
    let lexicon = termbridge::lexicon::Lexicon::system();
    if let Some(off) = termbridge::audit::checks::by_id("spelling").and_then(|check| check.note(lexicon, &[LangTag::SQ, LangTag::SR_CYRL])) {
        eprintln!("SKIPPED: spelling over /v2/check: {off}");
        return;
    }
    let server = TestServer::start(ServeConfig::default());
    let spelling: Vec<(String, String, String)> =
        rule_matches(&server, "Dokumenti u ruajt në dosjen e përdorusit.", "sq").into_iter().filter(|m| m.0 == "SPELLING").collect();
    assert_eq!(spelling.len(), 1, "{spelling:?}");
    assert_eq!(spelling[0].1, "përdorusit");
    let answer = parse(&post_form(&server, &[("text", "Dokumenti u ruajt në dosjen e përdorusit."), ("language", "sq")]).text().expect("body"));
    let replacements: Vec<&str> = answer["matches"][0]["replacements"].as_array().expect("replacements").iter().filter_map(|r| r["value"].as_str()).collect();
    assert!(replacements.contains(&"përdoruesit"), "{replacements:?}");
    let cyrillic: Vec<(String, String, String)> = rule_matches(&server, "Документ је сачуван у фасцкили.", "sr-Cyrl");
    assert_eq!(cyrillic, [("SPELLING".to_string(), "фасцкили".to_string(), "фасцикли".to_string())]);
    for (text, language) in [
        ("Kuvendi i Komunës së Prishtinës miratoi vendimin në Gjakovë.", "sq"),
        ("Скупштина општине Ђаковица је усвојила одлуку у Урошевцу.", "sr-Cyrl"),
        ("Skupština opštine je usvojila odluku u PDF formatu.", "sr-Latn"),
    ] {
        let found: Vec<_> = rule_matches(&server, text, language).into_iter().filter(|m| m.0 == "SPELLING").collect();
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

/// The matches `/v2/check` gives for `text`, as (rule id, the text they cover, the first
/// replacement or "-"), with the UTF-16 offsets read back into the text.
fn rule_matches(server: &TestServer, text: &str, language: &str) -> Vec<(String, String, String)> {
    let (status, body) = libreoffice_check(server, text, language);
    assert_eq!(status, 200, "{body}");
    let answer = parse(&body);
    let all: Vec<u16> = text.encode_utf16().collect();
    answer["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .map(|found| {
            let offset = found["offset"].as_u64().expect("offset") as usize;
            let length = found["length"].as_u64().expect("length") as usize;
            let covered = utf16_text(&all[offset..offset + length]);
            (found["rule"]["id"].as_str().unwrap_or_default().to_string(), covered, found["replacements"][0]["value"].as_str().unwrap_or("-").to_string())
        })
        .collect()
}
