// A zod validation failure as a person reads it: one line per field, `name: what is wrong`, with the
// field called by the name the user typed (a CLI flag, an environment variable) where one is given.
import { z } from 'zod';

export function zodIssueLines(error: z.ZodError, names: Readonly<Record<string, string>> = {}): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const name = names[field] ?? field;
    return name === '' ? issue.message : `${name}: ${issue.message}`;
  });
}

/** The message of any error, a zod failure rendered one line per field. */
export function describeError(error: unknown, names: Readonly<Record<string, string>> = {}): string {
  if (error instanceof z.ZodError) return zodIssueLines(error, names).join('\n');
  return error instanceof Error ? error.message : String(error);
}
