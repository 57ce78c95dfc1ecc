// The site's files as the page fetches them, checked against the manifest the build wrote
// (shipyard/site/manifest.py): each response's status, size, first bytes and sha256. A
// file that passes is kept in the browser's cache under its sha256, so that a later visit
// fetches nothing that did not change; a file shipped in parts is fetched in parallel and
// joined. A broken one is named with its likely cause (SiteFileError).

// A header on the page's own requests for site files: the service worker lets them pass.
export const FILE_REQUEST = "x-shipyard-file";
const LFS_POINTER = "version https://git-lfs.github.com/spec/v1";
const HTML_START = /^\s*<(!doctype\s+html|html|head|body|title|meta)[\s>]/i;
const KINDS = { "0061736d": "wasm", "504b0304": "zip", "1f8b": "gzip" };

export class SiteFileError extends Error {
  constructor(path, reason) {
    super(`${path} is broken: ${reason}`);
    this.name = "SiteFileError";
    this.path = path;
    this.reason = reason;
  }
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const startsWith = (bytes, magic) => hex(bytes.subarray(0, magic.length / 2)) === magic;

// The sha256 of `bytes` in hex, or null where the browser has no crypto.subtle (a page
// served over plain http from another machine): its size and first bytes are still checked.
export async function sha256(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

const count = (n) => n.toLocaleString("en");

// What the host's answer itself says is wrong: a status, or a stand-in for the file.
function answerFault(path, status, bytes) {
  if (status === 404) return "missing (404 Not Found): the host does not have this file; deploy the whole site again";
  if (status >= 400) return `the host answered ${status} for it`;
  const head = new TextDecoder().decode(bytes.subarray(0, 256));
  if (head.startsWith(LFS_POINTER)) {
    return "a Git LFS pointer, not the file: the host serves LFS pointers as they are; commit the file itself, or deploy from a copy with LFS files pulled";
  }
  if (HTML_START.test(head) && !path.endsWith(".html")) {
    return "an HTML page instead of the file (the host's page for a missing file?); deploy the whole site again";
  }
  return null;
}

// What is wrong with the bytes that came for `piece` ({path, size, sha256, magic?,
// unpacked?}), or null. `status` is the HTTP status, `bytes` what arrived (or its first
// `length` bytes, when more arrived than the file holds).
export async function fault(piece, status, bytes, length = bytes.length) {
  const expected = piece.unpacked && cameUnpacked(piece, bytes, length) ? piece.unpacked : piece;
  return answerFault(piece.path, status, bytes) ?? sizeFault(expected, length)
    ?? (expected === piece ? magicFault(piece, bytes) : null) ?? await hashFault(expected, bytes);
}

// Whether a compressed file came as its content, its host having sent it with a
// `Content-Encoding`: a gzipped file then lacks gzip's magic number; a brotli stream has
// none, and is told by its length.
const cameUnpacked = (piece, bytes, length) => piece.magic ? !startsWith(bytes, piece.magic) : length === piece.unpacked.size;

function sizeFault(expected, length) {
  if (length < expected.size) return `truncated: ${count(length)} of ${count(expected.size)} bytes arrived; deploy it again`;
  if (length > expected.size) {
    return `integrity mismatch: ${count(length)} bytes, not ${count(expected.size)}; it is not the file this site was built with`;
  }
  return null;
}

function magicFault(piece, bytes) {
  if (!piece.magic || startsWith(bytes, piece.magic)) return null;
  return `integrity mismatch: it does not start as a ${KINDS[piece.magic] ?? "file of its kind"} does`;
}

async function hashFault(expected, bytes) {
  const digest = await sha256(bytes);
  if (digest === null || digest === expected.sha256) return null;
  return `integrity mismatch: its sha256 is ${digest.slice(0, 12)}…, not ${expected.sha256.slice(0, 12)}…; it is not the file this site was built with`;
}

// The body of `response`, read into one buffer of the size the manifest gives (more if it
// may come unpacked), reporting the bytes received so far; `length` counts what arrived,
// kept or not.
async function body(response, room, received) {
  const buffer = new Uint8Array(room);
  const reader = response.body.getReader();
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: buffer.subarray(0, Math.min(length, room)), length };
    if (length < room) buffer.set(value.subarray(0, room - length), length);
    length += value.length;
    received(length);
  }
}

