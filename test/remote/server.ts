// A local HTTP server for the network layer's tests: Node's `http` on 127.0.0.1, port 0 (a random
// free port), never any other address. Each route is a small handler; `serveFile` answers like a
// static file server (RFC 9110 Range, If-Range, 416), with Range support switchable. Every request
// is logged so a test can assert exactly which bytes were asked for.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | null;
  ifRange: string | null;
  acceptEncoding: string | null;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  readonly log: LoggedRequest[];
  /** The requests made to one path. */
  hits(path: string): LoggedRequest[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(routes: { [path: string]: Handler } = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const log: LoggedRequest[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    log.push({
      method: req.method ?? "",
      path,
      range: header(req, "range"),
      ifRange: header(req, "if-range"),
      acceptEncoding: header(req, "accept-encoding"),
    });
    const hit = counts.get(path) ?? 0;
    counts.set(path, hit + 1);
    // A route matches its path with or without a query string (a page's `?q=…`).
    const handler = table.get(path) ?? table.get(path.replace(/\?.*$/s, ""));
    if (!handler) {
      res.writeHead(404, "Not Found", { "Content-Length": "0" });
      res.end();
      return;
    }
    handler(req, res, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    log,
    hits: (path) => log.filter((r) => r.path === path),
    route: (path, handler) => void table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

export interface FileOptions {
  /** Honour Range (default true). */
  ranges?: boolean;
  etag?: string | null;
  lastModified?: string | null;
  /** Honour If-Range (default true): a validator that no longer matches gets the whole file, 200. */
  ifRange?: boolean;
}

/** A static file: 200 with the whole body, or 206 with one range (RFC 9110 §14.2). */
export function serveFile(bytes: Uint8Array | (() => Uint8Array), options: FileOptions = {}): Handler {
  return (req, res) => {
    const body = typeof bytes === "function" ? bytes() : bytes;
    const validators: { [name: string]: string } = {};
    if (options.etag) validators["ETag"] = options.etag;
    if (options.lastModified) validators["Last-Modified"] = options.lastModified;
    const range = options.ranges === false ? null : header(req, "range");
    const condition = header(req, "if-range");
    const conditionHolds = condition === null || options.ifRange === false || condition === options.etag || condition === options.lastModified;
    if (range === null || !conditionHolds) {
      res.writeHead(200, { "Content-Length": String(body.length), "Accept-Ranges": options.ranges === false ? "none" : "bytes", ...validators });
      res.end(body);
      return;
    }
    const parsed = parseRange(range, body.length);
    if (parsed === null) {
      res.writeHead(416, { "Content-Range": `bytes */${body.length}`, "Content-Length": "0", ...validators });
      res.end();
      return;
    }
    const [start, end] = parsed;
    res.writeHead(206, {
      "Content-Range": `bytes ${start}-${end - 1}/${body.length}`,
      "Content-Length": String(end - start),
      ...validators,
    });
    res.end(body.subarray(start, end));
  };
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range as [start, end), or null when unsatisfiable. */
export function parseRange(value: string, size: number): [number, number] | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return null;
    return [Math.max(0, size - n), size];
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  return start < size && start < end ? [start, end] : null;
}

/** The [start, end) a logged request asked for, against a file of `size` bytes (null: no Range). */
export function askedRange(request: LoggedRequest, size: number): [number, number] | null {
  return request.range === null ? null : parseRange(request.range, size);
}
