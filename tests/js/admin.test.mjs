// The admin refund preview in headless Chromium: a hand-worked sequence of refunds on order
// R1001 (cases 2, 3 and 4 of the refund acceptance), recorded one after the other, in both
// languages, and the batch preview over all 1,000 orders.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pagesFixture, output } from "./chromium.mjs";

const pages = pagesFixture({ before, after });

const amount = (p, id) => p.getAttribute(`#${id} td:last-child`, "data-amount").then(Number);

test("admin: refunds of R1001 one after another, as worked out by hand", async () => {
  const { page: p, errors } = await pages.open("admin.html", { width: 1400, height: 1000 });
  assert.equal(await p.locator("#orders tbody tr").count(), 1000);
  await p.fill("#search", "R1001");
  await p.click("#orders tbody tr[data-id=R1001]");

  // Case 2: one L1 unit, change of mind, our label: 57591 - 1200 = 56391, to card.
  await p.fill("#qty-L1", "1");
  await p.selectOption("#type", "return_and_refund");
  await p.selectOption("#reason", "changed_mind");
  await p.click("#quote");
  assert.equal(await amount(p, "row-total"), 56391);
  assert.match(await p.textContent("#payments"), /card (CN)?¥563\.91/);
  assert.match(await p.textContent("#result"), /RETURN_LABEL_FEE/);
  await p.click("#record");

  // Case 3: L2 defective: 9518 + shipping 1000 = 10518.
  await p.fill("#qty-L2", "1");
  await p.selectOption("#reason", "defective");
  await p.click("#quote");
  assert.equal(await amount(p, "row-total"), 10518);
  assert.equal(await amount(p, "row-shipping"), 1000);
  await p.click("#record");

  // Case 4: the second L1 unit, defective: 57591 = card 38791 + gift card 18800; in Chinese too.
  await p.fill("#qty-L1", "1");
  await p.selectOption("#reason", "defective");
  await p.click("#quote");
  assert.equal(await amount(p, "row-total"), 57591);
  assert.match(await p.textContent("#payments"), /card (CN)?¥387\.91 · gift_card (CN)?¥188\.00/);
  await p.click("#lang-zh");
  assert.match(await p.textContent("#payments"), /退回至: card ¥387\.91 · gift_card ¥188\.00/);
  assert.match(await p.textContent("#result"), /L1 ×1，按折后实付价/);
  await p.screenshot({ path: `${output}admin-refund.png`, fullPage: true });
  await p.click("#record");

  // Batch: every one of the 1,000 orders quoted in one call.
  await p.click("#batch");
  assert.equal(await p.getAttribute("#exposure", "data-count"), "1000");
  assert.ok(Number(await p.getAttribute("#exposure", "data-total")) > 0);
  assert.deepEqual(errors, []);
  await p.close();
});
