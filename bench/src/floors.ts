/**
 * The runtime's floors, measured in the same process as the cases. A floor is the cheapest
 * hand-written code that does the same work as a kind of case; since "cheapest" depends on the
 * runtime, each floor is measured in several minimal forms and the run keeps the cheapest one
 * per runtime (see {@link floorCost}). A case that measures below its floor proves the floor is not
 * the cheapest way to do that work: the run then fails rather than print a ratio under 1.
 *
 * The kinds of work:
 * - `hop`: one `await` of a promise already resolved (a call that never suspends);
 * - `handle`: `await` of a resolved promise of a fresh small object (an uncontended acquisition,
 *   whose contract hands out a new handle each time);
 * - `wake`: one-to-one hand-off: a parked async function handed control through a resolver, the
 *   waker then parking itself on a new promise (a contended Lock, a Semaphore, a blocking queue);
 * - `pass`: an item passed between a producer and a consumer that take turns, each awaiting a
 *   resolved promise once per item, nobody parking (a 1P/1C queue where neither side waits);
 * - `relay`: a line of callbacks parked on their own promises, each woken one resolving the next
 *   (a release passed down a line of queued waiters);
 * - `set`: resolving N parked promises in one go, then running their reactions (Event.set());
 * - `abort`: `AbortController.abort()` rejecting one parked promise through its listener.
 */
import { collectGarbage, startClock, type Entry, type Sample } from "./harness.js";

/** One way of writing a floor's work. */
export interface FloorForm {
  /** Short name, unique within its kind, e.g. `two-slots`. */
  id: string;
  /** How it is written, for RESULTS.md. */
  description: string;
  /** Runs one batch of `ops` operations; value: operations seen done. */
  run(ops: number): Promise<Sample>;
  /** Measured for comparison only, never kept as the floor (issue 7's miscounted wake). */
  reference?: boolean;
}

/** A kind of work every case of that kind is divided by. */
export interface FloorKind {
  /** Referenced by cases: `hop`, `wake`… (a plug-in set may add its own, e.g. `atomics-wake`). */
  id: string;
  /** What one operation is, for RESULTS.md. */
  what: string;
  /**
   * Operations per batch (in every run): the largest batch among the cases divided by it, since a
   * batch's fixed costs (the collection before it, the first calls after it) weigh less per
   * operation in a larger batch, and a floor must not carry more of them than its cases.
   */
  ops: number;
  /** Fewer batches per round than the run's minimum, for a floor whose batches are long. */
  minBatches?: number;
  /** Operations per batch in a `--quick` run (default `ops / 10`): at least its largest quick case's. */
  quickOps?: number;
  forms: readonly FloorForm[];
}

// ---- hop ------------------------------------------------------------------------------------

const hopForms: FloorForm[] = [
  {
    id: "same-promise",
    description: "`await` of one promise resolved before the loop",
    async run(ops) {
      const resolved = Promise.resolve(1);
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) count += await resolved;
      return clock.stop(count);
    },
  },
  {
    id: "plain-value",
    description: "`await 1` (the runtime wraps the value in a resolved promise)",
    async run(ops) {
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) count += await 1;
      return clock.stop(count);
    },
  },
  {
    id: "fresh-promise",
    description: "`await Promise.resolve(1)`, a new resolved promise each time",
    async run(ops) {
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) count += await Promise.resolve(1);
      return clock.stop(count);
    },
  },
];

// ---- handle ---------------------------------------------------------------------------------

class Handle {
  owner: object | undefined;
  constructor(owner: object) {
    this.owner = owner;
  }
}

class AssignedHandle {
  declare owner: object | undefined;
  constructor(owner: object) {
    this.owner = owner;
  }
}

class PrivateHandle {
  #owner: object | undefined;
  constructor(owner: object) {
    this.#owner = owner;
  }
  get held(): boolean {
    return this.#owner !== undefined;
  }
}

