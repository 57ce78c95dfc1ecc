// numbers.mjs: the checks of number arrays that let JS accept what Python would.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { converted, Extents, extent, fits } from "../../templates/numbers.mjs";

const FLOAT32_MAX = 3.4028234663852886e38;

describe("converted", () => {
  test("copies numbers into the typed array and notes their extent as given", () => {
    const result = converted(Float32Array, [0.1, -2, 5]);
    assert.ok(result.typed instanceof Float32Array);
    assert.deepEqual([...result.typed], [Math.fround(0.1), -2, 5]);
    assert.deepEqual([result.least, result.greatest], [-2, 5]);
    assert.equal(converted(Float32Array, [0.1]).least, 0.1); // not its float32 rounding
  });

  test("finds the extent whatever the order", () => {
    for (const values of [[3, 5, 1], [5, 3, 1], [1, 3, 5], [2, 2]]) {
      const { least, greatest } = converted(Float64Array, values);
      assert.deepEqual([least, greatest], [Math.min(...values), Math.max(...values)], String(values));
    }
  });

  test("refuses NaN wherever it is", () => {
    for (const values of [[NaN], [NaN, 1], [1, NaN], [1, 2, NaN], [Infinity, NaN]]) {
      assert.equal(converted(Float32Array, values), null, String(values));
    }
  });

  test("keeps infinities in the extent, for fits to refuse", () => {
    assert.deepEqual(pick(converted(Float64Array, [1, Infinity])), [1, Infinity]);
    assert.deepEqual(pick(converted(Float64Array, [-Infinity, 1])), [-Infinity, 1]);
    assert.deepEqual(pick(converted(Float64Array, [Infinity])), [Infinity, Infinity]);
  });

  test("refuses anything that is not a number", () => {
    for (const odd of ["1", true, null, undefined, 1n, [1], {}]) {
      assert.equal(converted(Float32Array, [0, odd]), null, String(odd));
    }
  });

  test("of nothing is an empty array with an empty extent", () => {
    assert.deepEqual(pick(converted(Float32Array, [])), [Infinity, -Infinity]);
  });
});

const pick = ({ least, greatest }) => [least, greatest];

describe("extent", () => {
  test("of a typed array", () => {
    assert.deepEqual(extent(new Float32Array([0.5, -3, 2])), { least: -3, greatest: 2 });
    assert.deepEqual(extent(new Float64Array([-Infinity, Infinity])), { least: -Infinity, greatest: Infinity });
  });

  test("is NaN when the array holds one", () => {
    assert.deepEqual(extent(new Float32Array([1, NaN, 2])), { least: NaN, greatest: NaN });
    assert.deepEqual(extent(new Float64Array([NaN])), { least: NaN, greatest: NaN });
  });
});

describe("fits", () => {
  const f32 = new Float32Array(0);
  const f64 = new Float64Array(0);

  test("takes an extent within the bounds, ends included", () => {
    assert.equal(fits(f64, { least: -1, greatest: 1 }, -1, 1), true);
    assert.equal(fits(f32, { least: -FLOAT32_MAX, greatest: FLOAT32_MAX }, -FLOAT32_MAX, FLOAT32_MAX), true);
  });

  test("refuses an extent past either bound", () => {
    assert.equal(fits(f64, { least: -1.5, greatest: 0 }, -1, 1), false);
    assert.equal(fits(f64, { least: 0, greatest: 1.5 }, -1, 1), false);
  });

  test("refuses NaN and infinities, even within infinite bounds", () => {
    for (const [least, greatest] of [[NaN, NaN], [0, Infinity], [-Infinity, 0]]) {
      assert.equal(fits(f64, { least, greatest }, -Infinity, Infinity), false, `${least} ${greatest}`);
    }
  });

  test("refuses a float32 value that rounding carries past a bound", () => {
    const extent = { least: 0.5, greatest: 0.99999998 }; // float32 rounds it to 1
    assert.equal(fits(f32, extent, -1, 0.99999999), false);
    assert.equal(fits(f64, extent, -1, 0.99999999), true); // a float64 array keeps it
    assert.equal(fits(f32, { least: -0.99999998, greatest: 0 }, -0.99999999, 1), false);
  });

  test("refuses a value past a bound as given, though rounding brings it back", () => {
    assert.equal(Math.fround(1.00000001), 1);
    assert.equal(fits(f32, { least: 0.5, greatest: 1.00000001 }, -1, 1), false);
    assert.equal(fits(f32, { least: 0.5, greatest: 3.4028235677973366e38 }, -FLOAT32_MAX, FLOAT32_MAX), false);
  });
});

describe("Extents", () => {
  test("typed gives a new typed array, or the values themselves when converted refuses them", () => {
    const extents = new Extents();
    const values = [0.5, 2];
    const typed = extents.typed(Float32Array, values);
    assert.ok(typed instanceof Float32Array && typed !== values);
    const odd = [0.5, NaN];
    assert.equal(extents.typed(Float32Array, odd), odd);
    assert.equal(extents.typed(Float32Array, ["1"]).length, 1);
  });

  test("within checks an array it made by the extent of the values as given", () => {
    const extents = new Extents();
    const made = extents.typed(Float32Array, [0.5, 1.00000001]); // holds [0.5, 1]
    assert.equal(extents.within(made, 0, 1), false);
    assert.equal(extents.within(Float32Array.from(made), 0, 1), true); // not one it made
  });

  test("within reads the extent of any other typed array", () => {
    const extents = new Extents();
    assert.equal(extents.within(new Float64Array([0, 1]), 0, 1), true);
    assert.equal(extents.within(new Float64Array([0, 2]), 0, 1), false);
    assert.equal(extents.within(new Float32Array([0, NaN]), -Infinity, Infinity), false);
    assert.equal(extents.within(new Float32Array([0.5, 0.99999998]), 0, 0.99999999), false);
  });
});
