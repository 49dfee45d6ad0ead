// Content-Disposition for a download (RFC 6266, with RFC 5987 for non-ASCII names): an ASCII fallback
// with every unsafe character replaced, and the exact name percent-encoded in filename*.
export function attachmentDisposition(filename: string): string {
  const fallback =
    filename
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 120) || 'download';
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
