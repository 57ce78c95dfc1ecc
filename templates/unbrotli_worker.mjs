// The page's brotli decoder in a worker of its own (unbrotli.mjs `decoderWorker`): each file
// the site ships brotli-compressed is decoded whole as soon as it arrives, while the page's
// thread goes on with onnxruntime-web's and Pyodide's start. Its first message names the
// decoder's module and hands it the decoder's wasm, which the page fetched and checked;
// each one after it is a file, `{id, bytes, size}`, answered `{id, bytes}` or `{id, error}`.
import { decoded } from "./unbrotli.mjs";

let brotli;
addEventListener("message", async ({ data }) => {
  if (data.module) {
    brotli = import(data.module).then(async (module) => {
      await module.default({ module_or_path: data.wasm });
      return module;
    });
    return;
  }
  const { id, bytes, size } = data;
  try {
    const out = await decoded(bytes, size, await brotli);
    postMessage({ id, bytes: out }, [out.buffer]);
  } catch (error) {
    postMessage({ id, error: error.message });
  }
});
