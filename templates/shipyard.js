// The page's boot: fetch the site's files, checked and cached (files.mjs), the model
// session's first; start onnxruntime-web and the session while Pyodide boots; define
// window.shipyard, whose `predict` works as soon as the session does when the site's plan
// came with the page (a site without hooks), and otherwise once Python has attached its
// `Page`; wire the form once Python runs; or say which file is broken. The only module with
// effects of its own; the others take what they work on as arguments.
import { adapterOf, inTurn, openSession, turns } from "./backend.mjs";
import { watchBatch } from "./batch.mjs";
import { diagnose, fileCache, piecesOf, servingFetch, siteFiles, writesAfter } from "./files.mjs";
import { Extents } from "./numbers.mjs";
import { PAGE_DATA, pageData } from "./page.mjs";
import { picturePrep } from "./picture_prep.mjs";
import { decode, watchPictures } from "./pictures.mjs";
import { predictor } from "./predict.mjs";
import { keepSnapshot } from "./pyodide_start.mjs";
import { linkPython } from "./python_link.mjs";
import { statusLine } from "./status.mjs";
import { inSteps } from "./steps.mjs";
import { stdlibRest } from "./stdlib.mjs";
import { decoderWorker } from "./unbrotli.mjs";
import { pageView } from "./view.mjs";
import { watchdog } from "./watchdog.mjs";
import { keepForOffline, registerWorker } from "./worker.mjs";

const { names, threads, session: sessionOptions, manifest, plan: builtPlan, gpu, pythonModules, pythonWorker } = pageData(document);
const { files, ids, attributes, marks } = names;
const element = (id) => document.getElementById(id);
const status = statusLine(element(ids.status), attributes.state, element(ids.progress));
const isolating = threads > 1;
const HELD_WRITES = 64 * 2 ** 20; // bytes the page holds to keep once it runs, at most (files.mjs)
if (isolating) registerWorker(files.worker, true); // before anything loads: it may reload the page

// A failure: the first broken file, from what the page fetched or else checked anew.
let broken;
const stopped = new Promise((resolve, reject) => { broken = reject; });
const guard = watchdog({ stallMs: 5000, giveUpMs: 90000, diagnose: () => check(), fail: broken, stage: status.stageName });

// Every file the page fetches goes through `siteFiles`, Pyodide's and onnxruntime-web's too.
// The session's files come first, then the others: on a slow link the model is ready
// sooner, and Python, which needs all of them, no later.
const site = new URL("./", import.meta.url).href;
const browserFetch = globalThis.fetch.bind(globalThis);
const fetched = Object.keys(manifest).filter((path) => manifest[path].fetch && !manifest[path].later);
const sessionFiles = [files.ortWasm, files.model, files.modelData].filter((path) => manifest[path]?.fetch);
const pieces = fetched.flatMap((path) => piecesOf(manifest[path]));
status.expect(Object.fromEntries(pieces.map(({ path, size }) => [path, size])));
// The wasm files come brotli-compressed (shipyard/site/brotli.py), served unpacked: decoded
// in a worker as each arrives (`decoding`, below).
const unpack = (bytes, size) => (bytes.length === size ? bytes : decoding(bytes, size));
// What the page fetches is kept for the next visit once the page runs (`writesAfter`).
let pageStarted;
const keepable = new Promise((resolve) => { pageStarted = resolve; });
const siteCache = writesAfter(fileCache(globalThis.caches, site), keepable, HELD_WRITES);
const siteFetch = siteFiles({
  manifest, site, cache: siteCache, fetch: browserFetch, unpack,
  received: (path, bytes) => { status.received(path, bytes); guard.touch(); },
  failed: (error, path) => { if (!manifest[path].later) broken(error); }, // the page cannot start without it
});
globalThis.fetch = servingFetch(browserFetch, siteFetch, manifest, site);
// The decoder's worker starts at once, with its wasm, fetched first (and checked).
const decoding = decoderWorker({
  worker: new URL(`./${files.unbrotli}`, site),
  module: new URL(`./${files.brotli}`, site).href,
  wasm: fetch(`./${files.brotliWasm}`).then((response) => response.arrayBuffer()),
});
siteFetch.start(sessionFiles).then(() => siteFetch.start(fetched));
// (The rest of the stdlib is neither: it comes only for an import that needs it, stdlib.mjs;
// Python in a worker keeps it there, python_worker.mjs.)
const restOfStdlib = stdlibRest(fileCache(globalThis.caches, site, "stdlib "), pythonWorker ? null : manifest[files.stdlibRest]);
const loadedByBrowser = Object.keys(manifest).filter((path) => !manifest[path].fetch && path !== files.stdlibRest);
const check = async () => siteFetch.failures[0]
  ?? diagnose({ manifest, site, fetch: browserFetch, paths: loadedByBrowser });
