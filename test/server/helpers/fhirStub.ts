/**
 * A recording FHIR server on loopback: answers reads and searches from an in-memory resource list,
 * pages searchsets when `_count` is given, and records every request (path, query, Authorization)
 * so tests can prove what the service fetched and with which token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, FhirResource } from 'fhir/r4';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Resource type of the request (`Observation` for `/fhir/Observation?...`). */
  type: string;
  query: URLSearchParams;
  authorization?: string;
}

/** Return a response to override the default behaviour for a request; undefined = default. */
export type StubOverride = (req: RecordedRequest, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface FhirStub {
  /** Base URL, e.g. http://127.0.0.1:1234/fhir */
  base: string;
  requests: RecordedRequest[];
  /** Requests per resource type. */
  requestsFor(type: string): RecordedRequest[];
  setOverride(o: StubOverride | undefined): void;
  /** Page size applied to searches without _count (to exercise paging). */
  pageSize?: number;
  close(): Promise<void>;
}

export async function startFhirStub(resources: FhirResource[], options: { pageSize?: number } = {}): Promise<FhirStub> {
  let override: StubOverride | undefined;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub.invalid');
      const segments = url.pathname.replace(/^\/fhir\/?/, '').split('/').filter(Boolean);
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        type: segments[0] ?? '',
        query: url.searchParams,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      };
      requests.push(rec);
      if (override && (await override(rec, res))) return;
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify(body));
      };
      if (segments.length === 2) {
        const found = resources.find((r) => r.resourceType === segments[0] && r.id === segments[1]);
        if (found) send(200, found);
        else send(404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
        return;
      }
      const patient = url.searchParams.get('patient');
      const codes = url.searchParams.get('code')?.split(',').map((c) => c.split('|').pop());
      const category = url.searchParams.get('category');
      const matches = resources.filter((r) => {
        if (r.resourceType !== segments[0]) return false;
        const subject = (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject ?? (r as { patient?: { reference?: string } }).patient;
        if (patient && subject?.reference !== `Patient/${patient}`) return false;
        if (codes && r.resourceType === 'Observation' && !r.code.coding?.some((c) => codes.includes(c.code))) return false;
        if (category && r.resourceType === 'Observation' && !r.category?.some((cc) => cc.coding?.some((c) => c.code === category))) return false;
        return true;
      });
      const count = Number(url.searchParams.get('_count') ?? options.pageSize ?? 0) || matches.length || 1;
      const offset = Number(url.searchParams.get('_offset') ?? 0);
      const page = matches.slice(offset, offset + count);
      const address = server.address() as AddressInfo;
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'searchset',
        total: matches.length,
        entry: page.map((r) => ({ resource: r, search: { mode: 'match' } })),
        link: [],
      };
      if (offset + count < matches.length) {
        const next = new URL(`http://127.0.0.1:${address.port}${url.pathname}${url.search}`);
        next.searchParams.set('_count', String(count));
        next.searchParams.set('_offset', String(offset + count));
        bundle.link = [{ relation: 'next', url: next.href }];
      } else {
        delete bundle.link;
      }
      send(200, bundle);
    })();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/fhir`,
    requests,
    requestsFor: (type) => requests.filter((r) => r.type === type),
    setOverride: (o) => {
      override = o;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
