/**
 * Queue items in fixed-size cells. A cell is 16 header bytes — LENGTH (Int32), FORMAT (Int32),
 * SEQ (Int32: a PriorityQueue's insertion order), 0 — then `cellBytes` of payload.
 *
 *   FORMAT 0 BYTES   LENGTH bytes (the "bytes" codec, or a custom codec's Uint8Array)
 *   FORMAT 1 TEXT    LENGTH bytes of UTF-8 ("json", "string", a custom codec's string)
 *   FORMAT 2 NUMBER  a float64 in the first 8 payload bytes ("number")
 */
import { describeValue, typeError } from "@syncio/core/internal";
import type { Region } from "./ticket-ring.js";

/** A custom codec: `decode` receives what `encode` returned (a string, or a copy of the bytes). */
export interface Codec<T> {
  encode(item: T): string | Uint8Array;
  decode(data: string | Uint8Array): T;
}

/** How a queue turns items into cell contents: a built-in by name, or your own. */
export type CodecOption<T> = "json" | "number" | "string" | "bytes" | Codec<T>;

/** Codec names in the order of the CODEC word. */
export const CODECS = ["json", "number", "string", "bytes", "custom"] as const;
const JSON_CODEC = 0;
const NUMBER_CODEC = 1;
const STRING_CODEC = 2;
const BYTES_CODEC = 3;
const CUSTOM_CODEC = 4;

const BYTES = 0;
const TEXT = 1;
const NUMBER = 2;
const HEADER = 16;

/** What a cell held, copied out of shared memory: decode it with {@link CellCodec.decode}. */
export type Raw = number | string | Uint8Array;

/** Which CODEC word `option` stands for; throws a TypeError naming `where` for anything else. */
export function codecIndex(where: string, option: unknown): number {
  if (option === undefined) return JSON_CODEC;
  if (typeof option === "string") {
    const index = CODECS.indexOf(option as (typeof CODECS)[number]);
    if (index >= 0 && index !== CUSTOM_CODEC) return index;
  } else if (typeof option === "object" && option !== null && typeof (option as Codec<unknown>).encode === "function" && typeof (option as Codec<unknown>).decode === "function") {
    return CUSTOM_CODEC;
  }
  throw typeError(where, "options.codec", '"json", "number", "string", "bytes" or { encode, decode }', option);
}

