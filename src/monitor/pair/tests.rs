//! Pairing by each method, the order between them, the places of pages in a group, and the
//! content fallback measured on the fixture site (`tests/data/monitor/pairing/site.txt`).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

/// A page with a language and enough text to compare, nothing else.
fn page(url: &str, tag: LangTag) -> PageInfo {
    PageInfo { url: url.to_string(), tag: Some(tag), chars: 800, ..PageInfo::default() }
}

fn hreflang(mut page: PageInfo, links: &[(&str, &str)]) -> PageInfo {
    page.alternates = links.iter().map(|(code, url)| (code.to_string(), url.to_string())).collect();
    page
}

fn switchers(mut page: PageInfo, links: &[(&str, &str)]) -> PageInfo {
    page.switchers = links.iter().map(|(label, url)| (label.to_string(), url.to_string())).collect();
    page
}

/// The groups as `lang=url` lists with method and confidence, for one-line comparisons.
fn summary(groups: &[PageGroup]) -> Vec<String> {
    groups
        .iter()
        .map(|group| {
            let urls: Vec<String> = group.urls.iter().map(|(lang, url)| format!("{lang}={}", url.trim_start_matches("https://"))).collect();
            let method = group.method.map(|m| format!(" {m:?} {:.2}", group.confidence)).unwrap_or_default();
            format!("{}{method}", urls.join(" "))
        })
        .collect()
}

fn check(pages: &[PageInfo], expected: &[&str]) {
    let groups = pair(pages);
    assert_eq!(summary(&groups), expected);
    every_page_once(pages, &groups);
}

/// Every page is in exactly one group, and no group has two versions in one language.
fn every_page_once(pages: &[PageInfo], groups: &[PageGroup]) {
    let mut seen: Vec<&str> = groups.iter().flat_map(members).collect();
    seen.sort_unstable();
    let mut given: Vec<&str> = pages.iter().map(|page| page.url.as_str()).collect();
    given.sort_unstable();
    assert_eq!(seen, given);
}

#[test]
fn hreflang_both_ways_and_one_way() {
    let sq = "https://kk.example/lajme/vendimi";
    let sr = "https://kk.example/vesti/odluka";
    let en = "https://kk.example/news/decision";
    let both = [("sq", sq), ("sr-Latn", sr), ("en", en)];
    // The English page names none: it joins by the others' one-way links.
    check(
        &[hreflang(page(sq, LangTag::SQ), &both), hreflang(page(sr, LangTag::SR_LATN), &both), page(en, LangTag::EN)],
        &["en=kk.example/news/decision sq=kk.example/lajme/vendimi sr=kk.example/vesti/odluka Hreflang 0.90"],
    );
    check(
        &[hreflang(page(sq, LangTag::SQ), &both), hreflang(page(sr, LangTag::SR_LATN), &both)],
        &["sq=kk.example/lajme/vendimi sr=kk.example/vesti/odluka Hreflang 1.00"],
    );
}

#[test]
fn switchers_pair_pages_but_not_a_home_page_every_page_points_at() {
    let sq = "https://kk.example/lajme/vendimi";
    let sr = "https://kk.example/vesti/odluka";
    check(
        &[switchers(page(sq, LangTag::SQ), &[("Srpski", sr)]), switchers(page(sr, LangTag::SR_LATN), &[("Shqip", sq)])],
        &["sq=kk.example/lajme/vendimi sr=kk.example/vesti/odluka Switcher 0.85"],
    );
    let home = "https://kk.example/pocetna";
    let pages = [
        switchers(page("https://kk.example/lajme/a", LangTag::SQ), &[("SR", home)]),
        switchers(page("https://kk.example/lajme/b", LangTag::SQ), &[("SR", home)]),
        page(home, LangTag::SR_CYRL),
    ];
    check(&pages, &["sq=kk.example/lajme/a", "sq=kk.example/lajme/b", "sr=kk.example/pocetna"]);
}

