// sitrep map page. Every string from the API is put in the page with textContent or as a
// DOM node, never through innerHTML: article titles and text come from the open web.
"use strict";

const TYPE_COLOURS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  "Protests": "#2ca02c",
  "Riots": "#8c564b",
  "Strategic developments": "#1f77b4",
};
const FILTER_KEYS = ["since", "until", "event_type", "actor", "source_type", "modality", "min_fatalities", "q"];
const state = { filters: {}, event: null, actor: null, cursor: null, config: null };
let map, eventsLayer, timeline;

// ------------------------------------------------------------------ small helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

function safeUrl(url) {
  // Only http(s) links are followed; anything else (javascript:, data:) is shown as text.
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) { return null; }
}

function colour(type) { return TYPE_COLOURS[type] || "#555"; }

function query(extra = {}, without = []) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    if (without.includes(k)) continue;
    const v = state.filters[k];
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else if (v !== undefined && v !== null && v !== "") p.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) p.set(k, v);
  return p;
}

async function getJSON(path, params) {
  const res = await fetch(params ? `${path}?${params}` : path, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    let detail = res.statusText;
    try { const body = await res.json(); detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail); } catch (e) { /* keep statusText */ }
    throw new Error(`${path}: ${res.status} ${detail}`);
  }
  return res.json();
}

// ------------------------------------------------------------------ URL state (deep links)

function readUrl() {
  const p = new URLSearchParams(window.location.search);
  state.filters = {};
  for (const k of FILTER_KEYS) {
    const all = p.getAll(k).filter((v) => v !== "");
    if (!all.length) continue;
    state.filters[k] = k === "event_type" ? all : all[0];
  }
  state.event = p.get("event");
  state.actor = p.get("actor_id");
}

function writeUrl() {
  const p = query({ event: state.event || undefined, actor_id: state.actor || undefined });
  const url = `${window.location.pathname}${p.toString() ? "?" + p : ""}`;
  window.history.replaceState(null, "", url);
}

// ------------------------------------------------------------------ filters

function buildFilterForm() {
  const form = document.getElementById("filter-form");
  const types = document.getElementById("types");
  const legend = document.getElementById("legend");
  for (const t of state.config.event_types) {
    types.append(el("label", {}, el("input", { type: "checkbox", name: "event_type", value: t }), t));
    legend.append(el("li", {}, el("span", { class: "swatch", style: `background:${colour(t)}` }), t));
  }
  for (const [name, values] of [["source_type", state.config.source_types], ["modality", state.config.modalities]]) {
    const select = form.elements[name];
    for (const v of values) select.append(el("option", { value: v, text: v.replace(/_/g, " ") }));
  }
  syncForm();
  form.addEventListener("change", () => { readForm(); refresh(); });
  form.addEventListener("submit", (e) => { e.preventDefault(); readForm(); refresh(); });
  document.getElementById("reset").addEventListener("click", () => {
    state.filters = {}; syncForm(); timeline.clearBrush(); refresh();
  });
}

function syncForm() {
  const form = document.getElementById("filter-form");
  for (const k of FILTER_KEYS) {
    if (k === "event_type") continue;
    form.elements[k].value = state.filters[k] || "";
  }
  const chosen = state.filters.event_type || [];
  for (const box of form.querySelectorAll("input[name=event_type]")) box.checked = chosen.includes(box.value);
}

function readForm() {
  const form = document.getElementById("filter-form");
  const f = {};
  for (const k of FILTER_KEYS) {
    if (k === "event_type") continue;
    const v = form.elements[k].value.trim();
    if (v) f[k] = v;
  }
  const types = [...form.querySelectorAll("input[name=event_type]:checked")].map((b) => b.value);
  if (types.length) f.event_type = types;
  state.filters = f;
}

// ------------------------------------------------------------------ map

async function setupMap() {
  map = L.map("map", { zoomSnap: 0.5, worldCopyJump: true }).setView([35.0, 38.5], 6.5);
  if (state.config.tile_url) {
    L.tileLayer(state.config.tile_url, { attribution: state.config.tile_attribution || "", maxZoom: 18 }).addTo(map);
  }
  const outline = (url, style) => getJSON(url).then((data) => L.geoJSON(data, { style, interactive: false }).addTo(map))
    .catch((e) => console.warn("basemap", e));
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  await outline("/static/vendor/basemap/countries.geojson", { color: "#789", weight: 1, fillColor: "#f4f1ea", fillOpacity: state.config.tile_url ? 0 : 1 });
  await outline("/static/vendor/basemap/admin1.geojson", { color: "#a98", weight: 0.8, dashArray: "3 3", fill: false });
  eventsLayer = L.layerGroup().addTo(map);
  map.on("moveend", () => loadMarkers());
}

