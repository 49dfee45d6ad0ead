// What an export may contain as markup: the document frame the docs describe (doctype, html, meta,
// title, body), one heading (the draft's title) and paragraphs, with emphasis only for the draft's own
// byline. Anything else that reads as a tag came from user text and would render as markup or run as
// script in a browser; a second heading means user text became one.
const FRAME_TAGS = new Set(['!doctype', 'html', '/html', 'meta', 'title', '/title', 'body', '/body']);
const BODY_TAGS = new Set(['h1', '/h1', 'p', '/p', 'em', '/em']);

/** Undefined when the export's markup is only the documented frame; else what is wrong. */
export function exportMarkupProblem(html: string): string | undefined {
  const tags = [...html.matchAll(/<([!/]?[a-zA-Z][a-zA-Z0-9]*)[^>]*>?/g)].map((m) => m[1]!.toLowerCase());
  const foreign = tags.filter((tag) => !FRAME_TAGS.has(tag) && !BODY_TAGS.has(tag));
  if (foreign.length > 0) return `user text became markup: <${foreign[0]}> in the export`;
  const headings = tags.filter((tag) => tag === 'h1').length;
  if (headings !== 1) return `the export has ${headings} headings; only the draft's title is one`;
  const emphasis = tags.filter((tag) => tag === 'em').length;
  if (emphasis > 1) return `the export has ${emphasis} emphasised blocks; only the byline is one`;
  if (/<(?![!/a-zA-Z])/.test(html)) return 'a raw "<" in the export';
  if (/&(?!(?:amp|lt|gt|quot|#39);)/.test(html)) return 'a raw "&" in the export (user text not escaped)';
  return undefined;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * The text a browser shows of an export's spoken paragraphs: the body after the title and the byline,
 * tags removed, the five escapes decoded once, white space collapsed (as rendered HTML collapses it).
 */
export function spokenTextOf(html: string): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  const blocks = [...body.matchAll(/<(h1|p)>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!);
  return blocks
    .slice(2)
    .map((block) =>
      block.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!),
    )
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
