// A file the site ships brotli-compressed (shipyard/site/brotli.py), decoded in the page by
// the pinned decoder (brotli-dec-wasm, in brotli/), which the browser lacks: its
// DecompressionStream knows gzip and deflate only. The decoder runs on the page's thread in
// small steps, giving the event loop back between them, so that the page never freezes:
// each step is handed IN_STEP bytes in (the decoder copies its input, and decodes what it
// is given before it returns) and gives at most OUT_STEP bytes out. A host that sends the
// file with `Content-Encoding: br` has the browser decode it first: then it arrives at its
// unpacked size and is used as it is (a brotli stream has no magic number to tell it by).
const IN_STEP = 1 << 16;
const OUT_STEP = 1 << 20;

const pause = () => globalThis.scheduler?.yield?.() ?? new Promise((resolve) => setTimeout(resolve, 0));

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
      await pause();
    }
  } finally {
    stream.free();
  }
  if (written !== size) throw new Error(`unpacks to ${written} bytes, not ${size}`);
  return out;
}

// The decoder: its module at `module`, its wasm at `wasm` (both paths in the site).
export async function decoder({ module, wasm }) {
  const brotli = await import(module);
  await brotli.default({ module_or_path: fetch(wasm) });
  return brotli;
}