function tooltip(props) {
  const box = el("div");
  box.append(el("strong", { text: props.event_type || "" }), el("br"));
  box.append(`${props.event_date || "undated"} · ${props.location || ""}`);
  if (props.fatalities) box.append(el("br"), `${props.fatalities} fatalities`);
  return box;
}

async function loadMarkers() {
  const b = map.getBounds();
  const bbox = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())]
    .map((x) => x.toFixed(4)).join(",");
  const params = query({ bbox, zoom: Math.round(map.getZoom()) });
  const token = (loadMarkers.token = (loadMarkers.token || 0) + 1);
  const data = await getJSON("/events.geojson", params);
  if (token !== loadMarkers.token) return; // a newer request won
  eventsLayer.clearLayers();
  for (const f of data.features) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    if (p.cluster && p.count > 1) {
      const size = 18 + Math.min(30, Math.sqrt(p.count) * 3);
      const icon = L.divIcon({
        html: el("div", { class: "cluster-icon", style: `width:${size}px;height:${size}px;background:${colour(p.event_type)}`, text: String(p.count) }),
        className: "ev-cluster", iconSize: [size, size],
      });
      L.marker([lat, lon], { icon, title: `${p.count} events` }).on("click", () => map.setView([lat, lon], map.getZoom() + 2)).addTo(eventsLayer);
      continue;
    }
    const id = p.event_id;
    const radius = 5 + Math.min(20, Math.sqrt(p.fatalities || 0) * 2);
    L.circleMarker([lat, lon], { radius, color: "#fff", weight: 1, fillColor: colour(p.event_type), fillOpacity: 0.85, className: "ev-marker" })
      .bindTooltip(p.cluster ? el("span", { text: "1 event" }) : tooltip(p))
      .on("click", () => openEvent(id))
      .addTo(eventsLayer);
  }
  document.getElementById("map").dataset.markers = String(data.features.length);
}

// ------------------------------------------------------------------ timeline (d3 brush)

function setupTimeline() {
  const box = document.getElementById("timeline");
  const margin = { top: 6, right: 12, bottom: 20, left: 34 };
  const svg = d3.select(box).append("svg");
  const g = svg.append("g").attr("transform", `translate(${margin.left},${margin.top})`);
  const bars = g.append("g").attr("class", "bars");
  const xAxis = g.append("g");
  const yAxis = g.append("g");
  const brushG = g.append("g").attr("class", "brush");
  let x, brush, silent = false;

  async function draw() {
    // The whole period under the other filters: brushing narrows it, it never hides it.
    const probe = await getJSON("/stats/timeline", query({ interval: "week" }, ["since", "until"]));
    const width = box.clientWidth - margin.left - margin.right;
    const height = box.clientHeight - margin.top - margin.bottom;
    svg.attr("width", box.clientWidth).attr("height", box.clientHeight);
    const buckets = probe.buckets.map((b) => ({ ...b, day: d3.utcParse("%Y-%m-%d")(b.period) }));
    const extent = buckets.length ? d3.extent(buckets, (b) => b.day) : [new Date(Date.UTC(2011, 0, 1)), new Date()];
    x = d3.scaleUtc().domain([d3.utcWeek.offset(extent[0], -1), d3.utcWeek.offset(extent[1], 2)]).range([0, width]);
    const perWeek = d3.rollup(buckets, (v) => d3.sum(v, (b) => b.events), (b) => +b.day);
    const y = d3.scaleLinear().domain([0, d3.max(perWeek.values()) || 1]).nice().range([height, 0]);
    const stacked = [];
    for (const [day, rows] of d3.group(buckets, (b) => +b.day)) {
      let base = 0;
      for (const r of rows) { stacked.push({ day: new Date(day), y0: base, y1: base + r.events, type: r.event_type }); base += r.events; }
    }
    const barWidth = Math.max(1.5, x(d3.utcWeek.offset(extent[0], 1)) - x(extent[0]) - 0.5);
    bars.selectAll("rect").data(stacked).join("rect")
      .attr("x", (d) => x(d.day)).attr("width", barWidth)
      .attr("y", (d) => y(d.y1)).attr("height", (d) => Math.max(0, y(d.y0) - y(d.y1)))
      .attr("fill", (d) => colour(d.type));
    xAxis.attr("transform", `translate(0,${height})`).call(d3.axisBottom(x).ticks(Math.max(2, width / 90)));
    yAxis.call(d3.axisLeft(y).ticks(3));
    brush = d3.brushX().extent([[0, 0], [width, height]]).on("end", brushed);
    brushG.call(brush);
    setBrush();
  }

  function setBrush() {
    const { since, until } = state.filters;
    silent = true;
    if (since && until && x) brushG.call(brush.move, [x(new Date(since)), x(new Date(until))]);
    else brushG.call(brush.move, null);
    silent = false;
  }

  function brushed(event) {
    if (silent || !event.sourceEvent) return;
    const fmt = d3.utcFormat("%Y-%m-%d");
    if (event.selection) {
      const [a, b] = event.selection.map(x.invert);
      state.filters.since = fmt(a);
      state.filters.until = fmt(b);
    } else {
      delete state.filters.since;
      delete state.filters.until;
    }
    syncForm();
    refresh({ keepTimeline: true });
  }

  window.addEventListener("resize", () => draw());
  return { draw, clearBrush: () => { if (brush) { silent = true; brushG.call(brush.move, null); silent = false; } } };
}

