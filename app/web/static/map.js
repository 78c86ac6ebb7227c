// The route map as SVG: both prefectures' outlines (GET /v1/boundaries), a line per day
// in its own colour with numbered stops, and the nights' hotel areas. Equirectangular
// projection scaled by cos(latitude): true enough at this size (about 500 km across).

import { api } from "./api.js";

const SVG = "http://www.w3.org/2000/svg";
// Dark enough for 3:1 against the light map ground and white marker numbers on them.
export const DAY_COLOURS = [
  "#1f5fa8", "#b3261e", "#2e7d32", "#7b1fa2", "#a64b00",
  "#00695c", "#5d4037", "#c2185b", "#37474f", "#4e5f00",
];

let boundaries = null;

/** The outlines (one request per page). */
export async function loadBoundaries() {
  boundaries ??= api("/v1/boundaries");
  return boundaries;
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function rings(collection) {
  const out = [];
  for (const f of collection.features) {
    const g = f.geometry;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    for (const poly of polys) for (const ring of poly) out.push({ city: f.properties.city_id, ring });
  }
  return out;
}

/**
 * An SVG map. `days`: `[{label, stops: [{lon, lat, name, number}], night: {lon, lat, name}}]`
 * (`number` null for a stop drawn on the line without a marker); `label` describes the
 * route for screen readers (role="img", <title> and <desc>).
 */
export function routeMap(collection, days, { label, description = "", width = 640 } = {}) {
  const outlines = rings(collection);
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { ring } of outlines) {
    for (const [lon, lat] of ring) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const pad = 12;
  const scale = (width - 2 * pad) / ((maxLon - minLon) * k);
  const height = Math.round((maxLat - minLat) * scale + 2 * pad);
  const x = (lon) => (pad + (lon - minLon) * k * scale).toFixed(1);
  const y = (lat) => (pad + (maxLat - lat) * scale).toFixed(1);

  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": "map-title map-desc",
    class: "route-map",
  });
  svg.append(el("title", { id: "map-title" }, label), el("desc", { id: "map-desc" }, description));

  const land = el("g", { class: "outlines" });
  for (const { city, ring } of outlines) {
    const d = ring.map(([lon, lat], i) => `${i ? "L" : "M"}${x(lon)} ${y(lat)}`).join("") + "Z";
    land.append(el("path", { d, class: `outline city-${city}`, "data-city": city }));
  }
  svg.append(land);

  const routes = el("g", { class: "routes" });
  const marks = el("g", { class: "markers" });
  days.forEach((day, i) => {
    const colour = DAY_COLOURS[i % DAY_COLOURS.length];
    const points = day.stops.filter((s) => Number.isFinite(s.lat) && Number.isFinite(s.lon));
    if (points.length > 1) {
      const d = points.map((s, j) => `${j ? "L" : "M"}${x(s.lon)} ${y(s.lat)}`).join("");
      routes.append(
        el("path", { d, class: "route", stroke: colour, "data-day": i + 1 }, undefined),
      );
    }
    for (const s of points) {
      if (s.number == null) continue;
      const g = el("g", { class: "stop", "data-day": i + 1 });
      g.append(
        el("circle", { cx: x(s.lon), cy: y(s.lat), r: 8, fill: colour }),
        el("text", { x: x(s.lon), y: y(s.lat), dy: "0.35em", class: "stop-number" }, s.number),
      );
      g.append(el("title", {}, `${day.label}: ${s.number}. ${s.name}`));
      marks.append(g);
    }
    if (day.night && Number.isFinite(day.night.lat)) {
      const cx = Number(x(day.night.lon));
      const cy = Number(y(day.night.lat));
      const g = el("g", { class: "night", "data-day": i + 1 });
      g.append(el("rect", { x: cx - 7, y: cy - 7, width: 14, height: 14, rx: 2 }));
      g.append(el("title", {}, `${day.label}: ${day.night.name}`));
      marks.append(g);
    }
  });
  svg.append(routes, marks);
  return svg;
}

/** The legend: a swatch and label per day (the colours are not the only cue). */
export function legend(days) {
  const ul = document.createElement("ul");
  ul.className = "map-legend";
  days.forEach((day, i) => {
    const li = document.createElement("li");
    const swatch = document.createElementNS(SVG, "svg");
    swatch.setAttribute("viewBox", "0 0 24 8");
    swatch.setAttribute("aria-hidden", "true");
    swatch.setAttribute("class", "swatch");
    swatch.append(el("rect", { width: 24, height: 8, fill: DAY_COLOURS[i % DAY_COLOURS.length] }));
    li.append(swatch, document.createTextNode(day.label));
    ul.append(li);
  });
  return ul;
}
