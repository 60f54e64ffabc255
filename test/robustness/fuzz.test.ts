/**
 * Fuzzing over real HTTP (issue 9): 10,000 requests from fast-check against the full app (real engine,
 * SQLite card memory, the security guard's transport) with raw bodies, mutated hook envelopes and
 * FHIR-shaped nonsense in prefetch. Only 200/400/401/404/412/413/415/429 may come back (413 only for an
 * oversized body, 415 only for a non-JSON media type or charset), every non-200 body is an
 * OperationOutcome, nothing pollutes Object.prototype, and the heap stays bounded.
 *
 * Reproducible: fixed seed (override with FUZZ_SEED=<n>); a failure prints seed and path.
 * Size: `npm test` sends FUZZ_RUNS=300 requests by default (seconds); `npm run fuzz` sends the full 10,000.
 * Each test stands alone: it checks its own request count, prototype pollution and heap growth.
 * Safety: besides the guard (which refuses any fhirServer not in openServers before DNS or connect), an
 * extra URL rule refuses every non-loopback host, so no packet can leave this machine.
 */
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { createSqliteCardMemory } from '../../src/feedback/index.js';
import type { CardMemory } from '../../src/feedback/types.js';
import { isLoopbackHost } from '../../src/fhir/urlPolicy.js';
import { createLogger } from '../../src/server/logger.js';
import { startFhirStub, type FhirStub } from '../server/helpers/fhirStub.js';
import { allResources, ferritin, infusion, patient as samplePatient } from '../server/helpers/testApp.js';
import { startApp, type RunningApp } from './helpers.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

const SEED = Number(process.env.FUZZ_SEED ?? 90_210);
const BODY_LIMIT = 64 * 1024;
/** Requests over the three properties (2 : 3 : 5); FUZZ_RUNS=10000 is the full run (`npm run fuzz`). */
const TOTAL_RUNS = Math.max(10, Number(process.env.FUZZ_RUNS ?? 300) || 300);
/** Generous per test: the full run takes about a minute per property on a busy 2-core machine. */
const TIMEOUT_MS = 60_000 + TOTAL_RUNS * 25;
const RUNS = { raw: Math.round(TOTAL_RUNS * 0.2), envelope: Math.round(TOTAL_RUNS * 0.3), prefetch: Math.round(TOTAL_RUNS * 0.5) } as const;
/** Heap growth allowed over all runs, after a full GC (baseline taken after a warm-up). */
const MAX_HEAP_GROWTH_MB = 40;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const ALLOWED = new Set([200, 400, 401, 404, 412, 413, 415, 429]);
const SERVICES = ['iec-hs-surveillance', 'iec-hs-order-select'] as const;

let stub: FhirStub;
let app: RunningApp;
let memory: CardMemory;
let agent: http.Agent;
let requests = 0;
let heapBaseline = 0;
const statusCounts = new Map<number, number>();
const started = performance.now();

interface Sent {
  serviceId: string;
  body: string | Buffer;
  contentType: string;
}

