// The Monitoring page: institutions with their score, the score over time drawn as an SVG
// chart by this script, an institution's documents (addresses by language, missing languages,
// the script of the Serbian version), and one document's findings beside its stored pages.
// With an editor token, an institution is added and a run started here (the service checks
// the token and the address; the page only passes them on).
//
// It runs after ui/app.js and uses its helpers (t, el, api, badge, langLabel, setStatus,
// svgEl, rerenders). A stored page is someone else's HTML: it is fetched as the text the
// service serves it as and shown with textContent, never rendered in this origin.

let monitorLoaded = false;
let monitorInstitutions = [];
// The institution shown: { id, runs, report, snapshots }, and the document drilled into.
let monitorShown = null;
let monitorDocument = null;

function monitorPath(id, rest = "") { return "/api/v1/monitor/institutions/" + encodeURIComponent(id) + rest; }
function scoreClass(score) { return score >= 90 ? "score-good" : score >= 60 ? "score-fair" : "score-poor"; }
function scoreText(score) { return score === null || score === undefined ? "—" : (Math.round(Number(score) * 10) / 10).toString(); }
function runDate(secs) { return secs ? new Date(secs * 1000).toISOString().slice(0, 10) : ""; }
function scriptLabel(script) { return labelOf("script_", script); }

async function loadMonitor(force = false) {
  if (monitorLoaded && !force) return;
  setStatus("monitor-status", t("loading"));
  try {
    const body = await api("/api/v1/monitor/institutions");
    monitorInstitutions = body.institutions || [];
    monitorLoaded = true;
    setStatus("monitor-status", monitorInstitutions.length ? "" : t("monitor_none"));
    showMonitorList();
  } catch (err) {
    setStatus("monitor-status", err.message, true);
  }
}

function showMonitorList() {
  const table = document.getElementById("monitor-institutions");
  table.replaceChildren();
  if (!monitorInstitutions.length) return;
  table.append(el("thead", {}, el("tr", {},
    el("th", { scope: "col" }, t("monitor_institution")), el("th", { scope: "col" }, t("monitor_municipality")),
    el("th", { scope: "col" }, t("score")), el("th", { scope: "col" }, t("monitor_runs")))));
  const body = el("tbody");
  for (const institution of monitorInstitutions) {
    const button = el("button", { type: "button", class: "link", "data-institution": institution.id }, institution.name || institution.id);
    button.addEventListener("click", () => showInstitution(institution.id));
    const score = institution.last_score === null || institution.last_score === undefined
      ? el("span", { class: "hint" }, t("monitor_not_run"))
      : el("span", { class: "score-badge " + scoreClass(institution.last_score) }, scoreText(institution.last_score));
    body.append(el("tr", { class: monitorShown && monitorShown.id === institution.id ? "selected" : null },
      el("td", {}, button), el("td", {}, institution.municipality || t("monitor_central")),
      el("td", { class: "num" }, score), el("td", { class: "num" }, String(institution.runs || 0))));
  }
  table.append(body);
}

async function showInstitution(id) {
  setStatus("monitor-status", t("loading"));
  try {
    const [institution, runs] = await Promise.all([api(monitorPath(id)), api(monitorPath(id, "/runs"))]);
    let report = null;
    let snapshots = [];
    if ((runs.runs || []).length) {
      [report, snapshots] = await Promise.all([api(monitorPath(id, "/report")), api(monitorPath(id, "/snapshots")).then((body) => body.snapshots || [])]);
    }
    monitorShown = { id, institution, runs: runs.runs || [], report, snapshots };
    monitorDocument = null;
    setStatus("monitor-status", "");
    showMonitorList();
    showMonitorDetail();
  } catch (err) {
    setStatus("monitor-status", err.message, true);
  }
}

// The score of every run, oldest first, as a line over a 0–100 scale.
function trendChart(runs) {
  const width = 560, height = 180, left = 34, right = 12, top = 12, bottom = 26;
  const svg = svgEl("svg", { id: "monitor-trend", class: "trend", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t("monitor_trend") });
  svg.append(svgEl("title", {}));
  svg.firstChild.textContent = t("monitor_trend");
  const x = (i) => runs.length === 1 ? (left + width - right) / 2 : left + (i * (width - left - right)) / (runs.length - 1);
  const y = (score) => top + ((100 - Math.max(0, Math.min(100, Number(score)))) * (height - top - bottom)) / 100;
  for (const level of [0, 50, 100]) {
    svg.append(svgEl("line", { class: "grid", x1: left, x2: width - right, y1: y(level), y2: y(level) }));
    const label = svgEl("text", { class: "axis", x: left - 6, y: y(level) + 4, "text-anchor": "end" });
    label.textContent = String(level);
    svg.append(label);
  }
  if (runs.length > 1) svg.append(svgEl("polyline", { class: "line", points: runs.map((run, i) => `${x(i)},${y(run.score)}`).join(" ") }));
  runs.forEach((run, i) => {
    const point = svgEl("circle", { class: "point " + scoreClass(run.score), cx: x(i), cy: y(run.score), r: 4, "data-run": run.id });
    const title = svgEl("title", {});
    title.textContent = `${t("monitor_run")} ${run.id} · ${runDate(run.finished)} · ${t("score")} ${scoreText(run.score)}`;
    point.append(title);
    svg.append(point);
    if (i === 0 || i === runs.length - 1) {
      const date = svgEl("text", { class: "axis", x: x(i), y: height - 8, "text-anchor": runs.length === 1 ? "middle" : i === 0 ? "start" : "end" });
      date.textContent = runDate(run.finished);
      svg.append(date);
    }
  });
  return svg;
}

