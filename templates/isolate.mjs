// onnxruntime-web's threads need a cross-origin-isolated page. Where the host sends no
// COOP/COEP headers, mini-coi's service worker adds them to every response of the site,
// at the cost of one reload on the first visit. A browser that refuses keeps one thread.
import { pageData } from "./page.mjs";

if (!crossOriginIsolated && navigator.serviceWorker) {
  const worker = `./${pageData(document).names.files.isolatingWorker}`;
  navigator.serviceWorker.register(worker).then((registration) => {
    registration.addEventListener("updatefound", () => location.reload());
    if (registration.active && !navigator.serviceWorker.controller) location.reload();
  }, () => {});
}
