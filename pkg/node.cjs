// Node, CommonJS: `const { PolicyEngine } = require("aftersales")`. The wasm is loaded
// synchronously when this module is first required.
"use strict";
const glue = require("./gen/node/aftersales.js");
const { createApi } = require("./gen/api.cjs");

const api = createApi(glue);
exports.PolicyEngine = api.PolicyEngine;
exports.PolicyError = api.PolicyError;
exports.validatePolicy = api.validatePolicy;
