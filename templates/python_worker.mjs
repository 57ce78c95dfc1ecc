// PyScript's interpreter in the worker Python runs in, off the page's thread (a site built
// without --python-on-page): Pyodide, started as on the page (pyodide_start.mjs), once the
// page has sent its JSON block. The worker has no page to read and no fetch of its own: it
// asks the page for every file (the page fetches them checked, cached and unpacked,
// files.mjs), and talks to it over a channel of its own (channel.mjs; PyScript's messages
// take the worker's own port). `globalThis.shipyardBoot` is what Python calls, as on the page
// (runtime/browser.py); the page's side is python_link.mjs.
import { loadPyodide as load, version } from "./pyodide/pyodide.mjs";
import { channel, HELLO } from "./channel.mjs";
import { fileCache } from "./files.mjs";
import { Extents } from "./numbers.mjs";
import { pyodideStart } from "./pyodide_start.mjs";
import { inSteps } from "./steps.mjs";
import { stdlibRest } from "./stdlib.mjs";

export { version };

const site = new URL("./", import.meta.url).href;
let page; // Python's Page, once attached
const { port1, port2 } = new MessageChannel();
const call = channel(port1, {
  page: (method, ...args) => page[method](...args), // what it returns is JS's already (runtime/browser.py)
});
postMessage({ [HELLO]: port2 }, [port2]);
addEventListener("py:progress", ({ detail }) => call("progress", [detail])); // PyScript's stages, for the status line

// A GET of the site's own goes to the page; any other request (a hook's) as it would.
const ownFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), site).href;
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (method !== "GET" || !url.startsWith(site)) return ownFetch(input, init);
  const { status, type, bytes } = await call("file", [url]);
  return new Response(bytes, { status, headers: type ? { "Content-Type": type } : {} });
};

const started = call("data").then((data) => {
  const { names, manifest } = JSON.parse(data);
  const extents = new Extents();
  const rest = stdlibRest(fileCache(globalThis.caches, site, "stdlib "), manifest[names.files.stdlibRest]);
  globalThis.shipyardBoot = {
    data,
    site,
    attach: (attached) => {
      page = attached;
      rest.loaded.then(() => call("attach"));
    },
    fail: (message) => call("fail", [String(message)]),
    within: (array, low, high) => extents.within(array, low, high),
    stdlibRest: rest,
    inSteps: (step, modules, then) => inSteps({
      step, names: modules, then, pause: async () => {}, fail: (error) => call("fail", [String(error?.message ?? error)]),
    }),
  };
  return pyodideStart({ load, names, manifest, site, fresh: () => call("fresh"), restored: () => call("restored") });
});

export const loadPyodide = async (options) => (await started)(options);
