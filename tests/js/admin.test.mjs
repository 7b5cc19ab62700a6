// The admin refund preview in headless Chromium: a hand-worked sequence of refunds on order
// R1001 (cases 2, 3 and 4 of the refund acceptance), recorded one after the other, in both
// languages, and the batch preview over all 1,000 orders; then issue 17 on its order (R1002,
// R1003) and on three items under "5000 off 30000" (R1004): refund only, return freight and its
// insurance, the threshold recomputed, the amount to recover after an inspection.
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

test("admin: refund only, return freight and its insurance on issue 17's order, as worked out by hand", async () => {
  const { page: p, errors } = await pages.open("admin.html", { width: 1400, height: 1100 });
  const fact = (key) => p.getAttribute(`#fact-${key}`, "data-value");
  const quote = async () => {
    await p.click("#quote");
    return amount(p, "row-total");
  };
  const pick = async (id, quantities) => {
    await p.fill("#search", id);
    await p.click(`#orders tbody tr[data-id=${id}]`);
    for (const [line, n] of Object.entries(quantities)) await p.fill(`#qty-${line}`, String(n));
  };

  // R1002: L1 shoes 59900, L2 T-shirt 9900, 5000 off by largest remainder (L1 5000 × 59900 /
  // 69800 = 4290.83, L2 709.17; the unit left to L1): L1 paid 55609, L2 9191; shipping 1000.
  // The carrier reports the parcel lost: everything paid comes back, 55609 + 9191 + 1000 = 65800,
  // and nothing is sent back.
  await pick("R1002", { L1: 1, L2: 1 });
  assert.equal(await p.isVisible("#cause"), false);
  await p.selectOption("#type", "refund_only");
  await p.selectOption("#cause", "lost");
  await p.check("#ev-carrier_status");
  assert.equal(await quote(), 65800);
  assert.equal(await amount(p, "row-shipping"), 1000);
  assert.equal(await fact("returnRequired"), "false");
  assert.equal(await fact("outcome"), "approve");
  assert.equal(await fact("evidenceMissing"), "");
  assert.match(await p.textContent("#result"), /REFUND_WITHOUT_RETURN/);

  // L2 missing from the parcel: 9191 without a return, the photo asked for; without it, review.
  await pick("R1002", { L2: 1 });
  await p.selectOption("#cause", "missing_items");
  await p.uncheck("#ev-carrier_status");
  assert.equal(await quote(), 9191);
  assert.equal(await fact("outcome"), "review");
  assert.equal(await fact("evidenceRequired"), "photo");
  assert.equal(await fact("evidenceMissing"), "photo");
  assert.match(await p.textContent("#fact-evidenceMissing"), /^Photo$/);
  assert.match(await p.textContent("#result"), /EVIDENCE_REQUIRED/);
  await p.check("#ev-photo");
  assert.equal(await quote(), 9191);
  assert.equal(await fact("outcome"), "approve");

  // Defective shoes sent back, the customer prepaid ¥12.00 freight, the cap is 1000: 1000
  // reimbursed as its own row, beside 55609 for the shoes and the shipping 1000 (merchant's
  // fault): 57609, to the card.
  await pick("R1002", { L1: 1 });
  await p.selectOption("#type", "return_and_refund");
  await p.selectOption("#reason", "defective");
  await p.fill("#freight-paid", "12.00");
  assert.equal(await quote(), 57609);
  assert.equal(await amount(p, "row-return-freight"), 1000);
  assert.equal(await fact("returnRequired"), "true");
  assert.equal(await fact("returnFreight"), "1000");
  assert.match(await p.textContent("#result"), /RETURN_FREIGHT/);

  // R1003 is the same order with freight insurance paying 800: the merchant reimburses
  // 1200 − 800 = 400, the insurer's 800 named and not in the total: 55609 + 1000 + 400 = 57009.
  await pick("R1003", { L1: 1 });
  assert.equal(await quote(), 57009);
  assert.equal(await fact("returnFreight"), "400");
  assert.equal(await fact("insurance"), "800");
  assert.match(await p.textContent("#result"), /FREIGHT_INSURANCE/);
  await p.screenshot({ path: `${output}admin-freight.png`, fullPage: true });

  // 简体中文: the lost parcel again.
  await p.click("#lang-zh");
  await pick("R1002", { L1: 1, L2: 1 });
  await p.selectOption("#type", "refund_only");
  await p.selectOption("#cause", "lost");
  await p.check("#ev-carrier_status");
  await p.fill("#freight-paid", "0");
  assert.equal(await quote(), 65800);
  assert.equal(await p.textContent("#fact-returnRequired"), "否");
  assert.equal(await p.textContent("label:has(#cause) > span"), "无需退货的原因");
  await p.screenshot({ path: `${output}admin-refund-only-zh.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await p.close();
});

test("admin: a threshold discount recomputed, and the amount to recover after an inspection", async () => {
  const { page: p, errors } = await pages.open("admin.html", { width: 1400, height: 1100 });
  const fact = (key) => p.getAttribute(`#fact-${key}`, "data-value");
  const pick = async (id, quantities) => {
    await p.fill("#search", id);
    await p.click(`#orders tbody tr[data-id=${id}]`);
    for (const [line, n] of Object.entries(quantities)) await p.fill(`#qty-${line}`, String(n));
  };

  // R1004: A, B, C at 10000, "5000 off 30000" (kind threshold) shared 1666.67 each: floors
  // 1666 × 3 = 4998, the two units left to A and B: 1667, 1667, 1666. A back for a change of
  // mind (no label): prorated 10000 − 1667 = 8333; B and C kept are 20000 < 30000, so their
  // shares 1667 + 1666 = 3333 are withheld: 8333 − 3333 = 5000.
  await pick("R1004", { A: 1 });
  await p.selectOption("#type", "return_and_refund");
  await p.selectOption("#reason", "changed_mind");
  await p.uncheck("#label");
  await p.click("#quote");
  assert.equal(await amount(p, "row-total"), 5000);
  assert.equal(await fact("withheld"), "3333");
  assert.match(await p.textContent("#result"), /Discount MJ50 recomputed: the items kept \((CN)?¥200\.00\) no longer reach its threshold of (CN)?¥300\.00 DISCOUNT_RECOMPUTED/);
  assert.match(await p.locator("#result tr", { hasText: "DISCOUNT_RECOMPUTED" }).textContent(), /-(CN)?¥33\.33/);
  assert.equal(await fact("release"), "on_request"); // R1004's customer is gold
  await p.screenshot({ path: `${output}admin-threshold.png`, fullPage: true });

  // Acceptance 13 on R1002 (L1 paid 55609, a gold member: released on request): L1 refunded
  // and recorded; the inspection then finds the tags removed, priced 20 %: 20 % of 55609 =
  // 11121.8, half up 11122 to recover.
  await pick("R1002", { L1: 1 });
  await p.click("#quote");
  assert.equal(await amount(p, "row-total"), 55609);
  assert.equal(await fact("release"), "on_request");
  await p.click("#record");
  await p.fill("#qty-L1", "1");
  await p.check("#inspect");
  await p.uncheck("#tags_attached");
  await p.click("#quote");
  assert.equal(await amount(p, "row-total"), 0);
  assert.equal(await amount(p, "row-recover"), 11122);
  assert.equal(await fact("recover"), "11122");
  assert.match(await p.textContent("#result"), /REFUND_RECOVERY/);
  assert.match(await p.textContent("#result"), /CONDITION_DEDUCTION/);
  await p.click("#lang-zh");
  assert.match(await p.textContent("#result"), /应向客户追回/);
  assert.match(await p.textContent("#fact-recover"), /¥111\.22/);
  await p.screenshot({ path: `${output}admin-recover-zh.png`, fullPage: true });
  await p.click("#record");
  assert.equal(await p.isDisabled("#record"), true);
  assert.deepEqual(errors, []);
  await p.close();
});
