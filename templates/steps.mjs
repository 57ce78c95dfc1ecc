// Python's start, one step a task (runtime/boot.py): each `step(name)` imports a module of
// the runtime, `then()` attaches the page, and `pause()` comes before each, which on the
// page gives the thread back between them. A failed step has told the page already; here it
// only goes to `fail`. The proxies Python handed over are freed once done.
export async function inSteps({ step, names, then, pause, fail }) {
  try {
    for (const name of names) {
      await pause();
      step(name);
    }
    await pause();
    then();
  } catch (error) {
    fail(error);
  } finally {
    step.destroy();
    then.destroy();
  }
}