const handleForms: FloorForm[] = [
  {
    id: "literal",
    description: "`await Promise.resolve({ owner })`, an object literal of one field",
    async run(ops) {
      const owner = {};
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) {
        const handle = await Promise.resolve({ owner });
        if (handle.owner === owner) count++;
      }
      return clock.stop(count);
    },
  },
  {
    id: "class-assigned",
    description: "`await Promise.resolve(new Handle(owner))`, a class whose constructor assigns `this.owner` (no field declaration)",
    async run(ops) {
      const owner = {};
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) {
        const handle = await Promise.resolve(new AssignedHandle(owner));
        if (handle.owner === owner) count++;
      }
      return clock.stop(count);
    },
  },
  {
    id: "class",
    description: "`await Promise.resolve(new Handle(owner))`, a class with a declared public field",
    async run(ops) {
      const owner = {};
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) {
        const handle = await Promise.resolve(new Handle(owner));
        if (handle.owner === owner) count++;
      }
      return clock.stop(count);
    },
  },
  {
    id: "private-class",
    description: "`await Promise.resolve(new Handle(owner))`, a class of one `#private` field",
    async run(ops) {
      const owner = {};
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) {
        const handle = await Promise.resolve(new PrivateHandle(owner));
        if (handle.held) count++;
      }
      return clock.stop(count);
    },
  },
];

// ---- wake -----------------------------------------------------------------------------------

/** A shared executor: creating a promise allocates no closure; its resolver lands here. */
let captured: (value?: unknown) => void = () => {};
function capture(resolve: (value?: unknown) => void): void {
  captured = resolve;
}

const wakeForms: FloorForm[] = [
  {
    id: "issue-7",
    reference: true,
    description:
      "issue 7's floor: two copies of one async function, each parking on `new Promise((resolve) => (parked = resolve))` after resolving the other's with 1, counting with `wakes += await mine`. That reads `wakes` before the await, so each player overwrites the other's count: it runs 2 wakes per count, and its time per op is that of two wakes",
    async run(ops) {
      let parked: ((value: number) => void) | null = null;
      let wakes = 0;
      async function player(): Promise<void> {
        while (wakes < ops) {
          const other = parked;
          const mine = new Promise<number>((resolve) => {
            parked = resolve;
          });
          if (other !== null) other(1);
          wakes += await mine;
        }
        const other = parked;
        parked = null;
        other?.(1);
      }
      const clock = startClock();
      await Promise.all([player(), player()]);
      // The last wake only lets the other player see the loop is over.
      return clock.stop(Math.min(wakes, ops));
    },
  },
  {
    id: "one-slot-shared-executor",
    description:
      "two copies of one async function; each makes its promise with a shared executor (no closure per wake), swaps its resolver into one shared slot, calls the one it found there, awaits, then counts (the last wake, which lets the other copy end, is not counted: 1 in 20,000)",
    async run(ops) {
      let parked: ((value?: unknown) => void) | null = null;
      let wakes = 0;
      async function player(): Promise<void> {
        while (wakes < ops) {
          const other = parked;
          const mine = new Promise(capture);
          parked = captured;
          if (other !== null) other();
          await mine;
          wakes++;
        }
        const other = parked;
        parked = null;
        other?.();
      }
      const clock = startClock();
      await Promise.all([player(), player()]);
      return clock.stop(Math.min(wakes, ops));
    },
  },
  {
    id: "two-slots-closure",
    description: "two async functions `a` and `b`, each with its own resolver slot, `ops / 2` wakes each, closure executor",
    async run(ops) {
      let wakeA: (() => void) | null = null;
      let wakeB: (() => void) | null = null;
      let wakes = 0;
      const half = ops >> 1;
      async function b(): Promise<void> {
        for (let i = 0; i < half; i++) {
          const mine = new Promise<void>((resolve) => {
            wakeB = resolve;
          });
          if (wakeA !== null) wakeA();
          await mine;
          wakes++;
        }
        wakeA!();
      }
      async function a(): Promise<void> {
        for (let i = 0; i < half; i++) {
          const mine = new Promise<void>((resolve) => {
            wakeA = resolve;
          });
          wakeB!();
          await mine;
          wakes++;
        }
      }
      const clock = startClock();
      const parkedB = b();
      await Promise.all([a(), parkedB]);
      return clock.stop(wakes);
    },
  },
  {
    id: "two-slots-shared-executor",
    description: "as `two-slots-closure`, with the shared executor",
    async run(ops) {
      let wakeA: ((value?: unknown) => void) | null = null;
      let wakeB: ((value?: unknown) => void) | null = null;
      let wakes = 0;
      const half = ops >> 1;
      async function b(): Promise<void> {
        for (let i = 0; i < half; i++) {
          const mine = new Promise(capture);
          wakeB = captured;
          if (wakeA !== null) wakeA();
          await mine;
          wakes++;
        }
        wakeA!();
      }
      async function a(): Promise<void> {
        for (let i = 0; i < half; i++) {
          const mine = new Promise(capture);
          wakeA = captured;
          wakeB!();
          await mine;
          wakes++;
        }
      }
      const clock = startClock();
      const parkedB = b();
      await Promise.all([a(), parkedB]);
      return clock.stop(wakes);
    },
  },
];

