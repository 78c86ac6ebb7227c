// The traveller's Plan page (filled in by the Plan page work).
import { initToggle, register } from "./i18n.js";

register({
  zh: { "plan.title": "双子星 · 赤峰 + 通辽 行程规划", "nav.label": "页面" },
  en: { "plan.title": "Twin Stars · Chifeng + Tongliao trip planner", "nav.label": "Pages" },
});
initToggle(document.getElementById("lang-toggle"));
