// termbridge web UI: plain JavaScript, no build step, no inline scripts (the CSP forbids them).
// All user and document text is inserted with textContent, never as HTML.
"use strict";

const STRINGS = {
  en: {
    skip: "Skip to content", tagline: "Terminology, translation memory and language-rights checks",
    tab_search: "Search", tab_places: "Places", tab_sign: "Sign check", tab_audit: "Audit", tab_import: "Import",
    search_label: "Term, sentence or place name, in any language or script", search_button: "Search",
    searching: "Searching…", no_results: "Nothing found.", error: "Something went wrong:",
    group_terms: "Terms", group_tm: "Translation memory", group_concordance: "Concordance", group_places: "Places",
    tier: "match", places_title: "Municipalities and settlements", official_languages: "Official languages",
    in_official_use: "In official use", settlements: "Settlements", loading: "Loading…",
    sign_title: "Check a sign or a name", sign_text: "Text of the sign, one language a line or separated by /",
    sign_municipality: "Municipality", sign_button: "Check", sign_ok: "No problems found: the sign uses the official forms.",
    audit_title: "Audit the language versions of a document", audit_sq: "Albanian version", audit_sr: "Serbian version",
    audit_en: "English version (optional)", audit_button: "Run the audit", audit_running: "Auditing…",
    score: "Compliance score", errors: "errors", warnings: "warnings", suggestion: "Suggestion",
    import_title: "Import a translation memory or term base", import_file: "File (TMX, XLIFF, PO, TBX, CSV, TSV)",
    import_token: "Editor token", import_button: "Import", importing: "Importing…", imported: "Imported",
    unavailable: "This function is not available on this server.",
    footer: "Official place names: compiled from NGA GNS (public domain) and GeoNames (CC BY). Check contested forms against the official list.",
    api_link: "API description",
    lang_sq: "Albanian", lang_sr: "Serbian", "lang_sr-Cyrl": "Serbian (Cyrillic)", "lang_sr-Latn": "Serbian (Latin)", lang_en: "English", lang_tr: "Turkish", lang_bs: "Bosnian",
  },
  sq: {
    skip: "Kalo te përmbajtja", tagline: "Terminologji, memorie përkthimi dhe kontroll i të drejtave gjuhësore",
    tab_search: "Kërko", tab_places: "Vendet", tab_sign: "Kontrolli i tabelës", tab_audit: "Auditimi", tab_import: "Importo",
    search_label: "Term, fjali ose emër vendi, në çdo gjuhë ose alfabet", search_button: "Kërko",
    searching: "Duke kërkuar…", no_results: "Nuk u gjet asgjë.", error: "Ndodhi një gabim:",
    group_terms: "Termat", group_tm: "Memoria e përkthimit", group_concordance: "Konkordanca", group_places: "Vendet",
    tier: "përputhja", places_title: "Komunat dhe vendbanimet", official_languages: "Gjuhët zyrtare",
    in_official_use: "Në përdorim zyrtar", settlements: "Vendbanimet", loading: "Duke u ngarkuar…",
    sign_title: "Kontrollo një tabelë ose një emër", sign_text: "Teksti i tabelës, një gjuhë për rresht ose të ndara me /",
    sign_municipality: "Komuna", sign_button: "Kontrollo", sign_ok: "Nuk u gjet asnjë problem: tabela përdor format zyrtare.",
    audit_title: "Auditoni versionet gjuhësore të një dokumenti", audit_sq: "Versioni në shqip", audit_sr: "Versioni në serbisht",
    audit_en: "Versioni në anglisht (opsional)", audit_button: "Fillo auditimin", audit_running: "Duke audituar…",
    score: "Nota e përputhshmërisë", errors: "gabime", warnings: "paralajmërime", suggestion: "Sugjerim",
    import_title: "Importo një memorie përkthimi ose bazë termash", import_file: "Skedari (TMX, XLIFF, PO, TBX, CSV, TSV)",
    import_token: "Tokeni i redaktorit", import_button: "Importo", importing: "Duke importuar…", imported: "U importua",
    unavailable: "Ky funksion nuk është në dispozicion në këtë server.",
    footer: "Emrat zyrtarë të vendeve: përpiluar nga NGA GNS (domen publik) dhe GeoNames (CC BY). Kontrolloni format e kontestuara me listën zyrtare.",
    api_link: "Përshkrimi i API-së",
    lang_sq: "Shqip", lang_sr: "Serbisht", "lang_sr-Cyrl": "Serbisht (cirilik)", "lang_sr-Latn": "Serbisht (latinisht)", lang_en: "Anglisht", lang_tr: "Turqisht", lang_bs: "Boshnjakisht",
  },
  sr: {
    skip: "Пређи на садржај", tagline: "Терминологија, преводилачка меморија и провера језичких права",
    tab_search: "Претрага", tab_places: "Места", tab_sign: "Провера табле", tab_audit: "Ревизија", tab_import: "Увоз",
    search_label: "Термин, реченица или назив места, на било ком језику или писму", search_button: "Тражи",
    searching: "Претрага…", no_results: "Ништа није пронађено.", error: "Дошло је до грешке:",
    group_terms: "Термини", group_tm: "Преводилачка меморија", group_concordance: "Конкорданца", group_places: "Места",
    tier: "подударање", places_title: "Општине и насеља", official_languages: "Службени језици",
    in_official_use: "У службеној употреби", settlements: "Насеља", loading: "Учитавање…",
    sign_title: "Провери таблу или назив", sign_text: "Текст табле, један језик по реду или одвојено са /",
    sign_municipality: "Општина", sign_button: "Провери", sign_ok: "Нема проблема: табла користи службене облике.",
    audit_title: "Ревизија језичких верзија документа", audit_sq: "Верзија на албанском", audit_sr: "Верзија на српском",
    audit_en: "Верзија на енглеском (опционо)", audit_button: "Покрени ревизију", audit_running: "Ревизија у току…",
    score: "Оцена усклађености", errors: "грешке", warnings: "упозорења", suggestion: "Предлог",
    import_title: "Увези преводилачку меморију или терминолошку базу", import_file: "Датотека (TMX, XLIFF, PO, TBX, CSV, TSV)",
    import_token: "Токен уредника", import_button: "Увези", importing: "Увоз у току…", imported: "Увезено",
    unavailable: "Ова функција није доступна на овом серверу.",
    footer: "Службени називи места: сачињено из NGA GNS (јавно добро) и GeoNames (CC BY). Спорне облике проверите према службеном списку.",
    api_link: "Опис API-ја",
    lang_sq: "Албански", lang_sr: "Српски", "lang_sr-Cyrl": "Српски (ћирилица)", "lang_sr-Latn": "Српски (латиница)", lang_en: "Енглески", lang_tr: "Турски", lang_bs: "Босански",
  },
};

