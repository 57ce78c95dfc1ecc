// Image inputs: a picture chosen, dropped or pasted is decoded here at its natural size;
// Python resizes and normalises it (runtime/images.py).

// A Blob or File as the ImageData of its own pixels, with no colour management.
export async function decode(blob) {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

const imageFile = (files) => [...files].find((file) => file.type.startsWith("image/"));

// Watch the page's picture drop zones (each marked with the `imageFor` attribute, whose value
// is its input's key). Returns the latest ImageData of each key. `chosen(zone)` is told of each
// picture taken, after its preview is drawn.
export function watchPictures(document, attributes, chosen) {
  const images = new Map();
  const zones = [...document.querySelectorAll(`[${attributes.imageFor}]`)];

  async function take(zone, blob) {
    const key = zone.getAttribute(attributes.imageFor);
    const error = document.querySelector(`[${attributes.errorFor}="${CSS.escape(key)}"]`);
    try {
      const image = await decode(blob);
      images.set(key, image);
      const preview = zone.querySelector("canvas");
      [preview.width, preview.height] = [image.width, image.height];
      preview.getContext("2d").putImageData(image, 0, 0);
      preview.hidden = false;
      error.hidden = true;
    } catch {
      images.delete(key);
      error.textContent = `${blob.name ?? "The pasted data"} is not an image this browser can read`;
      error.hidden = false;
      return;
    }
    chosen(zone);
  }

  for (const zone of zones) {
    const input = zone.querySelector("input[type=file]");
    input.addEventListener("change", () => input.files[0] && take(zone, input.files[0]));
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      const file = imageFile(event.dataTransfer.files);
      if (file) take(zone, file);
    });
  }
  // A pasted picture goes to the image input holding the focus, or else to the first one.
  document.defaultView.addEventListener("paste", (event) => {
    const file = imageFile(event.clipboardData?.files ?? []);
    const zone = zones.find((z) => z.contains(document.activeElement)) ?? zones[0];
    if (file && zone) {
      event.preventDefault();
      take(zone, file);
    }
  });
  return images;
}
