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
