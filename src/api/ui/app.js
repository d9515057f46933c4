// termbridge web UI: plain JavaScript, no build step, no inline scripts or styles (the CSP
// forbids them). All user and document text is inserted with textContent, never as HTML; the
// audit report, which is HTML the server escaped, is shown in a sandboxed frame that may run
// no script.
//
// The server serves this file strict, after the interface texts: `STRINGS`, from
// ui/strings.json (one object a language, the same keys in each). Serbian is written once, in Cyrillic; the Latin interface is its exact
// transliteration (Cyrillic to Latin is one-to-one), so the two scripts can never disagree.

const UI_LANGS = ["sq", "sr-Latn", "sr-Cyrl", "en"];

// Serbian Cyrillic to Latin, letter by letter, as the Serbian Latin alphabet writes them (љ→lj, њ→nj, џ→dž).
const CYR = "абвгдђежзијклљмнњопрстћуфхцчџш";
const LAT = ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"];
function toLatin(text) {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const at = CYR.indexOf(lower);
    if (at < 0) { out += ch; continue; }
    const latin = LAT[at];
    out += ch === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
  }
  return out;
}

function initialLanguage() {
  let stored = null;
  try { stored = localStorage.getItem("termbridge.ui"); } catch (_) { stored = null; }
  if (UI_LANGS.includes(stored)) return stored;
  const browser = (navigator.language || "").toLowerCase();
  if (browser.startsWith("sr")) return browser.includes("latn") ? "sr-Latn" : "sr-Cyrl";
  if (browser.startsWith("en")) return "en";
  return "sq";
}

let uiLang = initialLanguage();

function t(key) {
  if (uiLang === "sr-Latn") return toLatin(STRINGS.sr[key] ?? STRINGS.en[key] ?? key);
  const table = uiLang === "sr-Cyrl" ? STRINGS.sr : (STRINGS[uiLang] || STRINGS.en);
  return table[key] ?? STRINGS.en[key] ?? key;
}

// Re-renders whatever was last shown, in the new language.
const rerenders = {};

function applyLanguage(lang) {
  uiLang = UI_LANGS.includes(lang) ? lang : "sq";
  try { localStorage.setItem("termbridge.ui", uiLang); } catch (_) { /* private mode: not remembered */ }
  document.documentElement.lang = uiLang;
  document.title = "termbridge · " + t("tagline");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
  for (const button of document.querySelectorAll("[data-ui-lang]")) button.setAttribute("aria-pressed", String(button.dataset.uiLang === uiLang));
  for (const render of Object.values(rerenders)) render();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value; else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Text with highlighted byte ranges; ranges are UTF-8 byte offsets from the API.
function highlighted(text, ranges) {
  const bytes = new TextEncoder().encode(text || "");
  const decoder = new TextDecoder();
  const span = el("span");
  let at = 0;
  for (const [start, end] of (ranges || []).slice().sort((a, b) => a[0] - b[0])) {
    if (start < at || end > bytes.length || end <= start) continue;
    span.append(decoder.decode(bytes.slice(at, start)));
    span.append(el("mark", {}, decoder.decode(bytes.slice(start, end))));
    at = end;
  }
  span.append(decoder.decode(bytes.slice(at)));
  return span;
}

function setStatus(id, message, isError = false) {
  const node = document.getElementById(id);
  node.textContent = message;
  node.classList.toggle("error", isError);
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    if (response.status === 404 && (!body || !body.error || body.error.message === "no such route")) throw new Error(t("unavailable"));
    if (response.status === 401 || response.status === 403) throw new Error(t("need_token") + " (" + (body && body.error ? body.error.message : response.status) + ")");
    throw new Error(body && body.error ? body.error.message : String(response.status));
  }
  return body;
}

// Tabs (WAI-ARIA tabs pattern: arrows, Home and End move between tabs).
function showTab(id, focus = false) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  if (id === "tab-places" || id === "tab-sign" || id === "tab-audit") loadMunicipalities();
  if (id === "tab-map") loadMap();
  // The Monitoring page's script (ui/monitor.js) loads after this one.
  if (id === "tab-monitor" && typeof loadMonitor === "function") loadMonitor();
}

