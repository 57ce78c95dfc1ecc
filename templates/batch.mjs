// The page's CSV section: a file chosen there is predicted row by row (runtime/batch.py),
// shown as a table and offered as a CSV download.
export function watchBatch({ input, status, result }, predictCsv) {
  let download;
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    status.textContent = `Predicting ${file.name}…`;
    URL.revokeObjectURL(download?.href);
    result.replaceChildren();
    try {
      const { rows, csv, table } = await predictCsv(await file.text(), true);
      result.innerHTML = table; // Python's HTML (runtime/batch.py, Table.to_html)
      download = Object.assign(document.createElement("a"), {
        href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })),
        download: file.name.replace(/(\.csv)?$/i, "-predictions.csv"),
        textContent: "Download the results as CSV",
      });
      status.replaceChildren(`${rows} rows predicted. `, download);
    } catch (error) {
      status.textContent = error.message;
    }
    input.value = "";
  });
  input.disabled = false;
}
