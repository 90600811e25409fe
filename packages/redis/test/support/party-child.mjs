// A process that uses @syncio/redis on command: the "remote party" of the contract suites. It
// runs unchanged on node, deno and bun, reads one JSON command per line on stdin and writes one
// JSON reply per line on stdout: { id, ok, value } or { id, ok: false, error: { name, message } }.
import { connect } from "../../dist/index.js";
import { createInterface } from "node:readline";
import process from "node:process";

const [url, prefix, lease] = process.argv.slice(2);
const sync = await connect(url, { prefix, lease: Number(lease) });
const calls = new Map(); // call id → AbortController
const leases = new Map(); // lease token → Lease
let nextToken = 0;

const primitive = ({ kind, name, value }) => {
  if (kind === "event" || kind === "lock" || kind === "condition") return sync[kind](name);
  if (kind === "queue" || kind === "priorityQueue" || kind === "lifoQueue") return sync[kind](name, { maxsize: value ?? 0 });
  return sync[kind](name, value);
};
const leased = new Map(); // token → LeasedItem
const reply = (message) => process.stdout.write(JSON.stringify(message, (_key, value) => (typeof value === "bigint" ? String(value) : value)) + "\n");
const leaseInfo = (lease) => {
  if (lease === null) return null;
  const token = String(++nextToken);
  leases.set(token, lease);
  return { token, fence: lease.fence };
};

const operations = {
  async acquire({ target, timeout, id }) {
    const controller = new AbortController();
    calls.set(id, controller);
    try {
      return leaseInfo(await primitive(target).acquire({ signal: controller.signal, ...(timeout === undefined ? {} : { timeout }) }));
    } finally {
      calls.delete(id);
    }
  },
  async tryAcquire({ target }) {
    return leaseInfo(await primitive(target).tryAcquire());
  },
  async wait({ target, timeout, id }) {
    const controller = new AbortController();
    calls.set(id, controller);
    try {
      return await primitive(target).wait({ signal: controller.signal, ...(timeout === undefined ? {} : { timeout }) });
    } finally {
      calls.delete(id);
    }
  },
  async call({ target, method, args, timeout, withOptions, id }) {
    if (method === "done") return leased.get(args[0]).done();
    const controller = new AbortController();
    calls.set(id, controller);
    try {
      const options = withOptions ? { signal: controller.signal, ...(timeout === undefined ? {} : { timeout }) } : undefined;
      const result = await primitive(target)[method](...args, ...(options === undefined ? [] : [options]));
      if (method !== "getLeased") return result;
      const token = String(++nextToken);
      leased.set(token, result);
      return { token, item: result.item };
    } finally {
      calls.delete(id);
    }
  },
  abort({ call }) {
    calls.get(call)?.abort(new Error("aborted by the test"));
    return true;
  },
  release: ({ token }) => leases.get(token).release(),
  leaseState: ({ token }) => ({ held: leases.get(token).held, aborted: leases.get(token).signal.aborted }),
  bareRelease: ({ target }) => primitive(target).release(),
  set: ({ target }) => primitive(target).set(),
  clear: ({ target }) => primitive(target).clear(),
  async close() {
    await sync.close();
    setTimeout(() => process.exit(0), 10);
    return true;
  },
};

reply({ id: 0, ok: true, value: typeof globalThis.Bun !== "undefined" ? "bun" : typeof globalThis.Deno !== "undefined" ? "deno" : "node" });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  Promise.resolve()
    .then(() => operations[command.op](command))
    .then(
      (value) => reply({ id: command.id, ok: true, value }),
      (error) => reply({ id: command.id, ok: false, error: { name: error?.name, message: error?.message } }),
    );
}
