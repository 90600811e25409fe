/**
 * The tutorial's lock example: workers share one Lock, and only the one holding it is inside its
 * critical section. The tutorial blocks the whole loop with `time.sleep`, which hides the lock;
 * here the holder awaits `sleep()`, so the others are seen queuing for it.
 */
import type * as Syncio from "@syncio/core";
import { readCommandLine, type IntegerFlag } from "../../shared/flags.js";
import type { Host } from "../../shared/host.js";

const flags = {
  hold: { placeholder: "ms", help: "time each worker spends holding the lock", min: 0, default: 2000 },
  workers: { placeholder: "n", help: "workers sharing the lock", min: 1, max: 1000, default: 2 },
} satisfies Record<string, IntegerFlag>;

/** Runs the demo with the API of the runtime's adapter; resolves to the exit code. */
export async function lockDemo(syncio: typeof Syncio, host: Host): Promise<number> {
  const commandLine = readCommandLine(host, "lock-demo", flags);
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const options = commandLine;
  const { Lock, sleep } = syncio;

  async function myWorker(lock: Syncio.Lock): Promise<void> {
    host.print("Attempting to attain lock");
    {
      using _held = await lock.acquire();
      host.print("Currently Locked");
      await sleep(options.hold);
    } // released here: the lock goes straight to the next worker in line
    host.print("Unlocked Critical Section");
  }

  const lock = new Lock();
  // Like asyncio.create_task: every worker starts on a later turn of the loop, in order, and
  // runs up to its first real wait before the next one starts.
  await Promise.all(Array.from({ length: options.workers }, () => sleep(0).then(() => myWorker(lock))));
  host.print("All Tasks Completed");
  return 0;
}