#[test]
fn address_patterns() {
    check(
        &[
            page("https://kk.example/sq/lajme/5", LangTag::SQ),
            page("https://kk.example/sr-latn/lajme/5/", LangTag::SR_LATN),
            page("https://kk.example/en/lajme/5", LangTag::EN),
        ],
        &["en=kk.example/en/lajme/5 sq=kk.example/sq/lajme/5 sr=kk.example/sr-latn/lajme/5/ UrlPattern 0.80"],
    );
    check(
        &[page("https://kk.example/n.php?id=5&lang=sq", LangTag::SQ), page("https://kk.example/n.php?lng=sr&id=5", LangTag::SR_CYRL)],
        &["sq=kk.example/n.php?id=5&lang=sq sr=kk.example/n.php?lng=sr&id=5 UrlPattern 0.80"],
    );
    // The unmarked default language beside a marked one.
    check(
        &[page("https://kk.example/lajme/5", LangTag::SQ), page("https://sr.kk.example/lajme/5", LangTag::SR_LATN)],
        &["sq=kk.example/lajme/5 sr=sr.kk.example/lajme/5 UrlPattern 0.75"],
    );
    // Translated slugs: the article number, or the only page of each language in its folder.
    check(
        &[page("https://kk.example/sq/lajme/123-vendimi", LangTag::SQ), page("https://kk.example/sr/lajme/123-odluka", LangTag::SR_LATN)],
        &["sq=kk.example/sq/lajme/123-vendimi sr=kk.example/sr/lajme/123-odluka UrlPattern 0.75"],
    );
    check(
        &[page("https://kk.example/sq/rreth/komuna", LangTag::SQ), page("https://kk.example/sr/rreth/opstina", LangTag::SR_LATN)],
        &["sq=kk.example/sq/rreth/komuna sr=kk.example/sr/rreth/opstina UrlPattern 0.70"],
    );
    check(
        &[
            page("https://kk.example/sq/lajme/vendimi", LangTag::SQ),
            page("https://kk.example/sq/lajme/takimi", LangTag::SQ),
            page("https://kk.example/sr/lajme/odluka", LangTag::SR_LATN),
        ],
        &["sq=kk.example/sq/lajme/takimi", "sq=kk.example/sq/lajme/vendimi", "sr=kk.example/sr/lajme/odluka"],
    );
}

#[test]
fn hreflang_wins_over_the_address_pattern() {
    let sq = "https://kk.example/sq/lajme/5";
    let sr = "https://kk.example/sr/lajme/7";
    let links = [("sq", sq), ("sr", sr)];
    check(
        &[hreflang(page(sq, LangTag::SQ), &links), hreflang(page(sr, LangTag::SR_LATN), &links), page("https://kk.example/sr/lajme/5", LangTag::SR_LATN)],
        &["sq=kk.example/sq/lajme/5 sr=kk.example/sr/lajme/7 Hreflang 1.00", "sr=kk.example/sr/lajme/5"],
    );
}

#[test]
fn serbian_in_both_scripts_keeps_cyrillic_first() {
    let pages = [
        page("https://kk.example/sq/lajme/5", LangTag::SQ),
        page("https://kk.example/sr-latn/lajme/5", LangTag::SR_LATN),
        page("https://kk.example/sr-cyrl/lajme/5", LangTag::SR_CYRL),
    ];
    let groups = pair(&pages);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].urls["sr"], "https://kk.example/sr-cyrl/lajme/5");
    assert_eq!(groups[0].tags["sr"], LangTag::SR_CYRL);
    assert_eq!(groups[0].alternate_scripts, BTreeMap::from([("sr-Latn".to_string(), "https://kk.example/sr-latn/lajme/5".to_string())]));
    assert_eq!(groups[0].pairs.len(), 2);
    every_page_once(&pages, &groups);
}

#[test]
fn a_serbian_address_with_albanian_text_is_a_mismatch() {
    let pages = [page("https://kk.example/sq/lajme/5", LangTag::SQ), page("https://kk.example/sr/lajme/5", LangTag::SQ)];
    let groups = pair(&pages);
    assert_eq!(summary(&groups), ["sq=kk.example/sq/lajme/5 UrlPattern 0.80"]);
    assert_eq!(groups[0].others, ["https://kk.example/sr/lajme/5"]);
    assert_eq!(
        groups[0].mismatches,
        [LanguageMismatch {
            url: "https://kk.example/sr/lajme/5".to_string(),
            claimed: "sr".to_string(),
            detected: Some("sq".to_string()),
            by: PairMethod::UrlPattern
        }]
    );
    assert_eq!(missing(&groups[0], &["sq".to_string(), "sr".to_string()]), ["sr"]);
    // Alone, it is the Albanian version, still a mismatch.
    let groups = pair(&pages[1..]);
    assert_eq!(summary(&groups), ["sq=kk.example/sr/lajme/5"]);
    assert_eq!(groups[0].mismatches.len(), 1);
    // An hreflang claim is one too, and it outranks the address.
    let claimed = hreflang(page("https://kk.example/lajme/5", LangTag::SQ), &[("sr", "https://kk.example/lajme/5")]);
    assert_eq!(pair(&[claimed])[0].mismatches[0].by, PairMethod::Hreflang);
}

