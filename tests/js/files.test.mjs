// files.mjs: each fault a host makes is named with its cause; parts are fetched and joined;
// a cached file is not fetched again; `fetch` is answered from the checked files.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { diagnose, fault, fileCache, servingFetch, siteFiles, writesAfter } from "../../templates/files.mjs";
import { memoryCaches } from "./caches.mjs";

const SITE = "https://example.test/app/";
const WASM = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 9, 9, 9, 9);
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");
const piece = (path, bytes, extra = {}) => ({ path, size: bytes.length, sha256: sha(bytes), ...extra });
const text = (s) => new TextEncoder().encode(s);

test("a file that came whole passes", async () => {
  assert.equal(await fault(piece("a.wasm", WASM, { magic: "0061736d" }), 200, WASM), null);
});

test("each fault is named with its cause", async () => {
  const entry = piece("a.wasm", WASM, { magic: "0061736d" });
  assert.match(await fault(entry, 404, new Uint8Array()), /^missing \(404 Not Found\)/);
  assert.match(await fault(entry, 500, new Uint8Array()), /answered 500/);
  assert.match(await fault(entry, 200, WASM.subarray(0, 5)), /^truncated: 5 of 12 bytes arrived/);
  assert.match(await fault(entry, 200, text("version https://git-lfs.github.com/spec/v1\noid sha256:ab\n")), /Git LFS pointer/);
  assert.match(await fault(entry, 200, text("<!DOCTYPE html><html><body>Not found</body></html>")), /HTML page instead/);
  const flipped = WASM.slice();
  flipped[9] ^= 0xff;
  assert.match(await fault(entry, 200, flipped), /^integrity mismatch: its sha256 is/);
  const other = Uint8Array.of(1, 2, 3, 4, 1, 0, 0, 0, 9, 9, 9, 9);
  assert.match(await fault(entry, 200, other), /does not start as a wasm does/);
  assert.match(await fault(entry, 200, WASM, 20), /^integrity mismatch: 20 bytes, not 12/);
});

test("a gzipped file a host sent unpacked is checked as its content", async () => {
  const content = text("the unpacked content");
  const entry = { ...piece("a.gz", Uint8Array.of(0x1f, 0x8b, 1, 2)), magic: "1f8b", unpacked: { size: content.length, sha256: sha(content) } };
  assert.equal(await fault(entry, 200, content), null);
  assert.match(await fault(entry, 200, content.subarray(0, 3)), /^truncated: 3 of 20 bytes/);
});

test("a brotli-compressed file (no magic number) is told from its content by its length", async () => {
  const content = text("the unpacked content");
  const packed = Uint8Array.of(0x1b, 0x13, 0, 0xf8);
  const entry = { ...piece("a.br", packed), unpacked: { size: content.length, sha256: sha(content) } };
  assert.equal(await fault(entry, 200, packed), null);
  assert.equal(await fault(entry, 200, content), null);
  assert.match(await fault(entry, 200, packed.subarray(0, 3)), /^truncated: 3 of 4 bytes/);
  const altered = content.slice();
  altered[0] ^= 1;
  assert.match(await fault(entry, 200, altered), /^integrity mismatch: its sha256/);
});

// A host made of a map of paths to bytes (a missing path is a 404), recording requests.
function host(files) {
  const requests = [];
  const fetch = async (url) => {
    const path = new URL(url).pathname.replace("/app/", "");
    requests.push(path);
    const bytes = files[path];
    return bytes ? new Response(bytes) : new Response("not found", { status: 404 });
  };
  return { fetch, requests };
}

