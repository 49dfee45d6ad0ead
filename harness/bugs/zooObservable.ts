// Bugs only a user sees: the answer is wrong while the files and the log look right. Auth that lets a
// near miss through, HTTP answers with the wrong status, headers or body, a status row or exit code
// that misreports, user text that becomes markup, state transitions that record the wrong fields.
// The model-based campaign (harness/model, judged by I9) is what catches them. Each is a source
// patch, as a maintainer would write it.
import type { ZooBug } from './zooBug.ts';
import { patch } from './zooPatch.ts';

export const OBSERVABLE_BUGS: readonly ZooBug[] = [
  {
    id: 'auth-longer-secret-accepted',
    title: 'the secret check compares only as many bytes as the secret has: the secret plus anything passes',
    seenIn: 'hand-written constant-time compares that drop the length check',
    expect: ['I9'],
    variant: {
      patches: [patch('http/constantTimeEqual.ts', 'let diff = a.length ^ b.length;', 'let diff = 0;')],
    },
  },
  {
    id: 'auth-scheme-case-sensitive',
    title: 'the Authorization scheme is matched case-sensitively: `bearer <secret>` is refused',
    seenIn: 'RFC 9110 says schemes are case-insensitive; regexes without the i flag',
    expect: ['I9'],
    variant: { patches: [patch('http/jobsHandler.ts', '/^bearer +(\\S+)$/i', '/^Bearer +(\\S+)$/')] },
  },
  {
    id: 'head-runs-runner-pass',
    title: 'HEAD is answered as GET everywhere: `curl -I` on the runner route runs a whole pass',
    seenIn: 'frameworks that map HEAD to the GET handler; cron URLs probed by uptime checkers',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'http/jobsHandler.ts',
          'const { route, response } = await answer(options, request, method);',
          "const { route, response } = await answer(options, request, method === 'HEAD' ? 'GET' : method);",
        ),
      ],
    },
  },
  {
    id: 'head-answer-has-body',
    title: 'a HEAD answer carries the GET body',
    seenIn: 'Fetch handlers behind servers that do not strip HEAD bodies',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'http/jobsHandler.ts',
          "return method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;",
          'return response;',
        ),
      ],
    },
  },
  {
    id: 'not-allowed-without-allow',
    title: 'a 405 answer has no Allow header',
    seenIn: 'RFC 9110 requires Allow on 405; hand-rolled routers forget it',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'http/jobsHandler.ts',
          "json(405, { error: 'method not allowed' }, { allow })",
          "json(405, { error: 'method not allowed' })",
        ),
      ],
    },
  },
  {
    id: 'export-nosniff-dropped',
    title: 'the export download loses X-Content-Type-Options: nosniff',
    seenIn: 'security headers set in one place and lost when the response is rebuilt',
    expect: ['I9'],
    variant: { patches: [patch('http/jobsHandler.ts', "      'x-content-type-options': 'nosniff',\n", '')] },
  },
  {
    id: 'export-text-unescaped',
    title: 'export paragraphs are not HTML-escaped: user text becomes markup',
    seenIn: 'template code that escapes titles but not bodies (stored XSS)',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'defaultHandlers.ts',
          "return `<p>${escapeHtml(block.startsWith('\\\\') ? block.slice(1) : block)}</p>`;",
          "return `<p>${block.startsWith('\\\\') ? block.slice(1) : block}</p>`;",
        ),
      ],
    },
  },
  {
    id: 'export-heading-from-user-text',
    title: 'a spoken paragraph that starts with "# " becomes a heading in the export',
    seenIn: 'Markdown renderers fed user text without escaping its line starts',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'defaultHandlers.ts',
          "paragraphs.push(escapeLeadingMarkdown(lines.slice(i, i + 4).join(' ')));",
          "paragraphs.push(lines.slice(i, i + 4).join(' '));",
        ),
        patch('defaultHandlers.ts', "if (index === 0 && block.startsWith('# '))", "if (block.startsWith('# '))"),
      ],
    },
  },
  {
    id: 'status-row-drops-error-kind',
    title: "a status row leaves out the recorded error's kind",
    seenIn: 'DTO mappers that copy fields by hand',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'statusReport.ts',
          '{ name: s.error.name, message: s.error.message, kind: s.error.kind }',
          '{ name: s.error.name, message: s.error.message }',
        ),
      ],
    },
  },
  {
    id: 'retry-keeps-attempts',
    title: 'manual retry leaves the spent attempts in place: the next transient fault fails the job at once',
    seenIn: 'requeue paths that reset the status and forget the counters',
    expect: ['expect', 'I9'],
    variant: {
      patches: [
        patch(
          'retryJob.ts',
          "{ ...state, status: 'queued', error: null, attempts: 0, nextAttemptAt: null, updatedAt: io.clock.nowMs() }",
          "{ ...state, status: 'queued', error: null, nextAttemptAt: null, updatedAt: io.clock.nowMs() }",
        ),
      ],
    },
  },
  {
    id: 'refusal-exits-one',
    title: 'every failed command exits 1: a script cannot tell a refused request from a broken disk',
    seenIn: 'CLIs that map every exception to one exit code',
    expect: ['I9', 'I8'],
    variant: { patches: [patch('cli.ts', 'return usage ? 2 : 1;', 'return 1;')] },
  },
  {
    id: 'deleted-job-retryable',
    title: 'retry accepts a deleted job and brings it back to the queue',
    seenIn: 'status guards written as a deny list',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'retryJob.ts',
          "if (state.status !== 'failed')",
          "if (state.status !== 'failed' && state.status !== 'deleted')",
        ),
      ],
    },
  },
  {
    id: 'exhausted-recorded-as-last-error',
    title: 'a job failed for spent attempts records the last transient error, not that attempts ran out',
    seenIn: 'error records that keep the cause and lose the decision',
    expect: ['I9', 'I7'],
    variant: {
      patches: [
        patch('pipeline.ts', "name: exhausted ? 'AttemptsExhausted' : classified.name,", 'name: classified.name,'),
      ],
    },
  },
  {
    id: 'enqueue-skips-input-check',
    title: 'enqueue stores whatever it is given: an input that can never be read is found out by the runner',
    seenIn: 'upload endpoints that validate lazily, in the worker',
    expect: ['I9'],
    variant: { patches: [patch('enqueue.ts', '  checkOffered(io, request);\n', '')] },
  },
  {
    id: 'decode-latin1-fallback',
    title: 'text that is not UTF-8 is read as Latin-1 instead of refused: the export shows other words',
    seenIn: '"be lenient" decoders (chardet fallbacks, Buffer.toString("latin1"))',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'defaultHandlers.ts',
          "throw new InvalidInputError('invalid input: input is not valid UTF-8 text (inputs must be UTF-8)');",
          "text = new TextDecoder('latin1').decode(bytes);",
        ),
      ],
    },
  },
  {
    id: 'control-characters-accepted',
    title: 'a text input holding NUL and other control bytes is accepted as text',
    seenIn: 'binary sniffing left out of text readers',
    expect: ['I9'],
    variant: {
      patches: [patch('defaultHandlers.ts', 'if (control !== null) {', 'if (control !== null && bytes.length < 0) {')],
    },
  },
  {
    id: 'export-entities-not-reescaped',
    title: 'the export escapes "&" only when it does not already start an entity: typed "&amp;" shows as "&"',
    seenIn: '"do not double-escape" HTML escapers (PHP htmlspecialchars double_encode=false)',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'defaultHandlers.ts',
          ".replace(/&/g, '&amp;')",
          ".replace(/&(?![a-z]+;|#[0-9]+;|#x[0-9a-f]+;)/gi, '&amp;')",
        ),
      ],
    },
  },
  {
    id: 'cue-tags-stripped-greedily',
    title: 'cue styling is removed with a greedy pattern: spoken words between two tags vanish',
    seenIn: 'regexes written /<.*>/ instead of /<[^>]*>/',
    expect: ['I9'],
    variant: { patches: [patch('defaultHandlers.ts', ".replace(/<[^>]*>/g, '')", ".replace(/<.*>/g, '')")] },
  },
];
