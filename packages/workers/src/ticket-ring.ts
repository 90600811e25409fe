/**
 * The one machinery of @syncio/workers: where a primitive's state lives in its SharedArrayBuffer,
 * and the ticket rings its waiters queue in. Every primitive is a few words here plus one or more
 * lines (FIFOs of waiters); each waiter sleeps on its own slot word with `Atomics.waitAsync`.
 *
 * Layout of one primitive's buffer (Int32 words; cells are bytes further on):
 *
 *   word            what it holds
 *    0  MAGIC       0x53594E43 ("SYNC"): a buffer made by @syncio/workers
 *    1  KIND        the primitive (index in KINDS + 1)
 *    2  GUARD       0 free, 1 held: taken around every transition that reads and writes several words
 *    3  SLOTS       N, slots per line: a power of two ≥ 4
 *    4  LINES       how many lines follow
 *    5  CELL        payload bytes a cell holds (0: no cells)
 *    6  CELLS       cells of a queue's store
 *    7  CODEC       a queue's codec (index in CODECS)
 *    8 … 15         the primitive's own words (FIELD + k, named in each primitive's file)
 *   16 + 4·i        line i: TAIL (next ticket to issue) · HEAD (next ticket to serve) · LIVE (waiters
 *                   queued, neither served nor withdrawn) · CELL0 (cell of its slot 0, −1: no payload)
 *   SLOT0 + 2·(i·N + s)   slot s of line i: STATE · VALUE (what the grant carries: a generation, an
 *                   index, 1 for "an item is in your cell", −1 for "rejected": shut down, broken)
 *   STORE …         a queue's store words (a PriorityQueue's heap of cell indices and free cells)
 *   cells           from the next multiple of 8 bytes: one per payload slot, then the store's; each is
 *                   16 header bytes (length, format, sequence, 0) then CELL bytes, padded to 8
 *
 * Tickets. A line issues tickets in arrival order (TAIL += 1) and serves them in the same order
 * (HEAD += 1), so FIFO holds by construction, whatever order the engine wakes threads in. Ticket t
 * sleeps in slot t & (N−1); the slot's STATE word is the ticket's tag (t with its low log2 N bits
 * cleared) ORed with the slot's state, so a slot reused by a later ticket never passes for an earlier
 * one. Tickets are Int32 and wrap; only equality and `& (N−1)` are ever used on them.
 *
 *             enqueue (guarded)          grant (guarded)              the owner read VALUE and its cell
 *     FREE ─────────────────▶ PENDING ─────────────────▶ GRANTED ─────────────────────────▶ FREE
 *                                │ withdraw (guarded: abort, timeout)
 *                                └──────────────────▶ WITHDRAWN   (reusable by a new ticket at once)
 *
 * - Enqueue issues TAIL if its slot is FREE or WITHDRAWN; a slot still held by an earlier ticket
 *   (PENDING, or GRANTED and not yet read by its thread) is skipped: its ticket number is never
 *   issued. When all N slots are held, the line is full and the call rejects (see the README).
 * - Grant serves the first live ticket from HEAD, skipping every ticket whose slot does not show
 *   it PENDING (withdrawn, never issued, or reused since): amortized O(1), each ticket passed once.
 * - Withdraw flips the caller's own slot PENDING → WITHDRAWN in O(1); nothing else moves, and the
 *   slot is free for the next ticket that maps to it.
 * - Only the GRANTED → FREE step happens outside the guard, by the slot's owner, after it read VALUE
 *   and its cell; guarded code never writes a GRANTED slot, so the two never race. Every other word
 *   is written under the guard (or, for a semaphore's count, by compare-and-swap), and read outside
 *   it only for snapshots (`locked()`, `statistics()`).
 * - After leaving the guard, whoever granted or withdrew a slot calls `Atomics.notify` on its STATE
 *   word, which wakes exactly the one waiter sleeping there.
 *
 * The guard is a spin word held only for the few instructions of one transition (no await, no user
 * code except a PriorityQueue's `compare` and its codec's `decode`), so a thread waits for it no
 * longer than another thread takes to finish one transition: no thread ever blocks its event loop
 * to wait for a primitive.
 */
import { typeError } from "@syncio/core/internal";

export const KINDS = ["Lock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier", "Queue", "PriorityQueue", "LifoQueue"] as const;
/** The primitives, by the name their handles carry. */
export type Kind = (typeof KINDS)[number];

const MAGIC = 0x53594e43;
const W_MAGIC = 0;
const W_KIND = 1;
const W_GUARD = 2;
const W_SLOTS = 3;
const W_LINES = 4;
const W_CELL = 5;
const W_CELLS = 6;
const W_CODEC = 7;
/** The first of a primitive's own eight words. */
export const FIELD = 8;
const LINE0 = 16;
const LINE_WORDS = 4;
const CELL_HEADER = 16;

