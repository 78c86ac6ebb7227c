// The marketers' studio: generate candidate packages (a job, its progress announced),
// compare them side by side, then per candidate edit its titles, pin or drop stops and
// re-optimise, clear its flags and publish it. Every write sends If-Match with the ETag
// of the candidate's last read or write; errors show the API's problem document.

import { showProblem } from "./api.js";
import { apply, lang, register, t } from "./i18n.js";
import {
  CATEGORIES,
  addDays,
  apiTagged,
  categoryName,
  cityName,
  el,
  keyForm,
  overlap,
  spotsOf,
  start,
  text,
} from "./market.js";

register({
  zh: {
    "studio.title": "线路工作室",
    "studio.generate": "生成候选线路",
    "studio.theme": "主题权重（0–5，1 为中性）",
    "studio.trip": "行程",
    "studio.days": "天数",
    "studio.start": "季节开始（首个出发日）",
    "studio.end": "季节结束（末个出发日）",
    "studio.count": "候选数量",
    "studio.time": "每条的求解时间（秒）",
    "studio.cities": "城市",
    "studio.submit": "生成",
    "studio.drafts": "载入我的草稿",
    "studio.candidates": "候选线路对比",
    "studio.queued": "已排队，等待规划…",
    "studio.running": "正在规划第 {done} / {total} 条…",
    "studio.done": "完成：生成 {made} 条候选线路（要求 {asked} 条）。",
    "studio.failed": "生成失败：{error}",
    "studio.drafts.loaded": "已载入 {n} 条草稿。",
    "studio.needs.key": "请先保存 API 密钥（营销或管理员）。",
    "studio.needs.city": "至少选择一个城市。",
    "c.status": "状态",
    "c.days": "天数",
    "c.spots": "景点",
    "c.works": "可行出发日",
    "c.provisional": "其中待定",
    "c.cities": "城市",
    "c.flags": "提醒",
    "c.overlap": "与其他候选的重合",
    "c.overlap.with": "与 {other}：{pct}%",
    "c.edit": "编辑标题",
    "c.title.zh": "中文标题",
    "c.title.en": "英文标题",
    "c.save": "保存标题",
    "c.stops": "景点：固定或去掉，然后重新优化",
    "c.pin": "固定",
    "c.drop": "去掉",
    "c.reoptimise": "重新优化",
    "c.publish": "发布",
    "c.unpublish": "改回草稿",
    "c.view": "查看线路页",
    "c.clear": "清除提醒",
    "c.saved": "已保存。",
    "c.published": "已发布。",
    "c.reoptimised": "已重新优化。",
    "c.cleared": "已清除提醒。",
    "c.working": "处理中…",
    "c.label": "候选 {n}",
    "overlap.caption": "候选之间的景点重合（Jaccard）",
  },
  en: {
    "studio.title": "Route studio",
    "studio.generate": "Generate candidate routes",
    "studio.theme": "Theme weights (0–5, 1 is neutral)",
    "studio.trip": "Trip",
    "studio.days": "Days",
    "studio.start": "Season starts (first start date)",
    "studio.end": "Season ends (last start date)",
    "studio.count": "Candidates",
    "studio.time": "Search time per candidate (s)",
    "studio.cities": "Cities",
    "studio.submit": "Generate",
    "studio.drafts": "Load my drafts",
    "studio.candidates": "Candidates side by side",
    "studio.queued": "Queued, waiting to plan…",
    "studio.running": "Planning {done} of {total}…",
    "studio.done": "Done: {made} candidates made ({asked} asked).",
    "studio.failed": "The generation failed: {error}",
    "studio.drafts.loaded": "{n} drafts loaded.",
    "studio.needs.key": "Save an API key first (marketer or admin).",
    "studio.needs.city": "Choose at least one city.",
    "c.status": "Status",
    "c.days": "Days",
    "c.spots": "Sights",
    "c.works": "Working start dates",
    "c.provisional": "of them provisional",
    "c.cities": "Cities",
    "c.flags": "Flags",
    "c.overlap": "Overlap with the others",
    "c.overlap.with": "with {other}: {pct}%",
    "c.edit": "Edit the titles",
    "c.title.zh": "Chinese title",
    "c.title.en": "English title",
    "c.save": "Save titles",
    "c.stops": "Sights: pin or drop, then re-optimise",
    "c.pin": "Pin",
    "c.drop": "Drop",
    "c.reoptimise": "Re-optimise",
    "c.publish": "Publish",
    "c.unpublish": "Back to draft",
    "c.view": "View the route page",
    "c.clear": "Clear flags",
    "c.saved": "Saved.",
    "c.published": "Published.",
    "c.reoptimised": "Re-optimised.",
    "c.cleared": "Flags cleared.",
    "c.working": "Working…",
    "c.label": "Candidate {n}",
    "overlap.caption": "Shared sights between the candidates (Jaccard)",
  },
});

