// Boot glue: start onnxruntime-web and the model session while Pyodide boots,
// define window.shipyard, and run predictions as
//   Python prepares feeds (sync) -> JS awaits session.run -> Python collects outputs (sync),
// or, for `predict` inputs that pass the checks Python planned (see `quickTensors`), JS alone.
// Validation, formatting and rendering are Python's: JS runs the checks Python hands it,
// and words no problem itself.
import * as ort from "./ort/ort.wasm.bundle.min.mjs";
import { gunzipped } from "./gunzip.mjs";

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

// onnxruntime-web's wasm comes gzipped: a quarter of the bytes from a host that does not compress.
// Threads only where the site asks for them (--threads) and the page is isolated: set
// either way, since an isolated page would otherwise get onnxruntime-web's own default.
ort.env.wasm.numThreads = crossOriginIsolated ? Number(document.documentElement.dataset.threads) : 1;
const session = gunzipped("./ort/ort-wasm-simd-threaded.wasm.gz").then((wasm) => {
  ort.env.wasm.wasmBinary = wasm.buffer;
  return ort.InferenceSession.create("./model.onnx");
}).then((s) => {
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

// Image inputs: a picture chosen, dropped or pasted is decoded here at its natural size;
// Python resizes and normalises it (images.py). Each key holds its latest ImageData.
const images = new Map();

async function decode(blob) {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

async function takeImage(zone, blob) {
  const key = zone.dataset.imageFor;
  const error = document.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
  try {
    const image = await decode(blob);
    images.set(key, image);
    const preview = zone.querySelector("canvas");
    [preview.width, preview.height] = [image.width, image.height];
    preview.getContext("2d").putImageData(image, 0, 0);
    preview.hidden = false;
    error.hidden = true;
  } catch {
    images.delete(key);
    error.textContent = `${blob.name ?? "The pasted data"} is not an image this browser can read`;
    error.hidden = false;
    return;
  }
  if (!document.getElementById("shipyard-run").disabled) zone.closest("form").requestSubmit();
}

const imageFile = (files) => [...files].find((file) => file.type.startsWith("image/"));
const zones = [...document.querySelectorAll("[data-image-for]")];
for (const zone of zones) {
  const input = zone.querySelector("input[type=file]");
  input.addEventListener("change", () => input.files[0] && takeImage(zone, input.files[0]));
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const file = imageFile(event.dataTransfer.files);
    if (file) takeImage(zone, file);
  });
}
// A pasted picture goes to the image input holding the focus, or else to the first one.
addEventListener("paste", (event) => {
  const file = imageFile(event.clipboardData?.files ?? []);
  const zone = zones.find((z) => z.contains(document.activeElement)) ?? zones[0];
  if (file && zone) {
    event.preventDefault();
    takeImage(zone, file);
  }
});

// `predict`'s inputs as Python reads them fastest: a picture (ImageData, a Blob or File)
// as {width, height, data}, and a float input's flat array of numbers, when too long to be
// packed with the others (Python's plan says), as its own typed array, which Python copies
// as one buffer, or with no hook to read it leaves in JS.
const app = JSON.parse(document.getElementById("shipyard-app").textContent);
const floatArrays = { float32: Float32Array, float64: Float64Array };
const formTypes = Object.fromEntries(Object.entries(app.fields ?? app.inputs).map(([key, spec]) => [key, spec.type]));

// Each typed array `typedNumbers` made for Python, with its least and greatest number.
const extents = new WeakMap();

// [typed array, least, greatest] for an array of numbers, or null if anything in it is not
// a number (NaN included: Python's path says which). The extent is found while converting:
// a loop of its own would cost a third more than the conversion.
function converted(Typed, values) {
  const typed = new Typed(values.length);
  let least = Infinity, greatest = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") return null;
    typed[i] = v;
    if (v < least) least = v;
    else if (!(v >= least)) return null;  // NaN
    if (v > greatest) greatest = v;
  }
  return [typed, least, greatest];
}

// The array as a typed array for Python, or itself if `converted` refuses it.
function typedNumbers(Typed, values) {
  const result = converted(Typed, values);
  if (result === null) return values;
  extents.set(result[0], result.slice(1));
  return result[0];
}

function extent(array) {
  let least = Infinity, greatest = -Infinity;
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (v < least) least = v;
    if (v > greatest) greatest = v;
    if (v !== v) return [NaN, NaN];
  }
  return [least, greatest];
}