/** Slot states, in the low two bits of a STATE word. */
export const FREE = 0;
export const PENDING = 1;
export const GRANTED = 2;
export const WITHDRAWN = 3;
const STATE_BITS = 3;

/** VALUE of a grant that rejects the waiter (queue shut down, barrier broken). */
export const REJECTED = -1;

/** How long a thread spins on a held guard before it concludes the holder died inside a transition. */
const GUARD_PATIENCE_MS = 2_000;

/** The plain, structured-cloneable object that `from()` turns back into a primitive. */
export interface Handle {
  readonly kind: Kind;
  readonly buffer: SharedArrayBuffer;
}

/** What a primitive asks of the layout when it is created. */
export interface Shape {
  readonly kind: Kind;
  /** Slots per line (rounded up to a power of two ≥ 4). */
  readonly slots: number;
  /** Per line: whether its slots carry a payload cell. */
  readonly lines: readonly boolean[];
  readonly cellBytes?: number;
  /** Cells of a queue's store. */
  readonly cells?: number;
  /** Store words (a PriorityQueue's heap and free list). */
  readonly storeWords?: number;
  readonly codec?: number;
}

const isSharedArrayBuffer = (value: unknown): value is SharedArrayBuffer => Object.prototype.toString.call(value) === "[object SharedArrayBuffer]";

/** Throws a clear Error where shared memory or `Atomics.waitAsync` is missing. */
function checkEnvironment(kind: Kind): void {
  if (typeof SharedArrayBuffer !== "function") {
    throw new Error(`${kind}: SharedArrayBuffer is not available here; in a browser, serve the page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)`);
  }
  if (typeof (Atomics as { waitAsync?: unknown }).waitAsync !== "function") {
    throw new Error(`${kind}: Atomics.waitAsync is not available here (Node ≥ 16, Deno, Bun, Chromium ≥ 90, Safari ≥ 16.4 and Firefox ≥ 145 have it)`);
  }
}

/** The smallest power of two ≥ max(4, n). */
export function ringSize(n: number): number {
  let size = 4;
  while (size < n) size *= 2;
  return size;
}

/** One primitive's shared buffer, seen from this thread. */
export class Region {
  readonly buffer: SharedArrayBuffer;
  readonly kind: Kind;
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
  /** The whole buffer as float64s (cells are 8-aligned): the "number" codec reads and writes here. */
  readonly floats: Float64Array;
  readonly lines: Line[] = [];
  /** Slots per line (N) and N − 1. */
  readonly slots: number;
  readonly mask: number;
  readonly cellBytes: number;
  /** Bytes from one cell to the next. */
  readonly cellStride: number;
  /** Byte offset of cell 0. */
  readonly cell0: number;
  /** Index of the first store cell (after the payload slots' cells). */
  readonly storeCell0: number;
  readonly cells: number;
  /** Word index of the first store word. */
  readonly store0: number;
  readonly codec: number;
  /** STATE words to notify once the guard is left (this thread's own list). */
  readonly #toNotify: number[] = [];

  /** Makes a new buffer for `shape`. */
  static create(shape: Shape): Region {
    checkEnvironment(shape.kind);
    const slots = ringSize(shape.slots);
    const cellBytes = shape.cellBytes ?? 0;
    const cells = shape.cells ?? 0;
    const { bytes } = layout(shape.lines.length, slots, shape.lines.filter(Boolean).length, cellBytes, cells, shape.storeWords ?? 0);
    const buffer = new SharedArrayBuffer(bytes);
    const words = new Int32Array(buffer);
    words[W_KIND] = KINDS.indexOf(shape.kind) + 1;
    words[W_SLOTS] = slots;
    words[W_LINES] = shape.lines.length;
    words[W_CELL] = cellBytes;
    words[W_CELLS] = cells;
    words[W_CODEC] = shape.codec ?? 0;
    let payloadCell = 0;
    shape.lines.forEach((payload, i) => {
      words[LINE0 + LINE_WORDS * i + 3] = payload ? payloadCell : -1;
      if (payload) payloadCell += slots;
    });
    Atomics.store(words, W_MAGIC, MAGIC);
    return new Region(buffer, shape.storeWords ?? 0);
  }