function langLabel(tag) {
  const key = "lang_" + tag;
  const label = t(key);
  return label === key ? tag : label;
}

function tierLabel(tier) { const key = "tier_" + tier; const label = t(key); return label === key ? tier : label; }
function statusLabel(status) { const key = "status_" + status; const label = t(key); return label === key ? status : label; }
function badge(text, extra = "") { return el("span", { class: ("badge " + extra).trim() }, text); }

// Search.
function renderTerms(hits) {
  const list = el("ol", { class: "hits" });
  for (const hit of hits) {
    const terms = el("dl", { class: "equivalents" });
    for (const term of hit.terms || []) {
      terms.append(
        el("dt", {}, langLabel(term.lang)),
        el("dd", { lang: term.lang }, term.term,
          term.status && term.status !== "preferred" ? badge(statusLabel(term.status), term.status) : null,
          term.derived ? badge(t("derived")) : null));
    }
    const matched = hit.matched && hit.matched.term ? el("div", { class: "matched" }, t("matched") + ": ", el("span", { lang: hit.matched.lang }, hit.matched.term), " (" + langLabel(hit.matched.lang) + ")") : null;
    list.append(el("li", {}, el("strong", {}, hit.label || hit.concept_id || ""), hit.tier ? badge(t("tier") + ": " + tierLabel(hit.tier)) : null, matched, terms));
  }
  return list;
}

function labelOf(prefix, value) { const key = prefix + value; const text = t(key); return text === key ? value : text; }
function percent(score) { return Math.round(Number(score) * 10) / 10 + "%"; }
// A patched score is below 100 by design (a patched hit is never exact): rounding must not
// show it as 100 %.
function patchedPercent(score) { return Math.min(Math.round(Number(score) * 10) / 10, 99.9) + "%"; }

// One TM hit: score (and the penalised score that orders it), tier, context, penalties, the
// matched source, and the target: adapted to the query when the hit was patched, with the
// changed spans marked and the stored target kept beside it.
function renderTm(hits) {
  const list = el("ol", { class: "hits" });
  for (const hit of hits) {
    const penalties = hit.penalties || [];
    const penalised = penalties.length && hit.penalised_score !== undefined && hit.penalised_score !== hit.score;
    const context = hit.context ? el("div", { class: "context" }, t("context") + ": ", el("code", {}, hit.context)) : null;
    const penaltyBadges = penalties.map((penalty) => badge(labelOf("penalty_", penalty.kind) + " −" + penalty.points, "penalty"));
    let target;
    if (hit.patched_target) {
      const ranges = (hit.patches || []).filter((patch) => Number.isInteger(patch.start) && Number.isInteger(patch.end)).map((patch) => [patch.start, patch.end]);
      const kinds = [...new Set((hit.patches || []).map((patch) => labelOf("patch_", patch.kind)))].join(", ");
      target = [
        el("div", { class: "target patched", lang: hit.target_lang || null }, "→ ", highlighted(hit.patched_target, ranges), " ",
          badge(t("patched") + (kinds ? ": " + kinds : "") + (hit.patched_score !== undefined && hit.patched_score !== null ? " · " + patchedPercent(hit.patched_score) : ""), "patched")),
        el("div", { class: "target stored", lang: hit.target_lang || null }, t("stored") + ": ", hit.target || ""),
      ];
    } else {
      target = el("div", { class: "target", lang: hit.target_lang || null }, "→ ", hit.target || "");
    }
    list.append(el("li", { class: hit.patched_target ? "tm-hit has-patch" : "tm-hit" },
      el("span", { class: "score" }, percent(hit.score)), penalised ? el("span", { class: "penalised", title: t("penalised") }, " (" + percent(hit.penalised_score) + ")") : null,
      hit.tier ? badge(tierLabel(hit.tier)) : null, penaltyBadges,
      el("div", { lang: hit.source_lang || null }, hit.source), target, context));
  }
  return list;
}

