// What the demo pages share: the engine compiled once from a policy file, and the language
// switch (English / 简体中文). Pages hold no rules: every decision comes from the engine.
import init, { PolicyEngine } from "../pkg/web.js";

/** Loads the wasm, fetches a policy and compiles it: `{engine, policy}` (the policy as an object too). */
export async function loadEngine(policyUrl) {
  await init();
  const text = await (await fetch(policyUrl)).text();
  return { engine: new PolicyEngine(text), policy: JSON.parse(text) };
}

/** Writes every `[data-t]` element's text in `locale` and marks the pressed language button. */
export function applyTexts(UI, locale) {
  document.documentElement.lang = locale;
  document.querySelectorAll("[data-t]").forEach((el) => {
    const text = UI[locale][el.dataset.t];
    if (typeof text === "string") el.textContent = text;
  });
  document.querySelectorAll(".lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === locale)));
}

/** Calls `handler(locale)` when a language button is pressed. */
export function onLanguage(handler) {
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => handler(b.dataset.lang)));
}