test("parts are fetched and joined, and kept for the next visit", async () => {
  const whole = Uint8Array.from({ length: 25 }, (_, i) => i);
  const parts = [whole.subarray(0, 10), whole.subarray(10, 20), whole.subarray(20)];
  const manifest = {
    "m.onnx": { ...piece("m.onnx", whole), fetch: true, type: "application/octet-stream",
      parts: parts.map((p, i) => piece(`m.onnx.part00${i}`, p)) },
  };
  const served = host(Object.fromEntries(parts.map((p, i) => [`m.onnx.part00${i}`, p])));
  const caches = memoryCaches();
  const received = [];
  const files = siteFiles({ manifest, site: SITE, cache: fileCache(caches, SITE), fetch: served.fetch, received: (path, n) => received.push([path, n]) });
  assert.deepEqual(await files.load("m.onnx"), whole);
  assert.deepEqual(served.requests.sort(), ["m.onnx.part000", "m.onnx.part001", "m.onnx.part002"]);
  assert.ok(received.some(([path, n]) => path === "m.onnx.part002" && n === 5));
  const again = host({});
  const later = siteFiles({ manifest, site: SITE, cache: fileCache(caches, SITE), fetch: again.fetch });
  assert.deepEqual(await later.load("m.onnx"), whole);
  assert.deepEqual(again.requests, []);
});

test("writes are held until the page has started, within their budget; the rest are written at once", async () => {
  const caches = memoryCaches();
  let start;
  const started = new Promise((resolve) => { start = resolve; });
  const cache = writesAfter(fileCache(caches, SITE), started, 8);
  await cache.put("small", text("small")); // 5 bytes: held
  await cache.put("large", text("too large")); // 9 bytes: over the budget
  await cache.put("third", text("abc")); // 3 more: 8 in all, held
  assert.deepEqual([...caches.stored.keys()], [`${SITE}.sha256/large`]);
  start();
  await started;
  await cache.written();
  assert.deepEqual([...caches.stored.keys()].sort(), ["large", "small", "third"].map((sha) => `${SITE}.sha256/${sha}`));
  assert.deepEqual(await cache.get("small"), text("small"));
});

test("a missing part is named", async () => {
  const whole = Uint8Array.from({ length: 20 }, (_, i) => i);
  const manifest = { "m.onnx": { ...piece("m.onnx", whole), fetch: true,
    parts: [piece("m.onnx.part000", whole.subarray(0, 10)), piece("m.onnx.part001", whole.subarray(10))] } };
  const files = siteFiles({ manifest, site: SITE, cache: fileCache(null, SITE), fetch: host({ "m.onnx.part000": whole.subarray(0, 10) }).fetch });
  await assert.rejects(files.load("m.onnx"), { name: "SiteFileError", message: /^m\.onnx\.part001 is broken: missing \(404/ });
  assert.equal(files.failures[0].path, "m.onnx.part001");
});

test("a redeploy's cache keeps only the current files", async () => {
  const caches = memoryCaches();
  const cache = fileCache(caches, SITE);
  await cache.put("old", text("old"));
  await cache.put("new", text("new"));
  const manifest = { "a.bin": { ...piece("a.bin", text("new")), sha256: "new", fetch: true } };
  await siteFiles({ manifest, site: SITE, cache, fetch: host({}).fetch }).keepOnly();
  assert.deepEqual([...caches.stored.keys()], [`${SITE}.sha256/new`]);
});

test("fetch is answered from the checked files, and passes the rest on", async () => {
  const manifest = { "a.wasm": { ...piece("a.wasm", WASM), fetch: true, type: "application/wasm" }, "b.mjs": piece("b.mjs", text("x")) };
  const served = host({ "a.wasm": WASM, "b.mjs": text("x") });
  const files = siteFiles({ manifest, site: SITE, cache: fileCache(null, SITE), fetch: served.fetch });
  const fetch = servingFetch(served.fetch, files, manifest, SITE);
  const response = await fetch(`${SITE}a.wasm`);
  assert.equal(response.headers.get("Content-Type"), "application/wasm");
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), WASM);
  await fetch(`${SITE}b.mjs`); // not fetched by the page: passed on as it is
  await fetch("https://other.test/app/a.wasm");
  assert.deepEqual(served.requests, ["a.wasm", "b.mjs", "a.wasm"]);
});