function monitorFacts(report, runs) {
  const last = runs[runs.length - 1];
  const facts = el("dl", { class: "facts" });
  const add = (label, value) => facts.append(el("dt", {}, label), el("dd", {}, value));
  add(t("monitor_required"), (report.required || []).map(langLabel).join(", "));
  add(t("monitor_run"), `${report.run.id} · ${runDate(report.run.finished)}`);
  add(t("monitor_pages"), String(report.run.pages_fetched));
  add(t("monitor_refused"), String(report.run.pages_refused));
  add(t("monitor_documents"), String((report.documents || []).length));
  add(t("monitor_missing_docs"), String(last ? last.documents_missing_versions : 0));
  if (report.serbian && report.serbian.pages) add(t("monitor_latin_share"), Math.round(report.serbian.latin_only_share * 100) + "%");
  if (report.since_previous) {
    add(t("monitor_since"), `${(report.since_previous.fixed || []).length} ${t("monitor_fixed")} · ${(report.since_previous.new || []).length} ${t("monitor_new")}`);
  }
  return facts;
}

function monitorDownloads(id, run) {
  const links = el("p", { class: "downloads" }, t("monitor_report") + ": ");
  for (const format of ["json", "csv", "html"]) {
    links.append(el("a", { href: monitorPath(id, `/report?run=${run}&format=${format}`), download: "" }, format.toUpperCase()), " ");
  }
  links.append(" · ", el("a", { id: "monitor-evidence", href: monitorPath(id, `/evidence?run=${run}`), download: "" }, t("monitor_evidence")));
  return links;
}

function showMonitorDetail() {
  const detail = document.getElementById("monitor-detail");
  detail.replaceChildren();
  if (!monitorShown) return;
  const { id, institution, runs, report } = monitorShown;
  const runNow = el("button", { type: "button", id: "monitor-run-now", class: "run-now" }, t("monitor_run_now"));
  runNow.addEventListener("click", () => startMonitorRun(id));
  detail.append(el("h3", {}, institution.name || id, " ",
    report ? el("span", { class: "score-badge " + scoreClass(report.score), id: "monitor-score" }, scoreText(report.score)) : null), runNow);
  if (!report) {
    detail.append(el("p", { class: "hint" }, t("monitor_not_run")));
    return;
  }
  detail.append(el("h4", {}, t("monitor_trend")), trendChart(runs), monitorFacts(report, runs), monitorDownloads(id, report.run.id));
  if (monitorDocument !== null && report.documents[monitorDocument]) {
    detail.append(documentView(report.documents[monitorDocument]));
  } else {
    detail.append(documentsTable(report));
  }
}

function documentsTable(report) {
  const table = el("table", { id: "monitor-documents", class: "documents" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("monitor_addresses")), el("th", { scope: "col" }, t("monitor_missing")),
      el("th", { scope: "col" }, t("monitor_script")), el("th", { scope: "col" }, t("findings")), el("th", { scope: "col" }, ""))));
  const body = el("tbody");
  report.documents.forEach((doc, index) => {
    const urls = el("ul", { class: "urls" });
    for (const [lang, url] of Object.entries(doc.urls || {})) urls.append(el("li", {}, badge(lang), " ", el("span", { class: "url" }, url)));
    const missing = (doc.missing || []).map((lang) => badge(langLabel(lang), "missing"));
    const script = Object.entries(doc.script || {}).map(([, script]) => scriptLabel(script)).join(", ");
    const open = el("button", { type: "button", class: "link", "data-document": String(index) }, t("monitor_show"));
    open.addEventListener("click", () => { monitorDocument = index; showMonitorDetail(); });
    body.append(el("tr", { class: (doc.missing || []).length ? "has-missing" : null },
      el("td", {}, urls), el("td", {}, missing.length ? missing : "—"), el("td", {}, script || "—"),
      el("td", { class: "num" }, String((doc.findings || []).length)), el("td", {}, open)));
  });
  table.append(body);
  return table;
}

function findingsList(findings) {
  if (!findings.length) return el("p", { class: "hint" }, t("no_findings"));
  const list = el("ol", { class: "findings", id: "monitor-findings" });
  for (const finding of findings) {
    list.append(el("li", { class: "finding sev-" + finding.severity },
      badge(labelOf("severity_", finding.severity), finding.severity), " ", el("code", {}, finding.check), " ",
      badge(langLabel(finding.lang)), finding.line ? " " + t("line") + " " + finding.line : "",
      el("div", {}, finding.message),
      finding.excerpt ? el("div", { class: "excerpt", lang: finding.lang }, finding.excerpt) : null));
  }
  return list;
}