// Serbian Cyrillic to Latin, one-to-one (the Serbian Latin UI is derived from the Cyrillic one).
const CYR = "абвгдђежзијклљмнњопрстћуфхцчџш";
const LAT = ["a","b","v","g","d","đ","e","ž","z","i","j","k","l","lj","m","n","nj","o","p","r","s","t","ć","u","f","h","c","č","dž","š"];
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

let uiLang = localStorage.getItem("termbridge.ui") || "sq";

function t(key) {
  if (uiLang === "sr-Latn") return toLatin((STRINGS.sr[key] ?? STRINGS.en[key] ?? key));
  const table = uiLang === "sr-Cyrl" ? STRINGS.sr : (STRINGS[uiLang] || STRINGS.en);
  return table[key] ?? STRINGS.en[key] ?? key;
}

function applyLanguage(lang) {
  uiLang = lang;
  localStorage.setItem("termbridge.ui", lang);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const button of document.querySelectorAll("[data-ui-lang]")) button.setAttribute("aria-pressed", String(button.dataset.uiLang === lang));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Text with highlighted byte ranges; ranges are UTF-8 byte offsets from the API.
function highlighted(text, ranges) {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const span = el("span");
  let at = 0;
  for (const [start, end] of (ranges || []).slice().sort((a, b) => a[0] - b[0])) {
    if (start < at || end > bytes.length) continue;
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
    if (response.status === 404) throw new Error(t("unavailable"));
    throw new Error(body && body.error ? body.error.message : String(response.status));
  }
  return body;
}

function showTab(id) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  if (id === "tab-places") loadMunicipalities();
}

function langLabel(tag) { return t("lang_" + tag); }

function renderTerms(hits) {
  const list = el("ol");
  for (const hit of hits) {
    const terms = el("dl", { class: "equivalents" });
    for (const term of hit.terms || []) {
      terms.append(el("dt", {}, langLabel(term.lang)), el("dd", { lang: term.lang }, term.term, term.status && term.status !== "preferred" ? el("span", { class: "badge " + term.status }, term.status) : null));
    }
    list.append(el("li", {}, el("strong", {}, hit.label || hit.concept_id), el("span", { class: "badge" }, t("tier") + ": " + hit.tier), terms));
  }
  return list;
}