addEventListener("py:progress", ({ detail }) => { status.stage(detail); guard.touch(); });
addEventListener("error", () => guard.suspect(), true); // a script or style that did not load, or an uncaught error
addEventListener("unhandledrejection", () => guard.suspect());

const ort = import(`./${files.ort}`);
const turn = turns(gpu); // every session's runs: see backend.mjs
const early = builtPlan?.fastPath === true; // `predict` needs no Python
const session = ort.then(async ({ env, InferenceSession }) => {
  // Threads only where the site asks for them (--threads) and the page is isolated: set
  // either way, since an isolated page would otherwise get onnxruntime-web's own default.
  env.wasm.numThreads = crossOriginIsolated ? threads : 1;
  env.wasm.wasmBinary = await siteFetch.takeUnpacked(files.ortWasm); // its bytes, not a Response to read again
  // The model's weights beside it (externalData), as the generator decided (shipyard/model/external.py).
  // On WebGPU where a --gpu site can and its first run agrees with wasm's (backend.mjs).
  const started = await openSession({
    InferenceSession, model: `./${files.model}`, options: sessionOptions, gpu,
    adapter: adapterOf(navigator), report: status.backend, turn,
  });
  status.loaded("model");
  guard.touch();
  return started;
});

// Each slider mirrors the number box beside it (the box alone carries the value).
for (const range of document.querySelectorAll(`input[type=range][${attributes.sliderFor}]`)) {
  const box = element(range.getAttribute(attributes.sliderFor));
  range.addEventListener("input", () => { box.value = range.value; });
  box.addEventListener("input", () => { range.value = box.value; });
}

const form = element(ids.form);
const view = pageView(document, names);
const runButton = element(ids.run);
const images = watchPictures(document, attributes, (zone) => {
  if (!runButton.disabled) zone.closest("form").requestSubmit();
});
const extents = new Extents();
let pictures; // the pictures onnxruntime-web prepares, once the plan names them

// Python calls attach(page) once it is running, or fail(message) if it could not start: on
// the page, through `window.shipyardBoot`; in a worker, through python_link.mjs.
let attach, fail;
const python = new Promise((resolve, reject) => { attach = resolve; fail = reject; }).then(async (page) => {
  status.loaded("python");
  guard.touch();
  return { page, plan: builtPlan ?? await page.plan() };
});
const pageText = document.getElementById(PAGE_DATA).textContent; // what Python reads of the page
let starting = null; // Python's start in steps, once begun (steps.mjs)
const yieldToPage = () => (globalThis.scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve)));
window.shipyardBoot = {
  data: pageText,
  site,
  attach,
  fail: (message) => fail(new Error(message)),
  image: (key) => images.get(key),
  formTensor: (key) => pictures.formTensor(key),
  within: (array, low, high) => extents.within(array, low, high),
  stdlibRest: restOfStdlib,
  inSteps: (step, modules, then) => { starting = inSteps({ step, names: modules, then, pause: yieldToPage, fail }); },
};
// Fired when every Python script on the page has finished: too late for one that never
// attached, or never began its steps. (A worker's failure comes through python_link.mjs.)
if (!pythonWorker) addEventListener("py:all-done", () => starting ?? fail(new Error("Python stopped before the page was ready")));

// The site's files the browser loaded itself (its modules and style) are checked too, from
// the browser's cache: a module whose bytes are not the build's fails the start even when
// it happens to run. Those loaded by now are checked at once, beside the session's start;
// those loaded later, by the time `predict` works, and the rest once Python runs (the last
// of them has come by then). Each check settles once those before it have, so that `predict`
// never works before every module it ran is checked. Once Python runs, the service worker
// keeps them all for visits with the network off.
const checked = new Set();
const loadedSoFar = () => {
  const requested = new Set(performance.getEntriesByType("resource").map((entry) => entry.name));
  return loadedByBrowser.filter((path) => requested.has(new URL(path, site).href));
};
let checks = Promise.resolve();
function checkLoaded() {
  const paths = loadedSoFar().filter((path) => !checked.has(path));
  paths.forEach((path) => checked.add(path));
  const cached = (url, init) => browserFetch(url, { ...init, cache: "force-cache" });
  const checking = diagnose({ manifest, site, fetch: cached, paths }).then((broken) => { if (broken) throw broken; });
  checks = Promise.all([checks, checking]);
  return checks;
}
checkLoaded().catch(() => {}); // what fails is the later checks' to report
const modules = python.then(loadedSoFar);

// A failure, explained once: `predict`'s and Python's starts both end in the same message.
let explanation;
const failed = (error) => (explanation ??= explain(error));
async function explain(error) {
  guard.stop();
  const cause = error.name === "SiteFileError" ? error : await guard.explain(error);
  throw new Error(`shipyard failed to load: ${cause.message ?? cause}`);
}

