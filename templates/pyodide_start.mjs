// Pyodide's start, restored from the memory snapshot made when the site was built
// (shipyard/site/snapshot.py), which skips most of the interpreter's start-up; but only once
// the browser holds the snapshot. Its bytes cost a first visit more time on a typical link
// than restoring saves (benchmarks/snapshot_weight.py), so a first visit starts Pyodide
// afresh and fetches the snapshot once the page runs (`keepSnapshot`), checked and kept
// with the site's other files (files.mjs), for the visits after it. On the page
// (interpreter.mjs) or in the worker Python runs in (python_worker.mjs).
import { fileCache } from "./files.mjs";
import { gunzipped } from "./gunzip.mjs";

// PyScript's `loadPyodide`, made of Pyodide's own (`load`), for the site at `site` whose page
// names `names` and `manifest`:
// `fresh()` is told when there is a snapshot to fetch for the next visit, `restored()` when
// this visit restored it. The lookup of the kept snapshot starts at once.
export function pyodideStart({ load, names, manifest, site, fresh, restored }) {
  const entry = manifest[names.files.snapshot];
  const url = new URL(`./${names.files.snapshot}`, site);
  const kept = entry ? fileCache(globalThis.caches, site).get(entry.sha256) : Promise.resolve(null);
  const snapshot = kept.then((bytes) => (bytes ? gunzipped(url) : null), () => null);
  // Pyodide finds its files next to the module that calls it unless told where they are.
  const indexURL = new URL("./pyodide/", site).href;

  // The snapshot holds the `random` module as it was seeded when the site was built: seed it
  // anew, or every visitor would draw the same numbers. (str hashes keep the build's secret,
  // as under a fixed PYTHONHASHSEED: the order of a set of strings repeats across visits.)
  return async (options) => {
    const bytes = await snapshot;
    if (!bytes) {
      if (entry) fresh();
      return load({ ...options, indexURL });
    }
    const pyodide = await load({ ...options, indexURL, _loadSnapshot: bytes });
    pyodide.runPython("import random; random.seed()");
    restored();
    bytes.buffer.transfer?.(0); // free it: Pyodide holds no use for it now
    return pyodide;
  };
}

// Once the whole page runs (its Python mark is set), fetch the snapshot for the next visit,
// through the page's checked fetch: a broken one is never kept, so never used.
export function keepSnapshot(names, site) {
  const observer = new PerformanceObserver((list) => {
    if (!list.getEntriesByName(names.marks.python).length) return;
    observer.disconnect();
    fetch(new URL(`./${names.files.snapshot}`, site)).catch((error) => console.debug("start-up snapshot not kept:", error));
  });
  observer.observe({ type: "mark", buffered: true });
}
