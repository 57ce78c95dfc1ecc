// The page's boot: start onnxruntime-web and the model session while Pyodide boots, wire
// the form, and define window.shipyard once Python has attached its `Page`. The only
// module with effects of its own; the others take what they work on as arguments.
import { watchBatch } from "./batch.mjs";
import { gunzipped } from "./gunzip.mjs";
import { Extents } from "./numbers.mjs";
import { pageData } from "./page.mjs";
import { decode, watchPictures } from "./pictures.mjs";
import { predictor } from "./predict.mjs";
import { statusLine } from "./status.mjs";

const { names, threads, session: sessionOptions } = pageData(document);
const { files, ids, attributes, marks } = names;
const element = (id) => document.getElementById(id);
const status = statusLine(element(ids.status), attributes.state);
addEventListener("py:progress", ({ detail }) => status.stage(detail));

const ort = import(`./${files.ort}`);
const session = ort.then(async ({ env, InferenceSession }) => {
  // Threads only where the site asks for them (--threads) and the page is isolated: set
  // either way, since an isolated page would otherwise get onnxruntime-web's own default.
  env.wasm.numThreads = crossOriginIsolated ? threads : 1;
  env.wasm.wasmBinary = (await gunzipped(`./${files.ortWasm}`)).buffer;
  // The model's weights beside it (externalData), as the generator decided (shipyard/model/external.py).
  const started = await InferenceSession.create(`./${files.model}`, sessionOptions);
  status.loaded("model");
  return started;
});

// Each slider mirrors the number box beside it (the box alone carries the value).
for (const range of document.querySelectorAll(`input[type=range][${attributes.sliderFor}]`)) {
  const box = element(range.getAttribute(attributes.sliderFor));
  range.addEventListener("input", () => { box.value = range.value; });
  box.addEventListener("input", () => { range.value = box.value; });
}

const form = element(ids.form);
const runButton = element(ids.run);
const images = watchPictures(document, attributes, (zone) => {
  if (!runButton.disabled) zone.closest("form").requestSubmit();
});
const extents = new Extents();

// Python calls attach(page) once it is running, or fail(message) if it could not start.
let attach, fail;
const python = new Promise((resolve, reject) => { attach = resolve; fail = reject; }).then((page) => {
  const plan = page.plan();
  status.loaded("python");
  return { page, plan };
});
window.shipyardBoot = {
  attach,
  fail: (message) => fail(new Error(message)),
  image: (key) => images.get(key),
  within: (array, low, high) => extents.within(array, low, high),
};
// Fired when every Python script has finished: too late for one that never attached.
addEventListener("py:all-done", () => fail(new Error("Python stopped before the page was ready")));

const ready = Promise.all([ort, session, python]).then(([{ Tensor }, started, { page, plan }]) => ({
  page,
  paths: predictor({ Tensor, session: started, page, plan, decode, extents }),
}), (error) => {
  throw new Error(`shipyard failed to load: ${error.message ?? error}`);
});

window.shipyard = {
  ready: ready.then(() => undefined),
  predict: async (inputs) => (await ready).paths.predict(inputs),
  predictCsv: async (text) => (await ready).paths.predictCsv(text),
  session, // the onnxruntime-web InferenceSession, for embedders that call the model directly
  memory: async () => (await python).page.memory().toJs({ dict_converter: Object.fromEntries }),
};

ready.then(({ page, paths }) => {
  performance.mark(marks.ready); // for benchmarks and embedders measuring start-up
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    paths.submitForm();
  });
  for (const button of form.querySelectorAll(`[${attributes.example}]`)) {
    button.addEventListener("click", () => {
      page.fill_example(Number(button.getAttribute(attributes.example)));
      form.requestSubmit();
    });
    button.disabled = false;
  }
  runButton.disabled = false;
  const batch = { input: element(ids.batchFile), status: element(ids.batchStatus), result: element(ids.batchResult) };
  if (batch.input) watchBatch(batch, paths.predictCsv);
  if (location.hash.length > 1 && page.fill_from_fragment(location.hash)) form.requestSubmit();
  else requestIdleCallback(() => paths.warmUp().catch((error) => console.debug("warm-up skipped:", error)));
  status.ready();
}, (error) => status.failed(error.message));
