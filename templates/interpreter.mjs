// PyScript's interpreter on a site whose Python runs on the page (--python-on-page) and that
// ships a start-up snapshot: Pyodide, restored from it where the browser holds it
// (pyodide_start.mjs).
import { loadPyodide as load, version } from "./pyodide/pyodide.mjs";
import { pageData } from "./page.mjs";
import { keepSnapshot, pyodideStart } from "./pyodide_start.mjs";

export { version };

const { names, manifest } = pageData(document);
const site = new URL("./", import.meta.url).href;
export const loadPyodide = pyodideStart({
  load, names, manifest, site,
  fresh: () => keepSnapshot(names, site),
  restored: () => performance.mark(names.marks.restored),
});