// ---- pass ---------------------------------------------------------------------------------

/**
 * A producer and a consumer taking turns: the producer puts item i into a ring buffer of
 * `capacity` slots and yields, the consumer takes it and yields; neither finds the buffer full or
 * empty, so nobody parks (the parking branches are there for correctness and never run).
 * `fresh`: each side awaits a new resolved promise (`Promise.resolve()`, `Promise.resolve(item)`,
 * as `put()` and `get()` return one); else both await one promise resolved before the loop.
 */
async function pass(ops: number, capacity: number, fresh: boolean): Promise<Sample> {
  const items = new Array<number>(capacity).fill(0);
  const mask = capacity - 1;
  let head = 0;
  let size = 0;
  const resolved = Promise.resolve(0);
  let parkedConsumer: (() => void) | null = null;
  let parkedProducer: (() => void) | null = null;
  async function producer(): Promise<void> {
    for (let i = 0; i < ops; i++) {
      while (size === capacity) await new Promise<void>((resolve) => (parkedProducer = resolve));
      items[(head + size++) & mask] = i;
      if (parkedConsumer !== null) {
        parkedConsumer();
        parkedConsumer = null;
      }
      await (fresh ? Promise.resolve() : resolved);
    }
  }
  async function consumer(): Promise<number> {
    let sum = 0;
    for (let i = 0; i < ops; i++) {
      while (size === 0) await new Promise<void>((resolve) => (parkedConsumer = resolve));
      const item = items[head]!;
      head = (head + 1) & mask;
      size--;
      if (parkedProducer !== null) {
        parkedProducer();
        parkedProducer = null;
      }
      sum += fresh ? await Promise.resolve(item) : (await resolved) + item;
    }
    return sum;
  }
  const clock = startClock();
  const [, sum] = await Promise.all([producer(), consumer()]);
  return clock.stop(sum === (ops * (ops - 1)) / 2 ? ops : -1);
}

/** As {@link pass}, through a plain array (`push`, `shift`). */
async function passArray(ops: number): Promise<Sample> {
  const items: number[] = [];
  const resolved = Promise.resolve(0);
  let parkedConsumer: (() => void) | null = null;
  async function producer(): Promise<void> {
    for (let i = 0; i < ops; i++) {
      items.push(i);
      if (parkedConsumer !== null) {
        parkedConsumer();
        parkedConsumer = null;
      }
      await resolved;
    }
  }
  async function consumer(): Promise<number> {
    let sum = 0;
    for (let i = 0; i < ops; i++) {
      while (items.length === 0) await new Promise<void>((resolve) => (parkedConsumer = resolve));
      sum += (await resolved) + items.shift()!;
    }
    return sum;
  }
  const clock = startClock();
  const [, sum] = await Promise.all([producer(), consumer()]);
  return clock.stop(sum === (ops * (ops - 1)) / 2 ? ops : -1);
}