#[test]
fn pages_without_counterpart_or_language() {
    let mut silent = page("https://kk.example/sr/skeniran.pdf", LangTag::SQ);
    silent.tag = None;
    let pages = [page("https://kk.example/sq/lajme/5", LangTag::SQ), silent, page("https://kk.example/en/about", LangTag::EN)];
    let groups = pair(&pages);
    assert_eq!(summary(&groups), ["en=kk.example/en/about", "sq=kk.example/sq/lajme/5", ""]);
    assert_eq!((groups[0].method, groups[0].confidence), (None, 0.0));
    every_page_once(&pages, &groups);
    // The PDF with no text stays alone, its language unknown, its address's claim kept.
    assert_eq!(groups[2].others, ["https://kk.example/sr/skeniran.pdf"]);
    assert_eq!((groups[2].mismatches[0].claimed.as_str(), groups[2].mismatches[0].detected.as_deref()), ("sr", None));
}

#[test]
fn counterparts_linked_but_not_read_are_reported() {
    let sq =
        hreflang(page("https://kk.example/sq/lajme/5", LangTag::SQ), &[("sr-Cyrl", "https://kk.example/sr/lajme/5"), ("x-default", "https://kk.example/")]);
    let groups = pair(&[sq]);
    assert_eq!(groups[0].unfetched, BTreeMap::from([("sr".to_string(), "https://kk.example/sr/lajme/5".to_string())]));
}

#[test]
fn missing_and_required_languages() {
    let group = pair(&[page("https://kk.example/sq/a", LangTag::SQ), page("https://kk.example/sr/a", LangTag::SR_LATN)]).remove(0);
    assert!(missing(&group, &codes(&required_languages(None))).is_empty());
    let prizren = codes(&required_languages(Some("Prizren")));
    assert!(prizren.starts_with(&["sq".to_string(), "sr".to_string()]) && prizren.contains(&"tr".to_string()), "{prizren:?}");
    assert_eq!(missing(&group, &prizren), prizren[2..].to_vec());
    assert_eq!(codes(&required_languages(Some("Nowhere"))), ["sq", "sr"]);
}

#[test]
fn the_result_does_not_depend_on_the_input_order() {
    let mut pages = vec![
        page("https://kk.example/sq/a", LangTag::SQ),
        page("https://kk.example/sr/a", LangTag::SR_LATN),
        page("https://kk.example/sr-cyrl/a", LangTag::SR_CYRL),
        page("https://kk.example/en/b", LangTag::EN),
        page("https://kk.example/sq/b", LangTag::SQ),
    ];
    let first = pair(&pages);
    pages.reverse();
    assert_eq!(pair(&pages), first);
}

/// The fixture site's pages, with the document each belongs to (`-` for none).
fn fixture_site() -> Vec<(PageInfo, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/monitor/pairing/site.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut pages: Vec<(PageInfo, String, Vec<String>)> = Vec::new();
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        if let Some(header) = line.strip_prefix("== ") {
            let fields: Vec<&str> = header.split(" | ").collect();
            let tag = LangTag::parse(fields[1]).unwrap();
            pages.push((PageInfo { url: fields[0].to_string(), tag: Some(tag), ..PageInfo::default() }, fields[2].to_string(), Vec::new()));
        } else if let Some(last) = pages.last_mut() {
            last.2.push(line.to_string());
        }
    }
    pages
        .into_iter()
        .map(|(mut info, document, blocks)| {
            let found = features::features(blocks.iter().map(String::as_str));
            info.chars = blocks.iter().map(|block| block.chars().count()).sum();
            (info.numbers, info.dates, info.names) = (found.numbers, found.dates, found.names);
            (info, document)
        })
        .collect()
}

/// Precision and recall of the pairs content pairing finds on the fixture site.
#[test]
fn content_pairing_on_the_fixture_site() {
    let site = fixture_site();
    let pages: Vec<PageInfo> = site.iter().map(|(page, _)| page.clone()).collect();
    let document: BTreeMap<&str, &str> = site.iter().map(|(page, doc)| (page.url.as_str(), doc.as_str())).collect();
    let pairs_of = |groups: &[PageGroup]| -> BTreeSet<(String, String)> {
        let mut pairs = BTreeSet::new();
        for group in groups {
            let urls = members(group);
            for (i, a) in urls.iter().enumerate() {
                for b in &urls[i + 1..] {
                    pairs.insert((a.to_string(), b.to_string()));
                }
            }
        }
        pairs
    };
    let borrowed: Vec<&PageInfo> = pages.iter().collect();
    for (a, b, score) in content::scores(&borrowed) {
        let (x, y) = (document[pages[a].url.as_str()], document[pages[b].url.as_str()]);
        if score > 0.1 || (x == y && x != "-") {
            eprintln!("{:.3} {} {} {x} {y}", score, &pages[a].url[20..], &pages[b].url[20..]);
        }
    }
    let found = pairs_of(&pair(&pages));
    let mut truth = BTreeSet::new();
    for (i, a) in pages.iter().enumerate() {
        for b in &pages[i + 1..] {
            let (x, y) = (document[a.url.as_str()], document[b.url.as_str()]);
            if x != "-" && x == y {
                truth.insert((a.url.clone().min(b.url.clone()), a.url.clone().max(b.url.clone())));
            }
        }
    }
    let right = found.intersection(&truth).count();
    let wrong: Vec<_> = found.difference(&truth).collect();
    let missed: Vec<_> = truth.difference(&found).collect();
    eprintln!("content pairing on the fixture site: {right} of {} true pairs found, {} wrong; missed {missed:?}", truth.len(), wrong.len());
    assert!(wrong.is_empty(), "wrong pairs: {wrong:?}");
    assert_eq!(missed, Vec::<&(String, String)>::new(), "pairs missed");
}

