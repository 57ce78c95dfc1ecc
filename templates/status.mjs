// The status line: what is still loading, then "Ready", or why the page cannot start.
// `stateAttribute` carries loading, ready or error (style.css colours each).
export function statusLine(element, stateAttribute) {
  const loaded = { model: false, python: false };
  let pythonStage = "starting";
  const show = () => {
    const { model, python } = loaded;
    element.textContent = model && python ? "Ready" : [
      model ? "Model loaded" : "Loading the model",
      python ? "Python ready" : `Python: ${pythonStage}`,
    ].join(" · ") + "…";
  };
  show();
  return {
    // PyScript's stages ("Loading interpreter", "Loaded Pyodide", ...), as its events tell them.
    stage(detail) {
      pythonStage = detail;
      show();
    },
    loaded(part) {
      loaded[part] = true;
      show();
    },
    ready() {
      element.setAttribute(stateAttribute, "ready");
    },
    failed(message) {
      element.textContent = message;
      element.setAttribute(stateAttribute, "error");
    },
  };
}