const form = document.getElementById("generate");
const problem = document.getElementById("problem");
const progress = document.getElementById("progress");
const progressText = document.getElementById("progress-text");
const bar = document.getElementById("progress-bar");
const section = document.getElementById("candidates-section");
const box = document.getElementById("candidates");
/** The candidates compared: `{doc, etag, note}` in the order the job made them. */
let candidates = [];
let progressState = null;

function weights() {
  const grid = document.getElementById("weights");
  const kept = Object.fromEntries([...grid.querySelectorAll("input")].map((i) => [i.name, i.value]));
  grid.replaceChildren(
    ...CATEGORIES.map((c) =>
      el(
        "div",
        {},
        el("label", { for: `w-${c}`, text: categoryName(c) }),
        el("input", {
          type: "number",
          id: `w-${c}`,
          name: c,
          min: "0",
          max: "5",
          step: "0.5",
          value: kept[c] ?? "1",
        }),
      ),
    ),
  );
}

function showProgress() {
  if (!progressState) return;
  const { key, vars, done, total } = progressState;
  progress.hidden = false;
  progressText.textContent = t(key, vars);
  bar.max = Math.max(1, total);
  bar.value = done;
}

function setProgress(key, vars = {}, done = 0, total = 1) {
  progressState = { key, vars, done, total };
  showProgress();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function generate(e) {
  e.preventDefault();
  showProblem(problem, null);
  const cities = [...form.querySelectorAll("input[name=cities]:checked")].map((i) => i.value);
  if (!cities.length) {
    showProblem(problem, new Error(t("studio.needs.city")));
    return;
  }
  const theme = {};
  for (const input of document.querySelectorAll("#weights input")) {
    const v = Number(input.value);
    if (input.value !== "" && v !== 1) theme[input.name] = v;
  }
  const body = {
    theme,
    days: Number(form.days.value),
    season: { start: form.start.value, end: form.end.value },
    cities,
    count: Number(form.count.value),
    time_limit_s: Number(form.time_limit_s.value),
    lang: lang(),
  };
  const submit = document.getElementById("g-submit");
  submit.disabled = true;
  try {
    let { data: job } = await apiTagged("/v1/packages/generate", { method: "POST", body });
    setProgress("studio.queued", {}, 0, job.total);
    while (job.status !== "done" && job.status !== "failed") {
      await sleep(400);
      ({ data: job } = await apiTagged(`/v1/packages/jobs/${job.id}`));
      if (job.status === "running" || job.status === "queued") {
        const vars = { done: Math.min(job.done + 1, job.total), total: job.total };
        setProgress("studio.running", vars, job.done, job.total);
      }
    }
    if (job.status === "failed") {
      setProgress("studio.failed", { error: job.error || "" }, 0, job.total);
      return;
    }
    const { report } = job;
    setProgress("studio.done", { made: report.made, asked: report.asked }, job.total, job.total);
    candidates = await Promise.all(
      report.package_ids.map(async (id) => {
        const { data, etag } = await apiTagged(`/v1/packages/${id}`);
        return { doc: data, etag, note: null, error: null };
      }),
    );
    renderCandidates();
  } catch (err) {
    showProblem(problem, err);
  } finally {
    submit.disabled = false;
  }
}

async function loadDrafts() {
  showProblem(problem, null);
  try {
    const { data } = await apiTagged("/v1/packages", { params: { status: "draft", limit: 20 } });
    candidates = await Promise.all(
      data.data.map(async (doc) => {
        const { data: fresh, etag } = await apiTagged(`/v1/packages/${doc.id}`);
        return { doc: fresh, etag, note: null, error: null };
      }),
    );
    setProgress("studio.drafts.loaded", { n: candidates.length }, 1, 1);
    renderCandidates();
  } catch (err) {
    showProblem(problem, err);
  }
}

/** Sends a write for candidate `i` with If-Match; its answer (and ETag) replaces it. */
async function write(i, path, body, done, method = "PATCH") {
  const c = candidates[i];
  c.note = "c.working";
  c.error = null;
  renderCandidate(i);
  try {
    const { data, etag } = await apiTagged(path, {
      method,
      body,
      headers: { "If-Match": c.etag },
    });
    candidates[i] = { doc: data, etag, note: done, error: null };
  } catch (err) {
    c.note = null;
    c.error = err;
  }
  renderCandidate(i);
  renderOverlaps();
  const card = box.children[i];
  card?.querySelector(".candidate-note")?.focus();
}

function facts(c, i) {
  const doc = c.doc;
  const dl = el("dl");
  const row = (key, value) => dl.append(el("dt", { text: t(key) }), el("dd", { text: value }));
  row("c.status", t(`status.${doc.status}`));
  row("c.cities", doc.cities.map(cityName).join(" + "));
  row("c.days", String(doc.days));
  row("c.spots", String(spotsOf(doc).length));
  row("c.works", String(doc.season.works.length));
  row("c.provisional", String(doc.season.provisional.length));
  const others = candidates
    .map((o, j) => (j === i ? null : t("c.overlap.with", {
      other: t("c.label", { n: j + 1 }),
      pct: Math.round(overlap(doc, o.doc) * 100),
    })))
    .filter(Boolean);
  if (others.length) row("c.overlap", others.join("; "));
  return dl;
}

function titleForm(c, i) {
  const f = el("form", { class: "title-form" });
  const idZh = `t-zh-${i}`;
  const idEn = `t-en-${i}`;
  f.append(
    el("label", { for: idZh, text: t("c.title.zh") }),
    el("input", { type: "text", id: idZh, name: "zh", value: c.doc.title.zh, maxlength: "100", required: true }),
    el("label", { for: idEn, text: t("c.title.en") }),
    el("input", { type: "text", id: idEn, name: "en", value: c.doc.title.en, maxlength: "100", required: true }),
    el("div", { class: "actions" }, el("button", { type: "submit", text: t("c.save") })),
  );
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    const title = { zh: f.zh.value.trim(), en: f.en.value.trim() };
    write(i, `/v1/packages/${c.doc.id}`, { title }, "c.saved");
  });
  return el("details", { class: "edit" }, el("summary", { text: t("c.edit") }), f);
}

