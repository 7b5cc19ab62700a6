// A Worker for scripts/runtimes-differential.mjs: POST {start, lines, policies} → the output
// lines of tests/js/answer-corpus.mjs for those corpus lines, answered inside workerd.
import * as api from "aftersales";
import wasm from "aftersales/aftersales_bg.wasm";
import { answerLines } from "answer-corpus.mjs";

api.initSync(wasm);
const engines = new Map(); // kept across requests: each policy text compiles once per isolate

export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST {start, lines, policies}\n");
    const { start, lines, policies } = await request.json();
    return Response.json(answerLines(api, lines, start, policies, engines));
  },
};
