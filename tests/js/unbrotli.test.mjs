// unbrotli.mjs on the pinned decoder from shipyard's asset cache (SHIPYARD_BROTLI, set by
// tests/js/test_node.py), against Node's own brotli encoder.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { decoded } from "../../templates/unbrotli.mjs";

const folder = process.env.SHIPYARD_BROTLI;
// Quick to make: the decoder reads any quality alike.
const FAST = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
const skip = folder ? false : "needs the brotli decoder Python fetches: run `python -m pytest tests/js`";

async function brotli() {
  const module = await import(pathToFileURL(`${folder}/brotli_dec_wasm.js`).href);
  module.initSync({ module: readFileSync(`${folder}/brotli_dec_wasm_bg.wasm`) });
  return module;
}

// Several decoding steps' worth, half of it incompressible.
const content = Buffer.concat([randomBytes(3 << 20), Buffer.alloc(3 << 20, 7)]);

test("a brotli stream decodes to its content, over several steps", { skip }, async () => {
  const out = await decoded(new Uint8Array(brotliCompressSync(content, FAST)), content.length, await brotli());
  assert.ok(Buffer.from(out).equals(content));
});

test("bytes a host already decoded (its Content-Encoding) pass as they are", { skip }, async () => {
  const bytes = new Uint8Array(content);
  assert.equal(await decoded(bytes, bytes.length, await brotli()), bytes);
});

test("a stream cut short, or that unpacks to another size, is refused", { skip }, async () => {
  const packed = new Uint8Array(brotliCompressSync(content, FAST));
  const decoder = await brotli();
  await assert.rejects(decoded(packed.subarray(0, packed.length >> 1), content.length, decoder), /cut short/);
  await assert.rejects(decoded(packed, content.length - 1, decoder), /more than/);
  await assert.rejects(decoded(packed, content.length + 1, decoder), /not/);
});
