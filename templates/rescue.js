// Inlined into the page (shipyard/site/page.py): the one check that needs none of the
// site's other files. When the page's own modules never start (shipyard.js or a module it
// imports is missing or broken, so nothing else can say so), it names the first of them
// that does not arrive whole, by the page's manifest.
(({ document, statusId, stateAttribute, dataId }) => {
  setTimeout(async () => {
    if (window.shipyardBoot) return;
    const { manifest } = JSON.parse(document.getElementById(dataId).textContent);
    let culprit = "shipyard.js or a module it imports";
    for (const entry of Object.values(manifest).filter((e) => /^[^/]+\.m?js$/.test(e.path))) {
      const response = await fetch(entry.path).catch(() => null);
      const size = response?.ok ? (await response.arrayBuffer()).byteLength : null;
      if (size !== entry.size) {
        culprit = `${entry.path} (${size === null ? `HTTP ${response?.status ?? "error"}` : `${size} of ${entry.size} bytes`})`;
        break;
      }
    }
    const status = document.getElementById(statusId);
    status.textContent = `shipyard failed to load: ${culprit} did not load whole; deploy the whole site again`;
    status.setAttribute(stateAttribute, "error");
  }, 10000);
})