const passForms: FloorForm[] = [
  {
    id: "slot",
    description: "one slot for the item (a ring of 1); both sides `await` one promise resolved before the loop",
    run: (ops) => pass(ops, 1, false),
  },
  {
    id: "ring",
    description: "a ring buffer of 16 slots (as Queue keeps its items); both sides `await` one promise resolved before the loop",
    run: (ops) => pass(ops, 16, false),
  },
  {
    id: "ring-fresh-promises",
    description: "the ring; the producer awaits `Promise.resolve()`, the consumer `Promise.resolve(item)`, as `put()` and `get()` return",
    run: (ops) => pass(ops, 16, true),
  },
  {
    id: "array",
    description: "a plain array (`push`, `shift`); both sides `await` one promise resolved before the loop",
    run: (ops) => passArray(ops),
  },
];

// ---- relay ----------------------------------------------------------------------------------

const relayForms: FloorForm[] = [
  {
    id: "array",
    description: "`ops` promises made up front (closure executor), resolvers in an array; each one's `.then` callback resolves the next",
    async run(ops) {
      const resolvers: Array<() => void> = [];
      let woken = 0;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const onWoken = () => {
        if (++woken < ops) resolvers[woken]!();
        else finish();
      };
      for (let i = 0; i < ops; i++) {
        void new Promise<void>((resolve) => resolvers.push(resolve)).then(onWoken);
      }
      collectGarbage();
      const clock = startClock();
      resolvers[0]!();
      await finished;
      return clock.stop(woken);
    },
  },
  {
    id: "linked",
    description: "as `array`, with each resolver in a node of a linked list (as a waiter queue keeps them)",
    async run(ops) {
      interface Node {
        resolve: (value?: unknown) => void;
        next: Node | null;
      }
      let head: Node | null = null;
      let tail: Node | null = null;
      let woken = 0;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const onWoken = () => {
        woken++;
        const node = head;
        if (node === null) finish();
        else {
          head = node.next;
          node.resolve();
        }
      };
      for (let i = 0; i < ops; i++) {
        void new Promise(capture).then(onWoken);
        const node: Node = { resolve: captured, next: null };
        if (tail === null) head = node;
        else tail.next = node;
        tail = node;
      }
      collectGarbage();
      const clock = startClock();
      const first = head!;
      head = first.next;
      first.resolve();
      await finished;
      return clock.stop(woken);
    },
  },
];

// ---- set ------------------------------------------------------------------------------------

const setForms: FloorForm[] = [
  {
    id: "array-closure",
    description: "`ops` promises each with a `.then` callback, resolvers kept in an array by a closure executor; one loop resolves them all",
    async run(ops) {
      const resolvers: Array<() => void> = [];
      let woken = 0;
      const onWoken = () => {
        woken++;
      };
      for (let i = 0; i < ops; i++) void new Promise<void>((resolve) => resolvers.push(resolve)).then(onWoken);
      collectGarbage();
      const clock = startClock();
      for (let i = 0; i < ops; i++) resolvers[i]!();
      await null; // after every callback queued above
      return clock.stop(woken);
    },
  },
  {
    id: "array-shared-executor",
    description: "as `array-closure`, with the shared executor, resolved with `true`",
    async run(ops) {
      const resolvers: Array<(value?: unknown) => void> = new Array(ops);
      let woken = 0;
      const onWoken = () => {
        woken++;
      };
      for (let i = 0; i < ops; i++) {
        void new Promise(capture).then(onWoken);
        resolvers[i] = captured;
      }
      collectGarbage();
      const clock = startClock();
      for (let i = 0; i < ops; i++) resolvers[i]!(true);
      await null;
      return clock.stop(woken);
    },
  },
];

// ---- abort ----------------------------------------------------------------------------------