// ------------------------------------------------------------------ list

function listItem(ev) {
  const li = el("li", { tabindex: "0", "data-event-id": ev.event_id });
  li.append(el("span", { class: "swatch", style: `background:${colour(ev.event_type)}` }));
  li.append(`${ev.event_date || "undated"} · ${ev.event_type} · ${ev.location || "unknown place"}`);
  if (ev.fatalities) li.append(` · ${ev.fatalities} killed`);
  li.addEventListener("click", () => openEvent(ev.event_id));
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") openEvent(ev.event_id); });
  return li;
}

async function loadList(append = false) {
  const params = query({ limit: 50, cursor: append ? state.cursor : undefined });
  const page = await getJSON("/events", params);
  const list = document.getElementById("list");
  if (!append) list.replaceChildren();
  for (const ev of page.items) list.append(listItem(ev));
  state.cursor = page.next_cursor;
  document.getElementById("more").hidden = !page.next_cursor;
  document.getElementById("count").textContent = `${page.total} events`;
}

// ------------------------------------------------------------------ panels

function showPanel(...nodes) {
  const panel = document.getElementById("panel");
  document.getElementById("panel-body").replaceChildren(...nodes);
  panel.hidden = false;
  map.invalidateSize();
  timeline.draw(); // the centre column narrowed
}

function fields(pairs) {
  const dl = el("dl");
  for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== "") dl.append(el("dt", { text: k }), el("dd", {}, v));
  return dl;
}

function actorLink(name, id) {
  if (!name) return null;
  if (!id) return name;
  return el("button", { type: "button", class: "linkish", text: name, onclick: () => openActor(id) });
}

function markedText(segments, eventId) {
  const frag = document.createDocumentFragment();
  for (const s of segments) {
    const mine = s.marks.filter((m) => m.event_id === eventId);
    if (!s.marks.length) { frag.append(s.text); continue; }
    const kind = mine.some((m) => m.kind === "evidence") ? "evidence" : mine.length ? "claim" : "other";
    const mark = el("mark", { class: kind, text: s.text });
    const claimants = mine.filter((m) => m.claimant).map((m) => m.claimant);
    if (claimants.length) mark.title = `claimed by ${claimants.join(", ")}`;
    frag.append(mark);
  }
  return frag;
}

