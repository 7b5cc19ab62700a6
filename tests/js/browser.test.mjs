// Headless Chromium: the shared vectors through the package's browser entry (byte for byte as
// native), and the storefront page driven as a shopper would, in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pagesFixture, output } from "./chromium.mjs";
import { loadVectors, check } from "./vector-files.mjs";

const pages = pagesFixture({ before, after });

test("shared vectors in headless Chromium, byte for byte as native", async () => {
  const { page: p, errors } = await pages.open("tests/js/browser-runner.html");
  const { files, policies } = loadVectors();
  const results = await p.evaluate(([f, pol]) => window.runVectors(f, pol), [files, policies]);
  check(assert, results, "chromium");
  // A new WebAssembly instance, started for real in the browser (the glue's __wbg_reset_state on
  // the same compiled wasm): engines made before it answer the same afterwards.
  const same = await p.evaluate(async ([policy, request]) => {
    const api = await import("/pkg/web.js");
    const engine = new api.PolicyEngine(policy);
    const before = engine.checkReturnJson(request);
    await api.restartInstance();
    return [before === engine.checkReturnJson(request), api.instanceRestarts()];
  }, [policies["sportswear-cn"], JSON.stringify(files.find((f) => f.name === "returns-acceptance.json").doc.base)]);
  assert.deepEqual(same, [true, 1]);
  // Requests as UTF-8 bytes answer as their text does: Chinese text (several bytes a character),
  // and a request longer than the wrapper's reused 16 KB buffer; bytes that are not UTF-8 are
  // refused as INVALID_JSON and the engine answers on.
  const bytes = await p.evaluate(async ([policy, request]) => {
    const api = await import("/pkg/web.js");
    const engine = new api.PolicyEngine(policy);
    const zh = JSON.parse(request);
    zh.order.lines[0].id = "鞋-行1";
    zh.items[0].line_id = "鞋-行1";
    const long = structuredClone(zh);
    for (let i = 0; i < 40; i++) long.order.lines.push({ ...zh.order.lines[0], id: `行${i}`, sku: "款".repeat(200) });
    const out = [];
    for (const r of [zh, long]) {
      const text = JSON.stringify(r);
      out.push(engine.checkReturnJson(new TextEncoder().encode(text)) === engine.checkReturnJson(text));
    }
    out.push(engine.checkReturn(zh).items[0].line_id);
    try {
      engine.checkReturnJson(new Uint8Array([0x7b, 0xff, 0x7d]));
      out.push("accepted");
    } catch (e) {
      out.push(e.code);
    }
    out.push(engine.checkReturn(zh).items[0].line_id);
    return out;
  }, [policies["sportswear-cn"], JSON.stringify(files.find((f) => f.name === "returns-acceptance.json").doc.base)]);
  assert.deepEqual(bytes, [true, true, "鞋-行1", "INVALID_JSON", "鞋-行1"]);
  assert.deepEqual(errors, []);
  await p.close();
});

test("storefront: a shopper asks in English and in Chinese", async () => {
  const { page: p, errors } = await pages.open("", { width: 1200, height: 900 });

  // The contract's sample: gold member, change of mind, 23 Nov → approve until 25 Nov 23:59.
  await p.selectOption("#order", "A1001");
  await p.selectOption("#reason", "changed_mind");
  await p.click("#check");
  await p.waitForSelector("#answer:not([hidden])");
  assert.equal(await p.textContent("#verdict"), "Yes, you can return this.");
  assert.match(await p.textContent("#deadline"), /Nov 25, 2026|25 Nov 2026/);
  assert.equal(await p.textContent("#shipping"), "you");
  await p.screenshot({ path: `${output}storefront.png`, fullPage: true });

  // 简体中文: the same decision, the page and the engine's messages in Chinese.
  await p.click("#lang-zh");
  assert.equal(await p.textContent("#verdict"), "可以退货。");
  assert.equal(await p.textContent("#check"), "查询");

  // A clearance line for change of mind: refused by the rule final-sale, message in Chinese.
  await p.selectOption("#order", "A1002");
  await p.uncheck("#line-L1");
  await p.check("#line-L2");
  await p.click("#check");
  assert.equal(await p.textContent("#verdict"), "抱歉，该退货申请无法受理。");
  const reasons = await p.textContent("#reasons");
  assert.match(reasons, /该商品不支持无理由退货（规则 final-sale）。/);
  assert.match(reasons, /REASON_EXCLUDED_BY_RULE/);
  await p.screenshot({ path: `${output}storefront-zh.png`, fullPage: true });

  // Back to English: the answer is asked again in the new language.
  await p.click("#lang-en");
  assert.match(await p.textContent("#reasons"), /This item cannot be returned as a change-of-mind return \(rule final-sale\)\./);
  assert.deepEqual(errors, []);
  await p.close();
});