function stopsForm(c, i) {
  const f = el("form", { class: "stops-form" });
  const list = el("ul", { class: "stops" });
  for (const s of spotsOf(c.doc)) {
    const check = (kind) =>
      el(
        "label",
        { class: "inline" },
        el("input", { type: "checkbox", name: kind, value: s.place_id }),
        document.createTextNode(t(`c.${kind}`)),
        el("span", { class: "visually-hidden", text: ` ${s.name}` }),
      );
    list.append(
      el("li", {}, el("span", { class: "stop-name", text: s.name }), check("pin"), check("drop")),
    );
  }
  f.append(
    el("fieldset", {}, el("legend", { text: t("c.stops") }), list),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "secondary", text: t("c.reoptimise") })),
  );
  // A stop is pinned or dropped, not both.
  f.addEventListener("change", (e) => {
    const input = e.target;
    if (!input.checked) return;
    const other = input.name === "pin" ? "drop" : "pin";
    const twin = f.querySelector(`input[name=${other}][value="${CSS.escape(input.value)}"]`);
    if (twin) twin.checked = false;
  });
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    const picked = (name) => [...f.querySelectorAll(`input[name=${name}]:checked`)].map((x) => x.value);
    const body = { pinned: picked("pin"), drop: picked("drop"), time_limit_s: 1 };
    write(i, `/v1/packages/${c.doc.id}/reoptimise`, body, "c.reoptimised", "POST");
  });
  return f;
}

