// The rest of Python's standard library: the modules the build's trace did not see
// (shipyard/site/stdlib.py), which Python fetches synchronously on the first import that
// needs one (runtime/stdlib_rest.py). A synchronous request passes by the service worker,
// so the page keeps the rest itself, in a cache of its own (the site's file cache keeps
// only what the page fetches on the way to ready), and hands it to Python on later visits,
// offline too. `cache` is a `fileCache`, `entry` the rest's manifest entry (none in a site
// built with --full-stdlib).
export function stdlibRest(cache, entry) {
  if (!entry) return { bytes: null, keep: async () => {}, loaded: Promise.resolve() };
  const rest = {
    bytes: null, // the kept rest, once `loaded`
    // Keep the rest Python fetched (Uint8Array), in place of an earlier deploy's.
    keep: async (bytes) => {
      await cache.keep([]);
      await cache.put(entry.sha256, bytes);
    },
  };
  rest.loaded = cache.get(entry.sha256).then(async (kept) => {
    if (kept?.length === entry.size) rest.bytes = kept;
    else await cache.keep([]); // an earlier deploy's, or a short copy
  }).catch(() => {}); // nothing kept: Python fetches it if an import needs it
  return rest;
}