test("storefront: an exchange into another size, the difference worked out by hand", async () => {
  const { page: p, errors } = await pages.open("", { width: 1200, height: 1000 });
  const total = (id) => p.getAttribute(`#total-${id}`, "data-amount").then(Number);
  const diff = async (line) => {
    const td = p.locator(`#exchange-${line} td:nth-child(3)`);
    // Intl writes the yuan "¥" or "CN¥" by the browser's locale data.
    return [await td.getAttribute("data-direction"), Number(await td.getAttribute("data-amount")), (await td.textContent()).replace("CN¥", "¥")];
  };

  // Order A1006 is the issue's: L1 shoes 59900, L2 tee 9900, order discount 5000 shared by
  // largest remainder (5000 × 59900 / 69800 = 4290.83 → 4291 to L1 with the unit left over,
  // 709 to L2): L1 paid 55609, L2 9191; card 65800. Delivered 19 Nov, asked 23 Nov: inside the
  // 7 days of a change of mind. Basis "paid": the shoes going back count at 55609.
  await p.selectOption("#order", "A1006");
  await p.selectOption("#reason", "changed_mind");
  assert.equal(await p.isVisible("#variant-L1"), false);
  await p.selectOption("#resolution", "exchange");
  assert.equal(await p.isVisible("#variant-L1"), true);

  // Into the 62900 colourway: the customer pays 62900 − 55609 = 7291.
  await p.selectOption("#variant-L1", "SHOE-42-GLD");
  await p.click("#check");
  await p.waitForSelector("#exchange:not([hidden])");
  assert.equal(await p.textContent("#verdict"), "Yes, you can exchange this.");
  assert.deepEqual(await diff("L1"), ["customer_pays", 7291, "you pay ¥72.91"]);
  assert.equal(await total("customer-pays"), 7291);
  assert.equal(await total("refund"), 0);
  assert.equal(await p.textContent("#shipping"), "you");
  assert.equal(await p.textContent("#exchange-L1 td:nth-child(4)"), "us");
  assert.equal(await p.textContent("#exchange-L1 td:nth-child(5)"), "after your return arrives");
  assert.match(await p.textContent("#reasons"), /you pay the difference of ¥72\.91\. EXCHANGE_PRICE_DIFFERENCE/);
  assert.match(await p.textContent("#reasons"), /EXCHANGE_SHIPPING/);
  assert.equal(await p.isVisible("#resolutions"), false);

  // Into the 49900 grey pair: 55609 − 49900 = 5709 back to the card.
  await p.selectOption("#variant-L1", "SHOE-43-GRY");
  await p.click("#check");
  assert.deepEqual(await diff("L1"), ["refund", 5709, "back to your payment ¥57.09"]);
  assert.equal(await total("refund"), 5709);
  assert.equal(await total("customer-pays"), 0);
  await p.screenshot({ path: `${output}storefront-exchange.png`, fullPage: true });

  // 简体中文: the same answer asked again, the engine's messages in Chinese.
  await p.click("#lang-zh");
  assert.equal(await p.textContent("#verdict"), "可以换货。");
  assert.deepEqual(await diff("L1"), ["refund", 5709, "原路退回 ¥57.09"]);
  assert.match(await p.textContent("#reasons"), /差价¥57\.09原路退回。/);
  assert.match(await p.locator("#variant-L1 option:checked").textContent(), /43码 上季灰色/);

  // Size 44 is out of stock: the brand's fallback is a refund of what was paid, 55609.
  await p.selectOption("#variant-L1", "SHOE-44");
  await p.click("#check");
  assert.equal(await p.textContent("#exchange-L1 td:nth-child(6)"), "改为退款");
  assert.equal(await total("fallback-refund"), 55609);
  assert.match(await p.textContent("#reasons"), /EXCHANGE_OUT_OF_STOCK/);
  await p.screenshot({ path: `${output}storefront-exchange-zh.png`, fullPage: true });

  // A1001, a gold member: a like-for-like size swap, no difference, the replacement ships ahead.
  await p.click("#lang-en");
  await p.selectOption("#order", "A1001");
  await p.selectOption("#variant-L1", "SHOE-43");
  await p.click("#check");
  assert.deepEqual(await diff("L1"), ["none", 0, "no difference"]);
  assert.equal(await p.textContent("#exchange-L1 td:nth-child(5)"), "now, before your return arrives");
  assert.match(await p.textContent("#reasons"), /ADVANCE_EXCHANGE/);

  // And the return check as before: asking for a refund hides the exchange.
  await p.selectOption("#resolution", "refund");
  await p.click("#check");
  assert.equal(await p.textContent("#verdict"), "Yes, you can return this.");
  assert.equal(await p.isVisible("#exchange"), false);
  assert.deepEqual(errors, []);
  await p.close();
});
