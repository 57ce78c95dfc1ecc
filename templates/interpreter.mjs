// PyScript's interpreter: Pyodide, restored from the memory snapshot made when the site
// was built (shipyard/site/snapshot.py), which skips most of the interpreter's start-up;
// but only once the browser holds the snapshot. Its bytes cost a first visit more time on
// a typical link than restoring saves (benchmarks/snapshot_weight.py), so a first visit
// starts Pyodide afresh and fetches the snapshot once the page is ready, checked and kept
// with the site's other files (files.mjs), for the visits after it.
import { loadPyodide as loadFresh, version } from "./pyodide/pyodide.mjs";
import { fileCache } from "./files.mjs";
import { gunzipped } from "./gunzip.mjs";
import { pageData } from "./page.mjs";

export { version };

const { names, manifest } = pageData(document);
const url = new URL(`./${names.files.snapshot}`, import.meta.url);
const site = new URL("./", import.meta.url).href;
const kept = fileCache(globalThis.caches, site).get(manifest[names.files.snapshot].sha256);
const snapshot = kept.then((bytes) => (bytes ? gunzipped(url) : null), () => null);

// Pyodide finds its files next to the module that calls it unless told where they are.
const indexURL = new URL("./pyodide/", import.meta.url).href;

// Once the whole page runs (its Python mark is set), fetch the snapshot for the next visit. The
// fetch goes through the page's checked fetch; a broken one is never kept, so never used.
function fetchWhenReady() {
  const observer = new PerformanceObserver((list) => {
    if (!list.getEntriesByName(names.marks.python).length) return;
    observer.disconnect();
    fetch(url).catch((error) => console.debug("start-up snapshot not kept:", error));
  });
  observer.observe({ type: "mark", buffered: true });
}

// The snapshot holds the `random` module as it was seeded when the site was built: seed it
// anew, or every visitor would draw the same numbers. (str hashes keep the build's secret,
// as under a fixed PYTHONHASHSEED: the order of a set of strings repeats across visits.)
export async function loadPyodide(options) {
  const restored = await snapshot;
  if (!restored) {
    fetchWhenReady();
    return loadFresh({ ...options, indexURL });
  }
  const pyodide = await loadFresh({ ...options, indexURL, _loadSnapshot: restored });
  pyodide.runPython("import random; random.seed()");
  performance.mark(names.marks.restored);
  restored.buffer.transfer?.(0); // free it: Pyodide holds no use for it now
  return pyodide;
}
