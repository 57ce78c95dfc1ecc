// Predictions, as Python prepares a submission -> JS awaits session.run -> Python collects
// the outputs, or, for `predict` inputs that pass the checks Python planned, JS alone
// (fastpath.mjs). Python words every problem; JS passes its words on. Every call into
// Python is awaited, and takes and gives plain data.
import { fastSlots, fastTensors } from "./fastpath.mjs";
import { count } from "./numbers.mjs";

// `predict`'s result for a tensor, as Python's `Output.to_result` makes it: plain arrays,
// booleans for bool, and 64-bit integers as numbers up to 2^53 and BigInt past it.
export function plainResult({ type, dims, data }) {
  const wide = type === "int64" || type === "uint64";
  const safe = (v) => (v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v);
  const values = Array.from(data, type === "bool" ? Boolean : wide ? safe : (v) => v);
  return { type, dims: [...dims], data: values };
}

export const plainResults = (results) =>
  Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, plainResult(tensor)]));

// The tensors of a submission Python prepared (runtime/browser.py, `_submission`): views on
// its packed buffer at the offsets of the plan's inputs, and the inputs that travel on
// their own, in order, each in the plan's dims or, where its value sets them, its own.
// Without a packed buffer (a batch of several rows), every input travels on its own.
export function submitted(inputs, { packed, own, dims: ownDims }, Tensor) {
  let next = 0;
  return Object.fromEntries(inputs.map(({ name, type, typed, dims, offset }) => {
    if (packed && typeof offset === "number") { // Python's None arrives as undefined
      const view = new globalThis[typed](packed.buffer, packed.byteOffset + offset, count(dims));
      return [name, new Tensor(type, view, dims)];
    }
    const at = next++;
    return [name, new Tensor(type, own[at], dims ?? ownDims[at])];
  }));
}

// `predict`'s inputs as Python reads them fastest: a picture (ImageData, a Blob or File)
// as {width, height, data}, a float input's tensor {dims, data} with its data a typed
// array, and a float input's flat array of numbers, when too long to be packed with the
// others, as its own typed array, which Python copies as one buffer or, with no hook to
// read it, leaves in JS. Returns [inputs, typed arrays].
async function forPython(inputs, plan, decode, extents) {
  const plain = {};
  const typed = {};
  await Promise.all(Object.entries(inputs).map(async ([key, value]) => {
    const image = value instanceof Blob ? await decode(value) : value;
    const [kind, given] = image instanceof ImageData
      ? ["plain", { width: image.width, height: image.height, data: image.data }]
      : numbersFor(globalThis[plan.floatArrays[key]], value, plan.packedMax, extents);
    (kind === "typed" ? typed : plain)[key] = given;
  }));
  return [plain, typed];
}

// A value for a float input of this `Typed` array: a tensor's data as a typed array, or a
// long array of numbers as a typed array to leave in JS ("typed"); anything else as it is.
function numbersFor(Typed, value, packedMax, extents) {
  if (!Typed) return ["plain", value];
  if (Array.isArray(value?.dims) && Array.isArray(value.data)) {
    return ["plain", { dims: value.dims, data: extents.typed(Typed, value.data) }];
  }
  const numbers = Array.isArray(value) && value.length > packedMax ? extents.typed(Typed, value) : value;
  return [numbers instanceof Float32Array || numbers instanceof Float64Array ? "typed" : "plain", numbers];
}

// The form's pictures for Python, by key: the tensor onnxruntime-web prepared of each it
// prepares (picture_prep.mjs, the plan's `pictures`), else the picture as decoded; or null
// when one could not be prepared, and the page says why.
async function formPictures(pictures, images, prepared, view) {
  try {
    await pictures.form();
  } catch (error) {
    view.showError(`The picture could not be prepared: ${error.message ?? error}`);
    return null;
  }
  return Object.fromEntries([...images].map(([key, { width, height, data }]) =>
    [key, key in prepared ? pictures.formTensor(key) : { width, height, data }]));
}

