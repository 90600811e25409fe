/**
 * Where the time and the allocations of a case go, on Node: `pnpm --filter @syncio/bench profile
 * [case…] [--ops N]`. For each case (syncio's entry, or a floor form `floor.<kind>:<form>` for
 * comparison) it runs a warm-up, then a CPU profile (self time per function, the garbage
 * collector's share) and a sampling heap profile that counts objects already collected (bytes
 * allocated per operation, per allocating function). Cases: lock.contended.2, lock.contended.16,
 * lock.contended.1000, semaphore.4x64, queue.handoff, queue.bounded, queue.unbounded,
 * lock.uncontended, and any floor form (e.g. floor.wake:two-slots-shared-executor).
 */
import { Session } from "node:inspector/promises";
import { CORE_FLOORS } from "./floors.js";
import type { Sample } from "./harness.js";
import { syncioLibrary } from "./libraries/syncio.js";
import { loadSyncio } from "./syncio.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  selfSize?: number;
  children?: Array<number | ProfileNode>;
}

const argv = process.argv.slice(2);
const opsIndex = argv.indexOf("--ops");
const opsWanted = opsIndex === -1 ? 2_000_000 : Number(argv[opsIndex + 1]);
const named = argv.filter((arg, i) => !arg.startsWith("--") && argv[i - 1] !== "--ops");
const caseIds = named.length > 0 ? named : ["lock.contended.16", "queue.bounded", "queue.handoff", "floor.wake:two-slots-shared-executor", "floor.pass:fresh-promises"];

const { syncio, source } = await loadSyncio();
const lib = syncioLibrary(syncio);

/** One batch of the case and its operation count. */
function batchOf(caseId: string): { ops: number; batch: () => Promise<Sample> } {
  const floor = /^floor\.(\w+):(.+)$/.exec(caseId);
  if (floor !== null) {
    const kind = CORE_FLOORS.find((k) => k.id === floor[1]);
    const form = kind?.forms.find((f) => f.id === floor[2]);
    if (kind === undefined || form === undefined) throw new Error(`no floor form ${caseId}`);
    return { ops: kind.ops, batch: () => form.run(kind.ops) };
  }
  const contended = /^lock\.contended\.(\d+)$/.exec(caseId);
  if (contended !== null) {
    const tasks = Number(contended[1]);
    const perTask = Math.max(1, Math.round(20_000 / tasks));
    return { ops: tasks * perTask, batch: () => lib.lockContended!(tasks, perTask) };
  }
  switch (caseId) {
    case "lock.uncontended":
      return { ops: 20_000, batch: () => lib.lockUncontended!(20_000) };
    case "semaphore.4x64":
      return { ops: 64 * 300, batch: () => lib.semaphore!(4, 64, 300) };
    case "queue.handoff":
      return { ops: 100_000, batch: () => lib.queue!(10, 100_000, true) };
    case "queue.bounded":
      return { ops: 100_000, batch: () => lib.queue!(10, 100_000, false) };
    case "queue.unbounded":
      return { ops: 100_000, batch: () => lib.queue!(0, 100_000, false) };
    default:
      throw new Error(`unknown case ${caseId}`);
  }
}

function nodesOf(profile: { nodes?: ProfileNode[]; head?: ProfileNode }): ProfileNode[] {
  if (profile.nodes !== undefined) return profile.nodes;
  const all: ProfileNode[] = [];
  const walk = (node: ProfileNode) => {
    all.push(node);
    for (const child of node.children ?? []) walk(child as ProfileNode);
  };
  walk(profile.head!);
  return all;
}

function where(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(packages|bench|node_modules)\//, "$1/");
  return `${functionName || "(anonymous)"}${file ? ` ${file}:${lineNumber + 1}` : ""}`;
}

/** Sums `value(node)` per function, largest first. */
function byFunction(nodes: ProfileNode[], value: (node: ProfileNode) => number): Array<[string, number]> {
  const sums = new Map<string, number>();
  for (const node of nodes) sums.set(where(node), (sums.get(where(node)) ?? 0) + value(node));
  return [...sums].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
}

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("HeapProfiler.enable");
console.log(`syncio from ${source}; ${process.version}; about ${opsWanted.toLocaleString("en")} operations per case and profile`);

for (const caseId of caseIds) {
  const { ops, batch } = batchOf(caseId);
  const batches = Math.max(1, Math.round(opsWanted / ops));
  for (let i = 0; i < Math.max(5, batches / 5); i++) await batch(); // warm-up: let the JIT settle
  console.log(`\n## ${caseId}: ${batches} batches of ${ops.toLocaleString("en")} operations`);

  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  await session.post("Profiler.start");
  let cpuMs = 0;
  for (let i = 0; i < batches; i++) cpuMs += (await batch()).cpuMs;
  const { profile } = await session.post("Profiler.stop");
  const nodes = nodesOf(profile as never);
  const hits = nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const gc = nodes.filter((node) => node.callFrame.functionName === "(garbage collector)").reduce((n, node) => n + (node.hitCount ?? 0), 0);
  console.log(`CPU: ${((cpuMs * 1e6) / (batches * ops)).toFixed(1)} ns/op (profiler on); garbage collector ${((100 * gc) / hits).toFixed(1)}% of samples`);
  console.log("self time by function:");
  for (const [name, count] of byFunction(nodes, (node) => node.hitCount ?? 0).slice(0, 14)) console.log(`  ${((100 * count) / hits).toFixed(1).padStart(5)}%  ${name}`);

  await session.post("HeapProfiler.startSampling", { samplingInterval: 32, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < batches; i++) await batch();
  const sampled = await session.post("HeapProfiler.stopSampling");
  const heapNodes = nodesOf(sampled.profile as never);
  const bytes = heapNodes.reduce((n, node) => n + (node.selfSize ?? 0), 0);
  const perOp = (value: number) => value / (batches * ops);
  console.log(`allocated: ${perOp(bytes).toFixed(0)} B/op (sampled every 32 B, collected objects included); by allocating function:`);
  for (const [name, size] of byFunction(heapNodes, (node) => node.selfSize ?? 0).slice(0, 10)) {
    if (perOp(size) >= 1) console.log(`  ${perOp(size).toFixed(0).padStart(5)} B/op  ${name}`);
  }
}
session.disconnect();
