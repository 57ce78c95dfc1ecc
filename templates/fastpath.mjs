// `predict` with no call into Python: onnxruntime-web's tensors made from the inputs as
// they are, when each passes the check Python planned for its model input (runtime/plan.py,
// `Check`): a number, or a flat array of them, of the input's kind, within its bounds and
// among its choices, if it has any; or a float typed array of the input's own type.
// A tensor `{dims, data}` is taken when its dims are the input's and its data passes.
// Anything else (a key missing or unknown, NaN, a value out of range, nested lists, a
// picture) gives null: Python then checks every input and words the problem. This module
// only ever accepts, never rejects.
import { converted, count, fits } from "./numbers.mjs";

const accepts = {
  float: (low, high) => (v) => typeof v === "number" && v >= low && v <= high,
  int: (low, high) => (v) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high,
  bool: () => (v) => typeof v === "boolean",
  string: () => (v) => typeof v === "string",
};

// Per model input of the plan, what `tensors` needs to take a value for it.
export function fastSlots(inputs) {
  return inputs.map(({ name, type, typed, dims, check }) => {
    const { kind, low, high, choices } = check;
    const test = accepts[kind](low, high);
    return {
      name,
      type,
      dims,
      size: count(dims),
      Typed: globalThis[typed],
      low,
      high,
      accept: choices ? (v) => test(v) && choices.includes(v) : test,
      // A float input with no choices takes the loop that notes the extent: a picture's.
      extent: kind === "float" && !choices,
    };
  });
}

// The tensors for `inputs`, by model input name, or null when Python must see them.
export function fastTensors(slots, inputs, Tensor, extents) {
  if (Object.keys(inputs).length !== slots.length) return null;
  const tensors = {};
  for (const slot of slots) {
    const data = Object.hasOwn(inputs, slot.name) ? fastData(slot, inputs[slot.name], extents) : null;
    if (data === null) return null;
    tensors[slot.name] = new Tensor(slot.type, data, slot.dims);
  }
  return tensors;
}

function fastData(slot, value, extents) {
  if (isTensor(value)) return sameDims(value.dims, slot.dims) ? fastData(slot, value.data, extents) : null;
  if (ArrayBuffer.isView(value)) return viewData(slot, value, extents);
  const items = Array.isArray(value) ? value : slot.size === 1 ? [value] : null;
  if (items === null || items.length !== slot.size) return null;
  return slot.extent ? floatData(slot, items) : each(slot.Typed, items, slot.accept);
}

const isTensor = (value) => value !== null && typeof value === "object" && Array.isArray(value.dims)
  && (Array.isArray(value.data) || ArrayBuffer.isView(value.data));

const sameDims = (given, dims) => given.length === dims.length && given.every((d, i) => d === dims[i]);

// A typed array is used as it is, as Python's ForeignArray would be.
function viewData({ extent, Typed, size, low, high }, value, extents) {
  const usable = extent && value instanceof Typed && value.length === size;
  return usable && extents.within(value, low, high) ? value : null;
}

function floatData({ Typed, low, high }, items) {
  const result = converted(Typed, items);
  return result !== null && fits(result.typed, result, low, high) ? result.typed : null;
}

function each(Typed, items, accept) {
  const data = new Typed(items.length);
  const cast = Typed === BigInt64Array || Typed === BigUint64Array ? BigInt : null;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (!accept(v)) return null;
    data[i] = cast ? cast(v) : v;
  }
  return data;
}
