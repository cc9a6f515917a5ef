/**
 * Command-line options of a benchmark: `--name=value`, `--name value` and bare flags (`--small`). Unknown options
 * stop the run with the usage text, so a typo never silently measures the default.
 */

export interface Args {
  flag(name: string): boolean;
  number(name: string, fallback: number): number;
  numbers(name: string, fallback: readonly number[]): number[];
  string(name: string, fallback: string): string;
  /** Every option given, for the result file. */
  given: Record<string, string | true>;
}

/**
 * Parses process.argv. `known` lists the option names (without dashes) the bench accepts; `out` (where the JSON
 * result goes) and `small` are always accepted.
 */
export function parseArgs(usage: string, known: readonly string[], argv = process.argv.slice(2)): Args {
  const accepted = new Set([...known, 'out', 'small', 'help']);
  const given: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!match || !accepted.has(match[1]!)) fail(usage, `unknown argument: ${arg}`);
    const name = match![1]!;
    if (match![2] !== undefined) given[name] = match![2];
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) given[name] = argv[++i]!;
    else given[name] = true;
  }
  if (given.help) {
    console.log(usage);
    process.exit(0);
  }
  const text = (name: string): string | undefined => {
    const value = given[name];
    if (value === true) fail(usage, `--${name} needs a value`);
    return value as string | undefined;
  };
  const toNumber = (name: string, value: string): number => {
    const n = Number(value.replaceAll('_', ''));
    if (!Number.isFinite(n) || n < 0) fail(usage, `--${name}: not a non-negative number: ${value}`);
    return n;
  };
  return {
    given,
    flag: (name) => given[name] === true || given[name] === 'true',
    number: (name, fallback) => {
      const value = text(name);
      return value === undefined ? fallback : toNumber(name, value);
    },
    numbers: (name, fallback) => {
      const value = text(name);
      return value === undefined ? [...fallback] : value.split(',').map((v) => toNumber(name, v.trim()));
    },
    string: (name, fallback) => text(name) ?? fallback,
  };
}

function fail(usage: string, message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}
