// ESLint for the page's JS (templates/), its unit tests (tests/js/) and the build's own JS
// (shipyard/model/ort_node.mjs, onnxruntime-web in Node): the recommended
// rules, plus a few that keep each module small and plain. Run through pytest
// (tests/js/test_node.py), or `npx eslint .` once `npm ci` has installed the tools.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", ".venv/", "build/", "dist/", "shipyard/vendor/"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      complexity: ["error", 10],
      "max-lines-per-function": ["error", { max: 50, skipBlankLines: true, skipComments: true }],
      "max-depth": ["error", 3],
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: "error",
      "no-self-compare": "error", // `v !== v` is a NaN test only where a comment says so
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all" }],
    },
  },
  { files: ["templates/**/*.{js,mjs}"], languageOptions: { globals: globals.browser } },
  {
    files: ["tests/js/**/*.mjs", "shipyard/model/*.mjs", "eslint.config.mjs"],
    languageOptions: { globals: globals.node },
  },
];
