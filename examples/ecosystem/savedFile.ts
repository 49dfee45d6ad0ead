// The check shared by the single-file writers of the ecosystem study: a file saved over an older
// version is, in every crash state, either the old or the new content (never torn, never missing),
// and once the save was acknowledged, the new content (acknowledged means durable).
import type { CrashView } from '../../harness/foreign/foreignWorkload.ts';

export function savedFileCheck(path: string, oldText: string, newText: string) {
  return (state: CrashView, acked: ReadonlySet<string>): string[] => {
    const text = state.read(path);
    const shown = JSON.stringify(text ?? null);
    if (acked.has('saved') && text !== newText) return [`acknowledged save lost: ${path} holds ${shown}`];
    if (text !== oldText && text !== newText) return [`torn or missing ${path}: ${shown}`];
    return [];
  };
}

/** The same for JSON, compared by value (writers format differently). */
export function savedJsonCheck(path: string, oldValue: unknown, newValue: unknown) {
  const same = (text: string | undefined, value: unknown) => {
    try {
      return text !== undefined && JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
    } catch {
      return false;
    }
  };
  return (state: CrashView, acked: ReadonlySet<string>): string[] => {
    const text = state.read(path);
    const shown = JSON.stringify(text ?? null);
    if (acked.has('saved') && !same(text, newValue)) return [`acknowledged save lost: ${path} holds ${shown}`];
    if (!same(text, oldValue) && !same(text, newValue)) return [`torn or missing ${path}: ${shown}`];
    return [];
  };
}