// Whether every number in a float typed array is finite and within [low, high]: Python's
// check of a long float input that it leaves in JS (runtime/values.py's ForeignArray).
function within(array, low, high) {
  return fits(array, ...(extents.get(array) ?? extent(array)), low, high);
}

// Whether an array with this extent is finite and within [low, high], both as given and as
// rounded into the array (rounding keeps order, so the extent's rounding is the array's):
// Python checks a long array's values once rounded to the input's type (`within`), and
// a short one's as given (`quickTensors`).
function fits(array, least, greatest, low, high) {
  const round = array instanceof Float32Array ? Math.fround : Number;
  return Number.isFinite(least) && Number.isFinite(greatest) && least >= low && greatest <= high
    && round(least) >= low && round(greatest) <= high;
}

// [inputs, typed]: the float typed arrays apart, since Python may leave those in JS.
async function forPython(inputs) {
  const plain = {}, typed = {};
  await Promise.all(Object.entries(inputs).map(async ([key, value]) => {
    const image = value instanceof Blob ? await decode(value) : value;
    if (image instanceof ImageData) {
      plain[key] = { width: image.width, height: image.height, data: image.data };
      return;
    }
    const Typed = floatArrays[formTypes[key]];
    const numbers = Typed && Array.isArray(value) && value.length > plan.packedMax ? typedNumbers(Typed, value) : value;
    (numbers instanceof Float32Array || numbers instanceof Float64Array ? typed : plain)[key] = numbers;
  }));
  return [plain, typed];
}

// `predict` with no call into Python: onnxruntime-web's tensors made from the inputs as
// they are, when each passes the check Python planned for its input (runtime/values.py's
// `js_checks`): a number, or a flat array of them, of the input's kind, within its bounds
// and among its choices, if it has any; or a float typed array of the input's own type.
// Null for anything else (a key missing or unknown, NaN, a value out of range, nested
// lists, a picture): Python then checks every input and words the problem. JS only ever
// accepts here, never rejects.
const accepts = {
  float: (low, high) => (v) => typeof v === "number" && v >= low && v <= high,
  int: (low, high) => (v) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high,
  bool: () => (v) => typeof v === "boolean",
  string: () => (v) => typeof v === "string",
};
let quick;  // per model input: {name, type, dims, size, Typed, low, high, accept, loop}, or null

function quickSlots({ layout, checks }) {
  return checks && layout.map(([name, type, typed, dims], i) => {
    const [kind, low, high, choices] = checks[i];
    const test = accepts[kind](low, high);
    const accept = choices ? (v) => test(v) && choices.includes(v) : test;
    // A float input with no choices takes the loop that notes the extent: a picture's.
    const loop = kind === "float" && !choices ? "extent" : "each";
    return { name, type, dims, size: count(dims), Typed: globalThis[typed], low, high, accept, loop };
  });
}

function quickTensors(inputs) {
  if (Object.keys(inputs).length !== quick.length) return null;
  const tensors = {};
  for (const slot of quick) {
    const data = Object.hasOwn(inputs, slot.name) ? quickData(slot, inputs[slot.name]) : null;
    if (data === null) return null;
    tensors[slot.name] = new ort.Tensor(slot.type, data, slot.dims);
  }
  return tensors;
}

function quickData({ size, Typed, low, high, accept, loop }, value) {
  if (ArrayBuffer.isView(value)) {  // used as it is, as Python's ForeignArray would be
    return loop === "extent" && value instanceof Typed && value.length === size && within(value, low, high) ? value : null;
  }
  const items = Array.isArray(value) ? value : size === 1 ? [value] : null;
  if (items === null || items.length !== size) return null;
  if (loop === "each") return each(Typed, items, accept);
  const result = converted(Typed, items);
  return result !== null && fits(result[0], result[1], result[2], low, high) ? result[0] : null;
}

function each(Typed, items, accept) {
  const data = new Typed(items.length);
  const cast = Typed === BigInt64Array || Typed === BigUint64Array ? BigInt : null;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (!accept(v)) return null;
    data[i] = cast ? cast(v) : v;
  }
  return data;
}

let attach, fail;
let plan;  // Python's, once: where each model input sits in what it prepares, whether it postprocesses, its checks
const python = new Promise((resolve, reject) => { attach = resolve; fail = reject; }).then((page) => {
  plan = page.plan();
  quick = quickSlots(plan);
  loaded.python = true;
  showStage();
  return page;
});
// Python calls attach(page) once it is running, or fail(message) if it could not start.
window.shipyardBoot = {
  attach, fail: (message) => fail(new Error(message)), image: (key) => images.get(key), within,
};
// Fired when every Python script has finished: too late for one that never attached.
addEventListener("py:all-done", () => fail(new Error("Python stopped before the page was ready")));

