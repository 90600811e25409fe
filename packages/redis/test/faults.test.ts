/**
 * The faults a lock across processes must survive, each with the numbers it asserts: a holder
 * killed, a holder paused past its lease, the subscriber connection killed, Redis restarted, and
 * a waiter that gives up in the instant it is granted. Lease: 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, ConnectionError, LeaseLostError, TimeoutError } from "@syncio/redis";
import { startChild } from "./support/children.js";
import { eventually } from "./support/party.js";
import { host } from "./support/runtimes.js";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName } from "./support/setups.js";

const LEASE = 1_000;
let server: RedisServer;
const prefix = `faults-${Date.now()}`;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

/** Whether a promise settled yet; its rejection is never unhandled. */
function track<T>(promise: Promise<T>) {
  const tracked = { settled: false, at: 0, promise };
  promise.then(
    () => Object.assign(tracked, { settled: true, at: performance.now() }),
    () => Object.assign(tracked, { settled: true, at: performance.now() }),
  );
  return tracked;
}

describe("faults", () => {
  it("grants the lock to the next waiter within the lease + 1 s after its holder is killed with -9", async () => {
    const name = freshName("killed");
    const holder = startChild(host, "holder.mjs", [server.url, prefix, String(LEASE), name]);
    const heldLine = await holder.line(/^held /);
    const sync = await connect(server.url, { prefix, lease: LEASE });
    const waiting = sync.lock(name).acquire({ timeout: 10_000 });
    await eventually(async () => (await sync.lock(name).statistics()).waiters === 1, "the waiter is queued");
    const killedAt = performance.now();
    holder.kill("SIGKILL");
    const lease = await waiting;
    const tookMs = performance.now() - killedAt;
    console.log(`kill -9 → next holder granted after ${tookMs.toFixed(0)} ms (lease ${LEASE} ms)`);
    expect(tookMs).toBeLessThanOrEqual(LEASE + 1_000);
    expect(lease.fence).toBeGreaterThan(BigInt(heldLine.split(" ")[1]!));
    await lease.release();
    await sync.close();
  });

  it("aborts a holder's lease.signal with LeaseLostError when it was paused (SIGSTOP) past its lease, and the next holder's fence is larger", async () => {
    const name = freshName("paused");
    const holder = startChild(host, "holder.mjs", [server.url, prefix, String(LEASE), name]);
    const pausedFence = BigInt((await holder.line(/^held /)).split(" ")[1]!);
    const sync = await connect(server.url, { prefix, lease: LEASE });
    const waiting = sync.lock(name).acquire({ timeout: 10_000 });
    await eventually(async () => (await sync.lock(name).statistics()).waiters === 1, "the waiter is queued");
    const stoppedAt = performance.now();
    holder.kill("SIGSTOP");
    const lease = await waiting;
    const tookMs = performance.now() - stoppedAt;
    holder.kill("SIGCONT");
    const continuedAt = performance.now();
    const lost = await holder.line(/^lost /, 5_000);
    console.log(`SIGSTOP → next holder granted after ${tookMs.toFixed(0)} ms; after SIGCONT the paused holder's signal aborted within ${(performance.now() - continuedAt).toFixed(0)} ms`);
    expect(lost).toBe("lost LeaseLostError");
    expect(tookMs).toBeLessThanOrEqual(LEASE + 1_000);
    expect(lease.fence).toBeGreaterThan(pausedFence);
    expect(lease.signal.aborted).toBe(false);
    await lease.release();
    holder.kill("SIGKILL");
    await sync.close();
  });

  it("still wakes waiters whose subscriber connection was killed (CLIENT KILL TYPE pubsub) when the grant was published", async () => {
    const name = freshName("pubsub");
    const holderSync = await connect(server.url, { prefix, lease: LEASE });
    const waiterSync = await connect(server.url, { prefix, lease: LEASE });
    const held = await holderSync.lock(name).acquire();
    const first = track(waiterSync.lock(name).acquire({ timeout: 10_000 }));
    const event = track(waiterSync.event(`${name}-event`).wait({ timeout: 10_000 }));
    await eventually(async () => (await holderSync.lock(name).statistics()).waiters === 1 && (await holderSync.event(`${name}-event`).statistics()).waiters === 1, "both wait");
    const killed = Number(await server.command("CLIENT", "KILL", "TYPE", "pubsub"));
    expect(killed).toBeGreaterThanOrEqual(2);
    const grantedAt = performance.now();
    await held.release(); // published while the waiters' subscriber is reconnecting: that message is lost
    await holderSync.event(`${name}-event`).set();
    const lease = await first.promise;
    await event.promise;
    console.log(`CLIENT KILL TYPE pubsub → lock waiter woken after ${(first.at - grantedAt).toFixed(0)} ms, event waiter after ${(event.at - grantedAt).toFixed(0)} ms`);
    expect(first.at - grantedAt).toBeLessThan(LEASE + 1_000);
    await lease.release();
    await Promise.all([holderSync.close(), waiterSync.close()]);
  });

  it("passes on a grant that reaches a waiter in the instant it gives up (abort or timeout), losing nothing", async () => {
    const name = freshName("instant");
    const sync = await connect(server.url, { prefix, lease: LEASE });
    const lock = sync.lock(name);
    const held = await lock.acquire();
    const controller = new AbortController();
    const aborted = lock.acquire({ signal: controller.signal }).catch((error: unknown) => error);
    const next = lock.acquire({ timeout: 10_000 });
    await eventually(async () => (await lock.statistics()).waiters === 2, "two waiters");
    // The release reaches Redis first and grants the first waiter; its withdrawal follows on the
    // same connection and passes that grant to the next.
    const releasing = held.release();
    controller.abort(new Error("gave up"));
    await releasing;
    expect(await aborted).toEqual(new Error("gave up"));
    const lease = await next;
    expect(lease.fence).toBe(held.fence + 2n);
    await lease.release();

    // The same race with a timeout: Redis holds the release back (CLIENT PAUSE … WRITE) while the
    // waiter's timeout fires, so the release grants a waiter that has already given up.
    const patient = await connect(server.url, { prefix, lease: 10_000 });
    const slow = patient.lock(name);
    const held2 = await slow.acquire();
    const timingOut = slow.acquire({ timeout: 600 }).catch((error: unknown) => error);
    const next2 = slow.acquire();
    await eventually(async () => (await slow.statistics()).waiters === 2, "two waiters again");
    await server.command("CLIENT", "PAUSE", "5000", "WRITE");
    const releasing2 = held2.release();
    expect(await timingOut).toBeInstanceOf(TimeoutError);
    await server.command("CLIENT", "UNPAUSE");
    await releasing2;
    const lease2 = await next2;
    expect(lease2.fence).toBe(held2.fence + 2n);
    await lease2.release();
    await patient.close();
    expect(await lock.locked()).toBe(false);
    await sync.close();
  });

  it("rejects pending calls with ConnectionError when Redis restarts, aborts leases, hangs nowhere, and works again once it is back", async () => {
    const name = freshName("restart");
    const holderSync = await connect(server.url, { prefix, lease: LEASE });
    const waiterSync = await connect(server.url, { prefix, lease: LEASE });
    const held = await holderSync.lock(name).acquire();
    const pending = [track(waiterSync.lock(name).acquire()), track(waiterSync.lock(name).acquire({ timeout: 30_000 })), track(waiterSync.event(`${name}-e`).wait())];
    await eventually(async () => (await holderSync.lock(name).statistics()).waiters === 2, "two waiters");
    const killedAt = performance.now();
    await server.kill();
    const outcomes = await Promise.allSettled(pending.map((call) => call.promise));
    const rejectedMs = Math.max(...pending.map((call) => call.at - killedAt));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionError);
    }
    const whileDown = await holderSync.lock(name).tryAcquire().catch((error: unknown) => error);
    expect(whileDown).toBeInstanceOf(ConnectionError);
    await eventually(() => held.signal.aborted, "the holder's lease.signal aborts", LEASE + 1_000);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    const lostMs = performance.now() - killedAt;
    await server.start();
    const restartedAt = performance.now();
    let lease;
    for (;;) {
      lease = await waiterSync
        .lock(name)
        .acquire({ timeout: 2_000 })
        .catch((error: unknown) => (error instanceof ConnectionError ? undefined : Promise.reject(error)));
      if (lease !== undefined) break;
      expect(performance.now() - restartedAt).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(`Redis killed → pending calls rejected after ≤ ${rejectedMs.toFixed(0)} ms, lease signal aborted after ${lostMs.toFixed(0)} ms; restarted → a new acquire succeeded after ${(performance.now() - restartedAt).toFixed(0)} ms`);
    expect(rejectedMs).toBeLessThan(2_000);
    await lease.release();
    await held.release(); // lost: resolves quietly
    await Promise.all([holderSync.close(), waiterSync.close()]);
  });

  it("closes within 2 s while Redis is away, rejecting what waits and aborting what is held", async () => {
    const name = freshName("closing");
    const sync = await connect(server.url, { prefix, lease: LEASE });
    const held = await sync.lock(name).acquire();
    await server.kill();
    const startedAt = performance.now();
    await sync.close();
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    await server.start();
  });
});
