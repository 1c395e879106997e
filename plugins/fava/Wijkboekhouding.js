// @ts-check
// The Wijkboekhouding page: draws tables and charts from the extension's
// JSON endpoints.  Page state lives in the URL (level, area, unit, figure),
// so every link is a normal Fava link and the browser's back button works.
// Fava's own filters (time, account, filter) and our "as known at" time are
// forwarded to every request, because requests made from here do not carry
// them by themselves; links within the page keep them in the URL.

const NAME = "Wijkboekhouding";
const FILTERS = ["time", "account", "filter"];
const KNOWN_AT = "as_known_at";
const FORWARDED = [...FILTERS, KNOWN_AT];
const PAGE_STATE = ["level", "area", "unit", "figure", "depth"];
const FLOW_COLUMNS = ["inflow", "outflow", "internal", "net"];
const CAPITALS = [
  "financieel",
  "natuurlijk",
  "gebouwd",
  "menselijk",
  "sociaal",
  "cultureel",
  "politiek",
];

/** @type {Promise<any> | null} */
let plotlyLoading = null;

/** The page's own address, ending in `/extension/Wijkboekhouding/`. */
function pageBase() {
  const marker = `/extension/${NAME}/`;
  const path = window.location.pathname;
  return path.slice(0, path.indexOf(marker) + marker.length);
}

/** The ledger's address in Fava, ending in `/`. */
function ledgerBase() {
  const base = pageBase();
  return base.slice(0, base.length - `extension/${NAME}/`.length);
}

/** Query parameters: Fava's filters of this page plus `params`. */
function query(params, keep = FORWARDED) {
  const here = new URLSearchParams(window.location.search);
  const result = new URLSearchParams();
  for (const key of keep) {
    const value = here.get(key);
    if (value) result.set(key, value);
  }
  for (const [key, value] of Object.entries(params)) {
    if (value != null && value !== "") result.set(key, String(value));
  }
  return result;
}

/** The address of one of our endpoints, with the filters forwarded. */
function endpointUrl(name, params) {
  return `${pageBase()}${name}?${query(params)}`;
}