// Feeds as Python makes them ({name, type, dims, data}) as onnxruntime-web's tensors.
const tensorsOf = (feeds, Tensor) =>
  Object.fromEntries(feeds.map(({ name, type, dims, data }) => [name, new Tensor(type, data, dims)]));

// onnxruntime-web's results as plain {type, dims, data}, for Python.
const plainTensors = (results) =>
  Object.fromEntries(Object.entries(results).map(([name, { type, dims, data }]) => [name, { type, dims: [...dims], data }]));

// The prediction paths of a page whose session has started: `session` is onnxruntime-web's,
// `python` a promise of Python's `Page` (runtime/browser.py), `plan` what Python planned
// (runtime/plan.py; made at build time for a site without hooks, which may predict before
// Python has started). `decode` makes a Blob an ImageData; `extents` remembers the typed
// arrays made for Python; `pictures` prepares the pictures it can in onnxruntime-web
// (picture_prep.mjs), from the form's `images` (pictures.mjs); `view` is the page (view.mjs).
// Only the fast path runs without Python: every other path awaits it.
export function predictor({ Tensor, session, python, plan, decode, extents, pictures, images, view }) {
  const fast = plan.fastPath ? fastSlots(plan.inputs) : null;

  // A prepared submission through the model, and back through Python when it postprocesses
  // or shows the result (`show`: the form's run).
  async function run(page, prepared, show) {
    if (prepared.error !== undefined) throw new Error(prepared.error);
    const results = await session.run(submitted(plan.inputs, prepared, Tensor));
    if (!show && !plan.postprocess) return plainResults(results); // nothing for Python to do
    const collected = await page.collect(plainTensors(results), show, prepared.run);
    if (collected.error !== undefined) throw new Error(collected.error);
    if (show) view.show(collected.shown);
    return collected.ok;
  }

  async function predict(inputs) {
    const given = await pictures.inputs(inputs ?? {});
    const tensors = fast && fastTensors(fast, given, Tensor, extents);
    if (tensors) return plainResults(await session.run(tensors));
    const [page, [plain, typed]] = await Promise.all([python, forPython(given, plan, decode, extents)]);
    return run(page, await page.prepare_api(plain, typed), false);
  }

  // The form's current values through the model, shown on the page. A problem with a field
  // is shown beside it, as Python words it; user code's traceback, or onnxruntime-web's
  // failure, under the form.
  async function submitForm() {
    view.showProblems({}); // the last run's, at once: this run's answer may come a moment later
    const [page, given] = await Promise.all([python, formPictures(pictures, images, plan.pictures, view)]);
    if (!given) return;
    const texts = view.texts();
    const prepared = await page.prepare_form(texts, given);
    view.showProblems(prepared.problems ?? {});
    if (prepared.hook) view.showError(prepared.error); // user code's traceback
    if (prepared.error !== undefined) return;
    history.replaceState(null, "", `#${await page.form_fragment(texts)}`); // a link that reproduces this run
    try {
      await run(page, prepared, true);
    } catch (error) {
      view.showError(String(error.message ?? error));
    }
  }

  // Once Python is up, while the visitor reads the form: see Python's `warm_up`.
  async function warmUp() {
    const page = await python;
    const blank = await page.warm_up(view.texts());
    await session.run(submitted(plan.inputs, blank, Tensor)).catch(() => {}); // blank inputs may be refused
    await pictures.warmUp();
  }

  // A CSV file's rows: Python reads and checks them, and calls back to run the session.
  // With `show`, the result holds the table the page shows (`table`, HTML).
  async function predictCsv(text, show = false) {
    const page = await python;
    const runFeeds = async (feeds) => plainTensors(await session.run(tensorsOf(feeds, Tensor)));
    const result = await page.predict_csv(text, runFeeds, show);
    if (result.error !== undefined) throw new Error(result.error);
    return result.ok;
  }

  return { predict, submitForm, warmUp, predictCsv };
}
