// Pictures prepared in onnxruntime-web: for each image input Python's plan names
// (`pictures`, runtime/picture_prep.py), a small graph the generator compiled from its
// `image:` options turns the decoded RGBA bytes into the input's tensor, off Python and in
// a fraction of the time. Python still checks the tensor and words any problem.

// The graphs' sessions, started at once, and what they make of pictures.
// `files` maps an input key to its graph's path; `create(path)` opens a session; `images`
// holds the form's latest picture (an ImageData) by key; `decode` makes a Blob an ImageData.
export function picturePrep({ files, create, Tensor, decode, images }) {
  const sessions = new Map(Object.entries(files).map(([key, path]) => [key, create(`./${path}`)]));
  let formTensors = new Map();

  // The tensor for one picture (an ImageData), as `{dims, data}`.
  async function prepare(key, image) {
    const { data, width, height } = image;
    const pixels = new Tensor("uint8", new Uint8Array(data.buffer, data.byteOffset, data.length), [height, width, 4]);
    return run(await sessions.get(key), pixels);
  }

  // `predict`'s inputs with each picture for a prepared input (an ImageData, a Blob or a
  // File) replaced by its tensor; anything else as it is, for Python to take or refuse.
  // Inputs with none of those among them are given back as they are: on a model of a few
  // numbers, `predict`'s fast path is short enough for a pass over each key to show.
  async function inputs(given) {
    if (!Object.keys(given).some((key) => sessions.has(key))) return given;
    const entries = await Promise.all(Object.entries(given).map(async ([key, value]) => {
      if (!sessions.has(key) || !(value instanceof ImageData || value instanceof Blob)) return [key, value];
      return [key, await prepare(key, value instanceof Blob ? await decode(value) : value)];
    }));
    return Object.fromEntries(entries);
  }

  // Prepare the form's pictures, for Python to read (`formTensor`) as the form's values.
  async function form() {
    const entries = [...images].filter(([key]) => sessions.has(key));
    formTensors = new Map(await Promise.all(entries.map(async ([key, image]) => [key, (await prepare(key, image)).data])));
  }

  // Run each graph once on a blank pixel, while the visitor looks at the page: the first
  // photo then finds onnxruntime-web's code for it compiled.
  async function warmUp() {
    await Promise.all([...sessions.keys()].map((key) => prepare(key, new ImageData(1, 1))));
  }

  return { inputs, form, formTensor: (key) => formTensors.get(key), warmUp };
}

// A graph's one output, for its one input.
async function run(session, pixels) {
  const { [session.outputNames[0]]: tensor } = await session.run({ [session.inputNames[0]]: pixels });
  return { dims: [...tensor.dims], data: tensor.data };
}
