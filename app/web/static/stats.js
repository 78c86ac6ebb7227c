// A bureau's report of its city over a period (its bureau key, or an admin's): the figures
// as tables, and the chart. An <img> cannot send the key, so the chart is fetched with it
// and shown from a blob: URL (the page CSP's img-src allows blob:).

import { all, showProblem } from "./api.js";
import { apply, lang, register, t } from "./i18n.js";
import {
  CITIES,
  addDays,
  apiTagged,
  blobUrl,
  chinaToday,
  cityName,
  el,
  keyForm,
  modeName,
  start,
} from "./market.js";

register({
  zh: {
    "stats.title": "城市报表",
    "stats.pick": "城市与时段",
    "stats.city": "城市",
    "stats.from": "起始日期",
    "stats.to": "截止日期",
    "stats.format": "图表格式",
    "stats.show": "查看报表",
    "stats.chart": "图表",
    "stats.heading": "{city}：{start} 至 {end}",
    "stats.loading": "正在读取报表…",
    "stats.loaded": "报表已更新：{city}，{start} 至 {end}。",
    "stats.chart.alt": "{city} {start} 至 {end} 的报表图：中心城区内外的住宿夜数、最常规划的景点与必去请求、两市之间的交通方式",
    "t.figures": "主要数字",
    "t.figure": "指标",
    "t.value": "数值",
    "f.plans": "涉及本市的行程数",
    "f.nights": "住宿夜数",
    "f.central": "其中中心城区夜数",
    "f.central.share": "中心城区占比",
    "f.two_city": "两市联游行程数",
    "t.balance": "两市联游的平衡",
    "t.city": "城市",
    "t.nights": "夜数",
    "t.visits": "景点到访",
    "t.exposure": "景点曝光（前 10）",
    "t.spot": "景点",
    "t.planned": "被规划次数",
    "t.requested": "必去请求次数",
    "t.unmet": "未能安排的必去景点",
    "t.reason": "原因",
    "t.plans": "行程数",
    "t.transfers": "两市之间的交通",
    "t.mode": "方式",
    "t.empty": "无",
  },
  en: {
    "stats.title": "City reports",
    "stats.pick": "City and period",
    "stats.city": "City",
    "stats.from": "From",
    "stats.to": "To",
    "stats.format": "Chart format",
    "stats.show": "Show the report",
    "stats.chart": "Chart",
    "stats.heading": "{city}: {start} to {end}",
    "stats.loading": "Reading the report…",
    "stats.loaded": "Report updated: {city}, {start} to {end}.",
    "stats.chart.alt": "Report chart of {city}, {start} to {end}: nights in and outside the central district, the most planned sights against must-visit requests, the transfers between the cities",
    "t.figures": "Key figures",
    "t.figure": "Figure",
    "t.value": "Value",
    "f.plans": "Plans that touch the city",
    "f.nights": "Nights",
    "f.central": "of them in the central district",
    "f.central.share": "Central share",
    "f.two_city": "Two-city plans",
    "t.balance": "Twin-city balance",
    "t.city": "City",
    "t.nights": "Nights",
    "t.visits": "Visits",
    "t.exposure": "Sight exposure (top 10)",
    "t.spot": "Sight",
    "t.planned": "Planned",
    "t.requested": "Asked as must-visit",
    "t.unmet": "Must-visits that did not fit",
    "t.reason": "Reason",
    "t.plans": "Plans",
    "t.transfers": "Transfers between the cities",
    "t.mode": "Mode",
    "t.empty": "None",
  },
});

const form = document.getElementById("report-form");
const problem = document.getElementById("problem");
const status = document.getElementById("status");
const section = document.getElementById("report");
const chart = document.getElementById("chart");
let report = null;
let names = {};
let chartUrl = null;

