// The traveller's Plan page: a form for POST /v1/plan-jobs, the job's progress, then the
// itinerary (GET /v1/itineraries/{id}) as a timeline and a map, with replan, alternatives,
// exports and a share link. It uses the public API only, as any client would.

import { all, api, ProblemError, showProblem } from "./api.js";
import { apply, initToggle, lang, register, t } from "./i18n.js";
import { legend, loadBoundaries, routeMap } from "./map.js";

register({
  zh: {
    "plan.title": "双子星 · 赤峰 + 通辽 行程规划",
    "plan.intro": "每晚住在中心城区（红山区、科尔沁区），白天一日游草原、沙漠、辽代遗址、寺庙和湖泊。",
    "nav.label": "页面",
    "form.heading": "你的行程",
    "form.when": "日期与交通",
    "form.start": "出发日期",
    "form.days": "天数",
    "form.arrive": "到达地点",
    "form.arrive_time": "到达时间",
    "form.depart": "离开地点",
    "form.depart_time": "离开时间",
    "form.cities": "城市与住宿",
    "form.nights_hint": "每城晚数可不填，由规划决定。",
    "form.visit": "游览{city}",
    "form.nights": "{city}住几晚（可不填）",
    "form.interests": "兴趣",
    "form.interests_hint": "不填即按默认权重。",
    "form.style": "出行方式",
    "form.pace": "节奏",
    "form.party": "同行",
    "form.mode": "交通",
    "form.budget": "门票预算（元，可不填）",
    "form.alternatives": "方案数",
    "form.time_limit": "规划时间上限（秒）",
    "form.evening": "晚间休闲",
    "form.gateway": "可住一晚旗县门户镇",
    "form.spots": "必去与避开",
    "form.search": "搜索景点",
    "form.search_placeholder": "名称，如 博物馆",
    "form.search_hint": "开放时间为出发日当天。",
    "form.must": "必去",
    "form.avoid": "避开",
    "form.none": "（无）",
    "form.submit": "规划行程",
    "form.add_must": "必去：{name}",
    "form.add_avoid": "避开：{name}",
    "form.remove": "移除 {name}",
    "form.no_match": "没有匹配的景点。",
    "pace.relaxed": "轻松",
    "pace.normal": "适中",
    "pace.packed": "紧凑",
    "party.adults": "成人",
    "party.young_children": "带幼儿",
    "party.elderly": "带老人",
    "mode.self_drive": "自驾",
    "mode.transit": "公共交通 + 出租/包车",
    "weight.default": "默认",
    "weight.0": "不感兴趣",
    "weight.1": "一般",
    "weight.2": "喜欢",
    "weight.3": "很喜欢",
    "weight.5": "最爱",
    "kind.rail_station": "火车站",
    "kind.airport": "机场",
    "kind.bus_station": "汽车站",
    "kind.hotel_area": "酒店区",
    "spot.level": "{n}A 级",
    "spot.unrated": "未评级",
    "spot.highlight": "{n} 本攻略必去",
    "spot.ticket": "门票 ¥{n}",
    "spot.free": "免费",
    "spot.hours": "当天开放 {hours}",
    "spot.closed": "当天不开放",
    "spot.hours_unknown": "开放时间未知",
    "cat.grassland": "草原", "cat.desert": "沙漠", "cat.forest": "森林", "cat.lake": "湖泊",
    "cat.geology": "地质", "cat.history": "历史", "cat.archaeology": "考古", "cat.temple": "寺庙",
    "cat.museum": "博物馆", "cat.culture": "文化", "cat.folk": "民俗", "cat.hot_spring": "温泉",
    "cat.wetland": "湿地", "cat.mountain": "山地", "cat.park": "公园", "cat.food": "美食",
    "cat.shopping": "购物", "cat.nightlife": "夜生活",
    "job.queued": "排队中…（前面 {ahead} 个）",
    "job.running": "规划中… 当前最佳得分 {score}，已用 {elapsed} 秒",
    "job.done": "规划完成，得分 {score}，用时 {elapsed} 秒。",
    "job.failed": "规划失败：{error}",
    "job.cancelled": "规划已取消。",
    "job.loading": "正在载入行程…",
    "job.replanning": "正在重新规划…",
    "result.heading": "行程",
    "result.summary": "{days} 天 · {nights} · 车程 {travel} 分钟 · 门票 ¥{tickets} · 交通 ¥{transport} · 得分 {score}",
    "result.nights": "{city} {n} 晚",
    "result.provisional": "注意：{dates} 所在年份的国务院放假通知尚未发布，节假日安排按法定规则推算，开放时间可能变化。",
    "result.alternatives": "方案对比",
    "result.view": "查看此方案",
    "result.viewing": "正在查看",
    "result.replan": "按勾选的景点重新规划",
    "result.replan_hint": "勾选要保留的景点，其余部分重新规划。",
    "result.pin": "保留 {name}",
    "result.replanned": "已按保留的景点重新规划（原行程 {id}）。",
    "result.unvisited": "未安排的景点",
    "result.none_unvisited": "所有候选景点都已安排。",
    "result.must": "必去",
    "result.apply": "采纳建议并重新规划",
    "result.exports": "导出与分享",
    "result.ics": "日历 (.ics)",
    "result.geojson": "地图数据 (.geojson)",
    "result.print": "打印版 (.html)",
    "result.share": "分享链接",
    "result.copy": "复制",
    "result.copied": "已复制链接。",
    "result.copy_failed": "无法复制，请手动选择链接。",
    "day.heading": "第 {n} 天 · {date}",
    "day.label": "第 {n} 天",
    "day.night": "住宿：{name}",
    "day.last": "行程最后一天",
    "stop.spot": "游览", "stop.hub": "枢纽", "stop.start": "出发", "stop.meal": "午餐",
    "stop.transfer": "换城", "stop.evening": "夜游",
    "leg.travel": "{mode} {minutes} 分钟",
    "leg.fare": "车费 ¥{n}",
    "leg.ticket": "门票 ¥{n}",
    "legmode.drive": "自驾", "legmode.taxi": "出租车", "legmode.charter": "包车",
    "legmode.road": "大巴", "legmode.rail": "火车", "legmode.bus": "公交", "legmode.air": "飞机",
    "variant.more_sights": "景点最多",
    "variant.less_driving": "车程更少",
    "variant.cheaper": "更省钱",
    "alt.line": "得分 {score} · 车程 {travel} 分钟 · 门票 ¥{tickets} · 景点 {spots} 个",
    "map.label": "路线图：{days}",
    "map.day": "第 {n} 天：{stops}",
    "reason.closed_during_trip": "行程期间不开放",
    "reason.unreachable_in_a_day": "一天之内无法往返",
    "reason.over_budget": "超出门票预算",
    "reason.no_time_left": "日程已满",
    "change.another_date": "换个日期",
    "change.one_more_day": "多玩一天",
    "change.higher_budget": "提高预算",
    "change.gateway_nights": "住一晚门户镇",
  },
  en: {
    "plan.title": "Twin Stars · Chifeng + Tongliao trip planner",
    "plan.intro": "Every night in a central district (Hongshan, Horqin); day trips to grasslands, deserts, Liao-dynasty sites, temples and lakes.",
    "nav.label": "Pages",
    "form.heading": "Your trip",
    "form.when": "Dates and travel",
    "form.start": "Start date",
    "form.days": "Days",
    "form.arrive": "Arrive at",
    "form.arrive_time": "Arrival time",
    "form.depart": "Leave from",
    "form.depart_time": "Departure time",
    "form.cities": "Cities and nights",
    "form.nights_hint": "Leave nights empty to let the planner choose.",
    "form.visit": "Visit {city}",
    "form.nights": "Nights in {city} (optional)",
    "form.interests": "Interests",
    "form.interests_hint": "Leave at default for the usual weights.",
    "form.style": "How you travel",
    "form.pace": "Pace",
    "form.party": "Party",
    "form.mode": "Getting around",
    "form.budget": "Ticket budget (CNY, optional)",
    "form.alternatives": "Plans to compare",
    "form.time_limit": "Planning time limit (s)",
    "form.evening": "Evening outing",
    "form.gateway": "Allow a night in a county gateway town",
    "form.spots": "Must-visit and avoid",
    "form.search": "Search spots",
    "form.search_placeholder": "Name, e.g. museum",
    "form.search_hint": "Opening hours are for the start date.",
    "form.must": "Must-visit",
    "form.avoid": "Avoid",
    "form.none": "(none)",
    "form.submit": "Plan my trip",
    "form.add_must": "Must-visit: {name}",
    "form.add_avoid": "Avoid: {name}",
    "form.remove": "Remove {name}",
    "form.no_match": "No spot matches.",
    "pace.relaxed": "Relaxed",
    "pace.normal": "Normal",
    "pace.packed": "Packed",
    "party.adults": "Adults",
    "party.young_children": "With young children",
    "party.elderly": "With elderly people",
    "mode.self_drive": "Self-drive",
    "mode.transit": "Transit, taxis and a hired car",
    "weight.default": "Default",
    "weight.0": "Not interested",
    "weight.1": "Some",
    "weight.2": "Keen",
    "weight.3": "Very keen",
    "weight.5": "Favourite",
    "kind.rail_station": "railway station",
    "kind.airport": "airport",
    "kind.bus_station": "bus station",
    "kind.hotel_area": "hotel area",
    "spot.level": "{n}A",
    "spot.unrated": "not rated",
    "spot.highlight": "a must-see in {n} guides",
    "spot.ticket": "ticket ¥{n}",
    "spot.free": "free",
    "spot.hours": "open {hours} that day",
    "spot.closed": "closed that day",
    "spot.hours_unknown": "hours unknown",
    "cat.grassland": "Grassland", "cat.desert": "Desert", "cat.forest": "Forest",
    "cat.lake": "Lakes", "cat.geology": "Geology", "cat.history": "History",
    "cat.archaeology": "Archaeology", "cat.temple": "Temples", "cat.museum": "Museums",
    "cat.culture": "Culture", "cat.folk": "Folk life", "cat.hot_spring": "Hot springs",
    "cat.wetland": "Wetlands", "cat.mountain": "Mountains", "cat.park": "Parks",
    "cat.food": "Food", "cat.shopping": "Shopping", "cat.nightlife": "Nightlife",
    "job.queued": "Queued… ({ahead} ahead)",
    "job.running": "Planning… best score so far {score}, {elapsed} s",
    "job.done": "Planned: score {score} in {elapsed} s.",
    "job.failed": "Planning failed: {error}",
    "job.cancelled": "Planning was cancelled.",
    "job.loading": "Loading the itinerary…",
    "job.replanning": "Replanning…",
    "result.heading": "Itinerary",
    "result.summary": "{days} days · {nights} · {travel} min on the road · tickets ¥{tickets} · transport ¥{transport} · score {score}",
    "result.nights": "{n} nights in {city}",
    "result.provisional": "Note: the State Council holiday notice for {dates} is not out yet; holidays follow the statutory rules, so opening hours may change.",
    "result.alternatives": "Compare plans",
    "result.view": "Show this plan",
    "result.viewing": "Showing",
    "result.replan": "Replan, keeping the ticked stops",
    "result.replan_hint": "Tick the stops to keep; the rest is planned again.",
    "result.pin": "Keep {name}",
    "result.replanned": "Replanned around the kept stops (from itinerary {id}).",
    "result.unvisited": "Spots not in the plan",
    "result.none_unvisited": "Every candidate spot is in the plan.",
    "result.must": "must-visit",
    "result.apply": "Apply and plan again",
    "result.exports": "Export and share",
    "result.ics": "Calendar (.ics)",
    "result.geojson": "Map data (.geojson)",
    "result.print": "Printable (.html)",
    "result.share": "Share link",
    "result.copy": "Copy",
    "result.copied": "Link copied.",
    "result.copy_failed": "Could not copy; select the link by hand.",
    "day.heading": "Day {n} · {date}",
    "day.label": "Day {n}",
    "day.night": "Night: {name}",
    "day.last": "Last day of the trip",
    "stop.spot": "Visit", "stop.hub": "Hub", "stop.start": "Start", "stop.meal": "Lunch",
    "stop.transfer": "Transfer", "stop.evening": "Evening",
    "leg.travel": "{mode} {minutes} min",
    "leg.fare": "fare ¥{n}",
    "leg.ticket": "ticket ¥{n}",
    "legmode.drive": "drive", "legmode.taxi": "taxi", "legmode.charter": "hired car",
    "legmode.road": "coach", "legmode.rail": "train", "legmode.bus": "bus",
    "legmode.air": "flight",
    "variant.more_sights": "Most sights",
    "variant.less_driving": "Less driving",
    "variant.cheaper": "Cheaper",
    "alt.line": "score {score} · {travel} min on the road · tickets ¥{tickets} · {spots} spots",
    "map.label": "Route map: {days}",
    "map.day": "day {n}: {stops}",
    "reason.closed_during_trip": "closed during the trip",
    "reason.unreachable_in_a_day": "too far for a day trip",
    "reason.over_budget": "over the ticket budget",
    "reason.no_time_left": "no time left",
    "change.another_date": "another date",
    "change.one_more_day": "one more day",
    "change.higher_budget": "a higher budget",
    "change.gateway_nights": "a gateway night",
  },
});

