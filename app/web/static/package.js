// One featured route: its title and description, the route on the two prefectures' map,
// each day's stops with times, the start dates it works on (provisional ones marked, the
// broken ones with their reasons folded away), the share card and every download.

import { api, showProblem } from "./api.js";
import { apply, register, t } from "./i18n.js";
import { legend, loadBoundaries, routeMap } from "./map.js";
import { cityName, clock, dateLabel, el, monthName, start, text, worksSummary } from "./market.js";

register({
  zh: {
    "package.loading": "精品线路",
    "package.map": "路线图",
    "package.share": "分享卡片",
    "package.share.caption": "微信分享卡片（1000×800）",
    "package.share.alt": "{title}的分享卡片：{days}日路线图、每日景点和分享页二维码",
    "package.days": "每日行程",
    "package.days.note": "时间按 {date} 出发计划；其他可行日期的时间可能略有不同。",
    "package.dates": "可出发日期",
    "package.downloads": "下载与分享",
    "package.facts": "{days}日 · {cities} · 季节 {start} 至 {end}",
    "package.day": "第 {n} 天",
    "package.night": "住宿：{name}",
    "package.last": "最后一天，行程结束",
    "package.leg": "{minutes} 分钟 {mode}",
    "package.provisional": "待定日期（当年放假安排尚未公布）：",
    "package.breaks": "{n} 个日期不可行（展开查看原因）",
    "package.breaks.none": "季内每个日期都可行。",
    "package.map.label": "{title}：{days} 天路线图",
    "package.map.desc": "赤峰与通辽两地轮廓上的每日路线，数字为景点顺序，方块为住宿。",
    "kind.hub": "出发/住宿", "kind.spot": "景点", "kind.meal": "午餐", "kind.transfer": "换城",
    "kind.evening": "夜游", "kind.start": "起点",
    "dl.geojson": "路线 GeoJSON",
    "dl.ics": "日历文件（.ics）",
    "dl.pdf": "打印版行程单（PDF）",
    "dl.wechat": "微信分享卡片（PNG）",
    "dl.xiaohongshu": "小红书笔记图（PNG）",
    "dl.douyin": "抖音/微博竖图（PNG）",
    "dl.share": "手机分享页",
  },
  en: {
    "package.loading": "Featured route",
    "package.map": "Route map",
    "package.share": "Share card",
    "package.share.caption": "WeChat share card (1000×800)",
    "package.share.alt": "Share card of {title}: the {days}-day route map, each day's sights and a QR code to the share page",
    "package.days": "Day by day",
    "package.days.note": "Times as planned for a start on {date}; other working dates may differ a little.",
    "package.dates": "Start dates",
    "package.downloads": "Downloads and sharing",
    "package.facts": "{days} days · {cities} · season {start} to {end}",
    "package.day": "Day {n}",
    "package.night": "Night: {name}",
    "package.last": "Last day, the trip ends",
    "package.leg": "{minutes} min by {mode}",
    "package.provisional": "Provisional (the year's holiday schedule is not published yet):",
    "package.breaks": "{n} dates do not work (open for the reasons)",
    "package.breaks.none": "Every date of the season works.",
    "package.map.label": "{title}: map of the {days}-day route",
    "package.map.desc": "Each day's route on the outlines of Chifeng and Tongliao; numbers are the sights in order, squares the nights.",
    "kind.hub": "Hub", "kind.spot": "Sight", "kind.meal": "Lunch", "kind.transfer": "Transfer",
    "kind.evening": "Evening", "kind.start": "Start",
    "dl.geojson": "Route as GeoJSON",
    "dl.ics": "Calendar file (.ics)",
    "dl.pdf": "Printable handout (PDF)",
    "dl.wechat": "WeChat share card (PNG)",
    "dl.xiaohongshu": "Xiaohongshu note image (PNG)",
    "dl.douyin": "Douyin / Weibo story image (PNG)",
    "dl.share": "Mobile share page",
  },
});

const id = location.pathname.split("/").filter(Boolean).pop();
const problem = document.getElementById("problem");
let pkg = null;
let outlines = null;

/** The map's days: every stop on the line, the sights numbered, the night's hotel area. */
export function mapDays(doc) {
  let number = 0;
  return doc.itinerary.days.map((day, i) => {
    const stops = day.stops
      .filter((s) => s.kind !== "meal")
      .map((s) => ({
        lon: s.lon,
        lat: s.lat,
        name: s.name,
        number: s.kind === "spot" ? ++number : null,
      }));
    const hotel = day.stops.find((s) => s.place_id === day.night_place_id);
    return {
      label: `${t("package.day", { n: i + 1 })} · ${day.date}`,
      stops,
      night: hotel ? { lon: hotel.lon, lat: hotel.lat, name: hotel.name } : null,
    };
  });
}

