// The site's service worker (registered by worker.mjs). It keeps the page and the modules
// the browser loads itself, so that after one visit the site opens with the network off:
// it asks the network first and falls back on its copy. The files the page fetches are
// checked and kept by the page itself (files.mjs), and pass here untouched. A site built
// with threads (`?isolate`) also gets the headers that make it cross-origin isolated, the
// work mini-coi's worker did: a scope has one worker, so this one does both.
const scope = new URL("./", self.location).href;
const isolate = new URL(self.location).searchParams.has("isolate");
const SHELL = `shipyard shell ${new URL(scope).pathname}`;
const FILE_REQUEST = "x-shipyard-file"; // files.mjs's FILE_REQUEST

// The page and what the browser loaded for it: the page names those (worker.mjs) once
// it is ready, on every visit, so that a redeploy's files replace the old ones.
self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll([scope])).catch(() => {}));
});

self.addEventListener("message", (event) => {
  const { keep } = event.data ?? {};
  if (Array.isArray(keep)) event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(keep)).catch(() => {}));
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

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
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(SHELL).then((cache) => cache.put(request, copy)).catch(() => {}));
    }
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { cacheName: SHELL, ignoreSearch: request.mode === "navigate" });
    if (kept) return kept;
    throw offline;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.href.startsWith(scope) || request.headers.has(FILE_REQUEST)) return;
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  event.respondWith(networkFirst(event).then(isolated));
});
