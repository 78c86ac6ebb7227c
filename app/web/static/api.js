// The public JSON API, as any client uses it: JSON in and out, RFC 9457 problems as errors.
// An optional API key (studio and stats pages) is kept in localStorage and sent as
// `Authorization: Bearer ...`; reads need none.

const KEY_STORE = "twinstars.key";

export function getKey() {
  try {
    return localStorage.getItem(KEY_STORE) || "";
  } catch {
    return "";
  }
}

export function setKey(key) {
  try {
    if (key) localStorage.setItem(KEY_STORE, key);
    else localStorage.removeItem(KEY_STORE);
  } catch {
    /* storage disabled: the key lasts for this page only */
  }
}

/** An RFC 9457 problem answered by the API (or a network failure, status 0). */
export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ProblemError";
    this.problem = problem;
    this.status = status;
  }
}

/** `path` with `params` (arrays repeat the name; null/undefined/"" are left out). */
export function url(path, params = {}) {
  const u = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== null && v !== undefined && v !== "") u.searchParams.append(name, String(v));
    }
  }
  return u.pathname + u.search;
}

/**
 * Fetch `path` (with `params`) and return its JSON. `body` is sent as JSON. A non-2xx
 * answer throws a ProblemError carrying the problem document.
 */
export async function api(path, { method = "GET", params, body, headers = {}, signal } = {}) {
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
      signal,
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ProblemError({ title: "Network error", detail: String(e.message || e) }, 0);
  }
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    const problem =
      typeof data === "object" && data ? data : { title: r.statusText, detail: String(data) };
    throw new ProblemError(problem, r.status);
  }
  return data;
}

/** Every page of a list endpoint (`{data, count}`), `limit` rows at a time. */
export async function all(path, params = {}, limit = 200) {
  const rows = [];
  for (let offset = 0; ; offset += limit) {
    const page = await api(path, { params: { ...params, limit, offset } });
    rows.push(...page.data);
    if (rows.length >= page.count || page.data.length === 0) return rows;
  }
}

/** Shows an error in `box` (an element with role="alert"): title, detail, field errors. */
export function showProblem(box, error) {
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  const problem = error.problem || { title: "Error", detail: String(error.message || error) };
  const title = document.createElement("strong");
  title.textContent = `${problem.title || "Error"}${error.status ? ` (${error.status})` : ""}`;
  box.append(title);
  if (problem.detail) {
    const p = document.createElement("p");
    p.textContent = problem.detail;
    box.append(p);
  }
  if (Array.isArray(problem.errors) && problem.errors.length) {
    const ul = document.createElement("ul");
    for (const e of problem.errors) {
      const li = document.createElement("li");
      li.textContent = `${(e.loc || []).join(".")}: ${e.msg}`;
      ul.append(li);
    }
    box.append(ul);
  }
  box.hidden = false;
}
