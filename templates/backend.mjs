// Which onnxruntime-web backend runs the model. A site built with --gpu ships the WebGPU
// build and hands the page its check (`gpu` in the page's JSON block, shipyard/site/gpu.py):
// WebGPU runs the model when the browser has an adapter and a session opens on it, and
// keeps running it only if its outputs on the first run agree with the wasm backend's on
// the same inputs, within `shipyard verify`'s tolerance, each step in `gpu.waitMs`.
// Otherwise the wasm backend runs it, and `report` says why in the status line. A site
// without `gpu` opens one wasm session.

const CPU = "Running on the CPU";

// `promise`, or a rejection once `ms` have passed without its answer.
const within = (promise, ms) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms)),
]);

// The model's session: onnxruntime-web's own, or for a --gpu site one that checks WebGPU's
// first run (see `checked`). `adapter()` resolves to the browser's WebGPU adapter or null.
// `turn` is the page's `turns(gpu)`.
export async function openSession({ InferenceSession, model, options, gpu, adapter, report, turn }) {
  if (!gpu) return InferenceSession.create(model, options);
  const onWasm = () => InferenceSession.create(model, { ...options, executionProviders: ["wasm"] });
  if (!(await adapter().catch(() => null))) {
    report(`${CPU}: this browser has no WebGPU adapter`);
    return onWasm();
  }
  let first;
  try {
    first = await within(InferenceSession.create(model, { ...options, executionProviders: ["webgpu"] }), gpu.waitMs);
  } catch (error) {
    report(`${CPU}: WebGPU could not open the model (${error.message ?? error})`);
    return onWasm();
  }
  report("Running on the GPU (WebGPU), checked on the first run");
  return checked(first, onWasm, gpu, report, turn);
}

// How the page's sessions take turns at onnxruntime-web's one wasm instance. On a --gpu
// site, one run at a time: a WebGPU run yields while the GPU works, and a run that began
// meanwhile on the same instance (a picture's, a prediction's during the warm-up) could
// hang the page. Elsewhere each run is one call into the wasm, which nothing can
// interleave, and runs go as they come. A turn is `turn(task)`, task giving a promise.
export function turns(gpu) {
  if (!gpu) return (task) => task();
  let queue = Promise.resolve();
  return (task) => {
    const result = queue.then(task);
    queue = result.catch(() => {});
    return result;
  };
}

// `session`, its runs taking their `turn`.
export const inTurn = (session, turn) => ({
  get inputNames() { return session.inputNames; },
  get outputNames() { return session.outputNames; },
  run: (feeds, runOptions) => turn(() => session.run(feeds, runOptions)),
  release: () => session.release(),
});

// The browser's WebGPU adapter, or null where it has none (outside a secure context, too).
export const adapterOf = (navigator) => async () => (navigator.gpu ? navigator.gpu.requestAdapter() : null);

// `gpuSession` as a session whose first run (that the wasm backend accepts) also runs on
// the wasm backend (`openReference()`): when the two disagree, or WebGPU's run fails, the
// wasm session takes over for good and that run gives its outputs. Its runs take their
// `turn` (see `turns`).
export function checked(gpuSession, openReference, check, report, turn = turns(check)) {
  let current = gpuSession;
  let reference = null;
  let done = false; // the check's end
  const session = {
    backend: "webgpu",
    get inputNames() { return current.inputNames; },
    get outputNames() { return current.outputNames; },
    release: () => current.release(),
    run: (feeds, runOptions) => turn(async () => {
      if (done) return current.run(feeds, runOptions);
      const outputs = await compared(feeds, runOptions); // refused inputs: check the next run
      done = true;
      return outputs;
    }),
  };
  async function compared(feeds, runOptions) {
    reference ??= openReference();
    const want = await (await reference).run(feeds, runOptions);
    let got;
    const problem = await within(gpuSession.run(feeds, runOptions), check.waitMs).then(
      (outputs) => disagreement((got = outputs), want, check),
      (error) => `its run failed: ${error.message ?? error}`,
    );
    if (problem === null) {
      await (await reference).release();
      report("Running on the GPU (WebGPU)");
      return got;
    }
    current = await reference;
    session.backend = "wasm";
    gpuSession.release();
    report(`${CPU}: WebGPU's outputs differ from the CPU's (${problem})`);
    return want;
  }
  return session;
}

// Where WebGPU's outputs (`got`) part from the wasm backend's (`want`), in words, or null
// when they agree: every output of the same type and dims, floats (the types `check.floats`
// names) within |got - want| <= atol + rtol * |want| (numpy's rule, as `shipyard verify`
// applies it), NaN matching NaN; other values equal.
export function disagreement(got, want, { rtol, atol, floats }) {
  for (const [name, expected] of Object.entries(want)) {
    const given = got[name];
    if (!given) return `no output ${name}`;
    if (given.type !== expected.type || given.dims.join() !== expected.dims.join()) {
      return `${name} is ${given.type} [${given.dims}] on the GPU, ${expected.type} [${expected.dims}] on the CPU`;
    }
    const same = floats.includes(expected.type) ? (a, b) => close(a, b, rtol, atol) : (a, b) => a === b;
    const at = expected.data.findIndex((value, i) => !same(given.data[i], value));
    if (at >= 0) return `${name}[${at}] is ${given.data[at]} on the GPU, ${expected.data[at]} on the CPU`;
  }
  return null;
}

function close(a, b, rtol, atol) {
  if (Number.isFinite(a) && Number.isFinite(b)) return Math.abs(a - b) <= atol + rtol * Math.abs(b);
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