const $ = (id) => document.getElementById(id);
const POLL_MS = 300;
const WEIGHTS = ["", "0", "1", "2", "3", "5"];
const HUB_KINDS = ["rail_station", "airport", "bus_station", "hotel_area"];
const PINNABLE = new Set(["spot"]);

const state = {
  cities: [],
  hubs: [],
  spots: [],
  names: new Map(), // place id -> name in the page's language
  must: [],
  avoid: [],
  main: null, // the itinerary planned (with its alternatives)
  shown: null, // the one on screen (the main one, an alternative or a replan)
  alternatives: new Map(), // id -> itinerary
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  node.append(...children);
  return node;
}

const nameOf = (id, fallback) => state.names.get(id) || fallback || id;
const hhmm = (iso) => (iso ? iso.slice(11, 16) : "");

// ---------------------------------------------------------------- reference data

async function loadReference() {
  const params = { lang: lang() };
  const [cities, hubs, spots] = await Promise.all([
    api("/v1/cities", { params }),
    all("/v1/hubs", params),
    all("/v1/spots", params),
  ]);
  state.cities = cities;
  state.hubs = hubs;
  state.spots = spots;
  state.names = new Map([...hubs, ...spots].map((p) => [p.id, p.name]));
  for (const c of cities) state.names.set(c.id, c.name);
}

