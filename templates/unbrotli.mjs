// A file the site ships brotli-compressed (shipyard/site/brotli.py), decoded for the page by
// the pinned decoder (brotli-dec-wasm, in brotli/), which the browser lacks: its
// DecompressionStream knows gzip and deflate only. The decoder runs in a worker
// (unbrotli_worker.mjs), so that decoding, tens of MB, never holds the page's thread. A
// host that sends the file with `Content-Encoding: br` has the browser decode it first: then
// it arrives at its unpacked size and is used as it is (a brotli stream has no magic number
// to tell it by).
const IN_STEP = 1 << 16; // the decoder copies its input: hand it a slice at a time
const OUT_STEP = 1 << 20;

// `bytes` decoded by `brotli` (the decoder's module, initialised) into `size` bytes.
export async function decoded(bytes, size, brotli) {
  if (bytes.length === size) return bytes;
  const stream = new brotli.DecompressStream();
  const out = new Uint8Array(size);
  let written = 0;
  let offset = 0;
  try {
    for (;;) {
      const { buf, code, input_offset: used } = stream.decompress(bytes.subarray(offset, offset + IN_STEP), OUT_STEP);
      if (written + buf.length > size) throw new Error(`unpacks to more than ${size} bytes`);
      out.set(buf, written);
      written += buf.length;
      offset += used;
      if (code === brotli.BrotliStreamResultCode.ResultSuccess) break;
      if (code === brotli.BrotliStreamResultCode.NeedsMoreInput && offset >= bytes.length) throw new Error("cut short");
    }
  } finally {
    stream.free();
  }
  if (written !== size) throw new Error(`unpacks to ${written} bytes, not ${size}`);
  return out;
}

// `unpack(bytes, size)`, decoding in the worker at `worker` (a URL), which is handed the
// decoder's module (`module`, a URL) and its wasm (`wasm`, a promise of its bytes). `bytes`
// are copied to the worker: the page's cache may still be writing them. A worker that fails
// to start fails each decoding with the reason.
export function decoderWorker({ worker, module, wasm }) {
  const decoding = new Worker(worker, { type: "module" });
  const pending = new Map();
  let failure = null;
  let next = 0;
  decoding.addEventListener("message", ({ data: { id, bytes, error } }) => {
    const { resolve, reject } = pending.get(id);
    pending.delete(id);
    if (error === undefined) resolve(bytes);
    else reject(new Error(error));
  });
  decoding.addEventListener("error", (event) => {
    failure = new Error(`the brotli decoder's worker did not start (${event.message || "its module did not load"})`);
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  });
  const started = wasm.then((bytes) => decoding.postMessage({ module, wasm: bytes }, [bytes]));
  return async (bytes, size) => {
    await started;
    if (failure) throw failure;
    const copy = bytes.slice();
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      decoding.postMessage({ id, bytes: copy, size }, [copy.buffer]);
    });
  };
}
