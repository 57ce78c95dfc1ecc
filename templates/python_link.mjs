// The page's side of the worker Python runs in (python_worker.mjs). Once PyScript has made
// the worker, it answers the worker's calls: the page's JSON block, each file (fetched
// through the page's own fetch: checked, cached and unpacked, files.mjs), the start's news;
// and it attaches a stand-in for Python's `Page`, whose every method is a call into the
// worker (every call into Python is awaited already, and takes and gives plain data:
// predict.mjs). `hooks` are PyScript's; `heard()` is told of each file asked for, and
// `progress(detail)` of each of PyScript's stages in the worker (PyScript passes them on
// only where the page has SharedArrayBuffer).
import { channel, HELLO } from "./channel.mjs";

export function linkPython(hooks, { data, attach, fail, fresh, restored, heard, progress }) {
  hooks.main.onWorker.add((wrap, xworker) => {
    xworker.addEventListener("message", ({ data: message }) => {
      const port = message?.[HELLO];
      if (!port) return;
      const call = channel(port, {
        data: () => data,
        file: (url) => {
          heard();
          return served(url);
        },
        attach: () => attach(standIn(call)),
        fail,
        fresh,
        restored,
        progress,
      });
    });
  });
}

async function served(url) {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("Content-Type"), bytes: await response.arrayBuffer() };
}

// Python's `Page` in the worker: each method a call. No `then`: a promise may resolve to it.
const standIn = (call) => new Proxy({}, {
  get: (target, method) => (method === "then" || typeof method !== "string"
    ? undefined
    : (...args) => call("page", [method, ...args])),
});
