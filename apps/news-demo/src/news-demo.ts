/**
 * The tutorial's queue example: a producer puts news items (random ids from 1 to 5) on a bounded
 * Queue, and consumers take them in turn. The tutorial runs until Ctrl-C and its consumers wait
 * for a `None` that never comes; here Ctrl-C (or `--items`) shuts the queue down, the consumers
 * take what is left and end, and a one-line summary closes the run.
 */
import type * as Syncio from "@syncio/core";
import { readCommandLine, type IntegerFlag } from "../../shared/flags.js";
import type { Host } from "../../shared/host.js";
import { randomInt, seededRandom } from "./random.js";

const flags = {
  items: { placeholder: "n", help: "stop after n news items (default: until Ctrl-C)", min: 0, default: undefined },
  seed: { placeholder: "s", help: "seed of the item ids, for a reproducible run (default: random)", min: -(2 ** 31), max: 2 ** 32 - 1, default: undefined },
  consumers: { placeholder: "k", help: "consumers taking items", min: 1, max: 1000, default: 2 },
  maxsize: { placeholder: "m", help: "the queue's bound, ≤ 0 for none", min: -Number.MAX_SAFE_INTEGER, default: 10 },
  interval: { placeholder: "ms", help: "time between two news items", min: 0, default: 1000 },
} satisfies Record<string, IntegerFlag>;

/** Runs the demo with the API of the runtime's adapter; resolves to the exit code. */
export async function newsDemo(syncio: typeof Syncio, host: Host): Promise<number> {
  const commandLine = readCommandLine(host, "news-demo", flags);
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const options = commandLine;
  const { Queue, QueueShutDown, sleep } = syncio;
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const myQueue = new Queue<number>(options.maxsize);
  /** Aborted by Ctrl-C: the producer stops sleeping at once rather than at its next item. */
  const interrupt = new AbortController();
  let produced = 0;
  const consumed = new Array<number>(options.consumers).fill(0);

  async function newsProducer(): Promise<void> {
    try {
      while (options.items === undefined || produced < options.items) {
        await sleep(options.interval, { signal: interrupt.signal });
        host.print("Putting news item onto queue");
        await myQueue.put(randomInt(random, 1, 5));
        produced++;
      }
      myQueue.shutdown();
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
    }
  }

  async function newsConsumer(id: number): Promise<void> {
    host.print(String(myQueue));
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
      consumed[id - 1]!++;
      myQueue.taskDone();
    }
  }

  let interruptedAt = 0;
  const stopListening = host.onInterrupt(() => {
    if (!interrupt.signal.aborted) {
      interruptedAt = performance.now();
      interrupt.abort();
      myQueue.shutdown();
    } else if (performance.now() - interruptedAt > 1000) {
      // A Ctrl-C a while after the first: the user is done waiting. (One keypress can arrive
      // twice at once: `pnpm start:*` passes on the terminal's SIGINT to a child that got it too.)
      host.exit(130);
    }
  });
  try {
    // asyncio.gather(newsProducer(), newsConsumer(1), …) makes tasks: each starts on a later turn
    // of the loop, in order, and runs up to its first real wait before the next one starts.
    const tasks = [newsProducer, ...consumed.map((_, index) => () => newsConsumer(index + 1))].map((start) => sleep(0).then(start));
    await Promise.all(tasks);
  } finally {
    // After a Ctrl-C the listener stays until the exit (it does not keep the process alive): a
    // duplicate of that keypress may still be on its way, and unheard it would kill the process.
    if (!interrupt.signal.aborted) stopListening();
  }
  const total = consumed.reduce((sum, count) => sum + count, 0);
  const perConsumer = consumed.map((count, index) => `consumer ${index + 1}: ${count}`).join(", ");
  const items = `${produced} news item${produced === 1 ? "" : "s"}`;
  host.print(`${interrupt.signal.aborted ? "Interrupted" : "Done"}: ${items} put onto the queue, ${total} consumed (${perConsumer})`);
  // pnpm's duplicate of the keypress comes a few milliseconds after the terminal's: let it find
  // the listener rather than a process tearing down (which it would kill mid-exit).
  if (interrupt.signal.aborted) await sleep(200);
  return 0;
}
