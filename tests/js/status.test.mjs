// status.mjs: the texts the page's status line shows while it loads, once ready, on failure.
import assert from "node:assert/strict";
import { test } from "node:test";
import { statusLine } from "../../templates/status.mjs";

// Node has no DOM: the status line only sets an element's text and one attribute.
function element() {
  return {
    textContent: "",
    attributes: {},
    setAttribute(name, value) {
      this.attributes[name] = value;
    },
    getAttribute(name) {
      return this.attributes[name] ?? null;
    },
  };
}

test("shows what is still loading, then Ready", () => {
  const shown = element();
  const status = statusLine(shown, "data-state");
  assert.equal(shown.textContent, "Loading the model · Python: starting…");
  status.stage("Loading interpreter");
  assert.equal(shown.textContent, "Loading the model · Python: Loading interpreter…");
  status.loaded("model");
  assert.equal(shown.textContent, "Model loaded · Python: Loading interpreter…");
  status.loaded("python");
  assert.equal(shown.textContent, "Ready");
  assert.deepEqual(shown.attributes, {});
  status.ready();
  assert.equal(shown.textContent, "Ready");
  assert.deepEqual(shown.attributes, { "data-state": "ready" });
});

test("Python may be ready before the model", () => {
  const shown = element();
  const status = statusLine(shown, "data-state");
  status.loaded("python");
  assert.equal(shown.textContent, "Loading the model · Python ready…");
  status.stage("Loaded Pyodide"); // a late stage no longer shows
  assert.equal(shown.textContent, "Loading the model · Python ready…");
});

test("a failure replaces the text with its message and marks the error", () => {
  const shown = element();
  const status = statusLine(shown, "data-state");
  status.loaded("model");
  status.failed("shipyard failed to load: Python stopped before the page was ready");
  assert.equal(shown.textContent, "shipyard failed to load: Python stopped before the page was ready");
  assert.deepEqual(shown.attributes, { "data-state": "error" });
});

test("a failure the rescue showed before the page's own status line stays", () => {
  const shown = element();
  shown.textContent = "shipyard failed to load: gunzip.mjs is broken: missing (404 Not Found)";
  shown.setAttribute("data-state", "error");
  const status = statusLine(shown, "data-state");
  status.expect({ "model.onnx": 1000 });
  status.received("model.onnx", 500);
  status.loaded("model");
  assert.equal(shown.textContent, "shipyard failed to load: gunzip.mjs is broken: missing (404 Not Found)");
  assert.deepEqual(shown.attributes, { "data-state": "error" });
});

test("once ready, a line on what runs the model follows, and changes when the backend does", () => {
  const shown = element();
  const status = statusLine(shown, "data-state");
  status.backend("Running on the GPU (WebGPU), checked on the first run");
  assert.equal(shown.textContent, "Loading the model · Python: starting…");
  status.loaded("model");
  status.loaded("python");
  assert.equal(shown.textContent, "Ready · Running on the GPU (WebGPU), checked on the first run");
  status.backend("Running on the CPU: WebGPU's outputs differ from the CPU's (y[0] is 1 on the GPU, 2 on the CPU)");
  assert.equal(shown.textContent, "Ready · Running on the CPU: WebGPU's outputs differ from the CPU's (y[0] is 1 on the GPU, 2 on the CPU)");
});
