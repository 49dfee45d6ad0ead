// The harness as a library (`import { exploreForeign } from 'durable-jobs/harness'`): test code you
// wrote (foreign workloads), and run this project's scenarios, explorer and chaos campaign.
export type {
  ForeignWorkload,
  ForeignContext,
  ForeignEvent,
  CrashView,
  SeededFile,
} from './foreign/foreignWorkload.ts';
export {
  exploreForeign,
  recordForeign,
  type ForeignModel,
  type ForeignResult,
  type ForeignSchedule,
} from './foreign/exploreForeign.ts';
export { mutualExclusion } from './foreign/mutualExclusion.ts';
export {
  campaignForeign,
  runForeignPlan,
  type ForeignPlan,
  type ForeignCampaignFailure,
} from './foreign/campaignForeign.ts';
export { runScenario } from './scenarioRunner/runScenario.ts';
export { explore } from './explorer/explore.ts';
export { runCampaign } from './chaos/campaign.ts';
export { simConfig } from './workload/simConfig.ts';