// Fragments: the longest pieces of the query found in the memory, the term base or the place
// names, each with its translation and one stored example where it was found.
function renderFragments(fragments) {
  const list = el("ol", { class: "hits fragments" });
  for (const fragment of fragments) {
    const example = fragment.example;
    const exampleNode = example && example.target
      ? el("div", { class: "example" }, el("span", {}, example.source || ""), " → ",
        highlighted(example.target, Number.isInteger(example.target_start) && Number.isInteger(example.target_end) ? [[example.target_start, example.target_end]] : []))
      : null;
    list.append(el("li", { class: "fragment" },
      el("strong", {}, fragment.text), " → ", el("span", { class: "translation", lang: fragment.target_lang || null }, fragment.translation || "—"),
      fragment.origin ? badge(labelOf("origin_", fragment.origin)) : null,
      fragment.occurrences ? badge(t("occurrences") + ": " + fragment.occurrences) : null,
      exampleNode));
  }
  return list;
}

function renderConcordance(lines) {
  const list = el("ol", { class: "hits" });
  for (const line of lines) {
    list.append(el("li", {}, el("div", { lang: line.lang || null }, highlighted(line.text, line.highlights)),
      line.translation ? el("div", { class: "target" }, "→ ", line.translation) : null));
  }
  return list;
}

function placeNames(place) {
  return el("dl", { class: "equivalents" },
    el("dt", {}, langLabel("sq")), el("dd", { lang: "sq" }, place.name_sq || "—"),
    el("dt", {}, langLabel("sr-Latn")), el("dd", { lang: "sr-Latn" }, place.name_sr_latn || "—"),
    el("dt", {}, langLabel("sr-Cyrl")), el("dd", { lang: "sr-Cyrl" }, place.name_sr_cyrl || "—"));
}

function renderPlaces(hits) {
  const list = el("ol", { class: "hits" });
  for (const hit of hits) {
    const kind = hit.kind ? t("kind_" + hit.kind) : "";
    list.append(el("li", {}, el("strong", {}, hit.name_sq), " ",
      badge((kind.startsWith("kind_") ? hit.kind : kind) + (hit.municipality ? " · " + hit.municipality : "")),
      hit.tier ? badge(t("tier") + ": " + tierLabel(hit.tier)) : null, placeNames(hit)));
  }
  return list;
}

// The words of a phrase taken as the place name ("Municipality of [Gjakova]"); offsets count
// characters (code points), as the API gives them.
function placeSpan(query, span) {
  if (!span) return null;
  const chars = Array.from(query || "");
  if (span.start < 0 || span.end > chars.length || span.end <= span.start) return null;
  return el("p", { class: "span", id: "place-span" }, t("taken_as_name") + ": ",
    chars.slice(0, span.start).join(""), el("mark", {}, chars.slice(span.start, span.end).join("")), chars.slice(span.end).join(""));
}

let lastSearch = null;
function showSearch() {
  const results = document.getElementById("results");
  results.replaceChildren();
  if (!lastSearch) return;
  const span = (lastSearch.places || []).length ? placeSpan(lastSearch.query, lastSearch.place_span) : null;
  if (span) results.append(span);
  const groups = [["terms", "group_terms", renderTerms], ["places", "group_places", renderPlaces], ["tm", "group_tm", renderTm], ["fragments", "group_fragments", renderFragments], ["concordance", "group_concordance", renderConcordance]];
  let any = false;
  for (const [key, title, render] of groups) {
    const hits = lastSearch[key] || [];
    if (!hits.length) continue;
    any = true;
    results.append(el("section", { class: "group", id: "group-" + key, "aria-labelledby": "group-title-" + key },
      el("h3", { id: "group-title-" + key }, t(title), " ", el("span", { class: "count" }, String(hits.length))), render(hits)));
  }
  setStatus("search-status", any ? "" : t("no_results"));
}
rerenders.search = showSearch;