/** The payload bytes a cell needs by default for a codec. */
export function defaultCellBytes(codec: number): number {
  return codec === NUMBER_CODEC ? 8 : 256;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One queue's codec in this thread: checks and encodes an item, writes it to a cell, reads it back. */
export class CellCodec<T> {
  readonly #codec: number;
  readonly #custom: Codec<T> | undefined;
  readonly #cellBytes: number;
  /** The prepared item: its format, and the number, the encoded text (in #scratch) or the bytes. */
  #format = BYTES;
  #length = 0;
  #number = 0;
  #bytes: Uint8Array | undefined;
  /** The prepared item's encoded text. */
  readonly #scratch: Uint8Array;
  /** Where text is copied out of shared memory to be decoded (never #scratch: a prepared item may be waiting there). */
  #decodeScratch: Uint8Array;

  constructor(codec: number, custom: Codec<T> | undefined, cellBytes: number) {
    this.#codec = codec;
    this.#custom = custom;
    this.#cellBytes = cellBytes;
    this.#scratch = new Uint8Array(codec === NUMBER_CODEC ? 0 : cellBytes);
    this.#decodeScratch = new Uint8Array(codec === NUMBER_CODEC ? 0 : cellBytes);
  }

  /**
   * Encodes `item` for the next {@link write}, touching no shared state.
   * @throws RangeError if it does not fit a cell; TypeError if the codec cannot encode it.
   */
  prepare(item: T, where: string): void {
    switch (this.#codec) {
      case NUMBER_CODEC:
        if (typeof item !== "number") throw typeError(where, "item", 'a number (the queue\'s codec is "number")', item);
        this.#format = NUMBER;
        this.#number = item;
        this.#length = 8;
        return;
      case STRING_CODEC:
        if (typeof item !== "string") throw typeError(where, "item", 'a string (the queue\'s codec is "string")', item);
        return this.#prepareText(item, where);
      case BYTES_CODEC:
        if (!(item instanceof Uint8Array)) throw typeError(where, "item", 'a Uint8Array (the queue\'s codec is "bytes")', item);
        return this.#prepareBytes(item, where);
      case CUSTOM_CODEC: {
        const data = this.#custom!.encode(item);
        if (typeof data === "string") return this.#prepareText(data, where);
        if (data instanceof Uint8Array) return this.#prepareBytes(data, where);
        throw typeError(where, "codec.encode(item)", "a string or a Uint8Array", data);
      }
      default: {
        const text = JSON.stringify(item);
        if (text === undefined) throw new TypeError(`${where}: ${describeValue(item)} has no JSON form (the queue's codec is "json")`);
        return this.#prepareText(text, where);
      }
    }
  }

  /** Writes the prepared item into cell `cell` (guarded, or the owner's own slot cell). */
  write(region: Region, cell: number, seq = 0): void {
    const offset = region.cellOffset(cell);
    const words = region.words;
    const word = offset >>> 2;
    words[word] = this.#length;
    words[word + 1] = this.#format;
    words[word + 2] = seq;
    if (this.#format === NUMBER) region.floats[(offset + HEADER) >>> 3] = this.#number;
    else region.bytes.set(this.#format === TEXT ? this.#scratch.subarray(0, this.#length) : this.#bytes!, offset + HEADER);
    this.#bytes = undefined;
  }

  /** Copies cell `from` into cell `to` (guarded), with a new `seq`. */
  static move(region: Region, from: number, to: number, seq = 0): void {
    const source = region.cellOffset(from);
    const target = region.cellOffset(to);
    const length = region.words[source >>> 2]!;
    region.bytes.copyWithin(target, source, source + HEADER + Math.max(length, 8));
    region.words[(target >>> 2) + 2] = seq;
  }

  /** A cell's SEQ word. */
  static seq(region: Region, cell: number): number {
    return region.words[(region.cellOffset(cell) >>> 2) + 2]!;
  }

  /** Copies a cell's contents out of shared memory (guarded, or the owner's own slot cell). */
  take(region: Region, cell: number): Raw {
    const offset = region.cellOffset(cell);
    const word = offset >>> 2;
    const length = region.words[word]!;
    const format = region.words[word + 1]!;
    if (format === NUMBER) return region.floats[(offset + HEADER) >>> 3]!;
    const start = offset + HEADER;
    if (format === BYTES) return region.bytes.slice(start, start + length);
    // TextDecoder refuses views of shared memory in browsers: decode a private copy.
    if (this.#decodeScratch.length < length) this.#decodeScratch = new Uint8Array(length);
    const scratch = this.#decodeScratch;
    scratch.set(region.bytes.subarray(start, start + length));
    return decoder.decode(scratch.subarray(0, length));
  }

  /** Turns what {@link take} copied out into the item (may run a custom codec's `decode`). */
  decode(raw: Raw): T {
    switch (this.#codec) {
      case JSON_CODEC:
        return JSON.parse(raw as string) as T;
      case CUSTOM_CODEC:
        return this.#custom!.decode(raw as string | Uint8Array);
      default:
        return raw as T;
    }
  }

  #prepareText(text: string, where: string): void {
    const { read, written } = encoder.encodeInto(text, this.#scratch);
    if (read < text.length) throw this.#tooLarge(encoder.encode(text).length, where);
    this.#format = TEXT;
    this.#length = written;
  }

  #prepareBytes(bytes: Uint8Array, where: string): void {
    if (bytes.length > this.#cellBytes) throw this.#tooLarge(bytes.length, where);
    this.#format = BYTES;
    this.#length = bytes.length;
    this.#bytes = bytes;
  }

  #tooLarge(length: number, where: string): RangeError {
    return new RangeError(`${where}: the item encodes to ${length} bytes, more than a cell holds (cellBytes: ${this.#cellBytes}); create the queue with a larger \`cellBytes\``);
  }
}
