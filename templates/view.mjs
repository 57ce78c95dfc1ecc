// The page as Python's `Page` sees it (runtime/browser.py): the form's values read for it,
// and what it returns shown. Python words every problem and renders every output; this
// module only reads controls and puts Python's words and HTML where they go.
export function pageView(document, { ids, attributes }) {
  const form = document.getElementById(ids.form);
  const errorBox = document.getElementById(ids.formError);
  const outputs = document.getElementById(ids.outputs);
  const slotOf = (name) => document.querySelector(`[${attributes.output}="${CSS.escape(name)}"]`);

  // A failure outside any one field (onnxruntime-web, user code), under the form.
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  return {
    // The form's texts: by key, one per control of the key, in order.
    texts() {
      const texts = {};
      for (const element of form.elements) {
        if (element.name) (texts[element.name] ??= []).push(controlText(element));
      }
      return texts;
    },

    // Fill the form with texts (as `texts` gives them).
    fill(texts) {
      for (const [key, items] of Object.entries(texts)) {
        const controls = [...form.elements].filter((element) => element.name === key);
        controls.forEach((element, i) => {
          if (i >= items.length) return;
          if (element.type === "checkbox") element.checked = items[i] === "true";
          else element.value = items[i];
          element.dispatchEvent(new Event("input")); // a slider follows its box
        });
      }
    },

    // Each field's problem beside it (none: every box emptied), and none under the form.
    showProblems(problems) {
      for (const box of form.querySelectorAll(`[${attributes.errorFor}]`)) {
        const message = problems[box.getAttribute(attributes.errorFor)] ?? "";
        box.textContent = message;
        box.hidden = !message;
      }
      showError("");
    },

    showError,

    // A run's outputs and results, as Python's `Page._shown` describes them.
    show: (shown) => shown.forEach((item) => showOne(item, slotOf, outputs)),
  };
}

function showOne({ name, html, image, slot }, slotOf, outputs) {
  if (!slotOf(name) && slot) outputs.insertAdjacentHTML("beforeend", slot);
  const element = slotOf(name);
  if (!element) return; // an output the metadata leaves out
  element.innerHTML = html;
  if (image) draw(element.querySelector("canvas"), image);
}

const controlText = (element) => (element.type === "checkbox" ? String(element.checked) : element.value);

function draw(canvas, { width, height, rgba }) {
  const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length);
  canvas.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
}
