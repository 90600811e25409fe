// The queue cases of `pnpm bench:redis`: items per second through a queue of maxsize 10 with one
// producer and one consumer (1P/1C), and with four of each (4P/4C), every producer and consumer
// on a connection of its own, each awaiting one call at a time:
//   - the floor: a bare Redis list, LPUSH by the producers and BLMOVE by the consumers (no bound,
//     no fairness, no task count);
//   - syncio: RedisQueue put() / get(), and put() / getLeased() + done();
//   - BullMQ: Queue.add() by the producers, a Worker (concurrency 1) per consumer, its defaults.
// Each case runs ROUNDS times, interleaved; the median is reported.
import { createClient } from "@redis/client";
import { connect } from "@syncio/redis";
import { Queue, Worker } from "bullmq";

const ITEMS = 4_000;
const ROUNDS = 3;

type Case = (url: string, producers: number, consumers: number) => Promise<number>;

/** Runs `producers` and `consumers` loops over `ITEMS` items; resolves to items per second. */
async function timed(producers: Array<(count: number) => Promise<void>>, consumers: Array<(count: number) => Promise<void>>): Promise<number> {
  const started = performance.now();
  await Promise.all([...producers.map((produce) => produce(ITEMS / producers.length)), ...consumers.map((consume) => consume(ITEMS / consumers.length))]);
  return ITEMS / ((performance.now() - started) / 1000);
}

const floor: Case = async (url, p, c) => {
  const key = `floor:list:${Math.random()}`;
  const clients = await Promise.all(
    Array.from({ length: p + c }, async () => {
      const client = createClient({ url });
      await client.connect();
      return client;
    }),
  );
  const rate = await timed(
    clients.slice(0, p).map((client) => async (count) => {
      for (let i = 0; i < count; i++) await client.sendCommand(["LPUSH", key, String(i)]);
    }),
    clients.slice(p).map((client) => async (count) => {
      for (let i = 0; i < count; i++) await client.sendCommand(["BLMOVE", key, `${key}:taken`, "RIGHT", "LEFT", "0"]);
    }),
  );
  for (const client of clients) client.destroy();
  return rate;
};

const syncio =
  (leased: boolean): Case =>
  async (url, p, c) => {
    const name = `bench-queue-${Math.random()}`;
    const syncs = await Promise.all(Array.from({ length: p + c }, () => connect(url, { prefix: "bench" })));
    const queues = syncs.map((sync) => sync.queue<number>(name, { maxsize: 10 }));
    const rate = await timed(
      queues.slice(0, p).map((queue) => async (count) => {
        for (let i = 0; i < count; i++) await queue.put(i);
      }),
      queues.slice(p).map((queue) => async (count) => {
        for (let i = 0; i < count; i++) {
          if (leased) await (await queue.getLeased()).done();
          else await queue.get();
        }
      }),
    );
    await Promise.all(syncs.map((sync) => sync.close()));
    return rate;
  };

const bullmq: Case = async (url, p, c) => {
  const { hostname, port } = new URL(url);
  const connection = { host: hostname, port: Number(port), maxRetriesPerRequest: null };
  const name = `bench-${Math.floor(Math.random() * 1e9)}`;
  const queues = Array.from({ length: p }, () => new Queue(name, { connection }));
  await Promise.all(queues.map((queue) => queue.waitUntilReady()));
  let processed = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const started = performance.now();
  const workers = Array.from({ length: c }, () => new Worker(name, async () => void (++processed === ITEMS && finish()), { connection, concurrency: 1 }));
  await Promise.all(
    queues.map(async (queue) => {
      for (let i = 0; i < ITEMS / p; i++) await queue.add("item", { i });
    }),
  );
  await finished;
  const rate = ITEMS / ((performance.now() - started) / 1000);
  await Promise.all([...workers.map((worker) => worker.close()), ...queues.map((queue) => queue.close())]);
  return rate;
};

const cases: Record<string, Case> = { floor, "syncio get()": syncio(false), "syncio getLeased() + done()": syncio(true), bullmq };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface QueueFigures {
  /** Items per second by case, for "1P/1C" and "4P/4C". */
  readonly rates: Record<"1P/1C" | "4P/4C", Record<string, number>>;
}

/** Measures every case; logs each round. */
export async function measureQueues(url: string): Promise<QueueFigures> {
  const rates = { "1P/1C": {}, "4P/4C": {} } as QueueFigures["rates"];
  for (const [label, p, c] of [["1P/1C", 1, 1], ["4P/4C", 4, 4]] as const) {
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(cases)) samples[name]!.push(await run(url, p, c));
    }
    for (const [name, values] of Object.entries(samples)) rates[label][name] = median(values);
    console.log(`Queue(10) ${label}, items/s (median of ${ROUNDS}):`, Object.fromEntries(Object.entries(rates[label]).map(([name, rate]) => [name, Math.round(rate)])));
  }
  return { rates };
}

/** The table rows of the queue cases. */
export function queueTable({ rates }: QueueFigures): string[] {
  const perSecond = (rate: number) => `${Math.round(rate).toLocaleString("en-US")}/s`;
  const met = (ok: boolean) => (ok ? "met" : "**missed**");
  const rows = ["| Queue(10), items per second | bare list (LPUSH + BLMOVE) | syncio get() | syncio getLeased() + done() | BullMQ add + Worker | target |", "| --- | --- | --- | --- | --- | --- |"];
  for (const label of ["1P/1C", "4P/4C"] as const) {
    const r = rates[label];
    const floorRatio = r["syncio get()"]! / r.floor!;
    const bullRatio = r["syncio get()"]! / r.bullmq!;
    const targets = label === "1P/1C" ? `≥ 0.5× bare list: ${met(floorRatio >= 0.5)}; ≥ 5× BullMQ: ${met(bullRatio >= 5)}` : `≥ 5× BullMQ: ${met(bullRatio >= 5)}`;
    rows.push(
      `| ${label} | ${perSecond(r.floor!)} | ${perSecond(r["syncio get()"]!)} (${floorRatio.toFixed(2)}× the list, ${bullRatio.toFixed(1)}× BullMQ) | ${perSecond(r["syncio getLeased() + done()"]!)} | ${perSecond(r.bullmq!)} | ${targets} |`,
    );
  }
  return rows;
}

export const queueMethod = `Queue: ${ITEMS} items per round through a queue of maxsize 10 (the bare list has no bound), every producer and consumer on its own connection awaiting one call at a time, median of ${ROUNDS} interleaved rounds; BullMQ with its defaults (jobs kept after completion), one Worker of concurrency 1 per consumer.`;
