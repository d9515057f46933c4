//! Which pages of a site are language versions of one document.
//!
//! Evidence is taken strongest first, and a weaker method only joins what the stronger ones
//! left apart: hreflang alternates (1.0 when both pages name each other, 0.9 one way),
//! language-switcher links (0.85 both ways, 0.8 one way), address patterns (`/sq/` and
//! `/sr/` folders, `?lang=`, `sr.` hosts: 0.8 when both addresses name a language, 0.75 when
//! one is the site's unmarked default; a translated slug with the same article number 0.75,
//! the only page of each language in its folder 0.7), and last the content (`content`:
//! 0.3–0.6). A group never holds two versions in one language, so a stronger method's pair
//! cannot be undone by a weaker one (hreflang wins over the address pattern).
//!
//! A page's language is the one detected in its text. When its address or links claim
//! another (a `/sr/` page in Albanian), it takes the claimed language's place in its group,
//! so the Albanian original is still paired and the Serbian version is still missing, and the
//! claim is reported as a mismatch: an untranslated page.
//!
//! Deliberately not done: fetching the counterparts that links promise (the crawl's), and
//! deciding which languages are required (the caller's, with [`missing`]).

pub mod content;
pub mod features;
pub mod url;

use std::collections::{BTreeMap, HashMap};

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::monitor::{LanguageMismatch, PageGroup, PagePair, PairMethod};

use super::page::PageInfo;
use url::{UrlKey, code_lang, label_lang, normalise, url_key};

/// Where a page sits in its group: a language and, for Serbian, a script. Two pages conflict
/// when their languages are equal and their scripts are not known to differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    lang: Option<Lang>,
    script: Option<SrScript>,
}

impl Slot {
    fn conflicts(self, other: Slot) -> bool {
        self.lang.is_some() && self.lang == other.lang && (self.script.is_none() || other.script.is_none() || self.script == other.script)
    }
}

/// A found pair of pages, by index.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: usize,
    b: usize,
    method: PairMethod,
    confidence: f32,
}

/// Groups `pages` into documents: every page is in exactly one group, and a group holds at
/// most one version per language in `urls` (Serbian in a second script goes to
/// `alternate_scripts`, a page whose detected language another page of the group already
/// holds to `others`). Groups come sorted by their first address.
///
/// ```
/// use termbridge::model::lang::LangTag;
/// use termbridge::monitor::page::PageInfo;
/// use termbridge::monitor::pair::pair;
/// let page = |url: &str, tag| PageInfo { url: url.to_string(), tag: Some(tag), chars: 500, ..PageInfo::default() };
/// let groups = pair(&[page("https://kk.example/sq/lajme/5", LangTag::SQ), page("https://kk.example/sr/lajme/5", LangTag::SR_LATN)]);
/// assert_eq!(groups.len(), 1);
/// assert_eq!(groups[0].urls["sr"], "https://kk.example/sr/lajme/5");
/// ```
pub fn pair(pages: &[PageInfo]) -> Vec<PageGroup> {
    // Work in address order, so the result does not depend on the order pages came in.
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&x, &y| pages[x].url.cmp(&pages[y].url).then(x.cmp(&y)));
    let sorted: Vec<&PageInfo> = order.iter().map(|&idx| &pages[idx]).collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (idx, page) in sorted.iter().enumerate() {
        for url in std::iter::once(&page.url).chain(&page.aliases) {
            index.entry(normalise(url)).or_insert(idx);
        }
    }
    let find = |url: &str| index.get(&normalise(url)).copied();
    let url_keys: Vec<UrlKey> = sorted.iter().map(|page| url_key(&page.url)).collect();
    let claims = claims(&sorted, &url_keys, &find);
    let slots: Vec<Slot> = sorted
        .iter()
        .zip(&claims)
        .map(|(page, claim)| match (page.tag, claim) {
            (Some(tag), Some((claimed, _))) if claimed.lang != tag.lang => Slot { lang: Some(claimed.lang), script: claimed.script },
            (Some(tag), _) => Slot { lang: Some(tag.lang), script: tag.script },
            (None, Some((claimed, _))) => Slot { lang: Some(claimed.lang), script: claimed.script },
            (None, None) => Slot { lang: None, script: None },
        })
        .collect();
    let mut groups = Groups::new(&slots);
    let mut edges = link_edges(&sorted, &find);
    edges.extend(pattern_edges(&url_keys));
    edges.sort_by(|x, y| {
        (method_rank(x.method), std::cmp::Reverse(ordered(x.confidence)), x.a.min(x.b), x.a.max(x.b)).cmp(&(
            method_rank(y.method),
            std::cmp::Reverse(ordered(y.confidence)),
            y.a.min(y.b),
            y.a.max(y.b),
        ))
    });
    for edge in edges {
        groups.join(edge);
    }
    let eligible = |a: usize, b: usize| groups.can_join(a, b);
    let found = content::candidates(&sorted, &eligible);
    for candidate in found {
        groups.join(Edge { a: candidate.a, b: candidate.b, method: PairMethod::Content, confidence: content::confidence(candidate.score) });
    }
    groups.build(&sorted, &claims, &find)
}