/** A link to this page in another state, keeping Fava's other parameters. */
function pageUrl(state) {
  const params = new URLSearchParams(window.location.search);
  for (const key of PAGE_STATE) params.delete(key);
  for (const [key, value] of Object.entries(state)) {
    if (value != null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${pageBase()}?${text}` : pageBase();
}

/** This page with another "as known at" time (none for ""). */
function knownAtUrl(value) {
  const params = new URLSearchParams(window.location.search);
  if (value) params.set(KNOWN_AT, value);
  else params.delete(KNOWN_AT);
  const text = params.toString();
  return text ? `${pageBase()}?${text}` : pageBase();
}

/** Go to an address through Fava's router, as a click on a link would. */
function follow(href) {
  const anchor = link(href, "");
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/** The "as known at" input: Enter (or leaving the field) applies it. */
function knownAtControl(config) {
  const t = config.texts;
  const current = new URLSearchParams(window.location.search).get(KNOWN_AT) ?? "";
  const input = el("input", {
    id: "wkb-as-known-at",
    type: "text",
    size: 20,
    placeholder: "2025-03-01",
    title: t.as_known_at_help,
    "aria-label": t.as_known_at,
  });
  input.value = current;
  let applied = false;
  const apply = () => {
    const value = input.value.trim();
    if (applied || value === current) return;
    applied = true;
    follow(knownAtUrl(value));
  };
  const form = el("form", { class: "wkb-known-at" }, el("label", { for: "wkb-as-known-at", text: `${t.as_known_at}: ` }), input);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  input.addEventListener("change", apply);
  return form;
}

/** The line saying the figures are as known at a time, or null. */
function knownAtNote(config, data) {
  if (!data.as_known_at) return null;
  return el("p", { id: "wkb-known-at-note", class: "wkb-note", text: `${config.texts.as_known_at_note} ${data.as_known_at}.` });
}

/** The message of something thrown. */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

async function fetchJson(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

/** Create an element; `text` sets its text, other keys its attributes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null) continue;
    if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function link(href, text, attrs = {}) {
  return el("a", { href, text, ...attrs });
}

/** An exact decimal string with the language's separators. */
function formatNumber(text, language) {
  if (text == null || text === "") return "";
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  const group = language === "nl" ? "." : ",";
  const point = language === "nl" ? "," : ".";
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const tail = fraction === undefined ? "" : point + fraction;
  return `${negative ? "-" : ""}${grouped}${tail}`;
}

function formatShare(text, language) {
  if (text == null || text === "") return "";
  const percent = (Number(text) * 100).toFixed(1);
  return `${language === "nl" ? percent.replace(".", ",") : percent} %`;
}

/**
 * A table; each column is {key, label, kind ("num", "share" or text),
 * href(row)}.  Cells carry their exact value in `data-value`.
 */
function table(id, columns, rows, config) {
  const head = el("tr", {}, ...columns.map((c) => el("th", { class: c.kind ? "num" : null, text: c.label })));
  const body = rows.map((row) => {
    const cells = columns.map((c) => {
      const value = row[c.key];
      let text = value == null ? "" : String(value);
      if (c.kind === "num") text = formatNumber(text, config.language);
      if (c.kind === "share") text = formatShare(text, config.language);
      const href = c.href && value != null && value !== "" ? c.href(row) : null;
      const content = href ? link(href, text) : text;
      const attrs = { class: c.kind ? "num" : null, "data-key": c.key, "data-value": value ?? "" };
      return el("td", attrs, content);
    });
    return el("tr", { "data-area": row.area ?? null }, ...cells);
  });
  return el("table", { id, class: "wkb-table" }, el("thead", {}, head), el("tbody", {}, ...body));
}

function csvLink(config, name, params) {
  const href = endpointUrl(name, { ...params, format: "csv" });
  return link(href, config.texts.download_csv, { class: "wkb-csv", download: "", "data-remote": "" });
}

function section(title, ...children) {
  return el("section", {}, el("h3", { text: title }), ...children);
}

function choices(label, values, selected, href, names = {}) {
  const links = values.map((v) => link(href(v), names[v] ?? v, { class: v === selected ? "selected" : null }));
  return el("nav", { class: "wkb-choices" }, `${label}: `, ...links);
}

function flowColumns(config, state, level) {
  const t = config.texts;
  const figureLink = (figure) => (row) => pageUrl({ area: row.area, level, unit: state.unit, figure });
  return [
    { key: "area", label: t.area, href: (row) => pageUrl({ area: row.area, unit: state.unit }) },
    { key: "name", label: t.name },
    ...FLOW_COLUMNS.map((key) => ({ key, label: t[key], kind: "num", href: figureLink(key) })),
    { key: "local_share", label: t.local_share, kind: "share" },
    { key: "inhabitants", label: t.inhabitants, kind: "num" },
    { key: "net_per_inhabitant", label: t.net_per_inhabitant, kind: "num" },
  ];
}

// The three views.

async function showLevel(root, config, state) {
  const t = config.texts;
  const level = state.level || config.default_level;
  const data = await fetchJson(endpointUrl("areas", { level, unit: state.unit }));
  const rows = data.rows.length
    ? table("wkb-areas", flowColumns(config, state, level), data.rows, config)
    : el("p", { text: t.no_postings });
  root.replaceChildren(
    el("div", { class: "wkb-controls" },
      choices(t.level, config.levels, level, (other) => pageUrl({ level: other, unit: state.unit })),
      choices(t.unit, config.units, state.unit, (unit) => pageUrl({ level, unit })),
      knownAtControl(config)),
    knownAtNote(config, data) ?? "",
    section(`${t.areas_at} ${level} (${state.unit})`, rows,
      csvLink(config, "areas", { level, unit: state.unit }),
      el("p", { class: "wkb-note", text: t.per_inhabitant_note })),
  );
}

function breadcrumb(config, state, data, last) {
  const items = [link(pageUrl({ level: data.level, unit: state.unit }), config.texts.all_levels)];
  for (const a of data.ancestors) items.push(" › ", link(pageUrl({ area: a.area, unit: state.unit }), a.name));
  items.push(" › ", last);
  return el("nav", { class: "wkb-breadcrumb" }, ...items);
}

/** What it costs to run the area (`report --costs`), or null without figures. */
function costsSection(config, costs) {
  if (!costs || !costs.rows.length) return null;
  const t = config.texts;
  const rows = costs.rows.map((row) => ({ ...row, taakveld: row.taakveld === "total" ? t.total : row.taakveld }));
  const people = [
    costs.inhabitants ? `${t.inhabitants} ${costs.name}: ${formatNumber(costs.inhabitants, config.language)}` : null,
    costs.gemeente_inhabitants ? `${costs.gemeente_name}: ${formatNumber(costs.gemeente_inhabitants, config.language)}` : null,
  ].filter((text) => text);
  return el("section", { id: "wkb-costs-section" },
    el("h3", { text: `${t.costs} (EUR)` }),
    el("p", { class: "wkb-note", text: t.costs_note }),
    people.length ? el("p", { class: "wkb-note", text: people.join("; ") }) : null,
    table("wkb-costs", [
      { key: "kind", label: t.kind },
      { key: "taakveld", label: t.taakveld },
      { key: "name", label: t.name },
      { key: "allocation_key", label: t.allocation_key },
      { key: "amount", label: t.amount, kind: "num" },
      { key: "per_inhabitant", label: t.per_inhabitant, kind: "num" },
      { key: "gemeente_amount", label: t.gemeente_amount, kind: "num" },
      { key: "gemeente_per_inhabitant", label: t.gemeente_per_inhabitant, kind: "num" },
    ], rows, config),
    ...costs.notes.map((note) => el("p", { class: "wkb-note", text: note })),
    csvLink(config, "costs", { area: costs.area }));
}

async function showArea(root, config, state) {
  const t = config.texts;
  const params = { area: state.area, unit: state.unit, depth: state.depth };
  // The costs section is optional: without budget figures it is left out.
  const costsLoading = fetchJson(endpointUrl("costs", { area: state.area })).catch(() => null);
  const data = await fetchJson(endpointUrl("area", params));
  const costs = costsSection(config, await costsLoading);
  const csv = (name) => csvLink(config, "area", { ...params, table: name });
  const figureLink = (kind) => (row) => pageUrl({ area: data.area, unit: state.unit, figure: `${kind}:${row.account}` });
  const stockLink = (row) => pageUrl({ area: data.area, unit: row.unit, figure: `stocks:${row.value_type}` });
  const yearLink = (key) => (row) => pageUrl({ area: data.area, level: data.level, unit: state.unit, figure: `${key}:${row.year}` });
  // Plotly cannot draw a Sankey without links: say so instead.
  const sankey = data.sankey.length
    ? el("div", { id: "wkb-sankey", class: "wkb-chart" })
    : el("p", { id: "wkb-no-flows", class: "wkb-note", text: `${t.sankey} (${data.unit}): ${t.no_flows}` });
  const capitals = data.stocks.length ? el("div", { id: "wkb-capitals", class: "wkb-chart" }) : null;
  const own = data.flows ? [data.flows] : [];
  root.replaceChildren(
    breadcrumb(config, state, data, `${data.name} (${data.area}, ${data.level})`),
    el("div", { class: "wkb-controls" },
      choices(t.unit, config.units, state.unit, (unit) => pageUrl({ area: data.area, unit })),
      knownAtControl(config)),
    knownAtNote(config, data) ?? "",
    section(`${data.name} (${state.unit})`, table("wkb-flows", flowColumns(config, state, data.level), own, config), csv("flows")),
    el("div", { class: "wkb-charts" }, sankey, capitals),
    section(t.income_by_source, table("wkb-income", [
      { key: "account", label: t.account },
      { key: "amount", label: t.amount, kind: "num", href: figureLink("income") },
    ], data.income, config), csv("income")),
    section(t.expenses_by_theme, table("wkb-expenses", [
      { key: "account", label: t.account },
      { key: "amount", label: t.amount, kind: "num", href: figureLink("expenses") },
      { key: "local", label: t.local, kind: "num" },
      { key: "counterparty_known", label: t.counterparty_known, kind: "num" },
      { key: "local_share", label: t.local_share, kind: "share" },
    ], data.expenses, config), csv("expenses")),
    section(t.stocks, table("wkb-stocks", [
      { key: "value_type", label: t.value_type },
      { key: "unit", label: t.unit },
      { key: "amount", label: t.amount, kind: "num", href: stockLink },
    ], data.stocks, config), csv("stocks")),
    section(t.sub_areas, table("wkb-sub-areas", flowColumns(config, state, null), data.sub_areas, config), csv("sub_areas")),
    section(t.trend, table("wkb-trend", [
      { key: "year", label: t.year },
      ...FLOW_COLUMNS.map((key) => ({ key, label: t[key], kind: "num", href: yearLink(key) })),
    ], data.trend, config), csv("trend")),
    ...(costs ? [costs] : []),
  );
  if (data.sankey.length) await drawChart(config, sankey, (Plotly) => drawSankey(Plotly, config, data, sankey));
  if (capitals) await drawChart(config, capitals, (Plotly) => drawCapitals(Plotly, config, data, capitals));
}

/** What a figure of the postings view is, in words. */
function figureTitle(t, figure) {
  const [kind, detail] = figure.split(/:(.*)/s);
  if (!detail) return t[kind] ?? kind;
  if (kind === "income") return `${t.income_by_source}: ${detail}`;
  if (kind === "expenses") return `${t.expenses_by_theme}: ${detail}`;
  if (kind === "stocks") return `${t.stock_at_end}: ${t[detail] ?? detail}`;
  return `${t[kind] ?? kind} ${detail}`;
}

/** The line above the postings: the journal link, or why there is none. */
function journalLine(config, data) {
  const t = config.texts;
  if (!data.count) return el("span", { id: "wkb-no-postings", class: "wkb-note", text: t.no_postings_behind });
  if (!data.journal_filter) return el("span", { class: "wkb-note", text: t.too_many_for_journal });
  const href = `${ledgerBase()}journal/?${query({ filter: data.journal_filter }, ["time", "account"])}`;
  return link(href, t.open_journal, { id: "wkb-journal" });
}

async function showPostings(root, config, state) {
  const t = config.texts;
  const params = { area: state.area, level: state.level, unit: state.unit, figure: state.figure };
  const data = await fetchJson(endpointUrl("postings", params));
  const what = figureTitle(t, state.figure);
  const shown = data.rows.length < data.count ? `${data.rows.length} ${t.rows_shown} ${data.count}` : "";
  const areaPage = link(pageUrl({ area: data.area, unit: state.unit }), `${data.name} (${data.area})`);
  root.replaceChildren(
    breadcrumb(config, state, { level: data.level, ancestors: [] }, areaPage),
    el("div", { class: "wkb-controls" }, knownAtControl(config)),
    knownAtNote(config, data) ?? "",
    section(`${t.postings}: ${what} (${data.unit})`,
      el("p", {}, `${t.total}: `, el("strong", { id: "wkb-total", "data-value": data.total, text: formatNumber(data.total, config.language) })),
      el("p", {}, journalLine(config, data)),
      table("wkb-postings", [
        { key: "date", label: t.date },
        { key: "narration", label: t.narration },
        { key: "account", label: t.account },
        { key: "area", label: t.area },
        { key: "amount", label: t.amount, kind: "num" },
        { key: "unit", label: t.unit },
        { key: "counted", label: t.counted, kind: "num" },
      ], data.rows, config),
      el("p", { class: "wkb-note", text: `${shown} ${t.counted_note}` }),
      csvLink(config, "postings", params)),
  );
}

// Charts, drawn with plotly from the plotly wheel, served by the extension.

function loadPlotly() {
  const found = /** @type {any} */ (window).Plotly;
  if (found) return Promise.resolve(found);
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `${pageBase()}plotly.min.js`;
      script.onload = () => resolve(/** @type {any} */ (window).Plotly);
      script.onerror = () => reject(new Error("could not load plotly.min.js"));
      document.head.append(script);
    });
  }
  return plotlyLoading;
}

const CHART_OPTIONS = { displaylogo: false, responsive: true };

function chartLayout(title) {
  return { title: { text: title, font: { size: 14 } }, margin: { l: 40, r: 20, t: 40, b: 40 }, font: { size: 11 } };
}

/** Draw one chart; a failure is said in its place and never hides the tables. */
async function drawChart(config, div, draw) {
  try {
    await draw(await loadPlotly());
  } catch (error) {
    div.replaceChildren(el("p", { class: "wkb-error wkb-chart-error", text: `${config.texts.chart_error}: ${messageOf(error)}` }));
  }
}

/** The Sankey of an area with at least one link. */
async function drawSankey(Plotly, config, data, div) {
  const t = config.texts;
  const labels = [data.name];
  const source = [];
  const target = [];
  const value = [];
  for (const item of data.sankey) {
    labels.push(t[item.node] ?? item.node);
    const node = labels.length - 1;
    source.push(item.side === "in" ? node : 0);
    target.push(item.side === "in" ? 0 : node);
    value.push(Number(item.amount));
  }
  const sankey = { type: "sankey", orientation: "h", node: { label: labels, pad: 14, thickness: 16 }, link: { source, target, value } };
  await Plotly.newPlot(div, [sankey], chartLayout(`${t.sankey} (${data.unit})`), CHART_OPTIONS);
}

/** Bars of an area's stocks for the seven capitals, one row per unit. */
async function drawCapitals(Plotly, config, data, div) {
  const t = config.texts;
  // One row of bars per unit: hours, trees and euros share no scale.
  const units = [...new Set(data.stocks.map((s) => s.unit))];
  const bars = units.map((unit, i) => ({
    type: "bar",
    name: unit,
    xaxis: i ? `x${i + 1}` : "x",
    yaxis: i ? `y${i + 1}` : "y",
    x: CAPITALS.map((c) => t[c]),
    y: CAPITALS.map((c) => Number(data.stocks.find((s) => s.value_type === c && s.unit === unit)?.amount ?? 0)),
  }));
  const grid = { rows: Math.max(units.length, 1), columns: 1, pattern: "independent" };
  const axes = Object.fromEntries(units.map((unit, i) => [i ? `yaxis${i + 1}` : "yaxis", { title: { text: unit } }]));
  await Plotly.newPlot(div, bars, { ...chartLayout(t.capitals), grid, showlegend: false, ...axes }, CHART_OPTIONS);
}

async function render() {
  const configNode = document.getElementById("wkb-config");
  const root = document.getElementById("wkb-root");
  if (!configNode || !root) return;
  const config = JSON.parse(configNode.textContent ?? "{}");
  const params = new URLSearchParams(window.location.search);
  const state = {
    level: params.get("level") || "",
    area: params.get("area") || "",
    unit: params.get("unit") || config.units[0] || "EUR",
    figure: params.get("figure") || "",
    depth: params.get("depth") || "",
  };
  try {
    if (state.area && state.figure) await showPostings(root, config, state);
    else if (state.area) await showArea(root, config, state);
    else await showLevel(root, config, state);
  } catch (error) {
    const message = messageOf(error);
    // Keep the "as known at" input, so that a bad time can be corrected.
    root.replaceChildren(
      el("div", { class: "wkb-controls" }, knownAtControl(config)),
      el("p", { class: "wkb-error", text: `${config.texts.error}: ${message}` }),
    );
  }
  root.setAttribute("data-ready", "true");
}

export default {
  onExtensionPageLoad() {
    render();
  },
};
