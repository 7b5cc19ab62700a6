// Node, CommonJS: `const { PolicyEngine } = require("aftersales")`. The wasm is loaded
// synchronously when this module is first required.
"use strict";
const { createApi } = require("./gen/api.cjs");

// The glue instantiates the wasm when it is required; requiring it afresh starts a new instance.
const gluePath = require.resolve("./gen/node/aftersales.js");
function freshInstance() {
  delete require.cache[gluePath];
  return require(gluePath);
}

const api = createApi(require(gluePath), freshInstance);
exports.PolicyEngine = api.PolicyEngine;
exports.PolicyError = api.PolicyError;
exports.validatePolicy = api.validatePolicy;
exports.restartInstance = api.restartInstance;
exports.instanceRestarts = api.instanceRestarts;
