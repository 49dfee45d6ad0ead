// The whole HTTP API of durable-jobs in one catch-all route: GET|POST /api/jobs/runner (Vercel cron
// calls it with `Authorization: Bearer $CRON_SECRET`), GET|DELETE /api/jobs/:id, POST
// /api/jobs/:id/retry, GET /api/jobs/:id/export. The same production ports as the CLI (systemIo).
import { jobsHandler, makeConfig, systemIo } from 'durable-jobs';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const { io } = systemIo(process.env, { log: (line) => process.stderr.write(line) });
const handler = jobsHandler({
  io,
  config: makeConfig({ root: process.env.JOBS_ROOT ?? './data' }),
  secret: process.env.CRON_SECRET,
});

export { handler as GET, handler as HEAD, handler as POST, handler as DELETE };
