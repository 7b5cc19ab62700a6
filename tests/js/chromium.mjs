// Launches Debian's Chromium through playwright-core (no browser download), headless, quiet on a
// machine without outside network.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";

export const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);

export function launch() {
  if (!executablePath) throw new Error("no Chromium: run scripts/setup.sh --browser (installs Debian's chromium)");
  return chromium.launch({
    executablePath,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * For a test file: serves the repository's pages on 127.0.0.1, launches Chromium once, closes both
 * at the end. `open(path, viewport)` opens a page, waits for it to say it is ready, and collects
 * its errors; `output` is where screenshots go.
 */
export function pagesFixture({ before, after }) {
  const state = {};
  before(async () => {
    const { serve } = await import("../../www/server.mjs");
    const { mkdirSync } = await import("node:fs");
    ({ server: state.server, url: state.url } = await serve({ port: 0 }));
    state.browser = await launch();
    mkdirSync(output, { recursive: true });
  });
  after(async () => {
    await state.browser?.close();
    state.server?.close();
  });
  return {
    get url() {
      return state.url;
    },
    get browser() {
      return state.browser;
    },
    async open(path, viewport = { width: 1300, height: 950 }) {
      const page = await state.browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.setViewportSize(viewport);
      await page.goto(`${state.url}${path}`);
      await page.waitForSelector("body[data-ready=true]", { state: "attached" });
      return { page, errors };
    },
  };
}

export const output = new URL("./output/", import.meta.url).pathname;
