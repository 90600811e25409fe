/**
 * The tutorial's queue example: a producer puts news items (random ids from 1 to 5) on a bounded
 * Queue, and consumers take them in turn. The tutorial runs until Ctrl-C and its consumers wait
 * for a `None` that never comes; here Ctrl-C (or `--items`) shuts the queue down, the consumers
 * take what is left and end, and a one-line summary closes the run.
 *
 * With `--redis <url>` the same program runs on a queue in Redis (`@syncio/redis`), so the
 * producer and the consumers can be separate processes (`--role producer`, `--role consumer
 * --id k`): `pnpm demo:redis` starts one producer and three consumers on node, deno and bun.
 */
import type * as Syncio from "@syncio/core";
import { readCommandLine, usage, type Flag } from "../../shared/flags.js";
import type { Host } from "../../shared/host.js";
import { randomInt, seededRandom } from "./random.js";

const flags = {
  items: { placeholder: "n", help: "stop after n news items (default: until Ctrl-C)", min: 0, default: undefined },
  seed: { placeholder: "s", help: "seed of the item ids, for a reproducible run (default: random)", min: -(2 ** 31), max: 2 ** 32 - 1, default: undefined },
  consumers: { placeholder: "k", help: "consumers taking items", min: 1, max: 1000, default: 2 },
  maxsize: { placeholder: "m", help: "the queue's bound, ≤ 0 for none", min: -Number.MAX_SAFE_INTEGER, default: 10 },
  interval: { placeholder: "ms", help: "time between two news items", min: 0, default: 1000 },
  redis: { text: true, placeholder: "url", help: "keep the queue in Redis (a redis:// URL), shared by every process", pattern: /^rediss?:\/\//, default: undefined },
  role: { text: true, placeholder: "r", help: "with --redis: run the producer, one consumer (--id), or all", choices: ["all", "producer", "consumer"], default: "all" },
  id: { placeholder: "k", help: "with --role consumer: this consumer's number", min: 1, max: 1000, default: 1 },
  name: { text: true, placeholder: "q", help: "with --redis: the queue's name (a queue shut down stays so)", default: "news" },
} satisfies Record<string, Flag>;

/** What the program needs of its queue: core's Queue, or a Redis queue whose calls are promises. */
interface NewsQueue {
  put(item: number): Promise<void>;
  get(): Promise<number>;
  taskDone(): void | Promise<void>;
  shutdown(): unknown;
  /** asyncio's str() form, `<Queue maxsize=10 _getters[1]>` (a Redis queue's, from its statistics). */
  describe(): string | Promise<string>;
}

/** Awaits `value` only if it is a promise: the in-process queue's calls stay synchronous, as the transcripts expect. */
function settle(value: unknown): PromiseLike<unknown> | undefined {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function" ? (value as PromiseLike<unknown>) : undefined;
}

/** Runs the demo with the API of the runtime's adapter; resolves to the exit code. */
export async function newsDemo(syncio: typeof Syncio, host: Host): Promise<number> {
  const commandLine = readCommandLine(host, "news-demo", flags);
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const options = commandLine;
  if (options.redis === undefined && (options.role !== "all" || options.name !== "news")) {
    host.printError(`news-demo: --role and --name need --redis <url>: without Redis the queue lives in this one process\n\n${usage("news-demo", flags)}`);
    return 2;
  }
  const { Queue, QueueShutDown, sleep } = syncio;
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  let myQueue: NewsQueue;
  let closeRedis: (() => Promise<void>) | undefined;
  if (options.redis === undefined) {
    const queue = new Queue<number>(options.maxsize);
    myQueue = Object.assign(queue, { describe: () => String(queue) });
  } else {
    const redis = await openRedisQueue(options.redis, options.name, options.maxsize, host);
    if (redis === undefined) return 1;
    ({ queue: myQueue, close: closeRedis } = redis);
  }
  const producing = options.role !== "consumer";
  const consumerIds = options.role === "producer" ? [] : options.role === "consumer" ? [options.id] : Array.from({ length: options.consumers }, (_, index) => index + 1);
  /** Aborted by Ctrl-C: the producer stops sleeping at once rather than at its next item. */
  const interrupt = new AbortController();
  let produced = 0;
  const consumed = new Map<number, number>(consumerIds.map((id) => [id, 0]));

  async function newsProducer(): Promise<void> {
    try {
      while (options.items === undefined || produced < options.items) {
        await sleep(options.interval, { signal: interrupt.signal });
        host.print("Putting news item onto queue");
        await myQueue.put(randomInt(random, 1, 5));
        produced++;
      }
      const shuttingDown = settle(myQueue.shutdown());
      if (shuttingDown) await shuttingDown;
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
    }
  }

  async function newsConsumer(id: number): Promise<void> {
    const shown = myQueue.describe();
    host.print(typeof shown === "string" ? shown : await shown);
    for (;;) {
      host.print(`Consumer: ${id} Attempting to get from queue`);
      let item: number;
      try {
        item = await myQueue.get();
      } catch (error) {
        if (error instanceof QueueShutDown) return; // shut down and drained: nothing more will come
        throw error;
      }
      host.print(`Consumer: ${id} consumed article with id: ${item}`);
      consumed.set(id, consumed.get(id)! + 1);
      const done = settle(myQueue.taskDone());
      if (done) await done;
    }
  }

  let interruptedAt = 0;
  const stopListening = host.onInterrupt(() => {
    if (!interrupt.signal.aborted) {
      interruptedAt = performance.now();
      interrupt.abort();
      (settle(myQueue.shutdown()) as Promise<unknown> | undefined)?.then(undefined, () => {});
    } else if (performance.now() - interruptedAt > 1000) {
      // A Ctrl-C a while after the first: the user is done waiting. (One keypress can arrive
      // twice at once: `pnpm start:*` passes on the terminal's SIGINT to a child that got it too.)
      host.exit(130);
    }
  });
  try {
    // asyncio.gather(newsProducer(), newsConsumer(1), …) makes tasks: each starts on a later turn
    // of the loop, in order, and runs up to its first real wait before the next one starts.
    const tasks = [...(producing ? [newsProducer] : []), ...consumerIds.map((id) => () => newsConsumer(id))].map((start) => sleep(0).then(start));
    await Promise.all(tasks);
  } finally {
    if (closeRedis !== undefined) {
      await closeRedis();
      // A Ctrl-C reaches every process of the distributed demo at once, and the first to handle
      // it shuts the queue down: the shutdown can end this process's loop while its own SIGINT
      // waits in the same turn of the event loop. One more turn lets that signal be heard, so the
      // outcome below says "Interrupted" rather than "Done".
      await sleep(0);
    }
    // After a Ctrl-C the listener stays until the exit (it does not keep the process alive): a
    // duplicate of that keypress may still be on its way, and unheard it would kill the process.
    if (!interrupt.signal.aborted) stopListening();
  }
  const total = [...consumed.values()].reduce((sum, count) => sum + count, 0);
  const perConsumer = [...consumed].map(([id, count]) => `consumer ${id}: ${count}`).join(", ");
  const items = `${produced} news item${produced === 1 ? "" : "s"}`;
  const outcome = interrupt.signal.aborted ? "Interrupted" : "Done";
  if (options.role === "producer") host.print(`${outcome}: ${items} put onto the queue`);
  else if (options.role === "consumer") host.print(`${outcome}: ${total} consumed (${perConsumer})`);
  else host.print(`${outcome}: ${items} put onto the queue, ${total} consumed (${perConsumer})`);
  // pnpm's duplicate of the keypress comes a few milliseconds after the terminal's: let it find
  // the listener rather than a process tearing down (which it would kill mid-exit).
  if (interrupt.signal.aborted) await sleep(200);
  return 0;
}

/** The queue `name` in Redis at `url`, or undefined (the problem printed) when Redis cannot be reached. */
async function openRedisQueue(url: string, name: string, maxsize: number, host: Host): Promise<{ queue: NewsQueue; close(): Promise<void> } | undefined> {
  const { connect } = await import("@syncio/redis");
  let sync;
  try {
    sync = await connect(url, { prefix: "news-demo", lease: 5_000 });
  } catch (error) {
    host.printError(`news-demo: ${(error as Error).message}`);
    return undefined;
  }
  const queue = sync.queue<number>(name, { maxsize });
  return {
    close: () => sync.close(),
    queue: {
      put: (item) => queue.put(item),
      get: () => queue.get(),
      taskDone: () => queue.taskDone(),
      shutdown: () => queue.shutdown(),
      async describe() {
        const { getters, putters, unfinishedTasks, shutdown } = await queue.statistics();
        return `<Queue maxsize=${maxsize}${getters > 0 ? ` _getters[${getters}]` : ""}${putters > 0 ? ` _putters[${putters}]` : ""}${unfinishedTasks > 0 ? ` tasks=${unfinishedTasks}` : ""}${shutdown ? " shutdown" : ""}>`;
      },
    },
  };
}
