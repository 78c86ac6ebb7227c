// What the featured-route pages share (packages, package, studio, stats): their strings,
// the API-key form, a read that also gives the ETag, dates and names in the page language.

import { ProblemError, getKey, setKey, showProblem, url } from "./api.js";
import { initToggle, lang, register, t } from "./i18n.js";

export const CATEGORIES = [
  "grassland", "desert", "forest", "lake", "geology", "history", "archaeology", "temple",
  "museum", "culture", "folk", "hot_spring", "wetland", "mountain", "park", "food",
  "shopping", "nightlife",
];
export const CITIES = ["chifeng", "tongliao"];

register({
  zh: {
    "nav.label": "页面",
    "nav.studio": "线路工作室",
    "nav.stats": "城市报表",
    "city.chifeng": "赤峰",
    "city.tongliao": "通辽",
    "cat.grassland": "草原", "cat.desert": "沙漠", "cat.forest": "森林", "cat.lake": "湖泊",
    "cat.geology": "地质", "cat.history": "历史", "cat.archaeology": "考古", "cat.temple": "寺庙",
    "cat.museum": "博物馆", "cat.culture": "文化", "cat.folk": "民俗", "cat.hot_spring": "温泉",
    "cat.wetland": "湿地", "cat.mountain": "山岳", "cat.park": "公园", "cat.food": "美食",
    "cat.shopping": "购物", "cat.nightlife": "夜生活",
    "any": "不限",
    "days.n": "{n}日",
    "month.n": "{n}月",
    "key.legend": "API 密钥",
    "key.label": "密钥（Bearer）",
    "key.hint": "只保存在本浏览器（localStorage），随请求发送到本服务。",
    "key.save": "保存密钥",
    "key.forget": "清除密钥",
    "key.saved": "已保存密钥。",
    "key.none": "尚未保存密钥。",
    "key.cleared": "已清除密钥。",
    "works.summary": "{n} 个出发日期可行（{start} 至 {end}）",
    "works.none": "季内没有可行的出发日期（{start} 至 {end}）",
    "status.draft": "草稿",
    "status.published": "已发布",
    "status.retired": "已下架",
    "mode.drive": "自驾", "mode.taxi": "出租车", "mode.charter": "包车", "mode.road": "公路",
    "mode.rail": "火车", "mode.bus": "客车", "mode.air": "飞机",
  },
  en: {
    "nav.label": "Pages",
    "nav.studio": "Route studio",
    "nav.stats": "City reports",
    "city.chifeng": "Chifeng",
    "city.tongliao": "Tongliao",
    "cat.grassland": "Grassland", "cat.desert": "Desert", "cat.forest": "Forest",
    "cat.lake": "Lakes", "cat.geology": "Geology", "cat.history": "History",
    "cat.archaeology": "Archaeology", "cat.temple": "Temples", "cat.museum": "Museums",
    "cat.culture": "Culture", "cat.folk": "Folk life", "cat.hot_spring": "Hot springs",
    "cat.wetland": "Wetlands", "cat.mountain": "Mountains", "cat.park": "Parks",
    "cat.food": "Food", "cat.shopping": "Shopping", "cat.nightlife": "Nightlife",
    "any": "Any",
    "days.n": "{n} days",
    "month.n": "{month}",
    "key.legend": "API key",
    "key.label": "Key (Bearer)",
    "key.hint": "Kept in this browser only (localStorage) and sent to this service.",
    "key.save": "Save key",
    "key.forget": "Forget key",
    "key.saved": "Key saved.",
    "key.none": "No key saved yet.",
    "key.cleared": "Key forgotten.",
    "works.summary": "Works on {n} start dates ({start} to {end})",
    "works.none": "Works on no start date of its season ({start} to {end})",
    "status.draft": "Draft",
    "status.published": "Published",
    "status.retired": "Retired",
    "mode.drive": "car", "mode.taxi": "taxi", "mode.charter": "chartered car", "mode.road": "road",
    "mode.rail": "train", "mode.bus": "coach", "mode.air": "plane",
  },
});

const MONTHS_EN = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

export function monthName(n) {
  return t("month.n", { n, month: MONTHS_EN[n - 1] });
}

export function cityName(id) {
  const key = `city.${id}`;
  const name = t(key);
  return name === key ? id : name;
}

