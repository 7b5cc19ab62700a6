// The built-in China calendar (`extends: "cn"`) against an independent dataset, npm's chinese-days
// (a devDependency used only here, as a test oracle): on every day of every year both cover, the
// engine and the oracle agree whether it is a working day. The engine answers through the npm
// package (is a Mon-Fri 09:00-18:00 calendar open at 10:00?); a year it answers with
// CALENDAR_DATA_MISSING is one it does not cover; a year the oracle lists no weekday holiday in is
// one it does not cover.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PolicyEngine } from "aftersales";
import oracle from "chinese-days";

const weekdays = ["mon", "tue", "wed", "thu", "fri"];
const policy = {
  schema: 1, id: "calendar-oracle", version: "1", currency: "CNY", timezone: "Asia/Shanghai",
  calendars: { office: { extends: "cn", hours: Object.fromEntries(weekdays.map((d) => [d, ["09:00-18:00"]])) } },
};

/** The dates of a year, YYYY-MM-DD. */
function days(year) {
  const out = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

test("the cn calendar agrees with chinese-days on every day of every year both cover", () => {
  const engine = new PolicyEngine(policy);
  const ask = (date) => engine.calendar({ calendar: "office", op: "is_open", from: `${date}T10:00:00+08:00` });
  const both = [];
  for (let year = 1999; year <= 2035; year += 1) {
    const ours = !ask(`${year}-06-01`).warnings.some((w) => w.code === "CALENDAR_DATA_MISSING");
    const theirs = oracle.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    if (ours && theirs) both.push(year);
  }
  // The engine's data runs from 2006 to 2026; the oracle's covers at least those.
  assert.ok(both.includes(2006) && both.includes(2026) && both.length >= 21, `years both cover: ${both}`);
  let compared = 0;
  const disagree = [];
  for (const year of both) {
    for (const date of days(year)) {
      const answer = ask(date);
      assert.deepEqual(answer.warnings, [], date);
      const theirs = oracle.isWorkday(date);
      compared += 1;
      if (answer.open !== theirs) disagree.push(`${date}: engine ${answer.open ? "works" : "off"}, chinese-days ${theirs ? "works" : "off"}`);
    }
  }
  assert.equal(compared, both.reduce((n, y) => n + days(y).length, 0));
  assert.deepEqual(disagree, [], `${disagree.length} of ${compared} days disagree (${both[0]}-${both.at(-1)})`);
});
