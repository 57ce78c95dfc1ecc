// What tests/js/test_node.py prepares for these tests, found through the environment:
// onnxruntime-web's CPU bundle and wasm from shipyard's asset cache, and a JSON file of
// small ONNX models' paths, plans made by Python's `page_plan`, and Python's answers.
// Without them (`node --test` run by hand) the tests that need them skip: `skip` says why.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const { SHIPYARD_JS_FIXTURES: file, SHIPYARD_ORT: ortModule, SHIPYARD_ORT_WASM: ortWasm } = process.env;

export const skip = file && ortModule && ortWasm
  ? false
  : "needs the models, plans and onnxruntime-web that Python prepares: run `python -m pytest tests/js`";

export const fixtures = skip ? null : JSON.parse(readFileSync(file, "utf8"));

export const ort = skip ? null : await import(pathToFileURL(ortModule).href);
if (ort) {
  ort.env.wasm.wasmBinary = readFileSync(ortWasm);
  ort.env.wasm.numThreads = 1;
}

// The plan named `name` ("plain", "hooked" or "bounded") of a model, as JSON gives it.
export const plan = (model, name) => fixtures.plans[model][name];

// A value as Pyodide's to_js hands it to JS, where Python's None becomes undefined (JSON
// gives null): the page's JS must treat both alike.
export function likePyodide(value) {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(likePyodide);
  if (typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, likePyodide(v)]));
}

// `check(given)` as two tests, where `given(plan)` is the plan as JSON gives it or as
// Pyodide does; both skip without the fixtures.
export function withEitherPlan(name, check) {
  for (const [form, given] of [["JSON", (value) => value], ["Pyodide", likePyodide]]) {
    test(`${name} (the plan as ${form} gives it)`, { skip }, () => check(given));
  }
}

// A typed array of these numbers (BigInts for a 64-bit integer array, as Pyodide makes it).
const fromNumbers = (Typed, values) =>
  Typed === BigInt64Array || Typed === BigUint64Array ? Typed.from(values, BigInt) : Typed.from(values);

// Python's submission (test_node.py, `prepared_by_python`) as Pyodide converts it: the
// packed bytes a Uint8Array, each input that travels on its own the typed array of its
// plan input (a list of strings an Array).
export function asFromPython(answer, inputs) {
  if (answer.error !== undefined) return answer;
  const own = inputs.filter(({ offset }) => typeof offset !== "number");
  return {
    packed: Uint8Array.from(answer.packed),
    own: answer.own.map((values, n) => fromNumbers(globalThis[own[n].typed], values)),
    dims: answer.dims,
    run: answer.run,
  };
}

const sessions = new Map();

// onnxruntime-web's session for one of the fixtures' models, made once per test file.
export function session(model) {
  if (!sessions.has(model)) {
    sessions.set(model, ort.InferenceSession.create(readFileSync(fixtures.models[model])));
  }
  return sessions.get(model);
}

// A tensor's values as Python's lists hold them (bools as booleans, 64-bit integers as
// numbers), to compare with what Python expects.
export const held = ({ type, data }) =>
  Array.from(data, type === "bool" ? Boolean : (v) => (typeof v === "bigint" ? Number(v) : v));
