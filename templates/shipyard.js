// Boot glue: start onnxruntime-web and the model session while Pyodide boots,
// define window.shipyard, and run predictions as
//   Python prepares feeds (sync) -> JS awaits session.run -> Python collects outputs (sync).
// Validation, formatting and rendering are Python's; this file only awaits.
import * as ort from "./ort/ort.wasm.bundle.min.mjs";

const status = document.getElementById("shipyard-status");
const loaded = { model: false, python: false };
let pythonStage = "starting";
function showStage() {
  const { model, python } = loaded;
  status.textContent = model && python ? "Ready" : [
    model ? "Model loaded" : "Loading the model",
    python ? "Python ready" : `Python: ${pythonStage}`,
  ].join(" · ") + "…";
}
// PyScript reports its stages ("Loading interpreter", "Loaded Pyodide", ...) as events.
addEventListener("py:progress", ({ detail }) => { pythonStage = detail; showStage(); });
showStage();

const session = ort.InferenceSession.create("./model.onnx").then((s) => {
  loaded.model = true;
  showStage();
  return s;
});

// Each slider mirrors the number box beside it (the box alone carries the value).
for (const range of document.querySelectorAll("input[type=range][data-for]")) {
  const box = document.getElementById(range.dataset.for);
  range.addEventListener("input", () => { box.value = range.value; });
  box.addEventListener("input", () => { range.value = box.value; });
}

let attach, fail;
const python = new Promise((resolve, reject) => { attach = resolve; fail = reject; }).then((page) => {
  loaded.python = true;
  showStage();
  return page;
});
// Python calls attach(page) once it is running, or fail(message) if it could not start.
window.shipyardBoot = { attach, fail: (message) => fail(new Error(message)) };
// Fired when every Python script has finished: too late for one that never attached.
addEventListener("py:all-done", () => fail(new Error("Python stopped before the page was ready")));

const ready = Promise.all([session, python]).catch((error) => {
  throw new Error(`shipyard failed to load: ${error.message ?? error}`);
});

function toTensors(feeds) {
  return Object.fromEntries(feeds.map(([name, type, dims, data]) => [name, new ort.Tensor(type, data, dims)]));
}

async function run(prepared, page, show) {
  if (prepared.error) throw new Error(prepared.error);
  const [s] = await ready;
  const results = await s.run(toTensors(prepared.feeds));
  const collected = await page.collect(results, show, prepared.run);  // awaited: a hook may be async
  if (collected.error) throw new Error(collected.error);
  return collected.ok;
}

async function predict(inputs) {
  const [, page] = await ready;
  return run(await page.prepare_api(inputs ?? {}), page, false);
}

async function submit(event) {
  event.preventDefault();
  const [, page] = await ready;
  const prepared = await page.prepare_form();
  if (prepared.error) {
    if (prepared.hook) page.show_error(prepared.error);  // a traceback from the user's preprocess
    return;
  }
  history.replaceState(null, "", `#${page.form_fragment()}`);  // a link that reproduces this run
  try {
    await run(prepared, page, true);
  } catch (error) {
    page.show_error(String(error.message ?? error));
  }
}

window.shipyard = { ready: ready.then(() => undefined), predict };

ready.then(([, page]) => {
  performance.mark("shipyard-ready");  // for benchmarks and embedders measuring start-up
  const form = document.getElementById("shipyard-form");
  form.addEventListener("submit", submit);
  for (const button of form.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      page.fill_example(Number(button.dataset.example));
      form.requestSubmit();
    });
    button.disabled = false;
  }
  document.getElementById("shipyard-run").disabled = false;
  if (location.hash.length > 1 && page.fill_from_fragment(location.hash)) form.requestSubmit();
  status.dataset.state = "ready";
}, (error) => {
  status.textContent = error.message;
  status.dataset.state = "error";
});
