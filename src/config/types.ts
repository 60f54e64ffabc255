/**
 * Runtime configuration of the service. Loaded and validated in src/config (file + environment);
 * every other module receives the parts it needs, never reads process.env itself.
 */
export type Mode = 'demo' | 'production' | 'test';

export interface IssuerConfig {
  /** Exact `iss` claim value. */
  iss: string;
  /** Out-of-band JWKS (inline keys) for this issuer. */
  jwks?: { keys: Record<string, unknown>[] };
  /** `jku` URLs this issuer may point to (exact match). */
  jkuAllowlist?: string[];
  /** Accepted `aud` values besides the exact URL called. */
  audiences?: string[];
  /** Allowed `tenant` claims; when set, a token without an allowed tenant is refused. */
  tenants?: string[];
  /** FHIR server base URLs this issuer's requests may name (https, exact base match). */
  fhirServers: string[];
  /** Algorithms accepted; default ES384 and RS384. */
  algorithms?: string[];
  /**
   * Per-tenant FHIR server lists. When the verified token's `tenant` has an entry here, that list
   * replaces `fhirServers` for the request (src/security/fhirServerGuard.ts).
   */
  tenantFhirServers?: Record<string, string[]>;
}

export interface FhirAccessLimits {
  /** Per FHIR request timeout, ms. */
  requestTimeoutMs: number;
  /** Overall budget for all FHIR access of one hook call, ms. */
  budgetMs: number;
  /** Searchset pages followed per query. */
  maxPages: number;
  /** Resources accepted per query (all pages). */
  maxResources: number;
  /** Response bytes accepted per FHIR request. */
  maxBytes: number;
  /** Retries for idempotent reads on network errors and 502/503/504. */
  retries: number;
}

export type TrustProxy = false | number | string[];

export interface AppConfig {
  mode: Mode;
  port: number;
  host: string;
  /** Public base URL of this service (for JWT `aud` and card links); default derived from the request. */
  publicBaseUrl?: string;
  /** Base URL of the patient timeline page that cards link to (`{base}?patient=<id>`). */
  timelineBaseUrl?: string;
  /** JSON body limit, bytes. */
  bodyLimitBytes: number;
  /** Maximum JSON nesting depth accepted in a request body. */
  maxJsonDepth: number;
  /** Whole-request timeout, ms. */
  requestTimeoutMs: number;
  auth: {
    /** JWT required on discovery, service and feedback calls. Only demo/test mode may turn it off. */
    required: boolean;
    issuers: IssuerConfig[];
    /** Allowed clock skew, seconds. */
    clockSkewSec: number;
    /** Longest JWT lifetime accepted (exp - iat), seconds. */
    maxTokenLifetimeSec: number;
  };
  fhir: FhirAccessLimits & {
    /** Demo/test only: allow plain-http and loopback FHIR servers (the embedded one). */
    allowInsecureLoopback: boolean;
    /** Demo/test only: FHIR servers anyone may name (no issuer binding). */
    openServers: string[];
  };
  /**
   * Requests per window. `perClient`: requests that do not present a token naming a trusted issuer,
   * and failed verifications, per client address. `perIssuer`: authenticated requests per verified
   * issuer. The two are counted separately, so anonymous traffic cannot use up a trusted client's share.
   */
  rateLimit: { windowMs: number; perClient: number; perIssuer: number };
  /**
   * express `trust proxy`: which proxies' X-Forwarded-For/-Proto to believe for the client address
   * (rate limits, logs). false: none (direct exposure). A hop count, or a list of proxy addresses/CIDRs
   * or the names loopback, linklocal, uniquelocal (behind a TLS-terminating proxy). Never "trust all".
   */
  trustProxy: TrustProxy;
  /** Prometheus /metrics: a bearer token on the main port, or a separate port bound to loopback. */
  metrics: {
    /** Bearer token required on GET /metrics (env METRICS_TOKEN; never logged). */
    token?: string;
    /** When set, /metrics is served only on this port (0 = ephemeral), bound to `host`, and not on the main port. */
    port?: number;
    /** Bind address of the metrics port: loopback only. */
    host: string;
  };
  cors: { origins: string[] | '*' };
  feedback: {
    dbPath: string;
    /**
     * PostgreSQL connection URL (env DATABASE_URL; never logged). When set, the card memory and the JWT
     * replay cache live there, shared by every instance; dbPath is then unused.
     */
    databaseUrl?: string;
    /** Connections per instance to PostgreSQL. */
    poolSize: number;
    suppressHours: number;
    /** Whose view an override hides the card from: the overriding user (default), the encounter, or the patient. */
    suppressScope: 'user' | 'encounter' | 'patient';
    /**
     * Secret key of the patient-id HMAC in the card memory (env FEEDBACK_HMAC_KEY; never logged).
     * Required in production; without it demo/test stores keep a random key inside the database file.
     */
    hmacKey?: string;
  };
  /** Clinical overrides: threshold id -> value (see src/criteria/thresholds.ts). */
  thresholds: Record<string, number>;
  /**
   * The site (issue 12). `timeZone`: IANA time zone that "day N after infusion" counts calendar days in
   * (e.g. `America/Chicago`); validated at start-up. Absent: taken from the infusion record's offset.
   */
  site?: { timeZone?: string };
  /**
   * Who approved the threshold table (src/criteria/thresholds.ts) for this site and when (YYYY-MM-DD).
   * Cards then say "site-approved by <by> on <date>"; absent, they say "unverified defaults".
   */
  thresholdApproval?: { by: string; date: string };
  /**
   * SMART timeline app (issue 13), published to the app at /app/config.json: the OAuth client id it is
   * registered under at the EHR (default `iec-hs-timeline`) and the scopes it asks for. Optional, additive.
   */
  smartApp?: { clientId?: string; scope?: string };
  /** Embedded FHIR server (demo/test): where fixtures are read from. */
  embeddedFhir: { enabled: boolean; fixturesDir: string };
  logLevel: string;
  /** Census / scheduled surveillance between chart views (src/census). */
  census: CensusConfig;
}

