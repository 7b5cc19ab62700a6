// The service desk's warranty check in headless Chromium: the cases 2 (day 13: replace or
// repair) and 6 (water damage: a paid repair quoted at ¥470.00), in English and in Chinese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pagesFixture, output } from "./chromium.mjs";

const pages = pagesFixture({ before, after });

test("warranty desk: case 2 and case 6", async () => {
  const { page: p, errors } = await pages.open("warranty.html");

  // Case 2: electronics bought 10 Nov, fault 23 Nov (day 13): replace or repair, free.
  await p.fill("#purchase", "2026-11-10");
  await p.click("#check");
  assert.equal(await p.getAttribute("#remedies", "data-remedies"), "replace:free,repair:free");
  assert.equal(await p.textContent("#verdict"), "Covered by the warranty");

  // Case 6: bought 1 Mar, water damage: a paid repair, SCREEN-1 + 1.5 h = ¥470.00, to be confirmed.
  await p.fill("#purchase", "2026-03-01");
  await p.check("input[value=water]");
  await p.click("#check");
  assert.equal(await p.getAttribute("#remedies", "data-remedies"), "repair:paid");
  assert.equal(await p.getAttribute("#quote-total", "data-amount"), "47000");
  assert.match(await p.textContent("#reasons"), /QUOTE_REQUIRES_CONFIRMATION/);
  await p.click("#lang-zh");
  assert.equal(await p.textContent("#verdict"), "不在免费保修范围内");
  assert.match(await p.textContent("#reasons"), /因进水不在免费保修范围内/);
  assert.match(await p.textContent("#quote"), /工时：1\.5小时/);
  await p.screenshot({ path: `${output}warranty.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await p.close();
});
