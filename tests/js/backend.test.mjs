// backend.mjs: which backend a --gpu page runs the model on, and the check of WebGPU's
// first run, with onnxruntime-web's CPU bundle (which has no WebGPU backend, so a WebGPU
// session fails to open as it does in a browser whose WebGPU cannot run the model) and the
// check Python hands the page (shipyard/site/gpu.py). Chromium runs the WebGPU path itself
// (tests/e2e/test_gpu.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { checked, disagreement, inTurn, openSession, turns } from "../../templates/backend.mjs";
import { fixtures, ort, skip } from "./fixtures.mjs";

const float = (data, dims = [1, data.length]) => ({ type: "float32", dims, data: Float32Array.from(data) });
const model = () => readFileSync(fixtures.models.add);
const feeds = (x) => ({ x: new ort.Tensor("float32", Float32Array.from(x), [1, 4]) });
const opened = () => ort.InferenceSession.create(model());

describe("disagreement", { skip }, () => {
  const check = () => fixtures.gpu;

  test("none when every output agrees within the tolerance, NaN with NaN", () => {
    const { rtol, atol } = check();
    const near = 1 + rtol / 2 + atol / 2;
    assert.equal(disagreement({ y: float([1, NaN]) }, { y: float([1, NaN]) }, check()), null);
    assert.equal(disagreement({ y: float([near]) }, { y: float([1]) }, check()), null);
  });

  test("names the first value past the tolerance", () => {
    const message = disagreement({ y: float([1, 2.5]) }, { y: float([1, 2]) }, check());
    assert.equal(message, "y[1] is 2.5 on the GPU, 2 on the CPU");
    assert.match(disagreement({ y: float([NaN]) }, { y: float([0]) }, check()), /y\[0\]/);
  });

  test("integers, strings and booleans must be equal", () => {
    const ints = (data) => ({ type: "int64", dims: [data.length], data: BigInt64Array.from(data, BigInt) });
    assert.equal(disagreement({ c: ints([3]) }, { c: ints([3]) }, check()), null);
    assert.match(disagreement({ c: ints([3]) }, { c: ints([4]) }, check()), /c\[0\]/);
    const text = (data) => ({ type: "string", dims: [data.length], data });
    assert.match(disagreement({ s: text(["a"]) }, { s: text(["b"]) }, check()), /s\[0\] is a on the GPU/);
  });

  test("an output missing, or of another type or shape", () => {
    assert.equal(disagreement({}, { y: float([1]) }, check()), "no output y");
    assert.equal(
      disagreement({ y: float([1, 2], [2, 1]) }, { y: float([1, 2]) }, check()),
      "y is float32 [2,1] on the GPU, float32 [1,2] on the CPU",
    );
  });
});

describe("openSession", { skip }, () => {
  const open = (gpu, adapter, lines = []) => openSession({
    InferenceSession: ort.InferenceSession, model: model(), options: {}, gpu, adapter,
    report: (line) => lines.push(line),
  });

  test("a site without --gpu opens onnxruntime-web's session, and says nothing", async () => {
    const lines = [];
    const session = await open(null, () => assert.fail("no adapter asked for"), lines);
    assert.deepEqual(Array.from((await session.run(feeds([1, 2, 3, 4]))).y.data), [11, 22, 33, 44]);
    assert.deepEqual(lines, []);
  });

  test("without an adapter, or when asking for one fails, the CPU runs it and the status says why", async () => {
    for (const adapter of [async () => null, async () => { throw new Error("refused"); }]) {
      const lines = [];
      const session = await open(fixtures.gpu, adapter, lines);
      assert.deepEqual(Array.from((await session.run(feeds([0, 0, 0, 1]))).y.data), [10, 20, 30, 41]);
      assert.deepEqual(lines, ["Running on the CPU: this browser has no WebGPU adapter"]);
    }
  });

  test("when the WebGPU session fails to open, the CPU runs it and the status gives the reason", async () => {
    const lines = [];
    const session = await open(fixtures.gpu, async () => ({}), lines);
    assert.deepEqual(Array.from((await session.run(feeds([1, 1, 1, 1]))).y.data), [11, 21, 31, 41]);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^Running on the CPU: WebGPU could not open the model \(.*webgpu.*\)$/);
  });
});