function fillHubSelect(select, fallback) {
  const chosen = select.value || fallback;
  select.replaceChildren();
  for (const city of state.cities) {
    const group = el("optgroup", { label: city.name });
    for (const kind of HUB_KINDS) {
      for (const hub of state.hubs.filter((h) => h.city_id === city.id && h.kind === kind)) {
        group.append(el("option", { value: hub.id, text: `${hub.name}（${t(`kind.${kind}`)}）` }));
      }
    }
    select.append(group);
  }
  select.value = chosen;
}

function renderCities() {
  const box = $("city-list");
  const previous = new Map(
    [...box.querySelectorAll("[data-city]")].map((d) => [
      d.dataset.city,
      { on: d.querySelector("input[type=checkbox]").checked, nights: d.querySelector("input[type=number]").value },
    ]),
  );
  box.replaceChildren();
  for (const city of state.cities) {
    const before = previous.get(city.id) || { on: true, nights: "" };
    const visit = el("input", { type: "checkbox", id: `city-${city.id}`, checked: before.on });
    const nights = el("input", {
      type: "number", id: `nights-${city.id}`, min: 0, max: 9, step: 1, inputmode: "numeric",
    });
    nights.value = before.nights;
    box.append(
      el("div", { "data-city": city.id },
        el("label", { class: "inline", for: `city-${city.id}` }, visit, t("form.visit", { city: city.name })),
        el("label", { for: `nights-${city.id}`, text: t("form.nights", { city: city.name }) }),
        nights),
    );
  }
}

