// The storefront entry (`aftersales/storefront`): the same API as the full entry, built with
// return eligibility only. Every other evaluator's method is present and throws a PolicyError
// whose `code` is `NOT_IN_THIS_BUILD` (its `path` names the method).
export * from "./index.js";
export { default } from "./index.js";