describe("checked", { skip }, () => {
  const twoSessions = async () => [await opened(), opened];

  test("keeps the first session when its first run agrees with the reference's", async () => {
    const lines = [];
    const [first, reference] = await twoSessions();
    const session = checked(first, reference, fixtures.gpu, (line) => lines.push(line));
    assert.deepEqual(Array.from((await session.run(feeds([1, 2, 3, 4]))).y.data), [11, 22, 33, 44]);
    assert.deepEqual(Array.from((await session.run(feeds([0, 0, 0, 0]))).y.data), [10, 20, 30, 40]);
    assert.equal(session.backend, "webgpu");
    assert.deepEqual(lines, ["Running on the GPU (WebGPU)"]);
  });

  test("a check that fails hands every run to the reference, from that run on", async () => {
    const lines = [];
    const [first, reference] = await twoSessions();
    const never = { ...fixtures.gpu, atol: -1 }; // as a test may edit a built page's tolerance
    const session = checked(first, reference, never, (line) => lines.push(line));
    const runs = [session.run(feeds([1, 2, 3, 4])), session.run(feeds([0, 0, 0, 1]))]; // the second waits
    const [one, two] = await Promise.all(runs);
    assert.deepEqual([Array.from(one.y.data), Array.from(two.y.data)], [[11, 22, 33, 44], [10, 20, 30, 41]]);
    assert.equal(session.backend, "wasm");
    assert.deepEqual(lines, ["Running on the CPU: WebGPU's outputs differ from the CPU's (y[0] is 11 on the GPU, 11 on the CPU)"]);
  });

  test("a first run WebGPU never answers hands it to the reference once the wait is over", async () => {
    const lines = [];
    const [first, reference] = await twoSessions();
    const stuck = { inputNames: first.inputNames, outputNames: first.outputNames, run: () => new Promise(() => {}), release: () => {} };
    const session = checked(stuck, reference, { ...fixtures.gpu, waitMs: 50 }, (line) => lines.push(line));
    assert.deepEqual(Array.from((await session.run(feeds([1, 2, 3, 4]))).y.data), [11, 22, 33, 44]);
    assert.equal(session.backend, "wasm");
    assert.deepEqual(lines, ["Running on the CPU: WebGPU's outputs differ from the CPU's (its run failed: no answer in 0.05 s)"]);
  });

  test("a first run the reference refuses checks nothing: the next run is checked", async () => {
    const lines = [];
    const [first, reference] = await twoSessions();
    const session = checked(first, reference, fixtures.gpu, (line) => lines.push(line));
    await assert.rejects(session.run({}));
    assert.deepEqual(lines, []);
    await session.run(feeds([1, 2, 3, 4]));
    assert.deepEqual(lines, ["Running on the GPU (WebGPU)"]);
  });
});

describe("turns", () => {
  // A session whose runs answer only when the test says so, and which logs them.
  const held = (name, log) => {
    const answers = [];
    const session = {
      inputNames: ["x"], outputNames: ["y"], release: () => {},
      run: (feeds) => {
        log.push(`${name} starts ${feeds.x}`);
        return new Promise((resolve) => answers.push(() => resolve({ y: feeds.x })));
      },
    };
    return { session, answer: () => answers.shift()() };
  };
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

  test("on a --gpu site a run of any session waits for the run under way", async () => {
    const log = [];
    const turn = turns({ waitMs: 1000 });
    const model = held("model", log);
    const picture = held("picture", log);
    const runs = [inTurn(model.session, turn).run({ x: 1 }), inTurn(picture.session, turn).run({ x: 2 })];
    await settled();
    assert.deepEqual(log, ["model starts 1"]);
    model.answer();
    await settled();
    assert.deepEqual(log, ["model starts 1", "picture starts 2"]);
    picture.answer();
    assert.deepEqual((await Promise.all(runs)).map(({ y }) => y), [1, 2]);
  });

  test("a run that fails lets the next one go", async () => {
    const turn = turns({ waitMs: 1000 });
    const failing = turn(() => Promise.reject(new Error("refused")));
    await assert.rejects(failing, /refused/);
    assert.equal(await turn(async () => "next"), "next");
  });

  test("elsewhere runs go as they come", async () => {
    const log = [];
    const turn = turns(null);
    const [one, two] = [held("one", log), held("two", log)];
    const wrapped = [inTurn(one.session, turn), inTurn(two.session, turn)];
    assert.deepEqual(wrapped[0].inputNames, ["x"]);
    wrapped[0].run({ x: 1 });
    wrapped[1].run({ x: 2 });
    await settled();
    assert.deepEqual(log, ["one starts 1", "two starts 2"]);
  });
});
