// zh/en strings and the language toggle. The choice is remembered (localStorage), set as
// <html lang>, and passed to the API as `lang`, so names from the API follow it.
// Elements name their string with data-i18n="key" (text), data-i18n-label="key"
// (aria-label) or data-i18n-placeholder="key"; `t(key, vars)` gives one in code.

const LANG_STORE = "twinstars.lang";
const strings = { zh: {}, en: {} };

strings.zh = {
  "lang.toggle": "English",
  "lang.toggle.label": "Switch to English",
  "skip": "跳到主要内容",
  "nav.plan": "规划行程",
  "nav.packages": "精品线路",
  "nav.docs": "API 文档",
  "loading": "加载中…",
};
strings.en = {
  "lang.toggle": "中文",
  "lang.toggle.label": "切换到中文",
  "skip": "Skip to main content",
  "nav.plan": "Plan a trip",
  "nav.packages": "Featured routes",
  "nav.docs": "API docs",
  "loading": "Loading…",
};

/** Adds a page's own strings: `{zh: {...}, en: {...}}`. */
export function register(more) {
  for (const lang of Object.keys(strings)) Object.assign(strings[lang], more[lang] || {});
}

function stored() {
  try {
    return localStorage.getItem(LANG_STORE);
  } catch {
    return null;
  }
}

let current = stored() === "en" ? "en" : "zh";

export function lang() {
  return current;
}

/** The string `key` in the current language, `{name}` replaced from `vars`. */
export function t(key, vars = {}) {
  const text = strings[current][key] ?? strings.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Puts every data-i18n string of `root` in the current language. */
export function apply(root = document) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  }
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.setAttribute("title", t(el.dataset.i18nTitle));
  }
}

export function setLang(next) {
  current = next === "en" ? "en" : "zh";
  try {
    localStorage.setItem(LANG_STORE, current);
  } catch {
    /* not remembered */
  }
  apply();
  document.dispatchEvent(new CustomEvent("langchange", { detail: current }));
}

/** Makes `button` the zh/en toggle (its text names the other language). */
export function initToggle(button) {
  button.dataset.i18n = "lang.toggle";
  button.dataset.i18nLabel = "lang.toggle.label";
  button.addEventListener("click", () => setLang(current === "zh" ? "en" : "zh"));
  apply();
}
