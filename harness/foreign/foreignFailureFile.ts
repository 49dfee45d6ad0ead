// A foreign campaign's failure, as a file `chaos replay <file>` runs again exactly: the workload
// module, the shrunk plan (faults, crash point and model, interleaving, pauses, clock steps), and
// what the checks said.
import { z } from 'zod';
import { faultSpecSchema } from '../chaos/chaosPlan.ts';

const at = z.number().int().nonnegative();

export const foreignPlanSchema = z.object({
  faults: z.array(faultSpecSchema),
  crashAt: at,
  model: z.enum(['process-kill', 'lazyfs', 'pessimistic', 'subset']),
  schedule: z.object({
    choices: z.array(at).optional(),
    pauses: z.array(z.object({ processIndex: at, afterCalls: at, durationMs: at })).optional(),
    clockSteps: z.array(z.object({ atMs: at, deltaMs: z.number().int() })).optional(),
  }),
});

export const foreignFailureFileSchema = z.object({
  version: z.literal(1),
  kind: z.literal('foreign-failure'),
  /** The workload module, as given on the command line (relative to where it was run). */
  module: z.string().min(1),
  seed: z.number().int(),
  path: z.string(),
  plan: foreignPlanSchema,
  messages: z.array(z.string()),
  replay: z.string(),
});

export type ForeignFailureFile = z.infer<typeof foreignFailureFileSchema>;