function post({ serviceId, body, contentType }: Sent): Promise<{ status: number; text: string }> {
  requests++;
  return new Promise((resolve, reject) => {
    const { port } = new URL(app.base);
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: `/cds-services/${serviceId}`, agent, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPES = ['application/json', 'application/fhir+json', 'application/json+fhir', 'application/json; charset=utf-8'];

/** Sends and checks the invariants of every answer. */
async function sendAndCheck(sent: Sent): Promise<void> {
  const { status, text } = await post(sent);
  statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
  if (!ALLOWED.has(status)) throw new Error(`HTTP ${status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { resourceType?: string; cards?: unknown };
  if (status === 200) {
    expect(Array.isArray(body.cards)).toBe(true);
    expect(SERVICES).toContain(sent.serviceId);
  } else {
    expect(body.resourceType).toBe('OperationOutcome');
  }
  if (status === 413) expect(Buffer.byteLength(sent.body)).toBeGreaterThan(BODY_LIMIT);
  if (status === 415) expect(JSON_TYPES.includes(sent.contentType)).toBe(false);
  if (status === 404) expect(SERVICES).not.toContain(sent.serviceId);
}

// ---- arbitraries -----------------------------------------------------------------------------------

/** Replaced in the serialized body by number literals JSON.stringify cannot write (1e999, 400 digits). */
const HUGE_SENTINEL = 987654321.125;
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const oddString = fc.oneof(
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1F', '', ' ', '\u0000', '\uD800', '\u202E', '💥🧬', 'null', 'undefined', 'true', '2026-02-30T25:61:00Z', '9999-99-99', '0000-00-00', '2026-03-10', '2026-03-10T08:00:00+14:00', '<script>alert(1)</script>', '**bold** | table |', '../../etc/passwd', '{{context.patientId}}', 'Patient/pat-1', 'ng/mL', '10*3/uL', '%'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const oddNumber = fc.oneof(
  fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -1, 0.1, HUGE_SENTINEL),
  fc.integer(),
  fc.double({ noNaN: false }),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), fc.boolean(), oddNumber, oddString);

/** Nonsense of any JSON shape, with prototype-pollution keys mixed in. */
const weird: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Nested `depth` levels deep (the limit is 64: both sides are generated). */
const deep = fc.integer({ min: 1, max: 100 }).map((depth) => {
  let v: unknown = { resourceType: 'Observation' };
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { extension: v };
  return v;
});

/** `valid` most of the time, anything else sometimes. */
const maybe = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: weird }, { weight: 1, arbitrary: fc.constant(undefined) });

const LAB_CODES = ['2276-4', '3255-7', '1920-8', '1742-6', '26464-8', '777-3', '751-8', '718-7', '2160-0', '1975-2', '14804-9', '5902-2', '3173-2', '8310-5'];
const isoDate = fc.date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2026-04-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const coding = (codes: string[], system = 'http://loinc.org') => fc.record({ system: maybe(fc.constant(system)), code: maybe(fc.constantFrom(...codes)), display: maybe(oddString) }, { requiredKeys: [] });
const concept = (codes: string[], system?: string) => fc.record({ coding: maybe(fc.array(maybe(coding(codes, system)), { maxLength: 3 })), text: maybe(oddString) }, { requiredKeys: [] });
const reference = fc.record({ reference: maybe(fc.constantFrom('Patient/pat-1', 'Patient/other', 'Patient/', '#x')) }, { requiredKeys: [] });
const quantity = fc.record({ value: maybe(oddNumber), unit: maybe(fc.constantFrom('ng/mL', 'mg/dL', 'g/L', '10*3/uL', '%', 'U/L', 'Cel', '[degF]', 'furlong')), system: maybe(fc.constant('http://unitsofmeasure.org')), code: maybe(oddString), comparator: maybe(fc.constantFrom('<', '>=', '~')) }, { requiredKeys: [] });

const observation = fc.record(
  {
    resourceType: fc.constant('Observation'),
    id: maybe(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    meta: maybe(fc.record({ versionId: maybe(oddString), lastUpdated: maybe(isoDate) }, { requiredKeys: [] })),
    status: maybe(fc.constantFrom('final', 'amended', 'corrected', 'preliminary', 'entered-in-error', 'cancelled')),
    category: maybe(fc.array(concept(['laboratory', 'vital-signs'], 'http://terminology.hl7.org/CodeSystem/observation-category'), { maxLength: 2 })),
    code: maybe(concept(LAB_CODES)),
    subject: maybe(reference),
    effectiveDateTime: maybe(isoDate),
    effectivePeriod: maybe(fc.record({ start: maybe(isoDate), end: maybe(isoDate) }, { requiredKeys: [] })),
    issued: maybe(isoDate),
    valueQuantity: maybe(quantity),
    valueString: maybe(oddString),
    valueCodeableConcept: maybe(concept(['260385009', '10828004'], 'http://snomed.info/sct')),
    referenceRange: maybe(fc.array(fc.record({ low: maybe(quantity), high: maybe(quantity), text: maybe(oddString) }, { requiredKeys: [] }), { maxLength: 2 })),
    interpretation: maybe(fc.array(concept(['H', 'L', 'HH']), { maxLength: 2 })),
    component: maybe(fc.array(fc.record({ code: maybe(concept(LAB_CODES)), valueQuantity: maybe(quantity) }, { requiredKeys: [] }), { maxLength: 2 })),
  },
  { requiredKeys: ['resourceType'] },
);

const procedure = fc.record(
  {
    resourceType: fc.constant('Procedure'),
    id: maybe(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    status: maybe(fc.constantFrom('completed', 'in-progress', 'not-done', 'entered-in-error')),
    code: maybe(concept(['0540T', 'XW033C7', 'XW043C3'], 'http://www.ama-assn.org/go/cpt')),
    subject: maybe(reference),
    performedDateTime: maybe(isoDate),
    performedPeriod: maybe(fc.record({ start: maybe(isoDate), end: maybe(isoDate) }, { requiredKeys: [] })),
  },
  { requiredKeys: ['resourceType'] },
);

const medicationAdministration = fc.record(
  {
    resourceType: fc.constant('MedicationAdministration'),
    id: maybe(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    status: maybe(fc.constantFrom('completed', 'in-progress', 'stopped', 'entered-in-error')),
    medicationCodeableConcept: maybe(concept(['2049366', '1999452', '2562242', '1657979', '1117303'], 'http://www.nlm.nih.gov/research/umls/rxnorm')),
    subject: maybe(reference),
    effectiveDateTime: maybe(isoDate),
    effectivePeriod: maybe(fc.record({ start: maybe(isoDate), end: maybe(isoDate) }, { requiredKeys: [] })),
    dosage: maybe(fc.record({ dose: maybe(quantity), text: maybe(oddString) }, { requiredKeys: [] })),
  },
  { requiredKeys: ['resourceType'] },
);

const condition = fc.record(
  {
    resourceType: fc.constant('Condition'),
    id: maybe(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    code: maybe(concept(['D89.83', 'D89.831', 'D76.1', 'T80.82XA'], 'http://hl7.org/fhir/sid/icd-10-cm')),
    clinicalStatus: maybe(concept(['active', 'resolved'], 'http://terminology.hl7.org/CodeSystem/condition-clinical')),
    verificationStatus: maybe(concept(['confirmed', 'refuted', 'entered-in-error'], 'http://terminology.hl7.org/CodeSystem/condition-ver-status')),
    subject: maybe(reference),
    onsetDateTime: maybe(isoDate),
    recordedDate: maybe(isoDate),
  },
  { requiredKeys: ['resourceType'] },
);

const patient = fc.record(
  {
    resourceType: fc.constant('Patient'),
    id: maybe(fc.constantFrom('pat-1', 'other')),
    gender: maybe(fc.constantFrom('female', 'male', 'other', 'unknown')),
    birthDate: maybe(fc.constantFrom('1970-01-01', '2024-02-29', '1900', '3000-01-01')),
  },
  { requiredKeys: ['resourceType'] },
);

const anyResource = fc.oneof(observation, procedure, medicationAdministration, condition, patient, fc.record({ resourceType: oddString }), weird);

const entry = fc.oneof(
  { weight: 5, arbitrary: fc.record({ resource: anyResource, search: maybe(fc.record({ mode: maybe(fc.constantFrom('match', 'include', 'outcome')) }, { requiredKeys: [] })), fullUrl: maybe(oddString) }, { requiredKeys: ['resource'] }) },
  { weight: 1, arbitrary: weird },
);

const nextLink = fc.constantFrom('http://127.0.0.1:9/fhir/Observation?page=2', 'https://example.invalid/fhir?page=2', 'Observation?page=2', '//127.0.0.2/x', 'javascript:alert(1)', 'not a url');

const bundle = fc.record(
  {
    resourceType: fc.constant('Bundle'),
    type: maybe(fc.constantFrom('searchset', 'collection', 'transaction')),
    total: maybe(oddNumber),
    entry: fc.oneof({ weight: 4, arbitrary: fc.array(entry, { maxLength: 12 }) }, { weight: 1, arbitrary: weird }),
    link: maybe(fc.array(fc.record({ relation: maybe(fc.constantFrom('next', 'self', 'previous')), url: maybe(nextLink) }, { requiredKeys: [] }), { maxLength: 2 })),
  },
  { requiredKeys: ['resourceType'] },
);

/** Mostly the sample patient's real resources (so the engine gets past "no infusion"), mixed with nonsense. */
const sampleResource = fc.constantFrom<unknown>(samplePatient, ferritin, infusion);
const entryOf = (resource: fc.Arbitrary<unknown>) => fc.record({ resource, search: maybe(fc.record({ mode: maybe(fc.constantFrom('match', 'include', 'outcome')) }, { requiredKeys: [] })) }, { requiredKeys: ['resource'] });
const mixedBundle = fc.record({
  resourceType: fc.constant('Bundle'),
  type: fc.constant('searchset'),
  entry: fc.array(fc.oneof({ weight: 2, arbitrary: entryOf(sampleResource) }, { weight: 3, arbitrary: entry }), { maxLength: 10 }),
  link: maybe(fc.array(fc.record({ relation: maybe(fc.constantFrom('next', 'self')), url: maybe(nextLink) }, { requiredKeys: [] }), { maxLength: 2 })),
});

const PREFETCH_KEYS = ['patient', 'labs', 'temperature', 'conditions', 'procedures', 'medicationAdministrations', 'medicationRequests', 'diagnosticReports'] as const;
const prefetchValue = fc.oneof(
  { weight: 6, arbitrary: mixedBundle },
  { weight: 2, arbitrary: bundle },
  { weight: 2, arbitrary: anyResource },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constant({ resourceType: 'OperationOutcome', issue: [] }) },
);
/** Every key present most of the time (required items included), plus prototype-pollution keys now and then. */
const prefetch = fc
  .tuple(
    fc.record(Object.fromEntries(PREFETCH_KEYS.map((k) => [k, prefetchValue])) as Record<(typeof PREFETCH_KEYS)[number], typeof prefetchValue>, { requiredKeys: [] }),
    fc.dictionary(fc.constantFrom(...PROTO_KEYS), prefetchValue, { maxKeys: 2 }),
  )
  .map(([known, odd]) => {
    const out: Record<string, unknown> = { ...known };
    // defineProperty, so `__proto__` becomes an own data key (as JSON.parse would make it).
    for (const [k, v] of Object.entries(odd)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

const fhirServer = (stubBase: () => string) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null).map(() => stubBase()) },
    { weight: 1, arbitrary: fc.constantFrom('https://example.invalid/fhir', 'http://10.0.0.1/fhir', 'http://169.254.169.254/latest', 'file:///etc/passwd', 'http://[::1]:1/fhir', 'http://user:pw@127.0.0.1:1/fhir', 'not a url', '') },
  );

const draftOrders = fc.record({ resourceType: maybe(fc.constant('Bundle')), entry: maybe(fc.array(fc.oneof(fc.record({ resource: fc.oneof(anyResource, fc.constant({ resourceType: 'ServiceRequest', id: 'sr-1', status: 'draft', intent: 'order', code: { coding: [{ system: 'http://loinc.org', code: '2276-4' }] } })) }), weird), { maxLength: 3 })) }, { requiredKeys: [] });

const envelope = (stubBase: () => string) =>
  fc.record(
    {
      hook: maybe(fc.constantFrom('patient-view', 'order-select', 'order-sign')),
      hookInstance: maybe(fc.uuid()),
      fhirServer: fhirServer(stubBase),
      fhirAuthorization: maybe(fc.record({ access_token: maybe(fc.constant('secret-token')), token_type: maybe(fc.constant('Bearer')), expires_in: maybe(oddNumber), scope: maybe(oddString), subject: maybe(oddString) }, { requiredKeys: [] })),
      context: maybe(fc.record({ userId: maybe(fc.constantFrom('Practitioner/prac-1', 'Patient/pat-1', 'x')), patientId: maybe(fc.constantFrom('pat-1', 'other', '../x', 'a'.repeat(65))), encounterId: maybe(fc.constantFrom('enc-1', '?')), selections: maybe(fc.array(fc.constantFrom('ServiceRequest/sr-1', ''), { maxLength: 2 })), draftOrders: maybe(draftOrders) }, { requiredKeys: [] })),
      prefetch: maybe(prefetch),
      extension: maybe(weird),
    },
    { requiredKeys: [] },
  );

/** Serializes a value, writing own `__proto__` keys as data and swapping the sentinel for huge literals. */
function serialize(value: unknown, huge: string): string {
  return JSON.stringify(value).replaceAll(String(HUGE_SENTINEL), huge);
}
const hugeLiteral = fc.constantFrom('1e999', '-1e999', '1'.repeat(400), '0.' + '0'.repeat(400) + '1', '123456789012345678901234567890');
const serviceId = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...SERVICES) }, { weight: 1, arbitrary: fc.constantFrom('nope', 'iec-hs-surveillance%00', '..%2f..%2fetc', 'IEC-HS-SURVEILLANCE') });

// ---- set-up ----------------------------------------------------------------------------------------

beforeAll(async () => {
  stub = await startFhirStub(allResources());
  memory = await createSqliteCardMemory(':memory:', { cards: CARD_RULES, suppressHours: 24 });
  app = await startApp(
    [stub.base],
    (c) => {
      c.bodyLimitBytes = BODY_LIMIT;
      // 10,000 requests from one address would otherwise mostly meet the per-client limit (429).
      c.rateLimit.perClient = 0;
    },
    {
      cardMemory: memory,
      // FUZZ_DEBUG=1 shows the server's error log (the 500 body never carries the cause).
      logger: createLogger({ level: process.env.FUZZ_DEBUG ? 'error' : 'silent' }),
      // Belt and braces over the guard: no host other than loopback is ever contacted.
      urlPolicy: (url) => (isLoopbackHost(url.hostname) ? { allowed: true } : { allowed: false, reason: 'fuzz: loopback only' }),
    },
  );
  agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  // Warm-up (JIT, lazy modules, ajv, SQLite statements) before the heap baseline.
  for (let i = 0; i < 300; i++) {
    await post({ serviceId: SERVICES[i % 2] ?? 'nope', contentType: 'application/json', body: JSON.stringify({ hook: i % 2 ? 'order-select' : 'patient-view', hookInstance: `w${i}`, context: { patientId: 'pat-1' }, prefetch: { labs: null } }) });
  }
  gc();
  gc();
  heapBaseline = process.memoryUsage().heapUsed;
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await app.close();
  await memory.close();
  await stub.close();
});

async function assertWithSeed(property: fc.IAsyncProperty<[Sent]>, numRuns: number): Promise<void> {
  const before = requests;
  await fc.assert(property, { seed: SEED, numRuns, verbose: 0 }).catch((e: unknown) => {
    throw new Error(`fuzz failed (reproduce with FUZZ_SEED=${SEED}); ${(e as Error).message}`);
  });
  // This test's own requests, whatever ran before it.
  expect(requests - before).toBeGreaterThanOrEqual(numRuns);
  expectNoPollutionAndBoundedHeap();
}

function expectNoPollutionAndBoundedHeap(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  gc();
  gc();
  const growthMb = (process.memoryUsage().heapUsed - heapBaseline) / 1024 / 1024;
  if (process.env.ROBUSTNESS_REPORT) {
    console.info(
      `fuzz: ${requests} requests in ${Math.round(performance.now() - started)} ms; heap growth ${growthMb.toFixed(1)} MB; rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB; statuses ${JSON.stringify(Object.fromEntries(statusCounts))}`,
    );
  }
  expect(growthMb).toBeLessThan(MAX_HEAP_GROWTH_MB);
}

test(`raw bodies: any bytes, any media type (${RUNS.raw} requests)`, async () => {
  const raw = fc.record({
    serviceId,
    contentType: fc.constantFrom(...JSON_TYPES, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=klingon', 'application/xml', ''),
    body: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.constantFrom('{', '{"hook":', 'null', '[]', '"x"', '1e999', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '\uFEFF{}'),
      // Over the body limit (both sides: exactly at it, and above).
      fc.constantFrom(BODY_LIMIT - 20, BODY_LIMIT + 1, BODY_LIMIT * 3).map((n) => `{"hook":"patient-view","pad":"${'x'.repeat(n)}"}`),
      weird.map((v) => serialize(v, '1e999')),
    ),
  });
  await assertWithSeed(fc.asyncProperty(raw, sendAndCheck), RUNS.raw);
}, TIMEOUT_MS);

test(`hook envelopes with fuzzed fields (${RUNS.envelope} requests)`, async () => {
  const sent = fc.record({ serviceId, contentType: fc.constantFrom(...JSON_TYPES), value: envelope(() => stub.base), huge: hugeLiteral }).map(
    ({ serviceId: id, contentType, value, huge }): Sent => ({ serviceId: id, contentType, body: serialize(value, huge) }),
  );
  await assertWithSeed(fc.asyncProperty(sent, sendAndCheck), RUNS.envelope);
}, TIMEOUT_MS);

test(`valid envelopes with FHIR-shaped nonsense in prefetch (${RUNS.prefetch} requests)`, async () => {
  const sent = fc.record({ index: fc.integer({ min: 0, max: 1 }), prefetch, huge: hugeLiteral, withStub: fc.integer({ min: 0, max: 19 }), instance: fc.uuid() }).map(({ index, prefetch: p, huge, withStub, instance }): Sent => {
    const id = SERVICES[index] ?? 'iec-hs-surveillance';
    const context =
      index === 1
        ? { userId: 'Practitioner/prac-1', patientId: 'pat-1', selections: ['ServiceRequest/sr-1'], draftOrders: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'ServiceRequest', id: 'sr-1', status: 'draft', intent: 'order', code: { coding: [{ system: 'http://loinc.org', code: '2276-4' }] } } }] } }
        : { userId: 'Practitioner/prac-1', patientId: 'pat-1' };
    const value = { hook: index === 1 ? 'order-select' : 'patient-view', hookInstance: instance, context, prefetch: p, ...(withStub === 0 ? { fhirServer: stub.base } : {}) };
    return { serviceId: id, contentType: 'application/json', body: serialize(value, huge) };
  });
  await assertWithSeed(fc.asyncProperty(sent, sendAndCheck), RUNS.prefetch);
}, TIMEOUT_MS);