// The prediction paths, once the session and the plan are there: with the plan in the page
// (`early`), before Python, whose paths then wait for it; otherwise once Python runs.
const pythonPage = python.then(({ page }) => page);
const plan = builtPlan ? Promise.resolve(builtPlan) : python.then(({ plan: made }) => made);
const paths = Promise.all([ort, session, plan]).then(([{ Tensor, InferenceSession }, started, planned]) => {
  const create = (path) => InferenceSession.create(path).then((opened) => inTurn(opened, turn));
  pictures = picturePrep({ files: planned.pictures, create, Tensor, decode, images });
  return predictor({ Tensor, session: started, python: pythonPage, plan: planned, decode, extents, pictures, images, view });
});
const checkedFirst = async (made) => {
  await checkLoaded();
  return made;
};
const predictable = early ? Promise.race([paths.then(checkedFirst), stopped]).catch(failed) : paths;
const running = Promise.race([
  Promise.all([predictable, python, restOfStdlib.loaded]).then(async ([made, { page }]) => ({ page, paths: await checkedFirst(made) })),
  stopped,
]).catch(failed);
const predicting = early ? predictable : running.then(({ paths: made }) => made);
// Once the page runs and has set its marks (or has failed: what it checked is worth keeping too).
running.then(() => setTimeout(pageStarted), pageStarted);
// PyScript, and with it Pyodide's start: on an `early` site once `predict` works, never
// after a failure. On the page, Python's start holds the page's thread in long tasks, which
// would hold back the session's last steps and so `ready`, or a failure's message; in a
// worker, its modules and the files it asks for would still compete with the session's.
// Its fetched files are on the way meanwhile; its modules are preloaded now, all at once
// (PyScript would ask for Pyodide's only after its own), and not before: they too held the
// session back. They are checked before PyScript starts: a broken one is named at once,
// not after Python's start has run for seconds. In a worker, Python asks the page for its
// files and hands it its `Page` through python_link.mjs, whose hook PyScript calls as it
// makes the worker.
async function startPython() {
  const links = pythonModules.map((path) => Object.assign(document.createElement("link"), { rel: "modulepreload", href: `./${path}` }));
  const loaded = links.map((link) => new Promise((resolve) => { link.onload = link.onerror = resolve; }));
  document.head.append(...links);
  await Promise.all(loaded);
  await checkLoaded();
  const { hooks } = await import(`./${files.pyscript}`);
  if (pythonWorker) {
    linkPython(hooks, {
      data: pageText,
      attach: (page) => window.shipyardBoot.attach(page), // where Python's Page arrives, either way
      fail: (message) => fail(new Error(message)),
      fresh: () => keepSnapshot(names, site),
      restored: () => performance.mark(marks.restored),
      heard: () => guard.touch(),
      progress: (detail) => dispatchEvent(new CustomEvent("py:progress", { detail })), // as PyScript's own
    });
  }
}
(early ? predictable : Promise.resolve()).then(startPython).catch((error) => fail(error));

window.shipyard = {
  ready: predicting.then(() => undefined),
  python: running.then(() => undefined),
  predict: async (inputs) => (await predicting).predict(inputs),
  predictCsv: async (text) => (await predicting).predictCsv(text),
  session, // the onnxruntime-web InferenceSession, for embedders that call the model directly
  memory: async () => (await python).page.memory(),
  kept: () => siteCache.written(), // what the page fetched so far is in the browser's cache
};

predicting.then(() => performance.mark(marks.ready), () => {}); // for benchmarks and embedders

running.then(async ({ page, paths: made }) => {
  guard.stop();
  performance.mark(marks.python);
  siteFetch.keepOnly().catch(() => {}); // the files of an earlier deploy go
  if (!isolating) registerWorker(files.worker, false); // for the next visit, offline too
  modules.then((paths) => keepForOffline(site, paths));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    made.submitForm();
  });
  for (const button of form.querySelectorAll(`[${attributes.example}]`)) {
    button.addEventListener("click", async () => {
      view.fill(await page.example_texts(Number(button.getAttribute(attributes.example))));
      form.requestSubmit();
    });
    button.disabled = false;
  }
  runButton.disabled = false;
  const batch = { input: element(ids.batchFile), status: element(ids.batchStatus), result: element(ids.batchResult) };
  if (batch.input) watchBatch(batch, made.predictCsv);
  const linked = location.hash.length > 1 ? await page.fragment_texts(location.hash) : null;
  if (linked) {
    view.fill(linked);
    form.requestSubmit();
  } else requestIdleCallback(() => made.warmUp().catch((error) => console.debug("warm-up skipped:", error)));
  status.ready();
}, (error) => status.failed(error.message));
