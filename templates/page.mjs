// The page's JSON block (runtime/names.py, `page_data`): the app spec, the names of the
// site's files, elements and attributes, onnxruntime-web's threads and its options for
// opening the model, and a --gpu site's check of WebGPU (backend.mjs). Its id is the one
// name the page's JS spells itself.
export const PAGE_DATA = "shipyard-page";

export const pageData = (document) => JSON.parse(document.getElementById(PAGE_DATA).textContent);
