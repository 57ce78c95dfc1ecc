// Calls over a MessagePort, both ways, between the page and the worker Python runs in
// (python_link.mjs, python_worker.mjs). `call(name, args)` runs the other side's
// `handlers[name](...args)` and gives what it returns, or rejects with its error's message.
// A function among the args stays where it was given: the other side calls a stand-in,
// which calls it back, until the call that carried it has settled. What else travels is
// copied (structured clone): plain data only.
const CALLBACK = "shipyard callback"; // an argument that stands in for a function
export const HELLO = "shipyard python worker"; // the worker's first message, which carries the port

export function channel(port, handlers) {
  const waiting = new Map(); // by call id: [resolve, reject]
  const local = new Map(Object.entries(handlers)); // handlers and the functions given in calls
  let next = 0;

  function call(name, args = []) {
    const id = ++next;
    const given = [];
    const sent = args.map((arg, at) => {
      if (typeof arg !== "function") return arg;
      const callback = `${CALLBACK} ${id} ${at}`;
      local.set(callback, arg);
      given.push(callback);
      return { [CALLBACK]: callback };
    });
    const settled = new Promise((resolve, reject) => waiting.set(id, [resolve, reject]));
    port.postMessage({ call: id, name, args: sent });
    const forget = () => given.forEach((callback) => local.delete(callback));
    settled.then(forget, forget);
    return settled;
  }

  const standIn = (arg) => (arg?.[CALLBACK] ? (...args) => call(arg[CALLBACK], args) : arg);

  async function answer({ call: id, name, args }) {
    try {
      const handler = local.get(name);
      if (!handler) throw new Error(`no such call: ${name}`);
      port.postMessage({ reply: id, value: await handler(...args.map(standIn)) });
    } catch (error) {
      port.postMessage({ reply: id, error: String(error?.message ?? error) });
    }
  }

  port.onmessage = ({ data }) => {
    if (data.call !== undefined) {
      answer(data);
      return;
    }
    const [resolve, reject] = waiting.get(data.reply);
    waiting.delete(data.reply);
    if (data.error === undefined) resolve(data.value);
    else reject(new Error(data.error));
  };
  return call;
}
