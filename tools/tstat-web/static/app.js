// tstat-web: the list of histograms, one plot per statistic, the last window's idx bins.
// Plain SVG, no library: the page works without internet access. Every plotted number is
// also kept in a data-value attribute (what the tests read).
"use strict";
const state = { histogram: null, stats: [], range: "day" };
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + "G";
  if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
  if (a >= 1e3) return (v / 1e3).toFixed(2) + "k";
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function utc(t) { return new Date(t * 1000).toISOString().replace("T", " ").slice(0, 16); }

async function get(url) {
  const r = await fetch(url);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function linePlot(parent, series) {
  const W = 760, H = 200, L = 60, R = 10, T = 10, B = 30;
  const pts = series.points.filter((p) => p[1] !== null);
  const box = document.createElement("div");
  box.className = "plot";
  box.dataset.stat = series.stat;
  const h = document.createElement("h4");
  h.textContent = `${series.histogram}.${series.stat}`;
  box.appendChild(h);
  parent.appendChild(box);
  if (pts.length === 0) {
    const p = document.createElement("div");
    p.className = "empty";
    p.textContent = "no value in this range";
    box.appendChild(p);
    return;
  }
  const t0 = series.points[0][0], t1 = series.points[series.points.length - 1][0];
  let lo = Math.min(0, ...pts.map((p) => p[1])), hi = Math.max(...pts.map((p) => p[1]));
  if (hi === lo) hi = lo + 1;
  const x = (t) => L + ((t - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H }, box);
  el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }, svg);
  el("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }, svg);
  for (const v of [lo, (lo + hi) / 2, hi]) {
    const tx = el("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end" }, svg);
    tx.textContent = fmt(v);
  }
  for (const t of [t0, t1]) {
    const tx = el("text", { x: x(t), y: H - 10, "text-anchor": t === t0 ? "start" : "end" }, svg);
    tx.textContent = utc(t) + " UTC";
  }
  // One path per run of known values: unknown steps leave a gap.
  let d = "", pen = false;
  for (const [t, v] of series.points) {
    if (v === null) { pen = false; continue; }
    d += (pen ? "L" : "M") + x(t).toFixed(1) + "," + y(v).toFixed(1);
    pen = true;
  }
  el("path", { d, class: "line" }, svg);
  for (const [t, v] of pts) {
    const c = el("circle", { cx: x(t), cy: y(v), r: 2.5, class: "pt",
                             "data-time": t, "data-value": v }, svg);
    el("title", {}, c).textContent = `${utc(t)} UTC: ${fmt(v)}`;
  }
}

function barPlot(parent, w) {
  const bins = w.bins.filter((b) => b.value !== null);
  if (bins.length === 0) return;
  const W = 760, H = 220, L = 60, B = 40, T = 10;
  const hi = Math.max(1, ...bins.map((b) => b.value));
  const bw = (W - L - 10) / bins.length;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "plot" }, parent);
  el("line", { x1: L, y1: H - B, x2: W - 10, y2: H - B, class: "axis" }, svg);
  const tx = el("text", { x: L - 4, y: T + 8, "text-anchor": "end" }, svg);
  tx.textContent = fmt(hi);
  bins.forEach((b, i) => {
    const h = (b.value / hi) * (H - B - T);
    const r = el("rect", { x: L + i * bw + 1, y: H - B - h, width: Math.max(1, bw - 2), height: h,
                           class: "bar", "data-bin": b.bin, "data-value": b.value }, svg);
    el("title", {}, r).textContent = `${b.bin}: ${fmt(b.value)}`;
    const lab = el("text", { x: L + i * bw + bw / 2, y: H - B + 14, "text-anchor": "middle" }, svg);
    lab.textContent = b.bin;
  });
  const when = el("text", { x: W - 10, y: H - 6, "text-anchor": "end" }, svg);
  when.textContent = "window closed " + utc(w.last_update) + " UTC";
}

async function show() {
  const plots = $("plots"), dist = $("dist");
  plots.replaceChildren();
  dist.replaceChildren();
  $("title").textContent = state.histogram;
  $("status").textContent = "loading…";
  document.body.dataset.ready = "0";
  try {
    for (const s of state.stats) {
      const q = new URLSearchParams({ h: state.histogram, s, range: state.range });
      linePlot(plots, await get("/api/series?" + q));
    }
    const w = await get("/api/window?" + new URLSearchParams({ h: state.histogram }));
    $("dist-title").hidden = w.bins.length === 0;
    barPlot(dist, w);
    $("status").textContent = "";
  } catch (e) {
    $("status").textContent = "error: " + e.message;
  }
  document.body.dataset.ready = "1";
}

function pick(h, link) {
  document.querySelectorAll("nav a.on").forEach((a) => a.classList.remove("on"));
  link.classList.add("on");
  state.histogram = h.name;
  state.stats = h.stats;
  location.hash = "#" + h.name + "/" + state.range;
  show();
}

async function init() {
  const [hname, range] = decodeURIComponent(location.hash.slice(1)).split("/");
  if (range) state.range = range;
  document.querySelectorAll("#ranges button").forEach((b) => {
    b.classList.toggle("on", b.dataset.range === state.range);
    b.onclick = () => {
      state.range = b.dataset.range;
      document.querySelectorAll("#ranges button").forEach((o) => o.classList.toggle("on", o === b));
      if (state.histogram) { location.hash = "#" + state.histogram + "/" + state.range; show(); }
    };
  });
  let list;
  try {
    list = await get("/api/list");
  } catch (e) {
    $("status").textContent = "error: " + e.message;
    document.body.dataset.ready = "1";
    return;
  }
  const nav = $("groups");
  let chosen = null;
  for (const g of list.groups) {
    const h2 = document.createElement("h2");
    h2.textContent = g.title;
    nav.appendChild(h2);
    for (const h of g.histograms) {
      const a = document.createElement("a");
      a.href = "#" + h.name;
      a.textContent = h.name;
      a.onclick = (ev) => { ev.preventDefault(); pick(h, a); };
      nav.appendChild(a);
      if (h.name === hname || (!hname && !chosen)) chosen = [h, a];
    }
  }
  if (chosen) pick(chosen[0], chosen[1]);
  else { $("title").textContent = "No RRD database in this folder"; document.body.dataset.ready = "1"; }
}

init();