export function modeName(id) {
  const key = `mode.${id}`;
  const name = t(key);
  return name === key ? id : name;
}

export function categoryName(id) {
  return t(`cat.${id}`);
}

/** The text of `{zh, en}` in the page language. */
export function text(texts) {
  return (texts && (texts[lang()] || texts.zh || texts.en)) || "";
}

/** `HH:MM` of an ISO datetime with offset, as written (the trip's local time). */
export function clock(iso) {
  return iso ? iso.slice(11, 16) : "";
}

/** A calendar date `YYYY-MM-DD` with its weekday in the page language. */
export function dateLabel(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const weekday = day.toLocaleDateString(lang() === "zh" ? "zh-CN" : "en-GB", {
    weekday: "short",
    timeZone: "UTC",
  });
  return `${iso} (${weekday})`;
}

/** Today in China (the service's clock for reports), `YYYY-MM-DD`. */
export function chinaToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}

export function addDays(iso, n) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The sentence saying on how many dates of its season a package works. */
export function worksSummary(pkg) {
  const vars = { n: pkg.season.works.length, start: pkg.season_start, end: pkg.season_end };
  return t(pkg.season.works.length ? "works.summary" : "works.none", vars);
}

/** The spot stops of a package's itinerary, in order, each once. */
export function spotsOf(pkg) {
  const seen = new Map();
  for (const day of pkg.itinerary.days) {
    for (const s of day.stops) if (s.kind === "spot" && !seen.has(s.place_id)) seen.set(s.place_id, s);
  }
  return [...seen.values()];
}

/** Jaccard overlap of two packages' spots, 0 to 1. */
export function overlap(a, b) {
  const x = new Set(spotsOf(a).map((s) => s.place_id));
  const y = new Set(spotsOf(b).map((s) => s.place_id));
  const both = [...x].filter((id) => y.has(id)).length;
  const either = new Set([...x, ...y]).size;
  return either ? both / either : 0;
}

/**
 * Like api.js `api()`, but answers `{data, etag}`: the studio writes with If-Match from the
 * ETag the read (or the last write) gave.
 */
export async function apiTagged(path, { method = "GET", params, body, headers = {} } = {}) {
  const h = { Accept: "application/json, application/problem+json", ...headers };
  const key = getKey();
  if (key) h.Authorization = `Bearer ${key}`;
  if (body !== undefined) h["Content-Type"] = "application/json";
  let r;
  try {
    r = await fetch(url(path, params), {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ProblemError({ title: "Network error", detail: String(e.message || e) }, 0);
  }
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    const problem =
      typeof data === "object" && data ? data : { title: r.statusText, detail: String(data) };
    throw new ProblemError(problem, r.status);
  }
  return { data, etag: r.headers.get("etag") };
}

/** A binary answer (a chart) fetched with the key, as a blob: URL for an <img>. */
export async function blobUrl(path, params) {
  const key = getKey();
  let r;
  try {
    r = await fetch(url(path, params), { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  } catch (e) {
    throw new ProblemError({ title: "Network error", detail: String(e.message || e) }, 0);
  }
  if (!r.ok) {
    const type = r.headers.get("content-type") || "";
    const problem = type.includes("json")
      ? await r.json()
      : { title: r.statusText, detail: await r.text() };
    throw new ProblemError(problem, r.status);
  }
  return URL.createObjectURL(await r.blob());
}

/** Wires the key form of a page (`#key-form`, `#key`, `#key-forget`, `#key-status`). */
export function keyForm(onChange = () => {}) {
  const form = document.getElementById("key-form");
  const input = document.getElementById("key");
  const status = document.getElementById("key-status");
  const show = (msg) => {
    status.dataset.i18n = msg;
    status.textContent = t(msg);
  };
  input.value = getKey();
  show(getKey() ? "key.saved" : "key.none");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    setKey(input.value.trim());
    show(input.value.trim() ? "key.saved" : "key.cleared");
    onChange();
  });
  document.getElementById("key-forget").addEventListener("click", () => {
    setKey("");
    input.value = "";
    show("key.cleared");
    onChange();
  });
}

/** The header's language toggle, and `render` again whenever the language changes. */
export function start(render) {
  initToggle(document.getElementById("lang-toggle"));
  document.addEventListener("langchange", () => render());
}

export function el(name, attrs = {}, ...children) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export { showProblem };