  /**
   * Opens the buffer of `handle`, checking it is a `kind`'s; throws a TypeError naming `where` if not.
   * `storeWords` must be what the creator passed.
   */
  static open(handle: unknown, kind: Kind, where: string, storeWords = 0): Region {
    checkEnvironment(kind);
    const expected = `a ${kind}'s handle (its \`handle\` property)`;
    if (typeof handle !== "object" || handle === null) throw typeError(where, "handle", expected, handle);
    const { kind: named, buffer } = handle as Partial<Handle>;
    if (!isSharedArrayBuffer(buffer) || buffer.byteLength < LINE0 * 4) throw typeError(where, "handle", expected, handle);
    const words = new Int32Array(buffer);
    if (Atomics.load(words, W_MAGIC) !== MAGIC) throw typeError(where, "handle", expected, handle);
    const actual = KINDS[words[W_KIND]! - 1];
    if (named !== kind || actual !== kind) {
      throw new TypeError(`${where}: expected \`handle\` to be ${expected}, got the handle of a ${actual ?? String(named)}`);
    }
    return new Region(buffer, storeWords);
  }

  private constructor(buffer: SharedArrayBuffer, storeWords: number) {
    this.buffer = buffer;
    this.words = new Int32Array(buffer);
    this.bytes = new Uint8Array(buffer);
    this.floats = new Float64Array(buffer, 0, buffer.byteLength >>> 3);
    const w = this.words;
    this.kind = KINDS[w[W_KIND]! - 1]!;
    this.slots = w[W_SLOTS]!;
    this.mask = this.slots - 1;
    this.cellBytes = w[W_CELL]!;
    this.cells = w[W_CELLS]!;
    this.codec = w[W_CODEC]!;
    const lineCount = w[W_LINES]!;
    let payloadLines = 0;
    for (let i = 0; i < lineCount; i++) if (w[LINE0 + LINE_WORDS * i + 3]! >= 0) payloadLines++;
    const shape = layout(lineCount, this.slots, payloadLines, this.cellBytes, this.cells, storeWords);
    this.store0 = shape.store0;
    this.cell0 = shape.cell0;
    this.cellStride = shape.cellStride;
    this.storeCell0 = payloadLines * this.slots;
    for (let i = 0; i < lineCount; i++) this.lines.push(new Line(this, i, shape.slot0 + 2 * this.slots * i));
  }

  /** A primitive's own word `k` (0 … 7), as an index into `words`. */
  field(k: number): number {
    return FIELD + k;
  }

  /** Byte offset of cell `index`'s header; its payload starts 16 bytes further. */
  cellOffset(index: number): number {
    return this.cell0 + index * this.cellStride;
  }

  /** Takes the guard, spinning while another thread finishes its transition. */
  enter(): void {
    if (Atomics.compareExchange(this.words, W_GUARD, 0, 1) !== 0) this.#spin();
  }

  /** Leaves the guard, then wakes every waiter granted or withdrawn inside it. */
  leave(): void {
    Atomics.store(this.words, W_GUARD, 0);
    const toNotify = this.#toNotify;
    if (toNotify.length === 0) return;
    for (let i = 0; i < toNotify.length; i++) Atomics.notify(this.words, toNotify[i]!, 1);
    toNotify.length = 0;
  }

  /** Guarded: wake the waiter sleeping on STATE word `state` once the guard is left. */
  notifyAfter(state: number): void {
    this.#toNotify.push(state);
  }

  #spin(): void {
    const words = this.words;
    let deadline = 0;
    for (let spins = 1; ; spins++) {
      if (Atomics.load(words, W_GUARD) === 0 && Atomics.compareExchange(words, W_GUARD, 0, 1) === 0) return;
      if ((spins & 0x3ff) !== 0) continue;
      // A holder finishes within microseconds; only a thread terminated inside a transition holds it this long.
      const now = performance.now();
      if (deadline === 0) deadline = now + GUARD_PATIENCE_MS;
      else if (now > deadline) {
        throw new Error(`${this.kind}: its shared state stayed locked for ${GUARD_PATIENCE_MS} ms; a thread was probably terminated in the middle of a call on it, and the primitive cannot be used any more`);
      }
    }
  }
}

/** Where each part of a buffer starts, for a layout's numbers. */
function layout(lines: number, slots: number, payloadLines: number, cellBytes: number, cells: number, storeWords: number) {
  const slot0 = LINE0 + LINE_WORDS * lines;
  const store0 = slot0 + 2 * slots * lines;
  const cell0 = Math.ceil(((store0 + storeWords) * 4) / 8) * 8;
  const cellStride = cellBytes === 0 ? 0 : CELL_HEADER + Math.ceil(cellBytes / 8) * 8;
  const totalCells = cellBytes === 0 ? 0 : payloadLines * slots + cells;
  return { slot0, store0, cell0, cellStride, bytes: cell0 + totalCells * cellStride };
}

/**
 * One FIFO of waiters: a ticket ring of N slots (see the module comment). Methods marked guarded
 * run between `region.enter()` and `region.leave()`; the others are the owner's, lock-free.
 */
export class Line {
  readonly region: Region;
  readonly #words: Int32Array;
  readonly #tail: number;
  readonly #head: number;
  readonly #live: number;
  readonly #slot0: number;
  readonly #cell0: number;
  readonly #mask: number;

