// The SLA timeline page in headless Chromium: an overdue first response drawn as breached with
// escalation level 1, in English and in Chinese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pagesFixture, output } from "./chromium.mjs";

const pages = pagesFixture({ before, after });

test("SLA timeline: the enquiry of Fri 17:00 is overdue at Mon 10:01", async () => {
  const { page: p, errors } = await pages.open("sla.html", { width: 1400, height: 900 });
  assert.equal(await p.getAttribute("rect[data-stage=first_response]", "data-status"), "breached");
  assert.equal(await p.getAttribute("rect[data-stage=registration]", "data-status"), "met");
  assert.match(await p.textContent("tr[data-stage=first_response]"), /breached.*level 1 \(supervisor\)/);
  assert.match(await p.textContent("#reasons"), /SLA_BREACHED/);
  await p.click("#lang-zh");
  assert.match(await p.textContent("tr[data-stage=first_response]"), /首次响应.*已超时.*第1级/);
  assert.match(await p.textContent("#reasons"), /首次响应时限为2026年11月23日 10:00，已超时。/);
  await p.screenshot({ path: `${output}sla-timeline.png`, fullPage: true });
  await p.selectOption("#sample", { index: 2 });
  assert.equal(await p.getAttribute("rect[data-stage=refund_payout]", "data-status"), "pending");
  assert.deepEqual(errors, []);
  await p.close();
});
