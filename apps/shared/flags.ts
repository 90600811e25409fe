/**
 * The demos' command lines: `--name <value>` or `--name=<value>`: integers, each checked against
 * its range, and a few text flags (a URL, one of some choices). Anything else is a usage error,
 * which the demos report on stderr with the usage text and exit code 2.
 */

/** One integer flag: its range, its default, and a line of help. */
export interface IntegerFlag {
  readonly placeholder: string;
  readonly help: string;
  readonly min: number;
  readonly max?: number;
  /** `undefined`: the flag is optional and has no default (e.g. `--seed`). */
  readonly default: number | undefined;
}

/** One text flag: its choices (any text if none), its default, and a line of help. */
export interface TextFlag {
  readonly text: true;
  readonly placeholder: string;
  readonly help: string;
  readonly choices?: readonly string[];
  /** A pattern the value must match (checked after the choices). */
  readonly pattern?: RegExp;
  readonly default: string | undefined;
}

export type Flag = IntegerFlag | TextFlag;

export type FlagValues<Spec extends Record<string, Flag>> = {
  [Name in keyof Spec]: Spec[Name] extends TextFlag
    ? Spec[Name]["default"] extends string
      ? string
      : string | undefined
    : Spec[Name]["default"] extends number
      ? number
      : number | undefined;
};

/** A command line the program cannot run with; its message is shown above the usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The usage text: a synopsis line and one line per flag. */
export function usage(program: string, spec: Record<string, Flag>): string {
  const rows: Array<readonly [string, string]> = Object.entries(spec).map(([name, flag]) => [`--${name} <${flag.placeholder}>`, flag.default === undefined ? flag.help : `${flag.help} (default ${flag.default})`]);
  rows.push(["--help", "show this help"]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 3;
  const synopsis = Object.entries(spec).map(([name, flag]) => `[--${name} <${flag.placeholder}>]`);
  return [`usage: ${program} ${synopsis.join(" ")}`, "", ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`)].join("\n");
}

/**
 * Reads `args` against `spec`; returns `"help"` for `--help`/`-h`.
 * @throws UsageError for an unknown flag, a missing value, or a value out of range.
 */
export function parseFlags<Spec extends Record<string, Flag>>(args: readonly string[], spec: Spec): FlagValues<Spec> | "help" {
  const values: Record<string, number | string | undefined> = {};
  for (const [name, flag] of Object.entries(spec)) values[name] = flag.default;
  // A leading "--" is what some script runners pass before forwarded arguments.
  const rest = args[0] === "--" ? args.slice(1) : [...args];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === "--help" || arg === "-h") return "help";
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    if (name === undefined) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const flag = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (flag === undefined) throw new UsageError(`unknown flag --${name}`);
    const text = match?.[2] ?? rest.shift();
    if (text === undefined) throw new UsageError(`--${name} needs a value: --${name} <${flag.placeholder}>`);
    values[name] = "text" in flag ? parseText(name, flag, text) : parseInteger(name, flag, text);
  }
  return values as FlagValues<Spec>;
}

function parseText(name: string, flag: TextFlag, text: string): string {
  if (flag.choices !== undefined && !flag.choices.includes(text)) throw new UsageError(`--${name} expects one of ${flag.choices.join(", ")}, got ${JSON.stringify(text)}`);
  if (flag.pattern !== undefined && !flag.pattern.test(text)) throw new UsageError(`--${name} expects ${flag.placeholder}, got ${JSON.stringify(text)}`);
  return text;
}

function parseInteger(name: string, flag: IntegerFlag, text: string): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  const max = flag.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < flag.min || value > max) {
    const range = flag.max === undefined ? `≥ ${flag.min}` : `from ${flag.min} to ${flag.max}`;
    throw new UsageError(`--${name} expects an integer ${range}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Reads the command line of `program`: the flag values, or the exit code to end with at once —
 * 0 after printing the usage for `--help`, 2 after printing the problem and the usage on stderr.
 */
export function readCommandLine<Spec extends Record<string, Flag>>(
  host: { readonly args: readonly string[]; print(line: string): void; printError(text: string): void },
  program: string,
  spec: Spec,
): FlagValues<Spec> | { readonly exitCode: number } {
  try {
    const values = parseFlags(host.args, spec);
    if (values !== "help") return values;
    host.print(usage(program, spec));
    return { exitCode: 0 };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    host.printError(`${program}: ${error.message}\n\n${usage(program, spec)}`);
    return { exitCode: 2 };
  }
}