/** A table with a caption, header cells and rows; numeric columns are right-aligned. */
function table(captionKey, heads, rows, numeric = []) {
  const cell = (tag, value, j) =>
    el(tag, { class: numeric.includes(j) ? "num" : null, text: String(value), scope: tag === "th" ? "col" : null });
  const body = rows.length
    ? rows.map((r) => el("tr", {}, ...r.map((v, j) => cell(j === 0 ? "th" : "td", v, j))))
    : [el("tr", {}, el("td", { colspan: String(heads.length), text: t("t.empty") }))];
  for (const row of body) row.firstChild?.tagName === "TH" && row.firstChild.setAttribute("scope", "row");
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      {},
      el("caption", { text: t(captionKey) }),
      el("thead", {}, el("tr", {}, ...heads.map((h, j) => cell("th", t(h), j)))),
      el("tbody", {}, ...body),
    ),
  );
}

function spot(id) {
  return names[id] || id;
}

function renderReport() {
  if (!report) return;
  const r = report;
  const city = cityName(r.city_id);
  document.getElementById("report-heading").textContent = t("stats.heading", {
    city,
    start: r.start,
    end: r.end,
  });
  const share = r.nights ? `${Math.round((r.central_nights / r.nights) * 100)}%` : "–";
  const cities = [...new Set([...CITIES, ...Object.keys(r.balance_nights)])];
  document.getElementById("tables").replaceChildren(
    table(
      "t.figures",
      ["t.figure", "t.value"],
      [
        [t("f.plans"), r.plans],
        [t("f.nights"), r.nights],
        [t("f.central"), r.central_nights],
        [t("f.central.share"), share],
        [t("f.two_city"), r.two_city_plans],
      ],
      [1],
    ),
    table(
      "t.balance",
      ["t.city", "t.nights", "t.visits"],
      cities.map((c) => [cityName(c), r.balance_nights[c] ?? 0, r.balance_visits[c] ?? 0]),
      [1, 2],
    ),
    table(
      "t.exposure",
      ["t.spot", "t.planned", "t.requested"],
      r.exposure.slice(0, 10).map((e) => [spot(e.spot_id), e.planned, e.requested]),
      [1, 2],
    ),
    table(
      "t.unmet",
      ["t.spot", "t.reason", "t.plans"],
      r.unmet.map((u) => [spot(u.spot_id), u.reason, u.plans]),
      [2],
    ),
    table(
      "t.transfers",
      ["t.mode", "t.plans"],
      Object.entries(r.transfers).map(([mode, n]) => [modeName(mode), n]),
      [1],
    ),
  );
  chart.alt = t("stats.chart.alt", { city, start: r.start, end: r.end });
  section.hidden = false;
}

async function show(e) {
  e?.preventDefault();
  showProblem(problem, null);
  const city = form.city.value;
  const params = { from: form.from.value, to: form.to.value };
  status.hidden = false;
  status.textContent = t("stats.loading");
  try {
    const [{ data }, spots] = await Promise.all([
      apiTagged(`/v1/stats/cities/${city}`, { params }),
      all("/v1/spots", { city, lang: lang() }).catch(() => []),
    ]);
    report = data;
    names = Object.fromEntries(spots.map((s) => [s.id, s.name]));
    renderReport();
    const next = await blobUrl(`/v1/stats/cities/${city}.${form.format.value}`, params);
    if (chartUrl) URL.revokeObjectURL(chartUrl);
    chartUrl = next;
    chart.src = next;
    status.textContent = t("stats.loaded", {
      city: cityName(city),
      start: report.start,
      end: report.end,
    });
  } catch (err) {
    status.hidden = true;
    showProblem(problem, err);
  }
}

function cities() {
  const chosen = form.city.value;
  form.city.replaceChildren(...CITIES.map((c) => el("option", { value: c, text: cityName(c) })));
  if (chosen) form.city.value = chosen;
}

function render() {
  apply();
  cities();
  renderReport();
}

keyForm();
cities();
form.to.value = chinaToday();
form.from.value = addDays(form.to.value, -30);
form.addEventListener("submit", show);
start(render);