/// A text in Serbian Cyrillic and Latin beside its Albanian original: all three pair by
/// content, Cyrillic first.
#[test]
fn content_pairs_both_serbian_scripts() {
    let site = fixture_site();
    let by_url = |suffix: &str| site.iter().find(|(page, _)| page.url.ends_with(suffix)).unwrap().0.clone();
    let cyrillic = by_url("/p/105");
    let mut latin = cyrillic.clone();
    latin.url = "https://junik.example/p/107".to_string();
    latin.tag = Some(LangTag::SR_LATN);
    let mut pages: Vec<PageInfo> = site.iter().map(|(page, _)| page.clone()).collect();
    pages.push(latin);
    let groups = pair(&pages);
    let group = groups.iter().find(|group| group.urls.get("sq").is_some_and(|url| url.ends_with("/p/104"))).unwrap();
    assert_eq!(group.urls["sr"], "https://junik.example/p/105", "{:?}", summary(&groups));
    assert_eq!(group.alternate_scripts["sr-Latn"], "https://junik.example/p/107");
    assert_eq!(group.method, Some(PairMethod::Content));
}

/// Two notices of one template (other numbers, dates and names) never pair, even with no
/// other candidate.
#[test]
fn near_duplicate_notices_do_not_pair() {
    let site = fixture_site();
    let by_url = |suffix: &str| site.iter().find(|(page, _)| page.url.ends_with(suffix)).unwrap().0.clone();
    // The Albanian notice 16 and the Serbian notice 14 (same directorate, same officer).
    let groups = pair(&[by_url("/p/106"), by_url("/p/102")]);
    assert_eq!(groups.len(), 2, "{:?}", summary(&groups));
    // The 2024 budget hearing and the Serbian 2025 one.
    let groups = pair(&[by_url("/p/203"), by_url("/p/202")]);
    assert_eq!(groups.len(), 2, "{:?}", summary(&groups));
}

/// Addresses drawn from a few patterns, so that every method meets every other.
fn arbitrary_page() -> impl Strategy<Value = PageInfo> {
    let segment = prop::sample::select(vec!["sq", "sr", "sr-latn", "sr-cyrl", "en", "lajme", "vesti", "5", "a"]);
    let tag = prop::sample::select(vec![Some(LangTag::SQ), Some(LangTag::SR_LATN), Some(LangTag::SR_CYRL), Some(LangTag::EN), Some(LangTag::TR), None]);
    let url = prop::collection::vec(segment, 0..4).prop_map(|segments| format!("https://kk.example/{}", segments.join("/")));
    let link = (prop::sample::select(vec!["sq", "sr", "sr-Latn", "en", "x-default", "Srpski"]), 0usize..8);
    (url, tag, prop::collection::vec(link.clone(), 0..3), prop::collection::vec(link, 0..2), prop::collection::vec(0u32..6, 0..4)).prop_map(
        |(url, tag, alternates, switchers, numbers)| PageInfo {
            url,
            tag,
            chars: 500,
            alternates: alternates.into_iter().map(|(code, n)| (code.to_string(), format!("https://kk.example/{n}"))).collect(),
            switchers: switchers.into_iter().map(|(label, n)| (label.to_string(), format!("https://kk.example/{n}"))).collect(),
            numbers: numbers.into_iter().map(|n| format!("n:{}", 10 + n)).collect(),
            ..PageInfo::default()
        },
    )
}

proptest! {
    #[test]
    fn every_page_lands_in_exactly_one_group(pages in prop::collection::vec(arbitrary_page(), 0..12)) {
        let groups = pair(&pages);
        let mut seen: Vec<&str> = groups.iter().flat_map(members).collect();
        seen.sort_unstable();
        let mut given: Vec<&str> = pages.iter().map(|page| page.url.as_str()).collect();
        given.sort_unstable();
        prop_assert_eq!(seen, given);
        for group in &groups {
            for (lang, tag) in &group.tags {
                prop_assert_eq!(lang.as_str(), tag.lang.code());
            }
            prop_assert!((0.0..=1.0).contains(&group.confidence));
        }
    }
}