async function search(event) {
  event.preventDefault();
  const query = document.getElementById("q").value.trim();
  if (!query) return;
  lastSearch = null;
  document.getElementById("results").replaceChildren();
  setStatus("search-status", t("searching"));
  try {
    lastSearch = await api("/api/v1/search?q=" + encodeURIComponent(query));
    showSearch();
  } catch (error) {
    setStatus("search-status", t("error") + " " + error.message, true);
  }
}

// Places.
let municipalitiesLoaded = false;
let municipalities = [];
let currentMunicipality = null;
async function loadMunicipalities() {
  if (municipalitiesLoaded) return;
  municipalitiesLoaded = true;
  setStatus("places-status", t("loading"));
  try {
    const body = await api("/api/v1/places/municipalities");
    municipalities = body.municipalities || [];
    const names = document.getElementById("municipality-names");
    names.replaceChildren(...municipalities.flatMap((m) => [el("option", { value: m.name_sq }), el("option", { value: m.name_sr_latn })]));
    showMunicipalityList();
    setStatus("places-status", "");
  } catch (error) {
    municipalitiesLoaded = false;
    setStatus("places-status", t("error") + " " + error.message, true);
  }
}

function fold(text) { return toLatin((text || "").toLowerCase()).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "dj"); }

function showMunicipalityList() {
  const filter = fold(document.getElementById("municipality-filter").value.trim());
  const list = document.getElementById("municipalities");
  list.replaceChildren();
  for (const municipality of municipalities) {
    const label = municipality.name_sq + " / " + municipality.name_sr_latn;
    if (filter && !fold(label + " " + (municipality.name_sr_cyrl || "")).includes(filter)) continue;
    const button = el("button", { type: "button", "aria-current": currentMunicipality === municipality ? "true" : null }, label);
    button.addEventListener("click", () => showMunicipality(municipality));
    list.append(el("li", {}, button));
  }
}

async function showMunicipality(municipality) {
  currentMunicipality = municipality;
  showMunicipalityList();
  const target = document.getElementById("settlements");
  target.replaceChildren(el("h3", {}, [municipality.name_sq, municipality.name_sr_latn, municipality.name_sr_cyrl].filter(Boolean).join(" / ")));
  target.append(el("p", {}, el("strong", {}, t("official_languages") + ": "), (municipality.official || []).map(langLabel).join(", ")));
  if ((municipality.in_official_use || []).length) target.append(el("p", {}, el("strong", {}, t("in_official_use") + ": "), municipality.in_official_use.map(langLabel).join(", ")));
  try {
    const body = await api("/api/v1/places/municipalities/" + encodeURIComponent(municipality.id) + "/settlements");
    if (currentMunicipality !== municipality) return;
    const settlements = body.settlements || [];
    if (!settlements.length) { target.append(el("p", {}, t("no_settlements"))); return; }
    const table = el("table", {}, el("caption", {}, t("settlements") + " (" + settlements.length + ")"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, langLabel("sq")), el("th", { scope: "col" }, langLabel("sr-Latn")), el("th", { scope: "col" }, langLabel("sr-Cyrl")))));
    const rows = el("tbody");
    for (const place of settlements) rows.append(el("tr", {}, el("td", { lang: "sq" }, place.name_sq), el("td", { lang: "sr-Latn" }, place.name_sr_latn), el("td", { lang: "sr-Cyrl" }, place.name_sr_cyrl || "")));
    table.append(rows);
    target.append(table);
  } catch (error) {
    target.append(el("p", { class: "status error" }, t("error") + " " + error.message));
  }
}
rerenders.places = () => { if (currentMunicipality) showMunicipality(currentMunicipality); };

// Map: every place of the GeoJSON export as an SVG circle, drawn from its coordinates (an
// equirectangular projection scaled by the cosine of Kosovo's latitude); nothing is loaded
// but the export of this server.
const SVG = "http://www.w3.org/2000/svg";
const LANG_SET_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948"];
let mapLoaded = false;
let mapFeatures = [];
let mapSelected = null;

function langSetKey(langs) { return (langs || []).slice().sort((a, b) => ["sq", "sr", "tr", "bs"].indexOf(a) - ["sq", "sr", "tr", "bs"].indexOf(b)).join(","); }

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

