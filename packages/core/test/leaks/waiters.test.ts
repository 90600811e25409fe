/**
 * 100,000 callers blocked on one long-lived AbortSignal, then aborted or timed out, leave
 * nothing behind: no waiter in the primitive, no listener on the signal, no timer armed, and
 * (on Node) no MaxListenersExceededWarning. The heap side is in heap.node.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TimeoutError } from "syncio";
import { useVirtualTime } from "syncio/testing";
import { countedSignal } from "../support/index.js";
import { ManualClock, scenarios, WAITERS } from "./scenarios.js";

type Warning = { name: string; message: string };
const nodeProcess = (globalThis as { process?: { on?(event: "warning", listener: (warning: Warning) => void): void; off?(event: "warning", listener: (warning: Warning) => void): void } }).process;

let warnings: Warning[] = [];
const onWarning = (warning: Warning) => warnings.push(warning);
beforeEach(() => {
  warnings = [];
  nodeProcess?.on?.("warning", onWarning);
});
afterEach(async () => {
  // Node emits process warnings on a later tick.
  await new Promise((resolve) => setTimeout(resolve, 0));
  nodeProcess?.off?.("warning", onWarning);
  expect(warnings.map((warning) => `${warning.name}: ${warning.message}`), "no MaxListenersExceededWarning (or any warning)").toEqual([]);
});

/** Generous: 100,000 waiters take about a second on a quiet machine, but CI shares its cores. */
const TEST_TIMEOUT_MS = 60_000;

describe.each(scenarios)("$name with 100,000 blocked callers on one long-lived signal", ({ create }) => {
  it("leaves no waiter, listener or virtual timer when the signal aborts", async () => {
    using clock = useVirtualTime();
    const subject = create();
    const longLived = countedSignal();
    const calls: Promise<unknown>[] = [];
    // Each call also has a timeout, so each arms a timer that the abort must clear.
    for (let i = 0; i < WAITERS; i++) calls.push(subject.block({ signal: longLived.signal, timeout: 60_000 }));
    expect(subject.waiters()).toBe(WAITERS);
    expect(longLived.listeners, "one listener for all waiters on a signal").toBe(1);
    expect(clock.pendingTimers).toBe(WAITERS);

    // Handlers go on before the rejections: Deno takes O(n²) for 100,000 promises rejected unhandled.
    const settled = Promise.allSettled(calls);
    const reason = new Error("shutting down");
    longLived.abort(reason);
    const outcomes = await settled;

    expect(outcomes.every((outcome) => outcome.status === "rejected" && outcome.reason === reason), "every call rejects with the signal's reason").toBe(true);
    expect(subject.waiters(), "no waiter retained").toBe(0);
    expect(longLived.listeners, "no listener left on the signal").toBe(0);
    expect(clock.pendingTimers, "no timer left armed").toBe(0);
  }, TEST_TIMEOUT_MS);

  it("leaves no waiter, listener or timer when every call times out and the signal lives on", async () => {
    using clock = ManualClock.install();
    const subject = create();
    const longLived = countedSignal();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < WAITERS; i++) calls.push(subject.block({ signal: longLived.signal, timeout: 1 }));
    expect(subject.waiters()).toBe(WAITERS);
    expect(longLived.listeners, "one listener for all waiters on a signal").toBe(1);
    expect(clock.armed).toBe(WAITERS);

    const settled = Promise.allSettled(calls);
    clock.advance(1);
    const outcomes = await settled;

    expect(outcomes.every((outcome) => outcome.status === "rejected" && outcome.reason instanceof TimeoutError), "every call rejects with a TimeoutError").toBe(true);
    expect(subject.waiters(), "no waiter retained").toBe(0);
    expect(longLived.listeners, "no listener left on the still-live signal").toBe(0);
    expect(longLived.signal.aborted).toBe(false);
    expect(clock.armed, "no timer left armed").toBe(0);
  }, TEST_TIMEOUT_MS);

  it("leaves no listener or timer when the primitive lets every call through", async () => {
    using clock = useVirtualTime();
    const subject = create();
    const longLived = countedSignal();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 1_000; i++) calls.push(subject.block({ signal: longLived.signal, timeout: 60_000 }));
    const settled = Promise.allSettled(calls);
    subject.releaseAll();
    await settled;
    expect(subject.waiters(), "no waiter retained").toBe(0);
    expect(longLived.listeners, "no listener left on the signal").toBe(0);
    expect(clock.pendingTimers, "no timer left armed").toBe(0);
  }, TEST_TIMEOUT_MS);
});
