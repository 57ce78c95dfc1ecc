// watchdog.mjs: a stalled start is diagnosed; a broken file ends it, a clean diagnosis does
// not, and a start that stays stalled gives up with its stage.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { watchdog } from "../../templates/watchdog.mjs";

test("a stall with a broken file ends the start with that file", async () => {
  const broken = new Error("model.onnx is broken: truncated");
  const failed = [];
  watchdog({ stallMs: 40, giveUpMs: 10000, diagnose: async () => broken, fail: (e) => failed.push(e), stage: () => "x" });
  await sleep(150);
  assert.deepEqual(failed, [broken]);
});

test("progress keeps a slow start alive; a stall with nothing broken gives up with the stage", async () => {
  const failed = [];
  let diagnosed = 0;
  const guard = watchdog({
    stallMs: 40, giveUpMs: 200, diagnose: async () => { diagnosed += 1; return null; },
    fail: (e) => failed.push(e.message), stage: () => "loading the model",
  });
  for (let i = 0; i < 5; i += 1) {
    await sleep(20);
    guard.touch();
  }
  assert.deepEqual([failed, diagnosed], [[], 0]);
  await sleep(400);
  assert.equal(diagnosed, 1); // once per quiet spell
  assert.deepEqual(failed, ["it stopped while loading the model, with no error to show; the browser's console may say more"]);
});

test("an error is explained by the broken file behind it, or stands", async () => {
  const guard = watchdog({ stallMs: 1000, giveUpMs: 2000, diagnose: async () => null, fail: () => {}, stage: () => "" });
  const error = new Error("no available backend found");
  assert.equal(await guard.explain(error), error);
  guard.stop();
});