function renderInterests() {
  const box = $("interests");
  const previous = new Map([...box.querySelectorAll("select")].map((s) => [s.name, s.value]));
  const categories = [...new Set(state.spots.flatMap((s) => s.categories))].sort();
  box.replaceChildren();
  for (const cat of categories) {
    const id = `interest-${cat}`;
    const select = el("select", { id, name: cat });
    for (const w of WEIGHTS) {
      const label = w === "" ? t("weight.default") : `${w} · ${t(`weight.${w}`)}`;
      select.append(el("option", { value: w, text: label }));
    }
    select.value = previous.get(cat) || "";
    box.append(el("div", {}, el("label", { for: id, text: t(`cat.${cat}`) }), select));
  }
}

// ---------------------------------------------------------------- spot picker

let searchSeq = 0;

async function searchSpots() {
  const q = $("spot-search").value.trim();
  const seq = ++searchSeq;
  const box = $("spot-results");
  if (!q) {
    box.replaceChildren();
    return;
  }
  try {
    const page = await api("/v1/spots", { params: { q, lang: lang(), limit: 8 } });
    const date = $("start-date").value;
    const hours = await Promise.all(
      page.data.map((s) =>
        date
          ? api(`/v1/spots/${s.id}/opening`, { params: { date } }).catch(() => null)
          : Promise.resolve(null),
      ),
    );
    if (seq !== searchSeq) return; // a later search answered first
    box.replaceChildren(...page.data.map((s, i) => spotCard(s, hours[i])));
    if (!page.data.length) box.append(el("li", { class: "hint", text: t("form.no_match") }));
  } catch (e) {
    showProblem($("problem"), e);
  }
}

