/**
 * Raw HTTP/1.1 over a socket, for requests no well-behaved client would send: a Content-Length
 * that lies, bodies that stop halfway, headers that never end.
 *
 * @example
 *   const res = await rawRequest(origin, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
 *   res.status; // 200
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  /** 0 when the server closed without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ms from connecting to the server closing the socket (or `waitMs`). */
  elapsedMs: number;
  /** The server closed the connection (rather than the client giving up). */
  closedByServer: boolean;
}

export interface RawOptions {
  /** Pause before each chunk, ms (index-aligned with the chunks). */
  delays?: number[];
  /** Half-close after the last chunk. */
  end?: boolean;
  /** Give up and destroy the socket after this long. Default 10 s. */
  waitMs?: number;
  /** Resolve as soon as a complete response head and its Content-Length body have arrived. */
  untilResponse?: boolean;
}

/** Sends `chunks` in order and collects everything the server writes back. */
export function rawRequest(
  origin: string,
  chunks: (string | Buffer)[],
  opts: RawOptions = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const started = Date.now();
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(received), elapsedMs: Date.now() - started, closedByServer });
    };
    const timer = setTimeout(() => finish(false), opts.waitMs ?? 10_000);
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (opts.untilResponse && isComplete(received)) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.once('connect', async () => {
      for (let i = 0; i < chunks.length; i++) {
        const pause = opts.delays?.[i] ?? 0;
        if (pause > 0) await sleep(pause);
        if (socket.destroyed) return;
        socket.write(chunks[i] as string | Buffer);
      }
      if (opts.end) socket.end();
    });
  });
}

function parse(raw: Buffer): Omit<RawResponse, 'elapsedMs' | 'closedByServer'> {
  const text = raw.toString('utf8');
  const cut = text.indexOf('\r\n\r\n');
  if (cut < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...lines] = text.slice(0, cut).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine?.split(' ')[1] ?? 0), headers, body: text.slice(cut + 4) };
}

function isComplete(raw: Buffer): boolean {
  const r = parse(raw);
  const length = Number(r.headers['content-length'] ?? Number.NaN);
  return r.status > 0 && Number.isFinite(length) && Buffer.byteLength(r.body) >= length;
}

/** A multipart body with the given parts, as `[name, filename, bytes]`. */
export function rawMultipart(boundary: string, parts: [string, string, Buffer][]): Buffer {
  return Buffer.concat([
    ...parts.map(([name, filename, bytes]) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
            'Content-Type: image/png\r\n\r\n',
        ),
        bytes,
        Buffer.from('\r\n'),
      ]),
    ),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
}