async function loadMap() {
  if (mapLoaded) return;
  mapLoaded = true;
  setStatus("map-status", t("loading"));
  try {
    const body = await api("/api/v1/places/export?format=geojson");
    mapFeatures = (body.features || []).filter((feature) => feature.geometry && feature.geometry.type === "Point");
    drawMap();
    setStatus("map-status", mapFeatures.length + " " + t("map_count"));
  } catch (error) {
    mapLoaded = false;
    setStatus("map-status", t("error") + " " + error.message, true);
  }
}

function mapColours() {
  const keys = [...new Set(mapFeatures.filter((f) => f.properties.kind === "municipality").map((f) => langSetKey(f.properties.official_languages)))];
  keys.sort((a, b) => a.split(",").length - b.split(",").length || a.localeCompare(b));
  return new Map(keys.map((key, at) => [key, LANG_SET_COLOURS[at % LANG_SET_COLOURS.length]]));
}

function drawMap() {
  const box = document.getElementById("map");
  box.replaceChildren();
  if (!mapFeatures.length) return;
  const lons = mapFeatures.map((f) => f.geometry.coordinates[0]);
  const lats = mapFeatures.map((f) => f.geometry.coordinates[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const scale = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const unit = 600 / Math.max((maxLon - minLon) * scale, maxLat - minLat);
  const pad = 12;
  const x = (lon) => pad + (lon - minLon) * scale * unit;
  const y = (lat) => pad + (maxLat - lat) * unit;
  const width = Math.ceil(2 * pad + (maxLon - minLon) * scale * unit);
  const height = Math.ceil(2 * pad + (maxLat - minLat) * unit);
  const svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, id: "map-svg", role: "group" });
  svg.setAttribute("aria-label", t("map_label"));
  const colours = mapColours();
  const byMunicipality = new Map(mapFeatures.filter((f) => f.properties.kind === "municipality").map((f) => [f.properties.id, f]));
  const colourOf = (feature) => {
    const municipality = byMunicipality.get((feature.properties.municipality_ids || [])[0]);
    return colours.get(langSetKey((municipality || feature).properties.official_languages)) || "#888";
  };
  // Settlements first, municipalities on top.
  const ordered = mapFeatures.slice().sort((a, b) => (a.properties.kind === "municipality") - (b.properties.kind === "municipality"));
  for (const feature of ordered) {
    const p = feature.properties;
    const big = p.kind === "municipality";
    const dot = svgEl("circle", {
      cx: x(feature.geometry.coordinates[0]).toFixed(1), cy: y(feature.geometry.coordinates[1]).toFixed(1), r: big ? 6 : 2.2,
      class: "pt " + (big ? "mun" : "set"), fill: colourOf(feature), tabindex: big ? 0 : -1, role: "button", "data-id": p.id,
    });
    dot.setAttribute("aria-label", p.name_sq + " / " + p.name_sr_latn);
    const title = svgEl("title", {});
    title.textContent = p.name_sq + " / " + p.name_sr_latn + (p.name_sr_cyrl ? " / " + p.name_sr_cyrl : "");
    dot.append(title);
    svg.append(dot);
  }
  svg.addEventListener("click", (event) => { const id = event.target.closest && event.target.closest("circle") ? event.target.closest("circle").dataset.id : null; if (id) selectPlace(id); });
  svg.addEventListener("keydown", (event) => { if ((event.key === "Enter" || event.key === " ") && event.target.dataset && event.target.dataset.id) { event.preventDefault(); selectPlace(event.target.dataset.id); } });
  box.append(svg);
  drawLegend(colours);
  if (mapSelected) selectPlace(mapSelected);
}

function drawLegend(colours) {
  const legend = document.getElementById("map-legend");
  const list = el("ul", { class: "legend-list" });
  for (const [key, colour] of colours) {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colour;
    list.append(el("li", {}, swatch, key.split(",").map(langLabel).join(", ")));
  }
  legend.replaceChildren(el("h3", {}, t("map_legend")), list);
}