function stopItem(s) {
  const time = clock(s.start || s.arrive || s.depart);
  const leg =
    s.travel_minutes > 0 && s.mode
      ? el("span", {
          class: "leg",
          text: t("package.leg", { minutes: s.travel_minutes, mode: t(`mode.${s.mode}`) }),
        })
      : null;
  const until = s.start && s.depart ? `–${clock(s.depart)}` : "";
  return el(
    "li",
    { class: `stop-${s.kind}` },
    leg,
    el("span", { class: "time", text: `${time}${until}` }),
    el("span", { class: "kind", text: t(`kind.${s.kind}`) }),
    el("span", { class: "name", text: s.name }),
  );
}

function dayBlock(day, i) {
  const hotel = day.stops.find((s) => s.place_id === day.night_place_id);
  return el(
    "section",
    { class: "day", "aria-labelledby": `day-${i + 1}` },
    el("h3", { id: `day-${i + 1}`, text: `${t("package.day", { n: i + 1 })} · ${dateLabel(day.date)}` }),
    el("ol", { class: "timeline" }, ...day.stops.map(stopItem)),
    el("p", {
      class: "night-note",
      text: hotel ? t("package.night", { name: hotel.name }) : t("package.last"),
    }),
  );
}

/** Dates grouped by month: "June: 3, 4, 10 …". */
function dateList(dates, cls) {
  const months = new Map();
  for (const d of dates) {
    const key = d.slice(0, 7);
    if (!months.has(key)) months.set(key, []);
    months.get(key).push(d);
  }
  return el(
    "dl",
    { class: `date-list ${cls}` },
    ...[...months.entries()].flatMap(([key, days]) => [
      el("dt", { text: `${key.slice(0, 4)} ${monthName(Number(key.slice(5, 7)))}` }),
      el(
        "dd",
        {},
        ...days.map((d) => el("time", { datetime: d, text: String(Number(d.slice(8, 10))) })),
      ),
    ]),
  );
}

function downloads() {
  const base = `/v1/packages/${id}`;
  const links = [
    ["dl.share", `/p/${id}`],
    ["dl.pdf", `${base}.pdf`],
    ["dl.ics", `${base}.ics`],
    ["dl.geojson", `${base}.geojson`],
    ["dl.wechat", `${base}/posters/wechat.png`],
    ["dl.xiaohongshu", `${base}/posters/xiaohongshu.png`],
    ["dl.douyin", `${base}/posters/douyin.png`],
  ];
  return links.map(([key, href]) => el("li", {}, el("a", { href, text: t(key) })));
}

function render() {
  apply();
  if (!pkg) return;
  const title = text(pkg.title);
  document.title = `${title} · 双子星 Twin Stars`;
  const h1 = document.getElementById("page-title");
  h1.removeAttribute("data-i18n");
  h1.textContent = title;
  document.getElementById("description").textContent = text(pkg.description);
  document.getElementById("facts").textContent = t("package.facts", {
    days: pkg.days,
    cities: pkg.cities.map(cityName).join(" + "),
    start: pkg.season_start,
    end: pkg.season_end,
  });

  const days = mapDays(pkg);
  const map = document.getElementById("map");
  map.replaceChildren();
  if (outlines) {
    const svg = routeMap(outlines, days, {
      label: t("package.map.label", { title, days: pkg.days }),
      description: t("package.map.desc"),
    });
    map.append(svg, legend(days));
  }

  const poster = document.getElementById("poster");
  poster.alt = t("package.share.alt", { title, days: pkg.days });
  poster.src = `/v1/packages/${id}/posters/wechat.png`;

  document.getElementById("days-note").textContent = t("package.days.note", {
    date: pkg.itinerary.days[0].date,
  });
  document.getElementById("days").replaceChildren(...pkg.itinerary.days.map(dayBlock));

  const { works, provisional, breaks } = pkg.season;
  document.getElementById("works").textContent = worksSummary(pkg);
  document.getElementById("dates").replaceChildren(dateList(works, "works"));
  const prov = document.getElementById("provisional");
  prov.replaceChildren();
  if (provisional.length) {
    prov.append(el("p", { text: t("package.provisional") }), dateList(provisional, "provisional"));
  }
  const details = document.getElementById("breaks");
  document.getElementById("breaks-summary").textContent = breaks.length
    ? t("package.breaks", { n: breaks.length })
    : t("package.breaks.none");
  document.getElementById("breaks-list").replaceChildren(
    ...breaks.map((b) =>
      el(
        "li",
        {},
        el("time", { datetime: b.date, text: dateLabel(b.date) }),
        el(
          "ul",
          {},
          ...b.problems.map((p) =>
            el("li", { text: `${t("package.day", { n: p.day })}: ${p.text}` }),
          ),
        ),
      ),
    ),
  );
  details.hidden = false;
  document.getElementById("downloads").replaceChildren(...downloads());
}

async function load() {
  const loading = document.getElementById("loading");
  try {
    [pkg, outlines] = await Promise.all([api(`/v1/packages/${id}`), loadBoundaries()]);
    document.getElementById("package").hidden = false;
    loading.hidden = true;
  } catch (e) {
    loading.hidden = true;
    showProblem(problem, e);
  }
  render();
}

start(render);
load();
