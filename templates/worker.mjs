// The site's service worker (sw.js): it keeps the page for visits with the network off and,
// on a site built with threads, makes the page cross-origin isolated where the host sends no
// such headers, at the cost of one reload on the first visit. A browser that refuses
// service workers (or a page that is not a secure context) runs online, on one thread.
//
// A page that loaded without a worker reloads once one is active (`ready`), however long
// its install takes (it fetches the page to keep it): a reload on `updatefound` came while
// the worker was still installing, and the page it reloaded saw neither an active worker
// nor a new `updatefound`, so it stayed unisolated. One that loaded under a worker and is
// still not isolated (a worker of an earlier deploy, without threads) reloads when the new
// worker is found, and never more: its reload is under a worker too.
import { PAGE_DATA } from "./page.mjs";

export function registerWorker(path, isolating) {
  const workers = navigator.serviceWorker;
  if (!workers) return;
  const controlled = workers.controller !== null; // as the page loaded: clients.claim() changes it later
  const url = `./${path}?data=${PAGE_DATA}${isolating ? "&isolate" : ""}`; // sw.js reads both
  workers.register(url, { updateViaCache: "none" }).then((registration) => {
    if (!isolating || crossOriginIsolated) return;
    if (controlled) registration.addEventListener("updatefound", () => location.reload());
    else workers.ready.then(() => location.reload());
  }, (error) => console.debug("no service worker:", error));
}

// Once the page is ready: the page and what the browser loaded for it (`loaded`, the paths
// of its modules and style), for the worker to keep. The files the page fetches are kept by
// files.mjs.
export function keepForOffline(site, loaded) {
  const keep = [location.href.split("#")[0], ...loaded.map((path) => new URL(path, site).href)];
  navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage({ keep }));
}
