// The Cache API's part that fileCache uses, in memory (Node has no Cache API).
export function memoryCaches() {
  const stored = new Map();
  const cache = {
    match: async (url) => (stored.has(url) ? new Response(stored.get(url)) : undefined),
    put: async (url, response) => { stored.set(url, new Uint8Array(await response.arrayBuffer())); },
    keys: async () => [...stored.keys()].map((url) => ({ url })),
    delete: async ({ url }) => stored.delete(url),
  };
  return { stored, open: async () => cache };
}
