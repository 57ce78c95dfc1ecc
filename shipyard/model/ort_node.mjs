// onnxruntime-web's CPU bundle in Node, as a site's page runs it: one wasm thread, the
// bundle and wasm the site ships. Started by ort_node.py with the folder holding them.
//
// A request is one line of JSON on stdin: {model, runs: [{feeds}], out}. Each feed is
// {type, dims, file} (the flat data, little-endian, in `file`) or {type, dims, strings}.
// The answer, written to `out`/answer.json before the line "done" on stdout, is
// {error} when the model cannot be opened, else {runs: [{error} | {outputs}]}, each
// output {type, dims, file | strings} (the files beside answer.json). Anything
// onnxruntime prints goes to stderr, so stdout carries only the protocol.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

for (const name of ["log", "info", "warn", "debug"]) {
  console[name] = (...args) => process.stderr.write(`${args.join(" ")}\n`);
}

const [folder] = process.argv.slice(2);
const ort = await import(pathToFileURL(join(folder, "ort.wasm.bundle.min.mjs")).href);
ort.env.wasm.wasmBinary = readFileSync(join(folder, "ort-wasm-simd-threaded.wasm"));
ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

const TYPED = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
  float16: Uint16Array,
};

const message = (error) => String(error?.message ?? error);

function tensorOf({ type, dims, file, strings }) {
  if (strings !== undefined) return new ort.Tensor("string", strings, dims);
  const bytes = readFileSync(file);
  const Typed = TYPED[type];
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new ort.Tensor(type, new Typed(copy), dims);
}

function saved(name, { type, dims, data }, out) {
  if (type === "string") return { type, dims, strings: Array.from(data) };
  const file = join(out, `${name}.bin`);
  writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { type, dims, file };
}

async function run(session, feeds, out, n) {
  try {
    const tensors = Object.fromEntries(Object.entries(feeds).map(([key, feed]) => [key, tensorOf(feed)]));
    const results = await session.run(tensors);
    const outputs = Object.entries(results).map(([key, tensor], k) => [key, saved(`run${n}-out${k}`, tensor, out)]);
    return { outputs: Object.fromEntries(outputs) };
  } catch (error) {
    return { error: message(error) };
  }
}

async function answer({ model, runs, out }) {
  let session;
  try {
    session = await ort.InferenceSession.create(readFileSync(model));
  } catch (error) {
    return { error: message(error) };
  }
  const done = [];
  for (const [n, { feeds }] of runs.entries()) done.push(await run(session, feeds, out, n));
  await session.release();
  return { runs: done };
}

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  writeFileSync(join(request.out, "answer.json"), JSON.stringify(await answer(request)));
  process.stdout.write("done\n");
}
