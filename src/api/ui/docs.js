// termbridge API reference: renders /api/v1/openapi.json of the same service.
// Plain JavaScript, no build step, no inline scripts (the CSP forbids them), nothing fetched
// from elsewhere. All text from the document is inserted with textContent, never as HTML.
"use strict";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

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

function anchorOf(method, path) {
  return "op-" + method + "-" + path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function schemaAnchor(name) {
  return "schema-" + name.replace(/[^A-Za-z0-9]+/g, "-");
}

// A short, readable type for a schema: links to named schemas, arrays, unions, nullables.
function typeNode(schema) {
  if (!schema) return el("span", { class: "type" }, "any");
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return el("a", { class: "type", href: "#" + schemaAnchor(name) }, name);
  }
  const variants = schema.oneOf || schema.anyOf;
  if (variants) {
    const span = el("span", { class: "type" });
    variants.forEach((variant, idx) => { if (idx) span.append(" | "); span.append(typeNode(variant)); });
    return span;
  }
  let type = schema.type;
  if (Array.isArray(type)) {
    const span = el("span", { class: "type" });
    type.forEach((one, idx) => {
      if (idx) span.append(" | ");
      span.append(one === "array" ? arrayNode(schema) : one);
    });
    return span;
  }
  if (type === "array") return arrayNode(schema);
  if (type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return el("span", { class: "type" }, "map of ", typeNode(schema.additionalProperties));
  }
  let text = type || "object";
  if (schema.format) text += " (" + schema.format + ")";
  if (schema.enum) text += ": " + schema.enum.join(" | ");
  return el("span", { class: "type" }, text);
}

function arrayNode(schema) {
  return el("span", { class: "type" }, "array of ", typeNode(schema.items));
}

function paramTable(parameters) {
  const rows = el("tbody");
  for (const parameter of parameters) {
    rows.append(el("tr", {},
      el("td", {}, el("code", {}, parameter.name)),
      el("td", {}, parameter.in),
      el("td", {}, parameter.required ? "yes" : "no"),
      el("td", {}, typeNode(parameter.schema)),
      el("td", {}, parameter.description || "")));
  }
  return el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "In"), el("th", {}, "Required"), el("th", {}, "Type"), el("th", {}, "Description"))), rows);
}

function contentList(content) {
  const list = el("span");
  Object.entries(content || {}).forEach(([type, media], idx) => {
    if (idx) list.append("; ");
    list.append(el("code", {}, type), " ", typeNode(media.schema));
  });
  return list;
}

function operationNode(path, method, operation) {
  const secured = (operation.security || []).some((requirement) => Object.keys(requirement).length > 0);
  const node = el("section", { class: "op", id: anchorOf(method, path) },
    el("h3", {}, el("span", { class: "method " + method }, method), path, secured ? el("span", { class: "lock" }, "bearer token") : null));
  if (operation.summary) node.append(el("p", {}, operation.summary));
  if (operation.description) node.append(el("p", {}, operation.description));
  if ((operation.parameters || []).length) node.append(el("h4", {}, "Parameters"), paramTable(operation.parameters));
  if (operation.requestBody) node.append(el("h4", {}, "Request body"), el("p", {}, contentList(operation.requestBody.content)));
  const rows = el("tbody");
  for (const [status, response] of Object.entries(operation.responses || {})) {
    rows.append(el("tr", {}, el("td", {}, el("code", {}, status)), el("td", {}, response.description || ""), el("td", {}, contentList(response.content))));
  }
  node.append(el("h4", {}, "Responses"), el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Status"), el("th", {}, "Description"), el("th", {}, "Body"))), rows));
  return node;
}

function schemaNode(name, schema) {
  const node = el("section", { class: "schema", id: schemaAnchor(name) }, el("h3", {}, name));
  if (schema.description) node.append(el("p", {}, schema.description));
  const properties = schema.properties || {};
  const required = new Set(schema.required || []);
  if (Object.keys(properties).length) {
    const rows = el("tbody");
    for (const [field, property] of Object.entries(properties)) {
      rows.append(el("tr", {}, el("td", {}, el("code", {}, field)), el("td", {}, typeNode(property)), el("td", {}, required.has(field) ? "yes" : "no"), el("td", {}, property.description || "")));
    }
    node.append(el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Field"), el("th", {}, "Type"), el("th", {}, "Required"), el("th", {}, "Description"))), rows));
  } else {
    node.append(el("p", {}, typeNode(schema)));
  }
  return node;
}

function render(doc) {
  const info = doc.info || {};
  document.getElementById("title").textContent = (info.title || "API") + " API";
  document.getElementById("description").textContent = info.description || "";
  document.getElementById("version").textContent = "version " + (info.version || "?") + " · OpenAPI " + doc.openapi;
  const groups = new Map();
  for (const tag of doc.tags || []) groups.set(tag.name, { description: tag.description, operations: [] });
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = (operation.tags || ["other"])[0];
      if (!groups.has(tag)) groups.set(tag, { description: "", operations: [] });
      groups.get(tag).operations.push([path, method, operation]);
    }
  }
  const operations = document.getElementById("operations");
  const toc = document.getElementById("toc");
  for (const [tag, group] of groups) {
    if (!group.operations.length) continue;
    const section = el("section", { class: "tag", id: "tag-" + tag }, el("h2", {}, tag));
    if (group.description) section.append(el("p", {}, group.description));
    const list = el("ul");
    for (const [path, method, operation] of group.operations) {
      section.append(operationNode(path, method, operation));
      list.append(el("li", {}, el("a", { href: "#" + anchorOf(method, path) }, method.toUpperCase() + " " + path)));
    }
    operations.append(section);
    toc.append(el("h2", {}, tag), list);
  }
  const schemas = (doc.components || {}).schemas || {};
  const schemaList = document.getElementById("schema-list");
  const names = Object.keys(schemas).sort();
  for (const name of names) schemaList.append(schemaNode(name, schemas[name]));
  if (names.length) {
    document.getElementById("schemas").hidden = false;
    const list = el("ul");
    for (const name of names) list.append(el("li", {}, el("a", { href: "#" + schemaAnchor(name) }, name)));
    toc.append(el("h2", {}, "schemas"), list);
  }
  document.getElementById("status").textContent = "";
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  const status = document.getElementById("status");
  try {
    const response = await fetch("/api/v1/openapi.json", { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json());
  } catch (error) {
    status.textContent = "The API description could not be loaded: " + error.message;
    status.classList.add("error");
  }
});
