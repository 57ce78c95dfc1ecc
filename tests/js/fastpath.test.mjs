// fastpath.mjs on plans Python made for an identity model over every type: which
// `predict` inputs become onnxruntime-web tensors with no call into Python, and which give
// null (Python then checks them and words the problem).
import assert from "node:assert/strict";
import { test } from "node:test";
import { fastSlots, fastTensors } from "../../templates/fastpath.mjs";
import { Extents } from "../../templates/numbers.mjs";
import { held, ort, plan, skip, withEitherPlan } from "./fixtures.mjs";

const FLOAT32_MAX = 3.4028234663852886e38;

// Inputs that pass every check of the plain plan: each kind at the edges of its range.
const VALID = {
  in_float32: [-FLOAT32_MAX, 0.1],
  in_float64: [-Number.MAX_VALUE, 5e-324],
  in_int8: [-128, 127],
  in_uint8: [0, 255],
  in_int16: [-32768, 32767],
  in_uint16: [0, 65535],
  in_int32: [-(2 ** 31), 2 ** 31 - 1],
  in_uint32: [0, 2 ** 32 - 1],
  in_int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  in_uint64: [0, Number.MAX_SAFE_INTEGER],
  in_bool: [true, false],
  in_string: ["", "héllo"],
};

// One input of VALID changed at a time: every one of these must go to Python.
const REFUSED = {
  in_float32: [
    [NaN, 0], [Infinity, 0], [-Infinity, 0], [3.5e38, 0],
    [3.4028235677973366e38, 0], // past float32's range as given, though it rounds into it
    ["1.5", 0], [true, 0], [null, 0], [undefined, 0], [1n, 0],
    [[0.5, 1]], [0.5], [0.5, 1, 2], 0.5, [], null, undefined, "0.5", { 0: 0.5, 1: 1, length: 2 },
  ],
  in_float64: [[Infinity, 0], [NaN, 0], [Number.MAX_VALUE * 2, 0]],
  in_int8: [[-129, 0], [128, 0], [127.5, 0], [1e300, 0], ["1", 0], [true, 0], [1n, 0], [NaN, 0]],
  in_uint8: [[-1, 0], [256, 0]],
  in_int16: [[32768, 0]],
  in_uint16: [[65536, 0]],
  in_int32: [[2 ** 31, 0], [-(2 ** 31) - 1, 0]],
  in_uint32: [[2 ** 32, 0], [-1, 0]],
  in_int64: [[2 ** 53, 0], [-(2 ** 53), 0], [1n, 2n], [0.5, 0], [Infinity, 0]],
  in_uint64: [[-1, 0], [2 ** 53, 0], [1n, 0]],
  in_bool: [[1, 0], ["true", false], [null, true], [[true, false]]],
  in_string: [[5, ""], [null, "a"], [["a", "b"]], "a", [new String("a"), "b"]],
};

// Inputs that pass the bounded plan's bounds and choices, and changes it refuses.
const VALID_BOUNDED = {
  ...VALID,
  in_float32: [-1, 0.5],
  in_float64: [0.5, 0.5],
  in_int8: [0, 10],
  in_int64: [2, 1],
  in_bool: [true, true],
  in_string: ["red", "blue"],
};
const REFUSED_BOUNDED = {
  // max 0.99999999: float32 rounds 0.99999998 and 0.99999999 themselves to 1.
  in_float32: [[-1.5, 0], [0, 1], [0, 0.99999998], [0, 0.99999999]],
  in_float64: [[0.25, 0.5], [1e30, 0.5]], // not a choice; a choice past max
  in_int8: [[11, 0], [-1, 0]],
  in_int64: [[1, 3], [1.5, 1]],
  in_bool: [[false, true]],
  in_string: [["Red", "blue"], ["red", 1]], // a label is not a value
};

// Typed arrays taken as they are, only for a float input of the very same type.
const TYPED_REFUSED = {
  in_float32: [
    new Float64Array([0.5, 1]), new Float32Array([0.5]), new Float32Array(3), new Float32Array([NaN, 0]),
  ],
  in_float64: [new Float32Array([0.5, 1]), new Float64Array([Infinity, 0])],
  in_int8: [new Int8Array([1, 2])],
  in_int64: [new BigInt64Array([1n, 2n])],
  in_bool: [new Uint8Array([1, 0])],
  in_string: [new Uint8Array([1, 0])],
};