describe("a brotli-compressed file", () => {
  const packed = text("packed");
  const unpackedEntry = { path: "a.wasm", size: WASM.length, sha256: "unpacked-sha", type: "application/wasm" };
  const manifest = { "a.wasm.br": { ...piece("a.wasm.br", packed), fetch: true, unpacked: unpackedEntry } };
  // A visit: the page's fetch of a.wasm, with what it unpacked and what the host was asked for.
  async function visit(caches) {
    const served = host({ "a.wasm.br": packed });
    const unpacked = [];
    const unpack = async (bytes, size) => (unpacked.push([new TextDecoder().decode(bytes), size]), WASM);
    const cache = fileCache(caches, SITE);
    const read = [];
    const get = (sha) => (read.push(sha), cache.get(sha));
    const files = siteFiles({ manifest, site: SITE, cache: { ...cache, get }, fetch: served.fetch, unpack });
    await files.start(["a.wasm.br"]);
    const response = await servingFetch(served.fetch, files, manifest, SITE)(`${SITE}a.wasm`);
    assert.equal(response.headers.get("Content-Type"), "application/wasm");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), WASM);
    return { unpacked, requests: served.requests, files, read };
  }

  test("is also served under its name without .br, unpacked", async () => {
    const { unpacked, requests } = await visit(null);
    assert.deepEqual(unpacked, [["packed", WASM.length]]);
    assert.deepEqual(requests, ["a.wasm.br"]);
  });

  test("once taken, is not fetched again by a later start", async () => {
    const { unpacked, requests, files } = await visit(null);
    await files.start(["a.wasm.br"]);
    assert.deepEqual([unpacked.length, requests], [1, ["a.wasm.br"]]);
  });

  test("is kept unpacked too: a repeat visit neither fetches nor unpacks it, and a redeploy's cache keeps it", async () => {
    const caches = memoryCaches();
    await visit(caches);
    const again = await visit(caches);
    assert.deepEqual([again.unpacked, again.requests, again.read], [[], [], ["unpacked-sha"]]);
    await again.files.keepOnly();
    assert.deepEqual([...caches.stored.keys()].sort(), [`${SITE}.sha256/${manifest["a.wasm.br"].sha256}`, `${SITE}.sha256/unpacked-sha`].sort());
  });
});

test("diagnose names the first broken file", async () => {
  const manifest = { "a.mjs": piece("a.mjs", text("fine")), "b.mjs": piece("b.mjs", text("export {}")) };
  const broken = await diagnose({ manifest, site: SITE, fetch: host({ "a.mjs": text("fine"), "b.mjs": text("exp") }).fetch, paths: ["a.mjs", "b.mjs"] });
  assert.match(broken.message, /^b\.mjs is broken: truncated: 3 of 9 bytes/);
  assert.equal(await diagnose({ manifest, site: SITE, fetch: host({ "a.mjs": text("fine") }).fetch, paths: ["a.mjs"] }), null);
});

test("start settles once its files have come or failed, and a take gets that download", async () => {
  const manifest = { "a.wasm": { ...piece("a.wasm", WASM), fetch: true }, "b.bin": { ...piece("b.bin", text("b")), fetch: true } };
  const served = host({ "a.wasm": WASM });
  const files = siteFiles({ manifest, site: SITE, cache: fileCache(null, SITE), fetch: served.fetch });
  const results = await files.start(["a.wasm", "b.bin"]);
  assert.deepEqual(results.map(({ status }) => status), ["fulfilled", "rejected"]);
  assert.deepEqual(await files.take("a.wasm"), WASM);
  await assert.rejects(files.take("b.bin"), { name: "SiteFileError" });
  assert.deepEqual(served.requests.sort(), ["a.wasm", "b.bin"]);
});

test("a broken file is reported as soon as its fetch fails, before anything asks for it", async () => {
  const manifest = { "a.wasm": { ...piece("a.wasm", WASM), fetch: true, magic: "0061736d" } };
  const heard = [];
  const files = siteFiles({
    manifest, site: SITE, cache: fileCache(null, SITE), fetch: host({}).fetch, failed: (error, path) => heard.push([path, error.reason]),
  });
  files.start(["a.wasm"]);
  await assert.rejects(files.take("a.wasm"), /missing/);
  assert.equal(heard.length, 1);
  assert.equal(heard[0][0], "a.wasm");
  assert.match(heard[0][1], /^missing \(404/);
});