function documentView(doc) {
  const back = el("button", { type: "button", class: "link", id: "monitor-back" }, "← " + t("monitor_back"));
  back.addEventListener("click", () => { monitorDocument = null; showMonitorDetail(); });
  const pages = el("div", { class: "snapshots" });
  for (const [lang, url] of Object.entries(doc.urls || {})) pages.append(snapshotView(lang, url));
  for (const lang of doc.missing || []) pages.append(el("div", { class: "snapshot missing" }, badge(langLabel(lang), "missing"), " ", t("monitor_missing")));
  return el("div", { class: "document-view" }, back,
    el("div", { class: "side-by-side" },
      el("div", {}, el("h4", {}, t("findings")), findingsList(doc.findings || [])),
      el("div", {}, el("h4", {}, t("monitor_snapshot")), pages)));
}

function snapshotView(lang, url) {
  const snapshot = (monitorShown.snapshots || []).find((item) => item.url === url || item.final_url === url);
  const box = el("div", { class: "snapshot", "data-lang": lang }, el("div", {}, badge(langLabel(lang)), " ", el("span", { class: "url" }, url)));
  if (!snapshot) {
    box.append(el("p", { class: "hint" }, t("monitor_no_snapshot")));
    return box;
  }
  const href = monitorPath(monitorShown.id, "/snapshots/" + snapshot.hash);
  const text = el("pre", { class: "snapshot-text" }, t("loading"));
  box.append(el("a", { href, target: "_blank", rel: "noopener noreferrer" }, t("monitor_open_snapshot")), text);
  fetch(href).then((response) => response.ok ? response.text() : Promise.reject(new Error(String(response.status))))
    .then((body) => { text.textContent = body.length > 20000 ? body.slice(0, 20000) + "\n…" : body; })
    .catch((err) => { text.textContent = err.message; });
  return box;
}

function monitorToken() { return document.getElementById("monitor-token").value.trim(); }

// The editor token typed on this page, as request headers.
function monitorHeaders(json = false) {
  const headers = { authorization: "Bearer " + monitorToken() };
  if (json) headers["content-type"] = "application/json";
  return headers;
}

async function addMonitoredInstitution(event) {
  event.preventDefault();
  const body = { id: document.getElementById("monitor-add-id").value.trim(), urls: [document.getElementById("monitor-add-url").value.trim()] };
  const municipality = document.getElementById("monitor-add-municipality").value.trim();
  if (municipality) body.municipality = municipality;
  // Without a token the service would refuse; say so without asking it.
  if (!monitorToken()) {
    setStatus("monitor-add-status", t("need_token"), true);
    return;
  }
  const button = document.getElementById("monitor-add-go");
  button.disabled = true;
  setStatus("monitor-add-status", "");
  try {
    const added = await api("/api/v1/monitor/institutions", { method: "POST", headers: monitorHeaders(true), body: JSON.stringify(body) });
    await loadMonitor(true);
    await showInstitution(added.institution.id);
    setStatus("monitor-add-status", t("monitor_added") + " " + added.institution.id);
  } catch (err) {
    setStatus("monitor-add-status", t("error") + " " + err.message, true);
  } finally {
    button.disabled = false;
  }
}

// Starts a run and follows its job until it ends; the institution is then shown again.
async function startMonitorRun(id) {
  if (!monitorToken()) {
    setStatus("monitor-status", t("need_token"), true);
    return;
  }
  const button = document.getElementById("monitor-run-now");
  if (button) button.disabled = true;
  setStatus("monitor-status", t("monitor_running"));
  try {
    const headers = monitorHeaders();
    const started = await api(monitorPath(id, "/runs"), { method: "POST", headers });
    let job;
    for (;;) {
      job = await api("/api/v1/monitor/jobs/" + encodeURIComponent(started.job), { headers });
      if (job.status === "done" || job.status === "failed") break;
      setStatus("monitor-status", t("monitor_running") + (job.done ? " " + job.done + (job.total ? "/" + job.total : "") : ""));
      await sleep(400);
    }
    if (job.status === "failed") {
      setStatus("monitor-status", t("monitor_run_failed") + " " + (job.error || ""), true);
      return;
    }
    await loadMonitor(true);
    await showInstitution(id);
    setStatus("monitor-status", t("monitor_run_done"));
  } catch (err) {
    setStatus("monitor-status", t("error") + " " + err.message, true);
  } finally {
    const again = document.getElementById("monitor-run-now");
    if (again) again.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("monitor-add-form").addEventListener("submit", addMonitoredInstitution);
});

rerenders.monitor = () => {
  if (monitorLoaded) {
    setStatus("monitor-status", monitorInstitutions.length ? "" : t("monitor_none"));
    showMonitorList();
  }
  showMonitorDetail();
};