/// The required languages (codes such as `sq`, `sr`, `tr`) a group has no version in. A
/// Serbian version in either script counts; a page that only claims a language (a `/sr/`
/// page in Albanian) does not.
///
/// ```
/// use std::collections::BTreeMap;
/// use termbridge::model::monitor::PageGroup;
/// use termbridge::monitor::pair::missing;
/// let group = PageGroup { urls: BTreeMap::from([("sq".to_string(), "https://kk.example/sq/5".to_string())]), ..PageGroup::default() };
/// assert_eq!(missing(&group, &["sq".to_string(), "sr".to_string()]), vec!["sr"]);
/// ```
pub fn missing(group: &PageGroup, required: &[String]) -> Vec<String> {
    let mut missing: Vec<String> = required.iter().filter(|lang| !group.urls.contains_key(lang.as_str())).cloned().collect();
    missing.dedup();
    missing
}

/// The languages an institution must publish in: Albanian and Serbian everywhere (Law No.
/// 02/L-37 Art. 2), and the municipality's other official languages from the municipal
/// language table (DOMAIN.md A.2) when `municipality` names one (in any language). A
/// central institution (`None`) requires Albanian and Serbian.
pub fn required_languages(municipality: Option<&str>) -> Vec<Lang> {
    let required = municipality.and_then(|name| features::shipped_places().municipality(Some(name), &[]).map(|found| found.required));
    required.unwrap_or_else(|| vec![Lang::Sq, Lang::Sr])
}

/// The codes of `langs` (`sq`, `sr`, …), as [`PageGroup::urls`] is keyed and [`missing`] takes them.
pub fn codes(langs: &[Lang]) -> Vec<String> {
    langs.iter().map(|lang| lang.code().to_string()).collect()
}

/// Every address a group holds, in `urls`, `alternate_scripts` and `others`.
pub fn members(group: &PageGroup) -> Vec<&str> {
    let mut all: Vec<&str> = group.urls.values().chain(group.alternate_scripts.values()).chain(&group.others).map(String::as_str).collect();
    all.sort_unstable();
    all
}

/// The stronger methods first.
fn method_rank(method: PairMethod) -> u8 {
    match method {
        PairMethod::Hreflang => 0,
        PairMethod::Switcher => 1,
        PairMethod::UrlPattern => 2,
        PairMethod::Content => 3,
    }
}

/// A confidence as an integer that sorts like it (confidences are 0..=1).
fn ordered(confidence: f32) -> u32 {
    (confidence.clamp(0.0, 1.0) * 1_000_000.0) as u32
}

/// What each page is claimed to be, strongest claim first: an hreflang naming it (on any
/// page, itself included), a switcher label pointing at it, its address.
fn claims(pages: &[&PageInfo], url_keys: &[UrlKey], find: &dyn Fn(&str) -> Option<usize>) -> Vec<Option<(LangTag, PairMethod)>> {
    let mut claims: Vec<Option<(LangTag, PairMethod)>> = url_keys.iter().map(|key| key.lang.map(|tag| (tag, PairMethod::UrlPattern))).collect();
    let mut claim = |links: &mut dyn Iterator<Item = (Option<LangTag>, &String)>, method: PairMethod| {
        // The first page (in address order) that names a target decides its claim.
        let mut seen = vec![false; pages.len()];
        for (tag, target) in links {
            if let (Some(tag), Some(idx)) = (tag, find(target))
                && !seen[idx]
            {
                seen[idx] = true;
                claims[idx] = Some((tag, method));
            }
        }
    };
    // Switchers before hreflang, so that hreflang overrides them.
    claim(&mut pages.iter().flat_map(|page| page.switchers.iter().map(|(label, url)| (label_lang(label), url))), PairMethod::Switcher);
    claim(&mut pages.iter().flat_map(|page| page.alternates.iter().map(|(code, url)| (code_lang(code), url))), PairMethod::Hreflang);
    claims
}