function spotCard(spot, opening) {
  let hours = t("spot.hours_unknown");
  if (opening && opening.windows.length) {
    hours = t("spot.hours", { hours: opening.windows.map((w) => `${w.open}–${w.close}`).join(", ") });
  } else if (opening) hours = t("spot.closed");
  const facts = [
    spot.a_level ? t("spot.level", { n: spot.a_level }) : t("spot.unrated"),
    spot.highlight ? t("spot.highlight", { n: spot.highlight }) : null,
    spot.ticket_cny ? t("spot.ticket", { n: spot.ticket_cny }) : t("spot.free"),
  ].filter(Boolean);
  const must = el("button", { type: "button", class: "secondary", text: t("form.add_must", { name: spot.name }) });
  const avoid = el("button", { type: "button", class: "secondary", text: t("form.add_avoid", { name: spot.name }) });
  must.addEventListener("click", () => choose("must", spot.id));
  avoid.addEventListener("click", () => choose("avoid", spot.id));
  return el("li", { class: "card spot-card", "data-spot": spot.id },
    el("h4", { text: spot.name }),
    el("p", { text: facts.join(" · ") }),
    el("p", { class: "hours", text: hours }),
    el("div", { class: "actions" }, must, avoid));
}

function choose(list, id) {
  const other = list === "must" ? "avoid" : "must";
  state[other] = state[other].filter((x) => x !== id);
  if (!state[list].includes(id)) state[list].push(id);
  renderChosen();
}

function renderChosen() {
  for (const list of ["must", "avoid"]) {
    const ul = $(`${list}-list`);
    ul.replaceChildren();
    for (const id of state[list]) {
      const name = nameOf(id);
      const remove = el("button", { type: "button", class: "secondary", "aria-label": t("form.remove", { name }), text: "×" });
      remove.addEventListener("click", () => {
        state[list] = state[list].filter((x) => x !== id);
        renderChosen();
      });
      ul.append(el("li", { class: "chip", "data-spot": id }, name, remove));
    }
    if (!state[list].length) ul.append(el("li", { class: "hint", text: t("form.none") }));
  }
}

// ---------------------------------------------------------------- the request

function request() {
  const cities = {};
  let fixed = false;
  const chosen = [];
  for (const city of state.cities) {
    if (!$(`city-${city.id}`).checked) continue;
    chosen.push(city.id);
    const nights = $(`nights-${city.id}`).value;
    if (nights !== "") {
      cities[city.id] = Number(nights);
      fixed = true;
    }
  }
  const interests = {};
  for (const select of $("interests").querySelectorAll("select")) {
    if (select.value !== "") interests[select.name] = Number(select.value);
  }
  const body = {
    start_date: $("start-date").value,
    days: Number($("days").value),
    arrive: { place_id: $("arrive-place").value, time: $("arrive-time").value },
    depart: { place_id: $("depart-place").value, time: $("depart-time").value },
    cities: fixed ? Object.fromEntries(chosen.map((c) => [c, cities[c] ?? 0])) : chosen,
    interests,
    pace: $("pace").value,
    party: $("party").value,
    mode: $("mode").value,
    must_visit: state.must,
    avoid: state.avoid,
    evening: $("evening").checked,
    gateway_nights: $("gateway").checked,
    alternatives: Number($("alternatives").value),
    lang: lang(),
    time_limit_s: Number($("time-limit").value || 1),
  };
  if ($("budget").value !== "") body.budget_cny = Number($("budget").value);
  return body;
}