function renderTm(hits) {
  const list = el("ol");
  for (const hit of hits) {
    list.append(el("li", {}, el("span", { class: "score" }, Math.round(hit.score * 10) / 10 + "% "), el("span", { class: "badge" }, hit.tier), el("div", {}, hit.source), el("div", { class: "target" }, "→ ", hit.target || "")));
  }
  return list;
}

function renderConcordance(lines) {
  const list = el("ol");
  for (const line of lines) list.append(el("li", {}, highlighted(line.text, line.highlights), line.translation ? el("div", {}, "→ ", line.translation) : null));
  return list;
}

function renderPlaces(hits) {
  const list = el("ol");
  for (const hit of hits) {
    const names = el("dl", { class: "equivalents" },
      el("dt", {}, langLabel("sq")), el("dd", { lang: "sq" }, hit.name_sq),
      el("dt", {}, langLabel("sr-Latn")), el("dd", { lang: "sr-Latn" }, hit.name_sr_latn),
      el("dt", {}, langLabel("sr-Cyrl")), el("dd", { lang: "sr-Cyrl" }, hit.name_sr_cyrl || "—"));
    list.append(el("li", {}, el("strong", {}, hit.name_sq), " ", el("span", { class: "badge" }, hit.kind + (hit.municipality ? " · " + hit.municipality : "")), hit.variant_type ? el("span", { class: "badge" }, hit.variant_type) : null, names));
  }
  return list;
}

async function search(event) {
  event.preventDefault();
  const query = document.getElementById("q").value.trim();
  if (!query) return;
  const results = document.getElementById("results");
  results.replaceChildren();
  setStatus("search-status", t("searching"));
  try {
    const body = await api("/api/v1/search?q=" + encodeURIComponent(query));
    const groups = [["terms", "group_terms", renderTerms], ["places", "group_places", renderPlaces], ["tm", "group_tm", renderTm], ["concordance", "group_concordance", renderConcordance]];
    let any = false;
    for (const [key, title, render] of groups) {
      const hits = body[key] || [];
      if (!hits.length) continue;
      any = true;
      results.append(el("section", { class: "group", id: "group-" + key, "aria-label": t(title) }, el("h3", {}, t(title)), render(hits)));
    }
    setStatus("search-status", any ? "" : t("no_results"));
  } catch (error) {
    setStatus("search-status", t("error") + " " + error.message, true);
  }
}

let municipalitiesLoaded = false;
async function loadMunicipalities() {
  if (municipalitiesLoaded) return;
  setStatus("places-status", t("loading"));
  try {
    const body = await api("/api/v1/places/municipalities");
    const list = document.getElementById("municipalities");
    const names = document.getElementById("municipality-names");
    list.replaceChildren();
    for (const municipality of body.municipalities || []) {
      const button = el("button", { type: "button" }, municipality.name_sq + " / " + municipality.name_sr_latn);
      button.addEventListener("click", () => showMunicipality(municipality, button));
      list.append(el("li", {}, button));
      names.append(el("option", { value: municipality.name_sq }));
    }
    municipalitiesLoaded = true;
    setStatus("places-status", "");
  } catch (error) {
    setStatus("places-status", t("error") + " " + error.message, true);
  }
}

async function showMunicipality(municipality, button) {
  for (const other of document.querySelectorAll("#municipalities button")) other.removeAttribute("aria-current");
  button.setAttribute("aria-current", "true");
  const target = document.getElementById("settlements");
  target.replaceChildren(el("h3", {}, municipality.name_sq + " / " + municipality.name_sr_latn + " / " + (municipality.name_sr_cyrl || "")));
  target.append(el("p", {}, t("official_languages") + ": " + (municipality.official || []).map(langLabel).join(", ")));
  if ((municipality.in_official_use || []).length) target.append(el("p", {}, t("in_official_use") + ": " + municipality.in_official_use.map(langLabel).join(", ")));
  try {
    const body = await api("/api/v1/places/municipalities/" + encodeURIComponent(municipality.id) + "/settlements");
    const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, langLabel("sq")), el("th", {}, langLabel("sr-Latn")), el("th", {}, langLabel("sr-Cyrl")))));
    const rows = el("tbody");
    for (const place of body.settlements || []) rows.append(el("tr", {}, el("td", { lang: "sq" }, place.name_sq), el("td", { lang: "sr-Latn" }, place.name_sr_latn), el("td", { lang: "sr-Cyrl" }, place.name_sr_cyrl || "")));
    table.append(rows);
    target.append(el("h4", {}, t("settlements")), table);
  } catch (error) {
    target.append(el("p", { class: "status error" }, t("error") + " " + error.message));
  }
}

