// The kinds of option value both CLIs take, as zod schemas from the text typed to a value. Each
// message says what the option needs and echoes what it got; the parser puts the flag's name in front.
import { z } from 'zod';

const quoted = (input: unknown) => JSON.stringify(String(input));

/** Any text (the parser has already refused an empty one). */
export const text = z.string();

/** A whole number in decimal digits (no sign, no exponent), within [min, max]. */
export function wholeNumber(bounds: { min?: number; max?: number } = {}): z.ZodType<number, string> {
  const { min = 0, max } = bounds;
  const range = max !== undefined ? ` ${min}..${max}` : min > 0 ? ` ≥ ${min}` : '';
  return z
    .string()
    .refine((t) => /^\d{1,15}$/.test(t) && Number(t) >= min && (max === undefined || Number(t) <= max), {
      error: (issue) => `needs a whole number${range}, not ${quoted(issue.input)}`,
    })
    .transform(Number);
}

/** One of a fixed set of words. */
export function choice<const V extends readonly [string, ...string[]]>(values: V): z.ZodType<V[number], string> {
  const listed = values.map((v) => JSON.stringify(v));
  const said = listed.length === 1 ? listed[0]! : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)!}`;
  return z.enum(values, { error: (issue) => `takes ${said}, not ${quoted(issue.input)}` }) as unknown as z.ZodType<
    V[number],
    string
  >;
}

/** Comma-separated words; blanks between commas are dropped. */
export const commaList: z.ZodType<string[], string> = z.string().transform((t) =>
  t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''),
);

/** Text that matches a pattern; `shape` says what is expected (`a fast-check path like 12:0:3`). */
export function matching(pattern: RegExp, shape: string): z.ZodType<string, string> {
  return z.string().refine((t) => pattern.test(t), { error: (issue) => `takes ${shape}, not ${quoted(issue.input)}` });
}
