// node:http around the Fetch-API handler, for `npm run jobs -- serve`. Request bodies are not used
// by any route, so none is read (a client cannot make the server buffer one).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export function serveFetchHandler(handler: (request: Request) => Promise<Response>): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    handler(new Request(url, { method: req.method ?? 'GET', headers }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`internal error: ${String(error)}\n`);
      });
  });
}