/// Pairs from hreflang alternates and switcher links, with their confidence.
fn link_edges(pages: &[&PageInfo], find: &dyn Fn(&str) -> Option<usize>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (method, both, one) in [(PairMethod::Hreflang, 1.0, 0.9), (PairMethod::Switcher, 0.85, 0.8)] {
        let targets = |page: &PageInfo| -> Vec<usize> {
            let links = if method == PairMethod::Hreflang { &page.alternates } else { &page.switchers };
            let mut found: Vec<usize> = links.iter().filter_map(|(_, url)| find(url)).collect();
            found.sort_unstable();
            found.dedup();
            found
        };
        let all: Vec<Vec<usize>> = pages.iter().map(|page| targets(page)).collect();
        // A switcher that every page of a language points at leads to the other language's
        // home page, not to a translation: only a target one page links to (or a pair linking
        // both ways) is evidence.
        let mut pointing: HashMap<usize, usize> = HashMap::new();
        for list in &all {
            for target in list {
                *pointing.entry(*target).or_insert(0) += 1;
            }
        }
        let mut pairs: BTreeMap<(usize, usize), bool> = BTreeMap::new();
        for (from, list) in all.iter().enumerate() {
            for &to in list {
                if to == from {
                    continue;
                }
                let back = all[to].binary_search(&from).is_ok();
                if method == PairMethod::Switcher && !back && pointing.get(&to).copied().unwrap_or(0) > 1 {
                    continue;
                }
                pairs.insert((from.min(to), from.max(to)), back);
            }
        }
        edges.extend(pairs.into_iter().map(|((a, b), back)| Edge { a, b, method, confidence: if back { both } else { one } }));
    }
    edges
}

/// Pairs from addresses: equal keys once the language part is out, and translated slugs.
fn pattern_edges(keys: &[UrlKey]) -> Vec<Edge> {
    let mut edges = Vec::new();
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (idx, key) in keys.iter().enumerate() {
        by_key.entry(key.key.as_str()).or_default().push(idx);
    }
    for members in by_key.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let confidence = match (keys[a].lang, keys[b].lang) {
                    (Some(x), Some(y)) if x != y => 0.8,
                    (Some(_), None) | (None, Some(_)) => 0.75,
                    _ => continue,
                };
                edges.push(Edge { a, b, method: PairMethod::UrlPattern, confidence });
            }
        }
    }
    // Translated slugs: the same folder (language part out), another last segment.
    let mut by_folder: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (idx, key) in keys.iter().enumerate() {
        if let (Some(_), Some((folder, _))) = (key.lang, &key.slug) {
            by_folder.entry(folder.as_str()).or_default().push(idx);
        }
    }
    for members in by_folder.values() {
        let per_lang = |lang: Option<LangTag>| members.iter().filter(|&&idx| keys[idx].lang == lang).count();
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let (lang_a, lang_b) = (keys[a].lang, keys[b].lang);
                if lang_a == lang_b || keys[a].key == keys[b].key {
                    continue;
                }
                let digits = |idx: usize| keys[idx].slug.as_ref().map(|(_, digits)| digits.as_str()).unwrap_or("");
                let confidence = if !digits(a).is_empty() && digits(a) == digits(b) {
                    0.75
                } else if per_lang(lang_a) == 1 && per_lang(lang_b) == 1 && digits(a).is_empty() && digits(b).is_empty() {
                    0.7
                } else {
                    continue;
                };
                edges.push(Edge { a, b, method: PairMethod::UrlPattern, confidence });
            }
        }
    }
    edges
}

/// The groups being built: a union-find over the pages with each group's slots.
struct Groups {
    parent: Vec<usize>,
    slots: Vec<Vec<Slot>>,
    /// The pairs that joined groups, by the group's root.
    joined: Vec<Vec<Edge>>,
}

impl Groups {
    fn new(slots: &[Slot]) -> Groups {
        Groups { parent: (0..slots.len()).collect(), slots: slots.iter().map(|slot| vec![*slot]).collect(), joined: vec![Vec::new(); slots.len()] }
    }

    fn root(&self, mut idx: usize) -> usize {
        while self.parent[idx] != idx {
            idx = self.parent[idx];
        }
        idx
    }