function periodText(former) {
  if (former.from && former.until) return former.from + "–" + former.until;
  if (former.until) return "–" + former.until;
  if (former.from) return former.from + "–";
  return t("date_unknown");
}

function selectPlace(id) {
  const feature = mapFeatures.find((f) => f.properties.id === id);
  if (!feature) return;
  mapSelected = id;
  for (const dot of document.querySelectorAll("#map-svg circle.selected")) dot.classList.remove("selected");
  const dot = document.querySelector("#map-svg circle[data-id=\"" + CSS.escape(id) + "\"]");
  if (dot) dot.classList.add("selected");
  const p = feature.properties;
  const names = el("dl", { class: "equivalents" },
    el("dt", {}, langLabel("sq")), el("dd", { lang: "sq" }, p.name_sq),
    el("dt", {}, langLabel("sr-Latn")), el("dd", { lang: "sr-Latn" }, p.name_sr_latn),
    el("dt", {}, langLabel("sr-Cyrl")), el("dd", { lang: "sr-Cyrl" }, p.name_sr_cyrl || "—"),
    p.name_tr ? [el("dt", {}, langLabel("tr")), el("dd", { lang: "tr" }, p.name_tr)] : null,
    p.name_bs ? [el("dt", {}, langLabel("bs")), el("dd", { lang: "bs" }, p.name_bs)] : null);
  const detail = document.getElementById("map-detail");
  detail.replaceChildren(...[
    el("h3", { id: "map-place-name" }, p.name_sq + " / " + p.name_sr_latn), badge(t("kind_" + p.kind)),
    names,
    p.kind === "settlement" ? el("p", {}, el("strong", {}, t("map_municipality") + ": "), (p.municipality || []).join(" / ")) : null,
    el("p", {}, el("strong", {}, t("official_languages") + ": "), (p.official_languages || []).map(langLabel).join(", ")),
  ].filter(Boolean));
  const former = p.former_names || [];
  if (former.length) {
    const list = el("ul", { class: "former", id: "map-former" });
    for (const name of former) list.append(el("li", {}, el("span", { lang: name.lang }, name.name), " (" + langLabel(name.lang) + "; " + t("change_" + name.change) + ", " + periodText(name) + ")"));
    detail.append(el("h4", {}, t("map_former")), list);
  }
}
rerenders.map = () => { if (mapFeatures.length) drawMap(); };

// Findings (sign check and audit).
function renderFindings(findings) {
  const list = el("ul", { class: "findings" });
  for (const finding of findings) {
    const where = [finding.lang ? langLabel(finding.lang) : null, finding.line ? t("line") + " " + finding.line : (finding.lang ? t("whole_version") : null)].filter(Boolean).join(" · ");
    list.append(el("li", { class: "finding " + (finding.severity || "") },
      el("div", { class: "check" }, badge(t("severity_" + finding.severity), "sev-" + finding.severity), " ", el("code", {}, finding.check), where ? " · " + where : ""),
      finding.excerpt ? el("div", {}, el("mark", {}, finding.excerpt)) : null,
      el("div", { lang: "en" }, finding.message),
      finding.suggestion ? el("div", { class: "suggestion" }, t("suggestion") + ": ", el("q", {}, finding.suggestion)) : null));
  }
  return list;
}

let lastSign = null;
function showSign() {
  const out = document.getElementById("sign-results");
  out.replaceChildren();
  if (!lastSign) return;
  const findings = lastSign.findings || [];
  setStatus("sign-status", findings.length ? "" : t("sign_ok"));
  out.append(renderFindings(findings));
}
rerenders.sign = showSign;

async function checkSign(event) {
  event.preventDefault();
  lastSign = null;
  document.getElementById("sign-results").replaceChildren();
  setStatus("sign-status", t("checking"));
  try {
    lastSign = await api("/api/v1/places/sign", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: document.getElementById("sign-text").value, municipality: document.getElementById("sign-municipality").value.trim() || null }) });
    showSign();
  } catch (error) {
    setStatus("sign-status", t("error") + " " + error.message, true);
  }
}