// Cache API storage for one site (the cache is named after the site's folder, since sites
// on one host share an origin, and `kind` when not the site's files): bytes under their
// sha256. `caches` is absent where the page is not a secure context; then nothing is kept.
export function fileCache(caches, site, kind = "") {
  const name = `shipyard ${kind}${new URL(site).pathname}`;
  const key = (sha) => new URL(`.sha256/${sha}`, site).href;
  const open = caches ? caches.open(name).catch(() => null) : Promise.resolve(null);
  return {
    async get(sha) {
      const response = await (await open)?.match(key(sha));
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    async put(sha, bytes) {
      await (await open)?.put(key(sha), new Response(bytes)).catch(() => {}); // a full disk keeps nothing
    },
    // Drop every file this site no longer holds (after a redeploy).
    async keep(shas) {
      const cache = await open;
      if (!cache) return;
      const kept = new Set([...shas].map(key));
      for (const request of await cache.keys()) if (!kept.has(request.url)) await cache.delete(request);
    },
  };
}

// `cache` with its writes held until `started` settles (the page's start), up to `room`
// bytes in all, the rest written at once. A write copies its bytes on the page's thread, and
// on a first visit the page writes all it fetches, tens of MB, while it starts. The held
// writes are then made one a task, in turn: made at once, they were one long task. The
// budget bounds the memory held for them: a big model's weights are written as they come.
export function writesAfter(cache, started, room) {
  let held = 0;
  let queue = started;
  const nextTask = () => new Promise((resolve) => setTimeout(resolve));
  return {
    ...cache,
    put(sha, bytes) {
      if (held + bytes.length > room) return cache.put(sha, bytes);
      held += bytes.length;
      queue = queue.then(nextTask).then(() => cache.put(sha, bytes));
      return Promise.resolve();
    },
    // Settles once every write held so far is made.
    written: () => queue,
  };
}

// What the page fetches for `entry`: its parts, or the file itself.
export const piecesOf = (entry) => entry.parts ?? [entry];

// One piece of `entry` (the file itself, or one of its parts): from the cache, or fetched
// and checked, then kept.
async function fetchPiece({ site, cache, fetch, received }, part, entry) {
  const kept = await cache.get(part.sha256);
  if (kept && kept.length === part.size) {
    received(part.path, part.size);
    return kept;
  }
  const response = await fetch(new URL(part.path, site), { headers: { [FILE_REQUEST]: "1" } }).catch((error) => {
    throw new SiteFileError(part.path, `cannot be fetched (${error.message}); is the network down?`);
  });
  const whole = part === entry;
  const room = Math.max(part.size, whole ? entry.unpacked?.size ?? 0 : 0);
  const { bytes, length } = response.ok
    ? await body(response, room, (n) => received(part.path, Math.min(n, part.size)))
    : { bytes: new Uint8Array(), length: 0 };
  const checked = whole ? part : { ...part, magic: part === entry.parts[0] ? entry.magic : undefined };
  const reason = await fault(checked, response.status, bytes, length);
  if (reason) throw new SiteFileError(part.path, reason);
  await cache.put(part.sha256, bytes);
  return bytes;
}

// The site's fetched files: `load(path)` gives a file's bytes, from the cache or checked
// from the host. `fetch` is the browser's own; `received(path, bytes)` reports progress;
// `failed(error, path)` hears of a broken file at once, before what needs it asks for it;
// `unpack(bytes, size)` decodes a brotli-compressed one.
export function siteFiles({ manifest, site, cache, fetch, received = () => {}, failed = () => {}, unpack }) {
  const failures = [];
  const piece = (part, entry) => fetchPiece({ site, cache, fetch, received }, part, entry);
  const load = async (path) => {
    const entry = manifest[path];
    try {
      if (!entry.parts) return await piece(entry, entry);
      const parts = await Promise.all(entry.parts.map((part) => piece(part, entry)));
      const whole = new Uint8Array(entry.size);
      parts.reduce((offset, part) => (whole.set(part, offset), offset + part.length), 0);
      return whole;
    } catch (error) {
      failures.push(error);
      failed(error, path);
      throw error;
    }
  };
  const started = new Map(); // what `start` began: a file's bytes, by path
  const contents = new Map(); // and a brotli-compressed file's, with its content (`contentOf`)
  const took = new Set(); // what was taken: never begun again
  const contentOf = (path) => unpackedOf(manifest, cache, load, unpack, path);
  const begin = (path) => {
    const [begun, make] = isBrotli(path, manifest[path]) ? [contents, contentOf] : [started, (file) => ({ arrived: load(file) })];
    if (!begun.has(path) && !took.has(path)) begun.set(path, make(path));
    return begun.get(path)?.arrived;
  };
  const taken = (begun, path) => {
    const early = begun.get(path);
    begun.delete(path);
    took.add(path);
    return early;
  };
  return {
    failures,
    load,
    holds: (path) => manifest[path]?.fetch === true,
    // Start fetching `paths` now, but those begun or taken already; the first `take` (or
    // `takeUnpacked`) of each gets that download. Settles when they have all come or failed
    // (a failure is the take's to report).
    start: (paths) => Promise.allSettled(paths.map(begin)),
    take: (path) => taken(started, path)?.arrived ?? load(path),
    takeUnpacked: (path) => (taken(contents, path) ?? contentOf(path)).content,
    keepOnly: () => cache.keep(Object.entries(manifest).flatMap(([path, entry]) => (entry.fetch ? keptShas(path, entry) : []))),
  };
}

// A brotli-compressed file as `start` begins it: its content as kept, under its own
// sha256, by an earlier visit, which spares a repeat visit the file; else the file itself
// (`arrived`), unpacked as soon as it arrives (`unpack` decodes off the page's thread) and
// kept (`content`).
function unpackedOf(manifest, cache, load, unpack, path) {
  const { unpacked } = manifest[path];
  const kept = cache.get(unpacked.sha256).then((bytes) => (bytes?.length === unpacked.size ? bytes : null));
  const arrived = kept.then((bytes) => (bytes ? null : load(path)));
  const content = arrived.then(async (packed) => {
    if (!packed) return kept;
    const made = await unpack(packed, unpacked.size);
    await cache.put(unpacked.sha256, made);
    return made;
  });
  content.catch(() => {}); // a failure is the take's to report
  return { arrived, content };
}

// The sha256s a fetched file is kept under: its pieces', and its content's when unpacked
// in the page (see `takeUnpacked`).
const keptShas = (path, entry) => [...piecesOf(entry).map((piece) => piece.sha256), ...(isBrotli(path, entry) ? [entry.unpacked.sha256] : [])];
const isBrotli = (path, entry) => path.endsWith(".br") && entry.fetch && entry.unpacked !== undefined;

// The first broken file among `paths`, each fetched again and checked, or null.
export async function diagnose({ manifest, site, fetch, paths }) {
  const checker = siteFiles({ manifest, site, cache: fileCache(null, site), fetch });
  const results = await Promise.allSettled(paths.map((path) => checker.load(path)));
  return results.find((result) => result.status === "rejected")?.reason ?? null;
}

// A `fetch` that answers the site's fetched files from `files` (checked, cached, joined),
// a brotli-compressed one also under its content's path, unpacked (Pyodide asks for its
// wasm by its own name), and passes every other request to the browser's own `fetch`.
export function servingFetch(fetch, files, manifest, site) {
  const serve = (bytes, type) => new Response(bytes, { headers: { "Content-Type": type } });
  const packedAs = new Map(Object.entries(manifest)
    .filter(([path, entry]) => isBrotli(path, entry))
    .map(([path, entry]) => [entry.unpacked.path, path]));
  return (input, init) => {
    const path = sitePath(input, init, site);
    if (path !== null && files.holds(path)) return files.take(path).then((bytes) => serve(bytes, manifest[path].type));
    const packed = packedAs.get(path);
    if (packed === undefined) return fetch(input, init);
    return files.takeUnpacked(packed).then((bytes) => serve(bytes, manifest[packed].unpacked.type));
  };
}

// The path in the site a plain GET of `input` asks for, or null for any other request.
function sitePath(input, init, site) {
  const url = new URL(input instanceof Request ? input.url : String(input), site);
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (method !== "GET" || url.search || !url.href.startsWith(site)) return null;
  return decodeURIComponent(url.pathname.slice(new URL(site).pathname.length));
}