/** Parks `ops` promises, one per controller, with `listen` wiring the abort; times aborting them all. */
async function abortAll(ops: number, listen: (signal: AbortSignal, reject: (reason: unknown) => void) => void): Promise<Sample> {
  const controllers: AbortController[] = new Array(ops);
  const reason = new Error("aborted");
  let rejected = 0;
  const onRejected = (error: unknown) => {
    if (error === reason) rejected++;
  };
  for (let i = 0; i < ops; i++) {
    const controller = new AbortController();
    new Promise((_resolve, reject) => listen(controller.signal, reject)).catch(onRejected);
    controllers[i] = controller;
  }
  collectGarbage();
  const clock = startClock();
  for (let i = 0; i < ops; i++) controllers[i]!.abort(reason);
  await null; // runs after every rejection handler queued above
  return clock.stop(rejected);
}

const REJECT = Symbol("reject");
type Slotted = AbortSignal & { [REJECT]?: (reason: unknown) => void };
/** One listener for every signal: finds what to reject in a slot on the signal. */
function sharedListener(this: Slotted): void {
  this[REJECT]!(this.reason);
}

const abortForms: FloorForm[] = [
  {
    id: "closure-once",
    description: "`signal.addEventListener(\"abort\", () => reject(signal.reason), { once: true })`",
    run: (ops) => abortAll(ops, (signal, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
  },
  {
    id: "closure",
    description: "the same listener without `once`",
    run: (ops) => abortAll(ops, (signal, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
  },
  {
    id: "onabort",
    description: "`signal.onabort = () => reject(signal.reason)`",
    run: (ops) =>
      abortAll(ops, (signal, reject) => {
        signal.onabort = () => reject(signal.reason);
      }),
  },
  {
    id: "shared-listener",
    description: "one listener function for all signals, `{ once: true }`, which finds `reject` in a symbol-keyed slot on the signal",
    run: (ops) =>
      abortAll(ops, (signal, reject) => {
        (signal as Slotted)[REJECT] = reject;
        signal.addEventListener("abort", sharedListener, { once: true });
      }),
  },
];

/** Every floor of the core cases. */
export const CORE_FLOORS: readonly FloorKind[] = [
  { id: "hop", what: "one `await` of a resolved promise", ops: 20_000, forms: hopForms },
  { id: "handle", what: "one `await` of a resolved promise of a fresh small object", ops: 20_000, forms: handleForms },
  { id: "wake", what: "one hand-off of control to a parked async function through a resolver (the waker then parks)", ops: 20_000, forms: wakeForms },
  { id: "pass", what: "one item passed from a producer to a consumer that take turns, each awaiting a resolved promise once per item (nobody parks)", ops: 20_000, quickOps: 20_000, forms: passForms },
  { id: "relay", what: "one wake passed down a line of 100,000 parked callbacks (each woken one resolves the next)", ops: 100_000, forms: relayForms },
  { id: "set", what: "one of 10,000 parked promises resolved in one go, its callback run", ops: 10_000, forms: setForms },
  { id: "abort", what: "one of 50,000 `AbortController.abort()` calls, each rejecting a parked promise through its listener", ops: 50_000, minBatches: 1, forms: abortForms },
];

/**
 * Batches a floor form runs at least per round (and in its warm-up): floors have short batches,
 * and the floor rule leans on their rounds, so each round's median has several to choose from.
 */
const FLOOR_MIN_BATCHES = 3;

/** The harness entries of every form of `kinds`: case id `floor.<kind>`, library `floor:<form>`. */
export function floorEntries(kinds: readonly FloorKind[], quick = false): Entry[] {
  return kinds.flatMap((kind) => {
    const ops = quick ? (kind.quickOps ?? Math.round(kind.ops / 10)) : kind.ops;
    return kind.forms.map((form) => ({
      caseId: `floor.${kind.id}`,
      library: `floor:${form.id}`,
      ops,
      expected: ops,
      batch: () => form.run(ops),
      ...(form.reference === true ? { reference: true } : {}),
      minBatches: kind.minBatches ?? FLOOR_MIN_BATCHES,
    }));
  });
}
