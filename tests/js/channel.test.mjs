// channel.mjs: calls both ways over a real MessageChannel, their errors, and functions given
// as arguments, which the other side calls back until the call that carried them settles.
import assert from "node:assert/strict";
import { test } from "node:test";
import { channel } from "../../templates/channel.mjs";

function pair(left, right) {
  const { port1, port2 } = new MessageChannel();
  const sides = [channel(port1, left), channel(port2, right)];
  return { sides, close: () => { port1.close(); port2.close(); } };
}

test("each side calls the other's handlers, and gets what they return, copied", async () => {
  const sent = { dims: [1, 2], data: new Float32Array([1.5, 2]) };
  const { sides: [page, worker], close } = pair(
    { file: async (url) => ({ url, bytes: new Uint8Array([1, 2]) }) },
    { echo: (value) => value, add: (a, b) => a + b },
  );
  assert.deepEqual(await page("add", [2, 3]), 5);
  const echoed = await page("echo", [sent]);
  assert.deepEqual(echoed, sent);
  assert.notEqual(echoed.data, sent.data);
  assert.deepEqual(await worker("file", ["./a.wasm"]), { url: "./a.wasm", bytes: new Uint8Array([1, 2]) });
  close();
});

test("a handler's error, an unknown name and a value that cannot be copied reject with their message", async () => {
  const { sides: [page], close } = pair({}, {
    broken: () => { throw new TypeError("no model"); },
    proxy: () => () => 1,
  });
  await assert.rejects(page("broken"), { message: "no model" });
  await assert.rejects(page("missing"), { message: "no such call: missing" });
  await assert.rejects(page("proxy"), { name: "Error", message: /could not be cloned/ });
  close();
});

test("a function given as an argument is called back while its call runs, and forgotten after", async () => {
  let kept;
  const { sides: [page], close } = pair({}, {
    batch: async (rows, run) => {
      kept = run;
      const results = [];
      for (const row of rows) results.push(await run(row));
      return results;
    },
  });
  const runs = [];
  const run = async (row) => { runs.push(row); return row * 10; };
  assert.deepEqual(await page("batch", [[1, 2, 3], run]), [10, 20, 30]);
  assert.deepEqual(runs, [1, 2, 3]);
  await assert.rejects(kept(4), { message: /no such call/ });
  close();
});