// fastTensors for one of the identity's plans, as `given` hands it over.
const tensorsBy = (given) => (name, inputs) =>
  fastTensors(fastSlots(given(plan("identity", name)).inputs), inputs, ort.Tensor, new Extents());

// Each value in `table`, put in place of its input in `valid`, must give null.
function assertRefused(tensors, name, valid, table) {
  for (const [key, values] of Object.entries(table)) {
    for (const value of values) {
      assert.equal(tensors(name, { ...valid, [key]: value }), null, `${key}: ${String(value)}`);
    }
  }
}

withEitherPlan("makes the tensor of each input's type from valid inputs of every kind", (given) => {
  const tensors = tensorsBy(given);
  const made = tensors("plain", VALID);
  assert.ok(made);
  for (const { name, type, typed, dims } of plan("identity", "plain").inputs) {
    assert.ok(made[name] instanceof ort.Tensor, name);
    assert.equal(made[name].type, type, name);
    assert.deepEqual(made[name].dims, dims, name);
    assert.ok(made[name].data instanceof globalThis[typed], name);
  }
  assert.deepEqual(held(made.in_float32), [-FLOAT32_MAX, Math.fround(0.1)]);
  assert.deepEqual([...made.in_int64.data], [-(2n ** 53n) + 1n, 2n ** 53n - 1n]);
  for (const name of Object.keys(VALID).filter((n) => n !== "in_float32")) {
    assert.deepEqual(held(made[name]), VALID[name], name);
  }
});

withEitherPlan("gives null for any value a check refuses", (given) => {
  const tensors = tensorsBy(given);
  assertRefused(tensors, "plain", VALID, REFUSED);
});

withEitherPlan("gives null for a key missing, unknown or misspelt", (given) => {
  const tensors = tensorsBy(given);
  const { in_int8, ...missing } = VALID;
  assert.equal(tensors("plain", missing), null);
  assert.equal(tensors("plain", { ...missing, in_int9: in_int8 }), null); // as many keys
  assert.equal(tensors("plain", { ...VALID, extra: 1 }), null);
  assert.equal(tensors("plain", {}), null);
  const inherited = Object.setPrototypeOf({ ...missing, extra: 1 }, { in_int8 }); // as many keys
  assert.equal(tensors("plain", inherited), null);
});

withEitherPlan("takes a float typed array of the input's own type as it is", (given) => {
  const tensors = tensorsBy(given);
  const float32 = new Float32Array([0.5, -2]);
  const float64 = new Float64Array([0.1, 1e300]);
  const made = tensors("plain", { ...VALID, in_float32: float32, in_float64: float64 });
  assert.equal(made.in_float32.data, float32);
  assert.equal(made.in_float64.data, float64);
});

withEitherPlan("gives null for any other typed array", (given) => {
  const tensors = tensorsBy(given);
  assertRefused(tensors, "plain", VALID, TYPED_REFUSED);
  const justPast = new Float32Array([0.5, 1]); // the bounded plan's max is below 1
  assert.equal(tensors("bounded", { ...VALID_BOUNDED, in_float32: justPast }), null);
});

withEitherPlan("keeps to the bounds and the choices of the plan", (given) => {
  const tensors = tensorsBy(given);
  const made = tensors("bounded", VALID_BOUNDED);
  assert.ok(made);
  assert.deepEqual(held(made.in_int64), [2, 1]);
  assert.deepEqual(made.in_string.data, ["red", "blue"]);
  assertRefused(tensors, "bounded", VALID_BOUNDED, REFUSED_BOUNDED);
});

test("the plan has the fast path only without hooks", { skip }, () => {
  assert.equal(plan("identity", "plain").fastPath, true);
  assert.equal(plan("identity", "hooked").fastPath, false);
  assert.ok(plan("identity", "hooked").inputs.every(({ check }) => check === null));
});

withEitherPlan("takes a tensor {dims, data} whose dims are the input's, and refuses other dims", (given) => {
  const tensors = tensorsBy(given);
  const float32 = new Float32Array([0.5, -2]);
  const made = tensors("plain", { ...VALID, in_int8: { dims: [1, 2], data: [1, 2] }, in_float32: { dims: [1, 2], data: float32 } });
  assert.deepEqual(held(made.in_int8), [1, 2]);
  assert.equal(made.in_float32.data, float32);
  const wrong = { in_int8: [{ dims: [2, 1], data: [1, 2] }, { dims: [1, 2], data: [1, 200] }, { dims: [1, 2] }] };
  assertRefused(tensors, "plain", VALID, wrong);
});
