// A file the site ships gzipped (the snapshot: shipyard/site/snapshot.py), unpacked by the browser. A host
// that sends a .gz file with `Content-Encoding: gzip` has the browser unpack it first:
// then the bytes no longer start with gzip's magic number and are used as they are.
export async function gunzipped(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
}