function flags(c, i) {
  if (!c.doc.flags.length) return null;
  const clear = el("button", { type: "button", class: "secondary", text: t("c.clear") });
  clear.addEventListener("click", () =>
    write(i, `/v1/packages/${c.doc.id}`, { clear_flags: true }, "c.cleared"),
  );
  return el(
    "div",
    { class: "warning flags" },
    el("strong", { text: t("c.flags") }),
    el("ul", {}, ...c.doc.flags.map((f) => el("li", { text: `${f.at.slice(0, 10)}: ${f.text}` }))),
    clear,
  );
}

function candidateCard(c, i) {
  const doc = c.doc;
  const headingId = `cand-${i}-title`;
  const card = el("article", {
    class: "card candidate",
    "aria-labelledby": headingId,
    "data-id": doc.id,
  });
  const badge = el("span", { class: `badge ${doc.status}`, text: t(`status.${doc.status}`) });
  const heading = el(
    "h3",
    { id: headingId },
    el("span", { class: "visually-hidden", text: `${t("c.label", { n: i + 1 })}: ` }),
    el("span", { class: "candidate-title", text: text(doc.title) }),
    badge,
  );
  const publish = el("button", {
    type: "button",
    text: t(doc.status === "published" ? "c.unpublish" : "c.publish"),
  });
  publish.addEventListener("click", () => {
    const status = doc.status === "published" ? "draft" : "published";
    write(i, `/v1/packages/${doc.id}`, { status }, status === "published" ? "c.published" : "c.saved");
  });
  const note = el("p", {
    class: "candidate-note",
    role: "status",
    tabindex: "-1",
    text: c.note ? t(c.note) : "",
  });
  const error = el("div", { class: "alert", role: "alert", hidden: true });
  if (c.error) showProblem(error, c.error);
  const parts = [
    heading,
    facts(c, i),
    flags(c, i),
    titleForm(c, i),
    stopsForm(c, i),
    el(
      "div",
      { class: "actions" },
      publish,
      el("a", { class: "button secondary", href: `/packages/${doc.id}`, text: t("c.view") }),
    ),
    note,
    error,
  ];
  card.append(...parts.filter(Boolean));
  return card;
}

function renderCandidate(i) {
  const old = box.children[i];
  const card = candidateCard(candidates[i], i);
  if (old) old.replaceWith(card);
  else box.append(card);
}

function renderOverlaps() {
  for (let i = 0; i < candidates.length; i++) {
    const card = box.children[i];
    const dl = card?.querySelector("dl");
    if (dl) dl.replaceWith(facts(candidates[i], i));
  }
}

function renderCandidates() {
  section.hidden = candidates.length === 0;
  box.replaceChildren(...candidates.map(candidateCard));
}

function render() {
  apply();
  weights();
  showProgress();
  if (candidates.length) renderCandidates();
}

// A summer season by default: the coming June to August (next year's once June has begun).
function defaultSeason() {
  const today = new Date().toISOString().slice(0, 10);
  let year = Number(today.slice(0, 4));
  if (today > `${year}-06-01`) year += 1;
  form.start.value = `${year}-06-01`;
  form.end.value = addDays(`${year}-06-01`, 91);
}

keyForm();
weights();
defaultSeason();
form.addEventListener("submit", generate);
document.getElementById("load-drafts").addEventListener("click", loadDrafts);
start(render);
