/** The bench commands' `--name=value` flags. A bad value ends the command with a clear message (exit 2). */
const args = process.argv.slice(2);

export function flag(name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** A whole number from `min` to `max`, or `fallback` when the flag is not given. */
export function wholeFlag(name: string, fallback: number, min: number, max: number): number {
  const raw = flag(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}