function progress(text) {
  const box = $("progress");
  box.textContent = text;
  box.hidden = !text;
}

async function plan(event) {
  event?.preventDefault();
  const button = $("plan-submit");
  showProblem($("problem"), null);
  button.disabled = true;
  try {
    const job = await api("/v1/plan-jobs", { method: "POST", body: request() });
    const done = await follow(job);
    if (done) await showItinerary(done, { main: true });
  } catch (e) {
    progress("");
    showProblem($("problem"), e);
  } finally {
    button.disabled = false;
  }
}

/** Polls the job until it ends; its itinerary id, or null when it failed. */
async function follow(job) {
  for (;;) {
    if (job.status === "queued") progress(t("job.queued", { ahead: job.ahead ?? 0 }));
    else if (job.status === "running") {
      progress(t("job.running", { score: job.best_score ?? "–", elapsed: (job.elapsed_s ?? 0).toFixed(1) }));
    } else if (job.status === "done") {
      progress(t("job.done", { score: job.best_score ?? "–", elapsed: (job.elapsed_s ?? 0).toFixed(1) }));
      return job.itinerary_id;
    } else if (job.status === "failed") {
      progress(t("job.failed", { error: job.error || "" }));
      return null;
    } else {
      progress(t("job.cancelled"));
      return null;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    job = await api(`/v1/plan-jobs/${job.id}`);
  }
}

// ---------------------------------------------------------------- the itinerary

async function showItinerary(id, { main = false } = {}) {
  const doc = await api(`/v1/itineraries/${id}`);
  if (main) {
    state.main = doc;
    state.alternatives = new Map();
    await Promise.all(
      doc.alternatives.map(async (a) => state.alternatives.set(a.id, await api(`/v1/itineraries/${a.id}`))),
    );
    history.replaceState(null, "", `/?itinerary=${doc.id}`);
  }
  state.shown = doc;
  await render();
  $("result").hidden = false;
  if (main) $("result-heading").focus();
}

function nightsText(summary) {
  return Object.entries(summary.nights_per_city)
    .filter(([, n]) => n > 0)
    .map(([city, n]) => t("result.nights", { city: nameOf(city), n }))
    .join(" · ");
}

function summaryText(doc) {
  const s = doc.summary;
  return t("result.summary", {
    days: doc.days.length, nights: nightsText(s), travel: s.travel_minutes,
    tickets: s.ticket_total_cny, transport: s.transport_cost_cny, score: s.score,
  });
}

async function render() {
  const doc = state.shown;
  if (!doc) return;
  const lines = [summaryText(doc)];
  if (doc.replanned_from) lines.push(t("result.replanned", { id: doc.replanned_from.slice(0, 8) }));
  $("result-summary").textContent = lines.join(" ");
  const warning = $("calendar-warning");
  warning.hidden = doc.summary.calendar !== "provisional";
  warning.textContent = warning.hidden ? "" : t("result.provisional", { dates: doc.summary.provisional_dates.join(", ") });
  renderAlternatives();
  renderDays(doc);
  renderUnvisited(doc);
  renderExports(doc);
  await renderMap(doc);
}

function renderAlternatives() {
  const main = state.main;
  const section = $("alternatives-section");
  const box = $("alternatives-list");
  box.replaceChildren();
  if (!main || !main.alternatives.length) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const takes = [{ variant: main.variant, id: main.id, doc: main }, ...main.alternatives.map((a) => ({
    variant: a.variant, id: a.id, doc: state.alternatives.get(a.id),
  }))];
  for (const take of takes) {
    if (!take.doc) continue;
    const s = take.doc.summary;
    const spots = Object.values(s.spots_per_city).reduce((a, b) => a + b, 0);
    const showing = state.shown && state.shown.id === take.id;
    const button = el("button", { type: "button", class: showing ? "" : "secondary", "aria-pressed": String(showing), text: showing ? t("result.viewing") : t("result.view") });
    button.addEventListener("click", async () => {
      state.shown = take.doc;
      await render();
    });
    const names = take.doc.days.map((d) => d.stops.filter((x) => x.kind === "spot").map((x) => nameOf(x.place_id, x.name)).join("、"));
    box.append(el("article", { class: "card alternative", "data-variant": take.variant },
      el("h4", { text: t(`variant.${take.variant}`) }),
      el("p", { text: t("alt.line", { score: s.score, travel: s.travel_minutes, tickets: s.ticket_total_cny, spots }) }),
      el("ol", {}, ...names.map((n, i) => el("li", { text: `${t("day.label", { n: i + 1 })}: ${n}` }))),
      button));
  }
}

function stopTime(stop) {
  const from = stop.start || stop.arrive || stop.depart;
  const to = stop.depart && stop.start ? stop.depart : null;
  return to ? `${hhmm(from)}–${hhmm(to)}` : hhmm(from);
}

function renderDays(doc) {
  const box = $("day-list");
  box.replaceChildren();
  const first = doc.first_day || 1;
  doc.days.forEach((day, i) => {
    const n = first + i;
    const ol = el("ol", { class: "timeline" });
    day.stops.forEach((stop, j) => {
      const name = nameOf(stop.place_id, stop.name);
      const li = el("li", { class: `stop stop-${stop.kind}`, "data-place": stop.place_id });
      if (stop.travel_minutes > 0 && stop.mode) {
        const leg = [t("leg.travel", { mode: t(`legmode.${stop.mode}`), minutes: stop.travel_minutes })];
        if (stop.service_code) leg.push(stop.service_code);
        if (stop.fare_cny) leg.push(t("leg.fare", { n: stop.fare_cny }));
        li.append(el("span", { class: "leg", text: `↓ ${leg.join(" · ")}` }));
      }
      li.append(el("span", { class: "time", text: stopTime(stop) }), el("span", { class: "kind", text: t(`stop.${stop.kind}`) }));
      if (PINNABLE.has(stop.kind)) {
        const id = `pin-${i}-${j}`;
        const box = el("input", { type: "checkbox", id, class: "pin", value: stop.place_id });
        li.append(el("label", { class: "inline", for: id }, box, el("span", { class: "visually-hidden", text: t("result.pin", { name }) }), el("span", { "aria-hidden": "true", text: name })));
      } else {
        li.append(el("span", { class: "name", text: name }));
      }
      if (stop.cost_cny) li.append(el("span", { class: "leg", text: t("leg.ticket", { n: stop.cost_cny }) }));
      ol.append(li);
    });
    const night = day.night_place_id
      ? t("day.night", { name: nameOf(day.night_place_id) })
      : t("day.last");
    box.append(el("article", { class: "day", "data-day": n },
      el("h3", { text: t("day.heading", { n, date: day.date }) }), ol,
      el("p", { class: "night-note", text: night })));
  });
}

function renderUnvisited(doc) {
  const ul = $("unvisited");
  ul.replaceChildren();
  const sameLang = doc.request.lang === lang();
  for (const u of doc.unvisited) {
    const name = nameOf(u.spot_id, u.name);
    const why = sameLang ? u.text : t(`reason.${u.reason}`);
    const li = el("li", { class: "card unvisited", "data-spot": u.spot_id },
      el("h4", { text: u.must_visit ? `${name}（${t("result.must")}）` : name }),
      el("p", { text: why }));
    if (u.suggestion) {
      const s = u.suggestion;
      li.append(el("p", { class: "suggestion", text: sameLang ? s.text : s.change.map((c) => t(`change.${c}`)).join(" + ") }));
      const button = el("button", { type: "button", class: "apply-suggestion", text: t("result.apply") });
      button.addEventListener("click", () => applySuggestion(s));
      li.append(button);
    }
    ul.append(li);
  }
  if (!doc.unvisited.length) ul.append(el("li", { class: "hint", text: t("result.none_unvisited") }));
}

function applySuggestion(s) {
  if (s.start_date) $("start-date").value = s.start_date;
  if (s.days) $("days").value = s.days;
  if (s.budget_cny != null) $("budget").value = s.budget_cny;
  if (s.gateway_nights != null) $("gateway").checked = s.gateway_nights;
  if (s.cities) {
    for (const city of state.cities) {
      $(`city-${city.id}`).checked = city.id in s.cities;
      $(`nights-${city.id}`).value = city.id in s.cities ? s.cities[city.id] : "";
    }
  }
  plan();
}

function renderExports(doc) {
  const base = `/v1/itineraries/${doc.id}`;
  $("exports").replaceChildren(
    ...[["ics", "result.ics"], ["geojson", "result.geojson"], ["html", "result.print"]].map(([ext, key]) =>
      el("li", {}, el("a", { href: `${base}.${ext}`, class: `export-${ext}`, text: t(key) }))),
  );
  $("share-url").value = `${location.origin}/?itinerary=${doc.id}`;
}

async function renderMap(doc) {
  const figure = $("map");
  const first = doc.first_day || 1;
  const days = doc.days.map((day, i) => {
    let number = 0;
    const label = t("day.label", { n: first + i });
    const stops = day.stops.map((s) => ({
      lon: s.lon, lat: s.lat, name: nameOf(s.place_id, s.name),
      number: s.kind === "spot" ? ++number : null,
    }));
    const last = day.stops[day.stops.length - 1];
    const night = day.night_place_id && last ? { lon: last.lon, lat: last.lat, name: nameOf(day.night_place_id) } : null;
    return { label, stops, night, spots: stops.filter((s) => s.number != null).map((s) => `${s.number}. ${s.name}`) };
  });
  const description = days.map((d, i) => t("map.day", { n: first + i, stops: d.spots.join(", ") })).join("; ");
  const svg = routeMap(await loadBoundaries(), days, {
    label: t("map.label", { days: days.map((d) => d.label).join(", ") }), description,
  });
  figure.replaceChildren(svg, legend(days));
}

async function replan() {
  const doc = state.shown;
  const pinned = [...new Set([...$("day-list").querySelectorAll("input.pin:checked")].map((b) => b.value))];
  showProblem($("problem"), null);
  progress(t("job.replanning"));
  $("replan").disabled = true;
  try {
    const next = await api(`/v1/itineraries/${doc.id}/replan`, { method: "POST", body: { pinned } });
    progress("");
    state.shown = next;
    await render();
    for (const box of $("day-list").querySelectorAll("input.pin")) box.checked = pinned.includes(box.value);
    $("result-heading").focus();
  } catch (e) {
    progress("");
    showProblem($("problem"), e);
  } finally {
    $("replan").disabled = false;
  }
}

async function copyShare() {
  const input = $("share-url");
  try {
    await navigator.clipboard.writeText(input.value);
    $("copy-status").textContent = t("result.copied");
  } catch {
    input.select();
    $("copy-status").textContent = t("result.copy_failed");
  }
}

// ---------------------------------------------------------------- start

function defaultDate() {
  const d = new Date(Date.now() + 14 * 86400e3);
  return d.toISOString().slice(0, 10);
}

async function relabel() {
  try {
    await loadReference();
  } catch (e) {
    showProblem($("problem"), e);
    return;
  }
  fillHubSelect($("arrive-place"), "cf_rail_chifeng");
  fillHubSelect($("depart-place"), "tl_rail_tongliao");
  renderCities();
  renderInterests();
  renderChosen();
  if ($("spot-search").value.trim()) await searchSpots();
  await render();
}

async function start() {
  initToggle($("lang-toggle"));
  $("start-date").value = defaultDate();
  let timer = 0;
  $("spot-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(searchSpots, 250);
  });
  $("plan-form").addEventListener("submit", plan);
  $("replan").addEventListener("click", replan);
  $("copy-share").addEventListener("click", copyShare);
  document.addEventListener("langchange", relabel);
  await relabel();
  document.body.dataset.ready = "true";
  const shared = new URLSearchParams(location.search).get("itinerary");
  if (shared && /^[0-9a-f]{32}$/.test(shared)) {
    try {
      await showItinerary(shared, { main: true });
    } catch (e) {
      showProblem($("problem"), e instanceof ProblemError ? e : new ProblemError({ detail: String(e) }, 0));
    }
  }
}

apply();
start();
