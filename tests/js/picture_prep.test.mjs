// picture_prep.mjs with onnxruntime-web's real sessions on the graphs Python compiled
// (test_node.py's `picture_fixture`): pictures given to `predict` or chosen in the form
// become the tensors Python's resize makes of them; anything else passes untouched.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { picturePrep } from "../../templates/picture_prep.mjs";
import { fixtures, ort, skip } from "./fixtures.mjs";

// Node has no ImageData (a canvas type): the fields a decoded picture has.
globalThis.ImageData ??= class ImageData {
  constructor(data, width, height) {
    Object.assign(this, { data, width, height });
  }
};

const imageData = ({ width, height, rgba }) => new globalThis.ImageData(Uint8ClampedArray.from(rgba), width, height);

function prep(images = new Map()) {
  const { folder, files } = fixtures.pictures;
  const create = (path) => ort.InferenceSession.create(readFileSync(join(folder, path)));
  return picturePrep({ files, create, Tensor: ort.Tensor, decode: () => assert.fail("no blob"), images });
}

// Python's float64 values as the input's type holds them (float32 rounded; int64 as BigInt).
function assertClose(got, want) {
  assert.equal(got.length, want.length);
  want.forEach((value, i) => {
    const close = Math.abs(Number(got[i]) - value) <= 1e-5 * Math.max(1, Math.abs(value));
    assert.ok(close, `value ${i}: ${got[i]} against ${value}`);
  });
}

test("the site writes the graph of every picture input at the path Python's plan names", { skip }, () => {
  assert.deepEqual(fixtures.pictures.written, Object.values(fixtures.pictures.files));
});

test("predict's pictures become Python's tensors, other values pass as they are", { skip }, async () => {
  const pictures = prep();
  const { pictures: given, tensors, dims } = fixtures.pictures;
  for (const [n, picture] of given.entries()) {
    const inputs = Object.fromEntries(Object.keys(dims).map((key) => [key, imageData(picture)]));
    const made = await pictures.inputs({ ...inputs, other: [1, 2] });
    assert.deepEqual(made.other, [1, 2]);
    for (const [key, want] of Object.entries(tensors[n])) {
      assert.deepEqual(made[key].dims, dims[key]);
      assertClose(made[key].data, want);
    }
  }
});

test("the form's pictures are prepared for Python to read, by key", { skip }, async () => {
  const [key] = Object.keys(fixtures.pictures.dims);
  const [first, second] = fixtures.pictures.pictures.map(imageData);
  const images = new Map([[key, first], ["not-a-picture-input", second]]);
  const pictures = prep(images);
  assert.equal(pictures.formTensor(key), undefined);
  await pictures.form();
  assertClose(pictures.formTensor(key), fixtures.pictures.tensors[0][key]);
  assert.equal(pictures.formTensor("not-a-picture-input"), undefined);
});
