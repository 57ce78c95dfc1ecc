// The page's JSON block (runtime/names.py, `page_data`): the app spec, the names of the
// site's files, elements and attributes, and onnxruntime-web's threads. Its id is the
// one name the page's JS spells itself.
export const PAGE_DATA = "shipyard-page";

export const pageData = (document) => JSON.parse(document.getElementById(PAGE_DATA).textContent);

// onnxruntime-web's session options for the site's model: its weights, when the site ships
// them in a file of their own beside the graph (`files.modelData`), as externalData read
// from `base` (the page's folder; a folder's path in Node).
export const sessionOptions = (files, base = ".") =>
  files.modelData ? { externalData: [{ path: files.modelData, data: `${base}/${files.modelData}` }] } : {};
