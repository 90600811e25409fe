import { describe, expect, it } from "vitest";
import { Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Lock, QueueEmpty, QueueFull, QueueShutDown, Semaphore, sleep, TimeoutError } from "syncio";
import { useVirtualTime } from "syncio/testing";
import { rejectionOf } from "./support/index.js";

describe.each([
  ["TimeoutError", TimeoutError],
  ["QueueEmpty", QueueEmpty],
  ["QueueFull", QueueFull],
  ["QueueShutDown", QueueShutDown],
  ["BrokenBarrierError", BrokenBarrierError],
] as const)("%s", (name, ErrorClass) => {
  it("is an Error whose name is its class name", () => {
    const error = new ErrorClass("what happened");
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.name).toBe(name);
    expect(ErrorClass.name).toBe(name);
  });

  it("keeps its message and reads as `Name: message`", () => {
    const error = new ErrorClass("what happened");
    expect(error.message).toBe("what happened");
    expect(String(error)).toBe(`${name}: what happened`);
  });

  it("has a stack and accepts a cause", () => {
    const cause = new Error("root");
    const error = new ErrorClass("wrapped", { cause });
    expect(typeof error.stack).toBe("string");
    expect(error.cause).toBe(cause);
  });

  it("is not any of the other syncio errors", () => {
    const others = [TimeoutError, QueueEmpty, QueueFull, QueueShutDown, BrokenBarrierError].filter((other) => other !== ErrorClass);
    const error = new ErrorClass("x");
    for (const other of others) expect(error).not.toBeInstanceOf(other);
  });
});

describe("error messages", () => {
  describe("argument errors name the call, the argument and the value with its type", () => {
    it.each([
      [() => new Semaphore("2" as never), 'Semaphore(): expected `value` to be an integer ≥ 0, got "2" (string)'],
      [() => new Semaphore(-1), "Semaphore(): expected `value` to be an integer ≥ 0, got -1 (number)"],
      [() => new BoundedSemaphore(1.5), "BoundedSemaphore(): expected `value` to be an integer ≥ 0, got 1.5 (number)"],
      [() => new Barrier(null as never), "Barrier(): expected `parties` to be an integer ≥ 1, got null"],
      [() => new Barrier(0), "Barrier(): expected `parties` to be an integer ≥ 1, got 0 (number)"],
      [() => new Condition({} as never), "Condition(): expected `lock` to be a Lock or undefined, got an object (object)"],
      [() => new Lock().acquire({ timeout: "5" as never }), 'Lock.acquire(): expected `options.timeout` to be a number of milliseconds, got "5" (string)'],
      [() => new Lock().acquire({ timeout: -1 }), "Lock.acquire(): expected `options.timeout` to be a number of milliseconds ≥ 0, got -1 (number)"],
      [() => new Lock().acquire({ timeout: Number.NaN }), "Lock.acquire(): expected `options.timeout` to be a number of milliseconds ≥ 0, got NaN (number)"],
      [() => new Lock().acquire({ signal: [] as never }), "Lock.acquire(): expected `options.signal` to be an AbortSignal, got an Array (object)"],
      [() => new Semaphore().acquire(7 as never), "Semaphore.acquire(): expected `options` to be an object or undefined, got 7 (number)"],
      [() => sleep(undefined as never), "sleep(): expected `ms` to be a number of milliseconds, got undefined"],
    ])("%#: %s", (call, message) => {
      expect(call).toThrow(message);
      try {
        call();
      } catch (error) {
        expect((error as Error).message).toBe(message);
      }
    });
  });

  describe("state errors name the primitive and the mistake", () => {
    it.each([
      [() => new Lock().release(), "Lock.release() called on an unlocked Lock"],
      [() => new BoundedSemaphore(1).release(), "BoundedSemaphore.release() called more times than acquire(): no permit is out (value 1 of 1)"],
      [() => new Condition().wait(), "Condition.wait() called without holding the lock"],
      [() => new Condition().waitFor(() => true), "Condition.waitFor() called without holding the lock"],
      [() => new Condition().notify(), "Condition.notify() called without holding the lock"],
      [() => new Condition().notifyAll(), "Condition.notifyAll() called without holding the lock"],
    ])("%#: %s", (call, message) => {
      expect(call).toThrow(message);
      try {
        call();
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe(message);
      }
    });
  });

  it("a timed-out call's TimeoutError names the call and the timeout", async () => {
    using clock = useVirtualTime();
    const lock = new Lock();
    await lock.acquire();
    const failure = rejectionOf(lock.acquire({ timeout: 250 }));
    await clock.advance(250);
    const error = await failure;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("Lock.acquire() timed out after 250 ms");
  });

  it("a barrier's BrokenBarrierError says whether it was reset, aborted or already broken", async () => {
    const barrier = new Barrier(2);
    const reset = barrier.wait();
    barrier.reset();
    expect(((await rejectionOf(reset)) as Error).message).toBe("Barrier was reset while waiting");
    const aborted = barrier.wait();
    barrier.abort();
    expect(((await rejectionOf(aborted)) as Error).message).toBe("Barrier was aborted while waiting");
    expect(((await rejectionOf(barrier.wait())) as Error).message).toBe("Barrier.wait() called on a broken Barrier");
  });
});
