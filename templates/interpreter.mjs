// PyScript's interpreter: Pyodide, restored from the memory snapshot made when the site
// was built (shipyard/site/snapshot.py), which skips most of the interpreter's start-up.
import { loadPyodide as loadFresh, version } from "./pyodide/pyodide.mjs";
import { gunzipped } from "./gunzip.mjs";
import { pageData } from "./page.mjs";

export { version };

const snapshot = gunzipped(new URL(`./${pageData(document).names.files.snapshot}`, import.meta.url));

// Pyodide finds its files next to the module that calls it unless told where they are.
const indexURL = new URL("./pyodide/", import.meta.url).href;

// The snapshot holds the `random` module as it was seeded when the site was built: seed it
// anew, or every visitor would draw the same numbers. (str hashes keep the build's secret,
// as under a fixed PYTHONHASHSEED: the order of a set of strings repeats across visits.)
export async function loadPyodide(options) {
  const pyodide = await loadFresh({ ...options, indexURL, _loadSnapshot: snapshot });
  pyodide.runPython("import random; random.seed()");
  (await snapshot).buffer.transfer?.(0); // free it: Pyodide keeps the promise, not a use for it
  return pyodide;
}
