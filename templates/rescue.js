// Inlined into the page (shipyard/site/page.py): the check that needs none of the page's
// modules. When they cannot start (shipyard.js or a module it imports is missing or
// broken, so the page's own watchdog never runs), it names the broken one: with files.mjs's
// checks when that module loads, else by each module's status, size and sha256. A module that fails
// to load or run sets it off at once; otherwise it looks every 10 s until the page starts.
(({ document, statusId, stateAttribute, dataId }) => {
  const { manifest } = JSON.parse(document.getElementById(dataId).textContent);
  const modules = Object.keys(manifest).filter((path) => /^[^/]+\.m?js$/.test(path));
  const site = new URL("./", location.href).href;
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const digest = async (bytes) => (crypto.subtle ? hex(await crypto.subtle.digest("SHA-256", bytes)) : null);
  const bySize = async () => {
    for (const path of modules) {
      const response = await fetch(path).catch(() => null);
      const bytes = response?.ok ? await response.arrayBuffer() : null;
      if (bytes === null) return `${path} is broken: missing (${response ? `HTTP ${response.status}` : "no answer"})`;
      if (bytes.byteLength !== manifest[path].size) return `${path} is broken: ${bytes.byteLength} of ${manifest[path].size} bytes arrived`;
      if (![null, manifest[path].sha256].includes(await digest(bytes))) return `${path} is broken: its sha256 is not the build's`;
    }
    return null;
  };
  const broken = async () => {
    try {
      const { diagnose } = await import("./files.mjs");
      return (await diagnose({ manifest, site, fetch, paths: modules }))?.message ?? null;
    } catch {
      return bySize(); // files.mjs itself does not load: checked with what the page holds
    }
  };
  let checking = false;
  const check = async () => {
    if (window.shipyardBoot || checking) return;
    checking = true;
    const message = await broken();
    checking = false;
    if (!message || window.shipyardBoot) return;
    const status = document.getElementById(statusId);
    status.textContent = `shipyard failed to load: ${message}`;
    status.setAttribute(stateAttribute, "error");
  };
  addEventListener("error", check, true);
  const timer = setInterval(() => (window.shipyardBoot ? clearInterval(timer) : check()), 10000);
})