  constructor(region: Region, index: number, slot0: number) {
    this.region = region;
    this.#words = region.words;
    this.#tail = LINE0 + LINE_WORDS * index;
    this.#head = this.#tail + 1;
    this.#live = this.#tail + 2;
    this.#cell0 = region.words[this.#tail + 3]!;
    this.#slot0 = slot0;
    this.#mask = region.mask;
  }

  /** Waiters queued and neither served nor withdrawn (a snapshot outside the guard). */
  get live(): number {
    return this.#words[this.#live]!;
  }

  /** Guarded. Issues the next ticket and marks its slot PENDING; `undefined` when every slot is held. */
  enqueue(): number | undefined {
    const words = this.#words;
    const mask = this.#mask;
    const tail = words[this.#tail]!;
    for (let skip = 0; skip <= mask; skip++) {
      const ticket = (tail + skip) | 0;
      const state = this.#slot0 + 2 * (ticket & mask);
      const held = Atomics.load(words, state) & STATE_BITS;
      // A slot still PENDING or GRANTED belongs to an earlier ticket: this number is never issued.
      if (held === PENDING || held === GRANTED) continue;
      words[state + 1] = 0;
      Atomics.store(words, state, (ticket & ~mask) | PENDING);
      words[this.#tail] = (ticket + 1) | 0;
      words[this.#live]!++;
      return ticket;
    }
    return undefined;
  }

  /** Guarded. The first live ticket (skipping served-out ones for good), or `undefined`. */
  first(): number | undefined {
    const words = this.#words;
    const mask = this.#mask;
    const tail = words[this.#tail]!;
    let head = words[this.#head]!;
    for (; head !== tail; head = (head + 1) | 0) {
      if (Atomics.load(words, this.#slot0 + 2 * (head & mask)) === ((head & ~mask) | PENDING)) break;
    }
    words[this.#head] = head;
    return head === tail ? undefined : head;
  }

  /** Guarded. Grants ticket `first()` returned, with `value`; its owner is notified on leaving the guard. */
  grant(ticket: number, value: number): void {
    const words = this.#words;
    const state = this.#slot0 + 2 * (ticket & this.#mask);
    words[state + 1] = value;
    Atomics.store(words, state, (ticket & ~this.#mask) | GRANTED);
    words[this.#head] = (ticket + 1) | 0;
    words[this.#live]!--;
    this.region.notifyAfter(state);
  }

  /** Guarded. Grants the first live waiter; false if none. */
  grantFirst(value: number): boolean {
    const ticket = this.first();
    if (ticket === undefined) return false;
    this.grant(ticket, value);
    return true;
  }

  /** Guarded. Grants every live waiter, in order, `value(k)` for the k-th; returns how many. */
  grantAll(value: (k: number) => number): number {
    let granted = 0;
    for (let ticket = this.first(); ticket !== undefined; ticket = this.first()) this.grant(ticket, value(granted++));
    return granted;
  }

  /** Guarded. Withdraws `ticket` if it is still PENDING (abort, timeout); false if it was granted. */
  withdraw(ticket: number): boolean {
    const words = this.#words;
    const state = this.#slot0 + 2 * (ticket & this.#mask);
    if (Atomics.load(words, state) !== ((ticket & ~this.#mask) | PENDING)) return false;
    Atomics.store(words, state, (ticket & ~this.#mask) | WITHDRAWN);
    words[this.#live]!--;
    // Wakes its own waitAsync, which would otherwise stay registered.
    this.region.notifyAfter(state);
    return true;
  }

  /** Index of the STATE word of `ticket`'s slot (what its owner sleeps on). */
  stateWord(ticket: number): number {
    return this.#slot0 + 2 * (ticket & this.#mask);
  }

  /** What `ticket`'s STATE word holds while it waits. */
  pendingState(ticket: number): number {
    return (ticket & ~this.#mask) | PENDING;
  }

  /** Whether `ticket` was granted and not yet read (lock-free; the owner's check). */
  isGranted(ticket: number): boolean {
    return Atomics.load(this.#words, this.stateWord(ticket)) === ((ticket & ~this.#mask) | GRANTED);
  }

  /** The VALUE of `ticket`'s grant (after `isGranted`). */
  value(ticket: number): number {
    return this.#words[this.stateWord(ticket) + 1]!;
  }

  /** The owner has read its grant (VALUE and cell): the slot is FREE for a later ticket. */
  consume(ticket: number): void {
    Atomics.store(this.#words, this.stateWord(ticket), (ticket & ~this.#mask) | FREE);
  }

  /** The cell of `ticket`'s slot (lines that carry a payload). */
  cell(ticket: number): number {
    return this.#cell0 + (ticket & this.#mask);
  }
}
