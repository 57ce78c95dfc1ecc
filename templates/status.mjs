// The status line: what is still loading, then "Ready", or why the page cannot start.
// `stateAttribute` carries loading, ready or error (style.css colours each). `bar`, a
// <progress>, shows the bytes received of the files the page fetches (`expect` gives their
// sizes by path; `received` how much of one has come). `backend` gives a line on what runs
// the model (templates/backend.mjs), shown once ready.
export function statusLine(element, stateAttribute, bar = null) {
  const loaded = { model: false, python: false };
  let pythonStage = "starting";
  const sizes = new Map();
  const got = new Map();
  const sum = (values) => [...values].reduce((a, b) => a + b, 0);
  const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
  // A failure's message stays: this one's, or the rescue's (rescue.js), which may name a
  // broken module before this runs.
  let failed = element.getAttribute(stateAttribute) === "error";
  let backend = null;
  const show = () => {
    if (failed) return;
    const { model, python } = loaded;
    const [total, received] = [sum(sizes.values()), sum(got.values())];
    const downloading = received < total ? [`Downloading ${megabytes(received)} of ${megabytes(total)} MB`] : [];
    element.textContent = model && python ? ["Ready", backend].filter(Boolean).join(" · ") : [
      ...downloading,
      model ? "Model loaded" : "Loading the model",
      python ? "Python ready" : `Python: ${pythonStage}`,
    ].join(" · ") + "…";
  };
  show();
  return {
    expect(expected) {
      for (const [path, size] of Object.entries(expected)) sizes.set(path, size);
      if (bar) bar.max = Math.max(1, sum(sizes.values()));
      show();
    },
    received(path, bytes) {
      const before = megabytes(sum(got.values()));
      got.set(path, Math.min(bytes, sizes.get(path) ?? bytes));
      if (bar) bar.value = sum(got.values());
      if (megabytes(sum(got.values())) !== before) show();
    },
    stageName: () => [!loaded.model && "loading the model", !loaded.python && `Python: ${pythonStage}`]
      .filter(Boolean).join(" and ") || "finishing",
    // PyScript's stages ("Loading interpreter", "Loaded Pyodide", ...), as its events tell them.
    stage: (detail) => { pythonStage = detail; show(); },
    backend: (line) => { backend = line; show(); },
    loaded: (part) => { loaded[part] = true; show(); },
    ready: () => { if (!failed) element.setAttribute(stateAttribute, "ready"); },
    failed(message) {
      failed = true;
      element.textContent = message;
      element.setAttribute(stateAttribute, "error");
    },
  };
}
