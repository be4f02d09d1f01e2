/**
 * A local HTTP file server for downloader tests: serves named byte buffers with Range support,
 * records each request's Range header, and can misbehave on purpose.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Cut the connection after this many body bytes, for the next `cutTimes` requests. */
  cutAfter?: number;
  cutTimes?: number;
  /** Answer every request with 200 and the whole body, as servers without Range support do. */
  ignoreRange?: boolean;
}

export interface RangeFileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  files: Map<string, ServedFile>;
  /** Every request: path and Range header (undefined when none). */
  requests: { path: string; range: string | undefined }[];
  close(): Promise<void>;
}

export async function startRangeFileServer(files: Record<string, ServedFile>): Promise<RangeFileServer> {
  const served = new Map(Object.entries(files));
  const requests: RangeFileServer['requests'] = [];
  const server = createServer((req, res) => handle(served, requests, req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files: served,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function handle(
  files: Map<string, ServedFile>,
  requests: RangeFileServer['requests'],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  requests.push({ path, range: req.headers.range });
  const file = files.get(path);
  if (file === undefined) {
    res.writeHead(404).end('not found');
    return;
  }
  const size = file.body.length;
  let start = 0;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m !== null && !file.ignoreRange) {
    start = Number(m[1]);
    if (start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, {
      'content-length': size - start,
      'content-range': `bytes ${start}-${size - 1}/${size}`,
    });
  } else {
    res.writeHead(200, { 'content-length': size });
  }
  const body = file.body.subarray(start);
  if (file.cutAfter !== undefined && (file.cutTimes ?? 1) > 0) {
    file.cutTimes = (file.cutTimes ?? 1) - 1;
    // Flush the first part, then drop the connection mid-body.
    res.write(body.subarray(0, file.cutAfter), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}