async function openEvent(id) {
  state.event = id; state.actor = null; writeUrl();
  let detail;
  try { detail = await getJSON(`/events/${encodeURIComponent(id)}`); } catch (e) { showPanel(el("p", { class: "notice", text: e.message })); return; }
  const ev = detail.event;
  const figures = ev.fatalities_low != null && ev.fatalities_high != null && ev.fatalities_low !== ev.fatalities_high
    ? `${ev.fatalities} (reports range ${ev.fatalities_low}–${ev.fatalities_high}${ev.figures_disputed ? ", disputed" : ""})` : String(ev.fatalities);
  const nodes = [
    el("h2", { text: `${ev.event_type}: ${ev.sub_event_type}` }),
    fields([
      ["Date", ev.event_date || "undated"], ["Location", [ev.location, ev.admin2, ev.admin1].filter(Boolean).join(", ")],
      ["Actor 1", actorLink(ev.actor1, ev.actor1_id)], ["Associated", ev.assoc_actor_1],
      ["Actor 2", actorLink(ev.actor2, ev.actor2_id)], ["Associated ", ev.assoc_actor_2],
      ["Fatalities", figures], ["Modality", ev.modality], ["Source", ev.source], ["Mentions", String(ev.mentions)], ["Id", ev.event_id],
    ]),
    el("h3", { text: "Note" }), el("p", { class: "note", text: ev.notes || "(none)" }),
  ];
  if (ev.claims.length) {
    const ul = el("ul", { class: "claims" });
    for (const c of ev.claims) {
      const figure = c.value != null ? `${c.qualifier ? c.qualifier + " " : ""}${c.value}${c.high != null && c.high !== c.value ? "–" + c.high : ""}` : "";
      ul.append(el("li", {}, el("strong", { text: `${c.kind}${figure ? " " + figure : ""}${c.victims ? " " + c.victims : ""}` }),
        ` — ${c.claimant || "the outlet"} (${c.claimant_type.replace(/_/g, " ")}, ${c.modality})`, c.text ? el("q", { text: ` ${c.text}` }) : null));
    }
    nodes.push(el("h3", { text: "Claims" }), ul);
  }
  if (detail.why.length) {
    const ul = el("ul");
    for (const w of detail.why) ul.append(el("li", { text: `${w.stage} link, score ${w.score.toFixed(2)}: ${Object.entries(w.features).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")}` }));
    nodes.push(el("h3", { text: "Why these mentions were fused" }), ul);
  }
  nodes.push(el("h3", { text: "Evidence" }));
  for (const head of detail.articles) {
    const art = await getJSON(`/articles/${encodeURIComponent(head.id)}`);
    const box = el("div", { class: "article", "data-article-id": art.id });
    const title = el("h4", {}, markedText(art.title_segments, ev.event_id));
    const href = art.url && safeUrl(art.url);
    const link = href ? el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", text: "source" }) : el("span", { class: "bad-url", text: art.url ? `source (unsafe link, not followed): ${art.url}` : "no source URL" });
    box.append(title, el("div", { class: "meta" }, `${art.outlet || "unknown outlet"} · ${art.published || "undated"} · `, link), el("div", { class: "body" }, markedText(art.segments, ev.event_id)));
    nodes.push(box);
  }
  showPanel(...nodes);
  const first = document.querySelector("#panel .article mark.evidence");
  if (first) first.scrollIntoView({ block: "center" });
}

async function openActor(id) {
  state.actor = id; state.event = null; writeUrl();
  let a;
  try { a = await getJSON(`/actors/${encodeURIComponent(id)}`); } catch (e) { showPanel(el("p", { class: "notice", text: e.message })); return; }
  const names = el("ol", { class: "names" });
  for (const n of a.names) names.append(el("li", { text: `${n.name} (${n.valid_from || "…"} – ${n.valid_to || "now"})` }));
  const events = el("ol");
  for (const ev of a.recent_events) events.append(listItem(ev));
  showPanel(
    el("h2", { text: a.name }),
    fields([["Id", a.actor_id], ["Inter", String(a.inter)], ["Country", a.country], ["Events here", String(a.events)], ["Coalitions", a.coalitions.join(", ")]]),
    el("h3", { text: "Names over time" }), names,
    el("h3", { text: "Also called" }), el("p", { text: a.aliases.join("; ") || "(none listed)" }),
    el("h3", { text: "Events" }), events,
  );
}

// ------------------------------------------------------------------ wiring

async function refresh(opts = {}) {
  writeUrl();
  const jobs = [loadMarkers(), loadList()];
  if (!opts.keepTimeline) jobs.push(timeline.draw());
  try { await Promise.all(jobs); } catch (e) { document.getElementById("count").textContent = e.message; }
  document.body.dataset.ready = String((Number(document.body.dataset.ready) || 0) + 1);
}

async function main() {
  readUrl();
  state.config = await getJSON("/config.json");
  buildFilterForm();
  await setupMap();
  timeline = setupTimeline();
  document.getElementById("more").addEventListener("click", () => loadList(true));
  document.getElementById("close").addEventListener("click", () => {
    document.getElementById("panel").hidden = true; state.event = state.actor = null; writeUrl(); map.invalidateSize(); timeline.draw();
  });
  await refresh();
  if (state.event) openEvent(state.event);
  else if (state.actor) openActor(state.actor);
}

main().catch((e) => { document.body.prepend(el("p", { class: "notice", text: `The page failed to start: ${e.message}` })); });
