// predict.mjs's pure halves on onnxruntime-web's real tensors: `submitted` reads a
// submission Python packed (test_node.py, `prepared_by_python`) at the plan's offsets, and
// `plainResult` gives `predict`'s results as Python's `Output.to_result` would.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { plainResult, plainResults, submitted } from "../../templates/predict.mjs";
import { asFromPython, fixtures, held, likePyodide, ort, plan, session, skip } from "./fixtures.mjs";

describe("submitted", { skip }, () => {
  const expected = () => fixtures.mixed.tensors;
  const submission = (inputs) => asFromPython(fixtures.mixed.submission, inputs);

  test("views the packed buffer at each packed input's offset", () => {
    const { inputs } = plan("mixed", "plain");
    assert.equal(inputs[0].offset, 0); // a number, though falsy: it packs
    const { packed, own } = submission(inputs);
    // Pyodide's buffer may sit inside a larger one: the views start at its byteOffset.
    const larger = new Uint8Array(packed.length + 16);
    larger.set(packed, 8);
    const tensors = submitted(inputs, { packed: larger.subarray(8, 8 + packed.length), own }, ort.Tensor);
    for (const { name, type, dims, offset } of inputs) {
      assert.equal(tensors[name].type, type);
      assert.deepEqual(tensors[name].dims, dims);
      assert.deepEqual(held(tensors[name]), expected()[name], name);
      if (typeof offset === "number") assert.equal(tensors[name].data.buffer, larger.buffer, name);
    }
  });

  test("takes the inputs that travel on their own in order, as they are", () => {
    const { inputs } = plan("mixed", "plain");
    const { packed, own } = submission(inputs);
    const tensors = submitted(inputs, { packed, own }, ort.Tensor);
    assert.deepEqual(inputs.filter((i) => i.offset === null).map((i) => i.name), ["t", "l"]);
    assert.equal(tensors.t.data, own[0]);
    assert.equal(tensors.l.data, own[1]);
  });

  test("reads an offset given as null (JSON) or undefined (Pyodide) alike", () => {
    const fromJson = plan("mixed", "plain").inputs;
    const fromPyodide = likePyodide(fromJson);
    assert.equal(fromPyodide[2].offset, undefined);
    const asJson = submitted(fromJson, submission(fromJson), ort.Tensor);
    const asPyodide = submitted(fromPyodide, submission(fromPyodide), ort.Tensor);
    for (const { name } of fromJson) assert.deepEqual(held(asPyodide[name]), held(asJson[name]), name);
  });
});

describe("submitted, for an input whose value sets its dims", { skip }, () => {
  test("gives it the submission's dims, and the model runs on them", async () => {
    const { inputs } = plan("free", "plain");
    assert.equal(inputs[0].dims, null); // the plan cannot know them
    const tensors = submitted(inputs, asFromPython(fixtures.free.submission, inputs), ort.Tensor);
    assert.deepEqual(tensors.tokens.dims, [1, 3]);
    assert.deepEqual(tensors.f.dims, [1, 2]);
    const results = await (await session("free")).run(tensors);
    assert.deepEqual(held(results.tokens_out), fixtures.free.tensors.tokens);
    assert.deepEqual(results.tokens_out.dims, [1, 3]);
  });
});

describe("plainResult", { skip }, () => {
  test("gives booleans for bool", () => {
    const tensor = new ort.Tensor("bool", Uint8Array.from([1, 0, 1]), [1, 3]);
    assert.deepEqual(plainResult(tensor), { type: "bool", dims: [1, 3], data: [true, false, true] });
  });

  test("gives 64-bit integers as numbers up to 2^53 and as BigInt past it", () => {
    const edge = BigInt(Number.MAX_SAFE_INTEGER);
    const values = [0n, -edge, edge, edge + 1n, -edge - 1n, 2n ** 62n];
    const result = plainResult(new ort.Tensor("int64", BigInt64Array.from(values), [6]));
    const safe = Number.MAX_SAFE_INTEGER;
    assert.deepEqual(result.data, [0, -safe, safe, edge + 1n, -edge - 1n, 2n ** 62n]);
    const unsigned = plainResult(new ort.Tensor("uint64", BigUint64Array.from([1n, 2n ** 64n - 1n]), [2]));
    assert.deepEqual(unsigned.data, [1, 2n ** 64n - 1n]);
  });

  test("gives plain arrays of the other types, and its own copy of the dims", () => {
    const tensor = new ort.Tensor("float32", Float32Array.from([0.5, -1]), [1, 2]);
    const result = plainResult(tensor);
    assert.deepEqual(result, { type: "float32", dims: [1, 2], data: [0.5, -1] });
    assert.ok(Array.isArray(result.data) && result.dims !== tensor.dims);
    const text = plainResult(new ort.Tensor("string", ["a", "ü"], [2]));
    assert.deepEqual(text.data, ["a", "ü"]);
  });

  test("plainResults maps every output by name", () => {
    const results = {
      y: new ort.Tensor("int32", Int32Array.from([7]), [1]),
      z: new ort.Tensor("bool", Uint8Array.from([0]), [1]),
    };
    assert.deepEqual(plainResults(results), {
      y: { type: "int32", dims: [1], data: [7] },
      z: { type: "bool", dims: [1], data: [false] },
    });
  });
});
