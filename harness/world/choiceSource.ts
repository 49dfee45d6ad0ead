// Where the scheduler's decisions come from: a seeded PRNG (exploration, replay by seed) or an
// explicit list of choices (fast-check generates and shrinks it, so a race shrinks to a minimal
// interleaving). Past the end of the list every choice is 0: the lowest runnable pid goes first.
import { SeededRandom } from '../seededRandom.ts';

export interface ChoiceSource {
  /** An index in [0, count). */
  choose(count: number): number;
}

export function seededChoices(seed: number): ChoiceSource {
  const random = new SeededRandom(seed);
  return { choose: (count) => random.int(count) };
}

/** The listed choices in order, then `after` (default: always the first ready process). */
export function listedChoices(choices: readonly number[], after?: ChoiceSource): ChoiceSource {
  let next = 0;
  return { choose: (count) => (next < choices.length ? choices[next++]! % count : (after?.choose(count) ?? 0)) };
}
