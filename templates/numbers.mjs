// Arrays of numbers checked as Python checks them (runtime/values.py, runtime/plan.py): in
// one loop, noting the least and greatest number, since a loop of its own costs more.

// How many elements a tensor of these dims holds.
export const count = (dims) => dims.reduce((a, b) => a * b, 1);

// {typed, least, greatest} for an array of numbers copied into a new `Typed`, or null if
// anything in it is not a number (NaN included: Python's path says which).
export function converted(Typed, values) {
  const typed = new Typed(values.length);
  let least = Infinity;
  let greatest = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") return null;
    typed[i] = v;
    if (v < least) least = v;
    else if (!(v >= least)) return null; // NaN
    if (v > greatest) greatest = v;
  }
  return { typed, least, greatest };
}

// {least, greatest} of a typed array; both NaN if it holds a NaN.
export function extent(array) {
  let least = Infinity;
  let greatest = -Infinity;
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (v !== v) return { least: NaN, greatest: NaN }; // eslint-disable-line no-self-compare
    if (v < least) least = v;
    if (v > greatest) greatest = v;
  }
  return { least, greatest };
}

// Whether an array with this extent is finite and within [low, high], both as given and as
// rounded into the array (rounding keeps order, so the extent's rounding is the array's):
// Python checks a long array's values once rounded to the input's type, and a short one's
// as given.
export function fits(array, { least, greatest }, low, high) {
  const round = array instanceof Float32Array ? Math.fround : Number;
  return Number.isFinite(least) && Number.isFinite(greatest) && least >= low && greatest <= high
    && round(least) >= low && round(greatest) <= high;
}

// The typed arrays made for Python, each with its extent, so that Python's check of one it
// leaves in JS (`within`, runtime/values.py's ForeignArray) needs no second loop.
export class Extents {
  #known = new WeakMap();

  // The array as a typed array for Python, or itself if `converted` refuses it.
  typed(Typed, values) {
    const result = converted(Typed, values);
    if (result === null) return values;
    this.#known.set(result.typed, result);
    return result.typed;
  }

  // Whether every number in a float typed array is finite and within [low, high].
  within(array, low, high) {
    return fits(array, this.#known.get(array) ?? extent(array), low, high);
  }
}
