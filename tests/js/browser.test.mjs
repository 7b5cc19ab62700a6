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
