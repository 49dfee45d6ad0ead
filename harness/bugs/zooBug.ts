// One bug of the zoo: a realistic defect, the runtime variant that carries it, and the invariants that
// must catch it (the zoo test fails if another check, or none, is the first to notice).
import type { CheckId } from '../invariants/violation.ts';
import type { RuntimeVariant } from './runtimeVariant.ts';

export interface ZooBug {
  readonly id: string;
  readonly title: string;
  /** Where such a bug was seen in the wild, or why it is a classic. */
  readonly seenIn: string;
  /** The checks expected to catch it: the first violation the hunt finds must name one of them. */
  readonly expect: readonly CheckId[];
  readonly variant: RuntimeVariant;
}