// ---- census (issue 15) -------------------------------------------------------------------------

/** SMART Backend Services registration of this service at the EHR (client_credentials + private_key_jwt). */
export interface CensusBackendAuthConfig {
  clientId: string;
  /** PKCS#8 PEM private key file (mode 0600); never inline in the configuration. */
  privateKeyFile: string;
  /** `kid` of the registered public key. */
  keyId: string;
  algorithm: 'ES384' | 'RS384';
  /** e.g. `system/Patient.rs system/Observation.rs ...`. */
  scope: string;
}

export interface CensusConfig {
  /** Run the scheduled evaluator. Default: on in demo, off in serve and test. */
  enabled: boolean;
  /** Minutes between cycles. */
  intervalMinutes: number;
  /** FHIR base the census watches (demo: the embedded /fhir). */
  fhirServer?: string;
  /** Watched population as a FHIR reference: `Group/<id>` or `List/<id>`; optional. */
  population?: string;
  /** Also search Procedures / MedicationAdministrations of immune effector cell therapy in the last `lookbackDays`. */
  discoverySearch: boolean;
  lookbackDays: number;
  /** Patients evaluated at once. */
  concurrency: number;
  /**
   * Background priority: before each patient the cycle waits (at most `maxYieldMs`) while this
   * process's event-loop utilisation since the last check is above `yieldAbove` (0-1; 1 = never wait),
   * so hook calls keep their throughput while a cycle runs.
   */
  yieldAbove: number;
  /** Longest wait before one patient, ms: the cycle still progresses under sustained hook load. */
  maxYieldMs: number;
  /** SQLite file of the episode store (0600); ignored when `databaseUrl` is set. */
  dbPath: string;
  /** PostgreSQL connection string (env DATABASE_URL): episode store shared by every instance. */
  databaseUrl?: string;
  backendAuth?: CensusBackendAuthConfig;
  /** SMART standalone launch for census users (production): the app's registered client id. */
  userClientId?: string;
  webhook?: {
    url: string;
    /** What identifies the patient in the JSON: nothing, or the FHIR id. */
    include: 'no-patient-id' | 'patient-id';
    retries: number;
    backoffMs: number;
  };
  /**
   * Also write one FHIR Communication per notification to `fhirServer` (subject = the patient). The
   * text holds the tier, day and rule; the key values and labs due only with `tier-and-values`.
   */
  communication?: {
    include: 'tier' | 'tier-and-values';
    retries: number;
    backoffMs: number;
  };
}
