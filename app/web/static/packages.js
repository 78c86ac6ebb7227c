// The published featured routes (精品线路), filtered by theme, days, city and month; each
// card links to its package page. The filters live in the address (?theme=...&days=...).

import { all, showProblem } from "./api.js";
import { apply, register, t } from "./i18n.js";
import {
  CATEGORIES,
  CITIES,
  categoryName,
  cityName,
  el,
  monthName,
  start,
  text,
  worksSummary,
} from "./market.js";

register({
  zh: {
    "packages.title": "精品线路",
    "filters.label": "筛选线路",
    "filters.theme": "主题",
    "filters.days": "天数",
    "filters.city": "城市",
    "filters.month": "出发月份",
    "filters.apply": "筛选",
    "filters.reset": "清除筛选",
    "packages.count": "共 {n} 条线路",
    "packages.none": "没有符合条件的线路。",
    "packages.meta": "{days}日 · {cities}",
  },
  en: {
    "packages.title": "Featured routes",
    "filters.label": "Filter the routes",
    "filters.theme": "Theme",
    "filters.days": "Days",
    "filters.city": "City",
    "filters.month": "Start month",
    "filters.apply": "Filter",
    "filters.reset": "Clear filters",
    "packages.count": "{n} routes",
    "packages.none": "No route matches these filters.",
    "packages.meta": "{days} days · {cities}",
  },
});

const form = document.getElementById("filters");
const list = document.getElementById("list");
const count = document.getElementById("count");
const problem = document.getElementById("problem");
const FIELDS = ["theme", "days", "city", "month"];
let packages = null;

function options(select, values, label) {
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "", text: t("any") }));
  for (const v of values) select.append(el("option", { value: String(v), text: label(v) }));
  select.value = chosen;
}

function fillFilters() {
  options(form.theme, CATEGORIES, categoryName);
  options(form.days, [1, 2, 3, 4, 5, 6, 7], (n) => t("days.n", { n }));
  options(form.city, CITIES, cityName);
  options(form.month, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], monthName);
}

function params() {
  const out = {};
  for (const name of FIELDS) if (form[name].value) out[name] = form[name].value;
  return out;
}

function card(pkg) {
  const link = el("a", { href: `/packages/${pkg.id}`, text: text(pkg.title) });
  const cities = pkg.cities.map(cityName).join(" + ");
  return el(
    "li",
    { class: "card package-card", "data-id": pkg.id },
    el("h2", {}, link),
    el("p", { class: "tagline", text: text(pkg.description) }),
    el("p", { class: "hint", text: t("packages.meta", { days: pkg.days, cities }) }),
    el("p", { class: "dates", text: worksSummary(pkg) }),
  );
}

function render() {
  apply();
  fillFilters();
  if (packages === null) return;
  list.replaceChildren(...packages.map(card));
  count.removeAttribute("data-i18n");
  count.textContent = packages.length
    ? t("packages.count", { n: packages.length })
    : t("packages.none");
}

async function load() {
  showProblem(problem, null);
  const wanted = params();
  const query = new URLSearchParams(wanted).toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  count.textContent = t("loading");
  try {
    packages = await all("/v1/packages", wanted, 50);
  } catch (e) {
    packages = [];
    showProblem(problem, e);
  }
  render();
}

fillFilters();
const initial = new URLSearchParams(location.search);
for (const name of FIELDS) if (initial.has(name)) form[name].value = initial.get(name);
form.addEventListener("submit", (e) => {
  e.preventDefault();
  load();
});
form.addEventListener("reset", () => setTimeout(load));
start(render);
load();
