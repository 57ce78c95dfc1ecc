// predict.mjs's `predictor` with onnxruntime-web's real session and plans Python made,
// and for Python's `Page` a stand-in that records every call made on it: inputs that pass
// the plan's checks predict with no call into Python; any other goes to `prepare_api` once.
import assert from "node:assert/strict";
import { Extents } from "../../templates/numbers.mjs";
import { picturePrep } from "../../templates/picture_prep.mjs";
import { predictor } from "../../templates/predict.mjs";
import { asFromPython, fixtures, held, ort, plan, session, withEitherPlan } from "./fixtures.mjs";

// Node has no ImageData (a canvas type); predict's Python path only asks whether an input
// is one. Node 20 has Blob, the other type it asks about.
globalThis.ImageData ??= class ImageData {};

// Python's Page, as JS sees it: `calls` names each property JS reads on it (in the page,
// each read of a Python attribute is a call into Python), `args` what each method got.
// `answers` gives each method's return value.
function countingPage(answers) {
  const calls = [];
  const args = {};
  const page = new Proxy({}, {
    get(_, name) {
      if (name === "then") return undefined; // not a promise: awaiting it gives it back
      calls.push(String(name));
      return (...given) => {
        (args[name] ??= []).push(given);
        return answers[name](...given);
      };
    },
  });
  return { page, calls, args };
}

// `predict` of a started page for one of the fixtures' models and plans.
async function paths(model, planned, answers = {}) {
  const counted = countingPage(answers);
  const made = predictor({
    Tensor: ort.Tensor,
    session: await session(model),
    python: Promise.resolve(counted.page),
    plan: planned,
    decode: () => assert.fail("no picture to decode"),
    extents: new Extents(),
    pictures: picturePrep({ files: {}, create: () => assert.fail("no picture graph"), Tensor: ort.Tensor, images: new Map() }),
  });
  return { ...counted, predict: made.predict };
}

// What Python's `prepare_api` answered for one of test_node.py's REFUSED inputs.
const refused = (name, planned) => {
  const { inputs, answer } = fixtures.refused[name];
  return { inputs, prepare_api: () => asFromPython(answer, planned.inputs) };
};

const data = (result) => Object.fromEntries(Object.entries(result).map(([name, { data }]) => [name, data]));

withEitherPlan("predict runs plain inputs with no call into Python", async (given) => {
  const { predict, calls } = await paths("add", given(plan("add", "plain")));
  const y = { type: "float32", dims: [1, 4], data: [11, 22, 33, 44] };
  assert.deepEqual(await predict({ x: [1, 2, 3, 4] }), { y });
  const sums = [0.1, -0.5, 1e-3, 7].map((v, i) => Math.fround(Math.fround(v) + 10 * (i + 1)));
  assert.deepEqual(data(await predict({ x: new Float32Array([0.1, -0.5, 1e-3, 7]) })), { y: sums });
  assert.deepEqual(calls, []);
});

withEitherPlan("predict runs inputs of every width, packed or not, with no call into Python", async (given) => {
  const { predict, calls } = await paths("mixed", given(plan("mixed", "plain")));
  const { inputs, tensors } = fixtures.mixed;
  const expected = Object.fromEntries(Object.entries(tensors).map(([name, values]) => [`${name}_out`, values]));
  assert.deepEqual(data(await predict(inputs)), expected);
  assert.deepEqual(data(await predict({ ...inputs, l: Float32Array.from(inputs.l) })), expected);
  assert.deepEqual(calls, []);
});

withEitherPlan("predict hands an input the fast path refuses to prepare_api, once", async (given) => {
  const planned = given(plan("add", "plain"));
  const { inputs, prepare_api } = refused("add_nested", planned);
  const { predict, calls, args } = await paths("add", planned, { prepare_api });
  assert.deepEqual(data(await predict(inputs)), { y: [11, 22, 33, 44] });
  assert.deepEqual(calls, ["prepare_api"]);
  assert.deepEqual(args.prepare_api, [[inputs, {}]]);
});

withEitherPlan("predict passes on Python's words for inputs it refuses", async (given) => {
  const planned = given(plan("add", "bounded"));
  const { inputs, prepare_api } = refused("add_out_of_bounds", planned);
  const { predict, calls } = await paths("add", planned, { prepare_api });
  await assert.rejects(predict(inputs), { message: "Invalid input: x: value 4: must be at most 100" });
  assert.deepEqual(calls, ["prepare_api"]);
});

withEitherPlan("predict takes no inputs as none, and lets Python say what is missing", async (given) => {
  const planned = given(plan("add", "plain"));
  const { prepare_api } = refused("add_nothing", planned);
  const { predict, calls, args } = await paths("add", planned, { prepare_api });
  await assert.rejects(predict(), { message: fixtures.refused.add_nothing.answer.error });
  await assert.rejects(predict(null), { message: fixtures.refused.add_nothing.answer.error });
  assert.deepEqual(calls, ["prepare_api", "prepare_api"]);
  assert.deepEqual(args.prepare_api[0], [{}, {}]);
});

withEitherPlan("predict sends Python a long float array typed, and reads its submission", async (given) => {
  const planned = given(plan("mixed", "plain"));
  const { inputs, prepare_api } = refused("mixed_nested", planned);
  const { predict, calls, args } = await paths("mixed", planned, { prepare_api });
  const result = await predict(inputs);
  assert.deepEqual(calls, ["prepare_api"]);
  const [[plain, typed]] = args.prepare_api;
  assert.deepEqual(Object.keys(typed), ["l"]);
  assert.ok(typed.l instanceof Float32Array);
  assert.deepEqual(held({ data: typed.l }), fixtures.mixed.tensors.l);
  assert.equal(plain.l, undefined);
  assert.deepEqual(result.l_out.data, fixtures.mixed.tensors.l);
  assert.deepEqual(result.t_out.data, fixtures.mixed.tensors.t);
});

withEitherPlan("predict with a hook, goes through Python before and after the run", async (given) => {
  const planned = given(plan("add", "hooked"));
  const { prepare_api } = refused("add_nested", planned); // the submission of [1, 2, 3, 4]
  const collect = () => ({ ok: { postprocess: { total: 110 } } });
  const { predict, calls, args } = await paths("add", planned, { prepare_api, collect });
  assert.deepEqual(await predict({ x: [1, 2, 3, 4] }), { postprocess: { total: 110 } });
  assert.deepEqual(calls, ["prepare_api", "collect"]);
  const [[results, show, run]] = args.collect;
  assert.deepEqual([held(results.y), show, run], [[11, 22, 33, 44], false, 1]);
});