function renderFindings(findings) {
  const box = el("div");
  for (const finding of findings) {
    box.append(el("div", { class: "finding " + (finding.severity || "") },
      el("div", { class: "check" }, finding.check + (finding.lang ? " · " + finding.lang : "") + (finding.line ? " · " + finding.line : "")),
      el("div", {}, finding.message),
      finding.excerpt ? el("div", {}, el("mark", {}, finding.excerpt)) : null,
      finding.suggestion ? el("div", {}, t("suggestion") + ": " + finding.suggestion) : null));
  }
  return box;
}

async function checkSign(event) {
  event.preventDefault();
  const out = document.getElementById("sign-results");
  out.replaceChildren();
  setStatus("sign-status", t("searching"));
  try {
    const body = await api("/api/v1/places/sign", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: document.getElementById("sign-text").value, municipality: document.getElementById("sign-municipality").value || null }) });
    const findings = body.findings || [];
    setStatus("sign-status", findings.length ? "" : t("sign_ok"));
    out.append(renderFindings(findings));
  } catch (error) {
    setStatus("sign-status", t("error") + " " + error.message, true);
  }
}

async function runAudit(event) {
  event.preventDefault();
  const form = new FormData();
  for (const lang of ["sq", "sr", "en"]) {
    const file = document.getElementById("audit-" + lang).files[0];
    if (file) form.append(lang, file, file.name);
  }
  const municipality = document.getElementById("audit-municipality").value;
  if (municipality) form.append("municipality", municipality);
  form.append("ui_lang", uiLang);
  const out = document.getElementById("audit-results");
  out.replaceChildren();
  setStatus("audit-status", t("audit_running"));
  try {
    const report = await api("/api/v1/audit", { method: "POST", body: form });
    const summary = report.summary || {};
    setStatus("audit-status", t("score") + ": " + summary.score + " · " + summary.errors + " " + t("errors") + " · " + summary.warnings + " " + t("warnings"));
    out.append(renderFindings(report.findings || []));
  } catch (error) {
    setStatus("audit-status", t("error") + " " + error.message, true);
  }
}

async function runImport(event) {
  event.preventDefault();
  const file = document.getElementById("import-file").files[0];
  if (!file) return;
  const token = document.getElementById("import-token").value.trim();
  const form = new FormData();
  form.append("file", file, file.name);
  const progress = document.getElementById("import-progress");
  progress.hidden = false;
  progress.value = 0;
  setStatus("import-status", t("importing"));
  try {
    const headers = token ? { authorization: "Bearer " + token } : {};
    const job = await api("/api/v1/import", { method: "POST", body: form, headers });
    for (;;) {
      const state = await api("/api/v1/jobs/" + encodeURIComponent(job.id), { headers });
      if (state.total) progress.value = Math.round(100 * state.done / state.total);
      if (state.status === "done") { progress.value = 100; setStatus("import-status", t("imported") + ": " + JSON.stringify(state.result)); break; }
      if (state.status === "failed") throw new Error(state.error);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } catch (error) {
    setStatus("import-status", t("error") + " " + error.message, true);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-ui-lang]")) button.addEventListener("click", () => applyLanguage(button.dataset.uiLang));
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.id));
    tab.addEventListener("keydown", (event) => {
      const at = tabs.indexOf(tab);
      const next = event.key === "ArrowRight" ? tabs[(at + 1) % tabs.length] : event.key === "ArrowLeft" ? tabs[(at - 1 + tabs.length) % tabs.length] : null;
      if (next) { next.focus(); showTab(next.id); }
    });
  }
  document.getElementById("search-form").addEventListener("submit", search);
  document.getElementById("sign-form").addEventListener("submit", checkSign);
  document.getElementById("audit-form").addEventListener("submit", runAudit);
  document.getElementById("import-form").addEventListener("submit", runImport);
  applyLanguage(uiLang);
  showTab("tab-search");
});