// Audit.
function auditForm() {
  const form = new FormData();
  for (const lang of ["sq", "sr", "en"]) {
    const file = document.getElementById("audit-" + lang).files[0];
    if (file) form.append(lang, file, file.name);
  }
  const extra = document.getElementById("audit-extra").files[0];
  if (extra) form.append(document.getElementById("audit-extra-lang").value, extra, extra.name);
  const municipality = document.getElementById("audit-municipality").value.trim();
  if (municipality) form.append("municipality", municipality);
  return form;
}

let lastAudit = null;
function showAudit() {
  const out = document.getElementById("audit-results");
  out.replaceChildren();
  if (!lastAudit) return;
  const { report, html } = lastAudit;
  const summary = report.summary || {};
  setStatus("audit-status", "");
  out.append(el("div", { class: "summary", id: "audit-summary" },
    el("div", { class: "metric" }, el("span", { class: "value", id: "audit-score" }, String(summary.score)), el("span", { class: "label" }, t("score") + " /100")),
    el("div", { class: "metric errors" }, el("span", { class: "value" }, String(summary.errors)), el("span", { class: "label" }, t("errors"))),
    el("div", { class: "metric warnings" }, el("span", { class: "value" }, String(summary.warnings)), el("span", { class: "label" }, t("warnings")))));
  const downloads = el("p", { class: "downloads" }, t("download"), " ");
  for (const format of ["html", "json", "csv", "sarif"]) {
    const button = el("button", { type: "button", class: "link" }, format.toUpperCase());
    button.addEventListener("click", () => downloadReport(format));
    downloads.append(button, " ");
  }
  out.append(downloads);
  const findings = report.findings || [];
  const details = el("details", { open: findings.length <= 12 ? true : null }, el("summary", {}, t("findings") + " (" + findings.length + ")"));
  details.append(findings.length ? renderFindings(findings) : el("p", {}, t("no_findings")));
  out.append(details);
  // The side-by-side report in a frame: sandboxed without scripts; same origin only so that
  // the page can size the frame to its content.
  const frame = el("iframe", { id: "audit-report", class: "report", title: t("report_title"), sandbox: "allow-same-origin" });
  frame.addEventListener("load", () => {
    try { frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 24) + "px"; } catch (_) { /* keep the default height */ }
  });
  frame.srcdoc = html;
  out.append(frame);
}

async function runAudit(event) {
  event.preventDefault();
  const form = auditForm();
  if (![...form.keys()].some((key) => ["sq", "sr", "en", "tr", "bs"].includes(key))) { setStatus("audit-status", t("audit_need_file"), true); return; }
  form.append("ui_lang", uiLang);
  lastAudit = null;
  document.getElementById("audit-results").replaceChildren();
  setStatus("audit-status", t("audit_running"));
  const button = document.getElementById("audit-go");
  button.disabled = true;
  try {
    const report = await api("/api/v1/audit?with_html=true", { method: "POST", body: form });
    const html = report.html;
    delete report.html;
    lastAudit = { report, html, lang: uiLang };
    showAudit();
  } catch (error) {
    setStatus("audit-status", t("error") + " " + error.message, true);
  } finally {
    button.disabled = false;
  }
}
rerenders.audit = () => {
  // The report's own language was fixed when it was made: fetch it again in the new one.
  if (lastAudit && lastAudit.lang !== uiLang) {
    const form = auditForm();
    form.append("ui_lang", uiLang);
    lastAudit.lang = uiLang;
    api("/api/v1/audit?format=html", { method: "POST", body: form }).then((html) => { lastAudit.html = html; showAudit(); }).catch(() => showAudit());
  } else {
    showAudit();
  }
};

async function downloadReport(format) {
  const form = auditForm();
  form.append("ui_lang", uiLang);
  try {
    const response = await fetch("/api/v1/audit?format=" + format, { method: "POST", body: form });
    if (!response.ok) throw new Error(String(response.status));
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: "audit-report." + format });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    setStatus("audit-status", t("error") + " " + error.message, true);
  }
}

