// A file the site ships brotli-compressed (shipyard/site/brotli.py), decoded in the page by
// the pinned decoder (brotli-dec-wasm, in brotli/), which the browser lacks: its
// DecompressionStream knows gzip and deflate only. The decoder runs on the page's thread in
// steps of at most STEP bytes out, giving the event loop back between steps, so that the page never
// freezes (each step is handed at most STEP bytes in, as the decoder copies its input).
// A host that sends the file with `Content-Encoding: br` has the browser decode it
// first: then it arrives at its unpacked size and is used as it is (a brotli stream has no
// magic number to tell it by).
const STEP = 1 << 20;

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
      const { buf, code, input_offset: used } = stream.decompress(bytes.subarray(offset, offset + STEP), STEP);
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

// The file at `url`, `size` bytes unpacked, decoded by the decoder at `paths` (see `decoder`).
export async function unbrotlied(url, size, paths) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length === size) return bytes;
  return decoded(bytes, size, await decoder(paths));
}
