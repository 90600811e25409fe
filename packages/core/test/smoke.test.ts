import { describe, expect, it } from "vitest";
import { Lock, Queue, TimeoutError, sleep } from "syncio";
import { useVirtualTime } from "syncio/testing";

describe("smoke", () => {
  it("hands a lock over and times out a waiter on the virtual clock", async () => {
    using clock = useVirtualTime();
    const lock = new Lock();
    const first = await lock.acquire();
    const second = lock.acquire({ timeout: 100 });
    expect(String(lock)).toBe("<Lock [locked, waiters:1]>");
    const timedOut = expect(second).rejects.toBeInstanceOf(TimeoutError);
    await clock.advance(100);
    await timedOut;
    expect(clock.pendingTimers).toBe(0);
    first.release();
    expect(lock.locked()).toBe(false);
    const queue = new Queue<number>(10);
    const got = queue.get();
    expect(String(queue)).toBe("<Queue maxsize=10 _getters[1]>");
    queue.putNowait(5);
    expect(await got).toBe(5);
    const slept = sleep(1000);
    await clock.advance(1000);
    await slept;
  });
});
