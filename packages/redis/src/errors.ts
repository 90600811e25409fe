/** The errors @syncio/redis adds to core's (`TimeoutError` and the rest come from `@syncio/core`). */

/**
 * A lease was lost: its deadline in Redis passed before this process renewed it (the process
 * was paused or cut off), Redis lost it (a restart), or the connection was closed. It is the
 * `reason` of the lease's `signal`; another process may hold what the lease held, so stop the
 * work and let the fence guard the resource. Never thrown as an unhandled rejection.
 */
export class LeaseLostError extends Error {
  override name = "LeaseLostError" as const;
}

/**
 * The connection to Redis failed: a call that was pending when it dropped, or a call made while
 * it is down, rejects with this, the client's error as `cause`. Calls made after the client
 * reconnects work again.
 */
export class ConnectionError extends Error {
  override name = "ConnectionError" as const;
}

/** A reply Redis sent as an error (a script's error, NOSCRIPT, a wrong type): not a connection failure. */
export class ServerReply extends Error {
  override name = "ServerReply" as const;
}
