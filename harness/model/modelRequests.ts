// The HTTP request a plan step sends to `jobs serve`: its URL (route and job id, percent-encoded as a
// client would) and its credential in one of the shapes a checker must tell apart.
import type { Credential, ModelStep } from './modelPlan.ts';

export const SERVE_PORT = 8787;
/** The serving process's CRON_SECRET (serve wants at least 16 characters). */
export const MODEL_SECRET = 'model-secret-0123456789';

function credentialHeaders(credential: Credential): Record<string, string> {
  switch (credential) {
    case 'correct':
      return { authorization: `Bearer ${MODEL_SECRET}` };
    case 'correct-lowercase-scheme':
      return { authorization: `bearer ${MODEL_SECRET}` };
    case 'none':
    case 'in-query':
      return {};
    case 'wrong':
      return { authorization: `Bearer ${'w'.repeat(MODEL_SECRET.length)}` };
    case 'prefix':
      return { authorization: `Bearer ${MODEL_SECRET.slice(0, -1)}` };
    case 'longer':
      return { authorization: `Bearer ${MODEL_SECRET}x` };
    case 'no-scheme':
      return { authorization: MODEL_SECRET };
    case 'basic-scheme':
      return { authorization: `Basic ${Buffer.from(`user:${MODEL_SECRET}`).toString('base64')}` };
    case 'other-header':
      return { 'x-cron-secret': MODEL_SECRET };
    case 'empty-bearer':
      return { authorization: 'Bearer ' };
  }
}

/** Whether a credential shape is the secret presented as the docs say (Bearer, scheme in any case). */
export function isAuthorized(credential: Credential): boolean {
  return credential === 'correct' || credential === 'correct-lowercase-scheme';
}

export function httpRequestOf(step: Extract<ModelStep, { kind: 'http' }>): { url: string; init: RequestInit } {
  const id = encodeURIComponent(step.jobId);
  const path = {
    runner: '/api/jobs/runner',
    job: `/api/jobs/${id}`,
    retry: `/api/jobs/${id}/retry`,
    export: `/api/jobs/${id}/export`,
    unknown: `/api/things/${id}`,
  }[step.route];
  const query = step.credential === 'in-query' ? `?token=${MODEL_SECRET}` : '';
  return {
    url: `http://127.0.0.1:${SERVE_PORT}${path}${query}`,
    init: { method: step.method, headers: credentialHeaders(step.credential) },
  };
}
