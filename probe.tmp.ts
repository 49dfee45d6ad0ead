import fc from 'fast-check';
import { chaosPlanArb } from './harness/chaos/planArbitrary.ts';
import { runChaosPlan } from './harness/chaos/runChaosPlan.ts';
import { toProductionPlan } from './harness/chaos/productionEntry.ts';
import { simConfig } from './harness/workload/simConfig.ts';
const n = Number(process.argv[2] ?? 50);
const plans = fc.sample(chaosPlanArb, { seed: Number(process.argv[3] ?? 1), numRuns: n }).map(toProductionPlan);
let same = 0, sameHash = 0, bad = 0;
const t0 = Date.now(); let tIn = 0, tProd = 0;
for (const [i, plan] of plans.entries()) {
  let t = Date.now();
  const a = await runChaosPlan(plan, simConfig(), 1, {}, 'in-process'); tIn += Date.now() - t; t = Date.now();
  const b = await runChaosPlan(plan, simConfig(), 1, {}, 'production'); tProd += Date.now() - t;
  if (a.traceHash === b.traceHash) sameHash++;
  if (b.violations.length > 0 || a.violations.length > 0) { bad++; console.log(i, 'in', a.violations.slice(0,2), 'prod', b.violations.slice(0, 3)); }
  else same++;
}
console.log({ n, same, sameHash, bad, tIn, tProd, total: Date.now() - t0 });