    /// True when the pages are in different groups that hold no version in the same slot.
    fn can_join(&self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.root(a), self.root(b));
        ra != rb && !self.slots[ra].iter().any(|x| self.slots[rb].iter().any(|y| x.conflicts(*y)))
    }

    /// Joins the groups of an edge's pages when they can be joined.
    fn join(&mut self, edge: Edge) {
        if !self.can_join(edge.a, edge.b) {
            return;
        }
        // The group with the first address stays the root: the result stays the same
        // whatever order equal edges come in.
        let (ra, rb) = (self.root(edge.a), self.root(edge.b));
        let (root, other) = (ra.min(rb), ra.max(rb));
        self.parent[other] = root;
        let slots = std::mem::take(&mut self.slots[other]);
        self.slots[root].extend(slots);
        let joined = std::mem::take(&mut self.joined[other]);
        self.joined[root].extend(joined);
        self.joined[root].push(edge);
    }

    /// The groups as the model has them.
    fn build(&self, pages: &[&PageInfo], claims: &[Option<(LangTag, PairMethod)>], find: &dyn Fn(&str) -> Option<usize>) -> Vec<PageGroup> {
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for idx in 0..pages.len() {
            members.entry(self.root(idx)).or_default().push(idx);
        }
        members.into_iter().map(|(root, list)| self.group(&list, &self.joined[root], pages, claims, find)).collect()
    }

    fn group(
        &self,
        list: &[usize],
        joined: &[Edge],
        pages: &[&PageInfo],
        claims: &[Option<(LangTag, PairMethod)>],
        find: &dyn Fn(&str) -> Option<usize>,
    ) -> PageGroup {
        let mut group = PageGroup { urls: BTreeMap::new(), tags: BTreeMap::new(), method: None, confidence: 0.0, ..PageGroup::default() };
        let mismatched = |idx: usize| matches!((pages[idx].tag, claims[idx]), (Some(tag), Some((claimed, _))) if claimed.lang != tag.lang);
        // Pages whose text is in the language they claim (or claim none) take their places
        // first; Cyrillic before Latin, so `urls["sr"]` is the Cyrillic version.
        let mut placing: Vec<usize> = list.to_vec();
        placing.sort_by_key(|&idx| (mismatched(idx), pages[idx].tag.and_then(|tag| tag.script) != Some(SrScript::Cyrl), idx));
        for idx in placing {
            let page = pages[idx];
            let Some(tag) = page.tag else {
                group.others.push(page.url.clone());
                continue;
            };
            let code = tag.lang.code().to_string();
            if !group.urls.contains_key(&code) {
                group.urls.insert(code.clone(), page.url.clone());
                group.tags.insert(code, tag);
            } else if tag.lang == Lang::Sr && group.tags.get(&code).is_some_and(|held| held.script != tag.script) && !mismatched(idx) {
                group.alternate_scripts.insert(tag.to_string(), page.url.clone());
            } else {
                group.others.push(page.url.clone());
            }
        }
        group.others.sort();
        for &idx in list {
            let (tag, claim) = (pages[idx].tag, claims[idx]);
            if let Some((claimed, by)) = claim
                && tag.is_none_or(|tag| tag.lang != claimed.lang || (claimed.script.is_some() && tag.script.is_some() && claimed.script != tag.script))
            {
                group.mismatches.push(LanguageMismatch { url: pages[idx].url.clone(), claimed: claimed.to_string(), detected: tag.map(|t| t.to_string()), by });
            }
        }
        // Counterparts the group's pages link to that were not read.
        for &idx in list {
            let page = pages[idx];
            let hreflang = page.alternates.iter().filter_map(|(code, url)| Some((code_lang(code)?, url)));
            let switchers = page.switchers.iter().filter_map(|(label, url)| Some((label_lang(label)?, url)));
            for (tag, url) in hreflang.chain(switchers) {
                let code = tag.lang.code().to_string();
                if find(url).is_none() && !group.urls.contains_key(&code) {
                    group.unfetched.entry(code).or_insert_with(|| url.clone());
                }
            }
        }
        group.pairs = joined
            .iter()
            .map(|edge| PagePair { from: pages[edge.a].url.clone(), to: pages[edge.b].url.clone(), method: edge.method, confidence: edge.confidence })
            .collect();
        group.pairs.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
        if let Some(weakest) = joined.iter().min_by(|x, y| x.confidence.total_cmp(&y.confidence).then(method_rank(y.method).cmp(&method_rank(x.method)))) {
            group.method = Some(weakest.method);
            group.confidence = weakest.confidence;
        }
        group
    }
}

#[cfg(test)]
mod tests;
