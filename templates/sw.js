// The site's service worker (registered by worker.mjs). It keeps the page and the modules
// the browser loads itself, so that after one visit the site opens with the network off.
// The page it asks the network for first, and falls back on its copy. A module or the
// style it answers from its copy when the page that asks for it names that copy's sha256
// in its manifest (the page's JSON block, whose id worker.mjs gives as `data`): a repeat
// visit then asks the host for nothing but the page, and a redeploy's page names new
// hashes for what changed, which comes from the network as before. The files the page
// fetches are checked and kept by the page itself (files.mjs), and pass here untouched. A
// site built with threads (`isolate`) also gets the headers that make it cross-origin
// isolated, the work mini-coi's worker did: a scope has one worker, so this one does both.
const scope = new URL("./", self.location).href;
const query = new URL(self.location).searchParams;
const isolate = query.has("isolate");
const PAGE_DATA = query.get("data");
const SHELL = `shipyard shell ${new URL(scope).pathname}`;
const FILE_REQUEST = "x-shipyard-file"; // files.mjs's FILE_REQUEST
const KEPT_SHA256 = "x-shipyard-sha256"; // on a kept copy: the sha256 of its bytes

// The page and what the browser loaded for it: the page names those (worker.mjs) once
// it is ready, on every visit. Those not kept yet are fetched, and those kept with another
// sha256 than the page names: a redeploy's files replace the old ones.
self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(keepAll([scope]));
});

self.addEventListener("message", (event) => {
  const { keep } = event.data ?? {};
  if (Array.isArray(keep)) event.waitUntil(keepMissing(keep, deploys.get(event.source?.id) ?? lastDeploy));
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

// A copy of `response` kept for `request`, with the sha256 of its bytes. (Only its type is
// kept of its headers: its bytes are the decoded ones, whatever encoding it came in.)
async function keep(request, response) {
  const bytes = await response.arrayBuffer();
  const headers = { "Content-Type": response.headers.get("Content-Type") ?? "", [KEPT_SHA256]: hex(await crypto.subtle.digest("SHA-256", bytes)) };
  const cache = await caches.open(SHELL);
  await cache.put(request, new Response(bytes, { status: response.status, statusText: response.statusText, headers }));
}

const keepAll = (urls) => Promise.all(urls.map(async (url) => {
  const response = await fetch(url);
  if (response.ok) await keep(url, response);
})).catch(() => {});

async function keepMissing(urls, deploy) {
  const hashes = await deploy;
  const cache = await caches.open(SHELL);
  const kept = await Promise.all(urls.map((url) => cache.match(url)));
  const stale = (copy, sha256) => !copy || (sha256 !== undefined && copy.headers.get(KEPT_SHA256) !== sha256);
  await keepAll(urls.filter((url, i) => stale(kept[i], hashes?.get(url))));
}

function isolated(response) {
  if (!isolate || !response.status || response.status > 399) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  const { status, statusText } = response;
  return new Response(status === 204 ? null : response.body, { status, statusText, headers });
}

// The network's answer, kept once the page has it (keeping it first held every module of
// a repeat visit back by a write to the cache); or else the copy.
async function networkFirst(event) {
  const { request } = event;
  try {
    const response = await fetch(request);
    if (response.ok) event.waitUntil(keep(request, response.clone()).catch(() => {}));
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { cacheName: SHELL, ignoreSearch: request.mode === "navigate" });
    if (kept) return kept;
    throw offline;
  }
}

// The sha256 of each of the site's files, by URL, as the page of a navigation names them:
// by the page (its client id) while it loads, and the last page's for a request of no
// page's (a worker's). A page without them (none of the site's) leaves its modules to the
// network.
const deploys = new Map();
let lastDeploy = Promise.resolve(null);
const PAGES_HELD = 16;

async function hashesOf(page) {
  const block = (await page.text()).match(new RegExp(`id="${PAGE_DATA}">([^<]*)<`));
  if (!block) return null;
  const { manifest } = JSON.parse(block[1]);
  return new Map(Object.entries(manifest).map(([path, { sha256 }]) => [new URL(path, scope).href, sha256]));
}

async function navigation(event) {
  const page = await networkFirst(event);
  if (PAGE_DATA && page.ok) {
    lastDeploy = hashesOf(page.clone()).catch(() => null);
    deploys.set(event.resultingClientId, lastDeploy);
    if (deploys.size > PAGES_HELD) deploys.delete(deploys.keys().next().value);
  }
  return page;
}

// The copy when the page asking names its sha256, else the network's answer.
async function keptFirst(event) {
  const { request } = event;
  const sha256 = (await (deploys.get(event.clientId) ?? lastDeploy))?.get(request.url);
  const kept = sha256 && await caches.match(request, { cacheName: SHELL });
  return kept && kept.headers.get(KEPT_SHA256) === sha256 ? kept : networkFirst(event);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.href.startsWith(scope) || request.headers.has(FILE_REQUEST)) return;
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  event.respondWith((request.mode === "navigate" ? navigation(event) : keptFirst(event)).then(isolated));
});