// Import.
let lastImport = null;
function showImport() {
  const out = document.getElementById("import-result");
  out.replaceChildren();
  if (!lastImport) return;
  const job = lastImport;
  const phase = document.getElementById("import-phase");
  const progress = document.getElementById("import-progress");
  if (job.status === "queued") phase.textContent = t("import_queued");
  else if (job.status === "running") phase.textContent = t("phase_" + (job.phase || "reading")) + (job.phase === "writing" && job.total ? " (" + job.total + ")" : "") + "…";
  else phase.textContent = job.file || "";
  // Reading the file is most of the work; saving is the last tenth.
  let percent = 0;
  if (job.status === "done") percent = 100;
  else if (job.status === "running" && job.total) percent = job.phase === "writing" ? 90 + 10 * job.done / job.total : 90 * job.done / job.total;
  progress.value = Math.round(percent);
  progress.setAttribute("aria-valuetext", progress.value + "%");
  if (job.status === "done") {
    const result = job.result || {};
    setStatus("import-status", t("imported"));
    const keys = result.kind === "terms" ? ["read", "added", "replaced", "unchanged", "skipped"] : ["read", "stored", "duplicates", "skipped"];
    out.append(el("dl", { class: "result", id: "import-summary" }, keys.flatMap((key) => [el("dt", {}, t("res_" + key)), el("dd", { "data-key": key }, String(result[key] ?? 0))])));
    if ((result.problems || []).length) {
      out.append(el("ul", { class: "problems" }, result.problems.map((problem) => el("li", {}, problem.file + ":" + problem.line + ": " + problem.reason))));
    }
  } else if (job.status === "failed") {
    setStatus("import-status", t("import_failed") + " " + (job.error || ""), true);
  }
}
rerenders.import = showImport;

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

async function runImport(event) {
  event.preventDefault();
  const file = document.getElementById("import-file").files[0];
  if (!file) return;
  const token = document.getElementById("import-token").value.trim();
  const collection = document.getElementById("import-collection").value.trim();
  const form = new FormData();
  form.append("file", file, file.name);
  lastImport = null;
  showImport();
  document.getElementById("import-box").hidden = false;
  document.getElementById("import-progress").value = 0;
  document.getElementById("import-phase").textContent = t("importing");
  setStatus("import-status", "");
  const button = document.getElementById("import-go");
  button.disabled = true;
  try {
    const headers = token ? { authorization: "Bearer " + token } : {};
    const query = collection ? "?collection=" + encodeURIComponent(collection) : "";
    const job = await api("/api/v1/import" + query, { method: "POST", body: form, headers });
    for (;;) {
      lastImport = await api("/api/v1/jobs/" + encodeURIComponent(job.id), { headers });
      showImport();
      if (lastImport.status === "done" || lastImport.status === "failed") break;
      await sleep(250);
    }
  } catch (error) {
    setStatus("import-status", t("error") + " " + error.message, true);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-ui-lang]")) button.addEventListener("click", () => applyLanguage(button.dataset.uiLang));
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.id));
    tab.addEventListener("keydown", (event) => {
      const at = tabs.indexOf(tab);
      const next = { ArrowRight: tabs[(at + 1) % tabs.length], ArrowLeft: tabs[(at - 1 + tabs.length) % tabs.length], Home: tabs[0], End: tabs[tabs.length - 1] }[event.key];
      if (next) { event.preventDefault(); showTab(next.id, true); }
    });
  }
  document.getElementById("search-form").addEventListener("submit", search);
  document.getElementById("sign-form").addEventListener("submit", checkSign);
  document.getElementById("audit-form").addEventListener("submit", runAudit);
  document.getElementById("import-form").addEventListener("submit", runImport);
  document.getElementById("municipality-filter").addEventListener("input", showMunicipalityList);
  applyLanguage(uiLang);
  const wanted = "tab-" + (location.hash || "").replace("#", "");
  showTab(tabs.some((tab) => tab.id === wanted) ? wanted : "tab-search");
  document.body.dataset.ready = "true";
});
