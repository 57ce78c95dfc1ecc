// stdlib.mjs: the rest of the stdlib Python fetched is kept for the next visit, a kept
// copy is handed over before ready, and an earlier deploy's or a short one is dropped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileCache } from "../../templates/files.mjs";
import { stdlibRest } from "../../templates/stdlib.mjs";
import { memoryCaches } from "./caches.mjs";

const SITE = "https://example.test/app/";
const REST = Uint8Array.of(0x50, 0x4b, 3, 4, 1, 2, 3);
const entry = (sha256, size = REST.length) => ({ sha256, size });

test("a rest kept on one visit is there on the next, and nothing before", async () => {
  const caches = memoryCaches();
  const first = stdlibRest(fileCache(caches, SITE, "stdlib "), entry("abc"));
  await first.loaded;
  assert.equal(first.bytes, null);
  await first.keep(REST);
  const again = stdlibRest(fileCache(caches, SITE, "stdlib "), entry("abc"));
  await again.loaded;
  assert.deepEqual(again.bytes, REST);
});

test("a redeploy's rest replaces the old one, and a short copy is not handed over", async () => {
  const caches = memoryCaches();
  await stdlibRest(fileCache(caches, SITE, "stdlib "), entry("old")).keep(REST);
  const redeployed = stdlibRest(fileCache(caches, SITE, "stdlib "), entry("new"));
  await redeployed.loaded;
  assert.equal(redeployed.bytes, null);
  assert.deepEqual([...caches.stored.keys()], []);
  await redeployed.keep(REST.subarray(0, 3));
  const short = stdlibRest(fileCache(caches, SITE, "stdlib "), entry("new"));
  await short.loaded;
  assert.equal(short.bytes, null);
});