const ready = Promise.all([session, python]).catch((error) => {
  throw new Error(`shipyard failed to load: ${error.message ?? error}`);
});

const count = (dims) => dims.reduce((a, b) => a * b, 1);

function toTensors(feeds) {
  return Object.fromEntries(feeds.map(([name, type, dims, data]) => [name, new ort.Tensor(type, data, dims)]));
}

// Python prepares a submission as [packed, own, run], or {error, problems, hook} if it cannot.
// Its tensors: views on the one packed buffer at the offsets of the plan's layout, and the
// inputs that travel on their own, in order.
function submitted([packed, own]) {
  let next = 0;
  return Object.fromEntries(plan.layout.map(([name, type, typed, dims, offset]) => {
    const data = typeof offset === "number" ? new globalThis[typed](packed.buffer, packed.byteOffset + offset, count(dims)) : own[next++];
    return [name, new ort.Tensor(type, data, dims)];
  }));
}

// `predict`'s result for a tensor, as Python's `Output.to_result` makes it: plain arrays,
// booleans for bool, and 64-bit integers as numbers up to 2^53 and BigInt past it.
function plainResult({ type, dims, data }) {
  const wide = type === "int64" || type === "uint64";
  const safe = (v) => (v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v);
  const values = Array.from(data, type === "bool" ? Boolean : wide ? safe : (v) => v);
  return { type, dims: [...dims], data: values };
}

const plainResults = (results) => Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, plainResult(tensor)]));

async function run(prepared, page, show) {
  if (!Array.isArray(prepared)) throw new Error(prepared.error);
  const [s] = await ready;
  const results = await s.run(submitted(prepared));
  if (!show && !plan.postprocess) return plainResults(results);  // nothing for Python to do: no second crossing
  const collected = await page.collect(results, show, prepared[2]);  // awaited: a hook may be async
  if (collected.error) throw new Error(collected.error);
  return collected.ok;
}

async function predict(inputs) {
  const [s, page] = await ready;
  const given = inputs ?? {};
  const tensors = quick && quickTensors(given);
  if (tensors) return plainResults(await s.run(tensors));
  return run(await page.prepare_api(...await forPython(given)), page, false);
}

// Once ready, while the visitor reads the form: see Python's `warm_up`.
async function warmUp(page) {
  const [s] = await ready;
  await s.run(submitted(page.warm_up())).catch(() => {});  // a model may refuse blank inputs
}

async function submit(event) {
  event.preventDefault();
  const [, page] = await ready;
  const prepared = await page.prepare_form();
  if (!Array.isArray(prepared)) {
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

// A CSV file's rows: Python reads and checks them and calls back to run the session.
async function predictCsv(text, show = false) {
  const [s, page] = await ready;
  const result = await page.predict_csv(text, (feeds) => s.run(toTensors(feeds)), show);
  if (result.error) throw new Error(result.error);
  return result.ok;
}

const batchFile = document.getElementById("shipyard-batch-file");
let download;
batchFile?.addEventListener("change", async () => {
  const file = batchFile.files[0];
  if (!file) return;
  const status = document.getElementById("shipyard-batch-status");
  status.textContent = `Predicting ${file.name}…`;
  URL.revokeObjectURL(download?.href);
  document.getElementById("shipyard-batch-result").replaceChildren();
  try {
    const { rows, csv } = await predictCsv(await file.text(), true);
    download = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })),
      download: file.name.replace(/(\.csv)?$/i, "-predictions.csv"),
      textContent: "Download the results as CSV",
    });
    status.replaceChildren(`${rows} rows predicted. `, download);
  } catch (error) {
    status.textContent = error.message;
  }
  batchFile.value = "";
});

window.shipyard = {
  ready: ready.then(() => undefined),
  predict,
  predictCsv: (text) => predictCsv(text),
  session,  // the onnxruntime-web InferenceSession, for embedders that call the model directly
  memory: async () => (await python).memory().toJs({ dict_converter: Object.fromEntries }),
};

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
  if (batchFile) batchFile.disabled = false;
  if (location.hash.length > 1 && page.fill_from_fragment(location.hash)) form.requestSubmit();
  else requestIdleCallback(() => warmUp(page).catch((error) => console.debug("warm-up skipped:", error)));
  status.dataset.state = "ready";
}, (error) => {
  status.textContent = error.message;
  status.dataset.state = "error";
});
