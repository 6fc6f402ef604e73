import { resolve } from 'node:path';
import { parseDuration } from './duration';

/** The roles one Kairos process can play; `all` is the laptop default (every role in one process). */
export const ROLES = ['api', 'projector', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** Everything a process is configured with, read once from the environment and the command line. */
export interface KairosConfig {
  roles: Role[];
  host: string;
  port: number;
  /** PostgreSQL for the read model (and the event store unless EVENTSTORE_URL is set); unset = embedded. */
  databaseUrl: string | undefined;
  eventStoreUrl: string | undefined;
  redisUrl: string | undefined;
  /** Where embedded PostgreSQL keeps its files. */
  dataDir: string;
  embeddedPostgresPort: number;
  /** Buckets per cluster (KAIROS_BUCKETS): a task's bucket is a hash of its id modulo this. Set once. */
  buckets: number;
  apiToken: string | undefined;
  authOff: boolean;
  /**
   * Where people reach the GUI (KAIROS_PUBLIC_URL, default http://localhost:<port>), without a trailing
   * slash: failure alerts link to `<publicUrl>/tasks/<id>`.
   */
  publicUrl: string;
  /** HMAC-SHA256 secret for the Kairos-Signature header of http actions (KAIROS_SIGNING_SECRET). */
  signingSecret: string | undefined;
  /** Hosts, IPs or CIDRs http actions may reach although not public (KAIROS_HTTP_ALLOW, comma list). */
  httpAllow: string | undefined;
  /** Actions one worker runs at once (KAIROS_WORKER_CONCURRENCY): they wait on the network, not the CPU. */
  workerConcurrency: number;
  /** Connections this process's http actions keep open to one origin at most (KAIROS_HTTP_MAX_SOCKETS_PER_ORIGIN). */
  httpMaxSocketsPerOrigin: number;
  /** An occurrence found later than this counts as misfired (KAIROS_MISFIRE_THRESHOLD_MS). */
  misfireThresholdMs: number;
  /**
   * The longest a worker decides and records an occurrence's start before its due time
   * (KAIROS_FIRING_LEAD_MS, ADR 022): 50 ms for a lone firing, a burst by about the time it takes to
   * decide, within this. The action itself still waits for the due time. 0 decides at the due time.
   */
  firingLeadMs: number;
  /**
   * How long a stop may drain before the process exits anyway (KAIROS_DRAIN_TIMEOUT_MS): executions
   * still open then are closed as lost by the workers' sweep. Above the worker's own 25 s drain.
   */
  drainTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /**
   * How long a task's occurrence events are kept (KAIROS_HISTORY_RETENTION, ADR 012); undefined keeps
   * everything. The projector's process cuts older history every historyRetentionSweepMs.
   */
  historyRetentionMs: number | undefined;
  /** Between two retention sweeps (KAIROS_HISTORY_RETENTION_SWEEP_MS). */
  historyRetentionSweepMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** Reads and validates the configuration; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: string[]): KairosConfig {
  const config: KairosConfig = {
    roles: parseRoles(argv),
    host: env.HOST ?? '127.0.0.1',
    port: parsePort('PORT', env.PORT, 3000),
    databaseUrl: parseUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']),
    eventStoreUrl: parseUrl('EVENTSTORE_URL', env.EVENTSTORE_URL, ['esdb:', 'esdb+discover:', 'kurrentdb:']),
    redisUrl: parseUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']),
    dataDir: resolve(env.KAIROS_DATA_DIR ?? '.data'),
    embeddedPostgresPort: parsePort('KAIROS_EMBEDDED_PG_PORT', env.KAIROS_EMBEDDED_PG_PORT, 54329),
    buckets: parseInteger('KAIROS_BUCKETS', env.KAIROS_BUCKETS, 256, 1, 65536),
    apiToken: env.KAIROS_API_TOKEN || undefined,
    authOff: parseAuth(env.KAIROS_AUTH),
    publicUrl: '',
    signingSecret: env.KAIROS_SIGNING_SECRET || undefined,
    httpAllow: env.KAIROS_HTTP_ALLOW || undefined,
    workerConcurrency: parseInteger(
      'KAIROS_WORKER_CONCURRENCY',
      env.KAIROS_WORKER_CONCURRENCY,
      1000,
      1,
      100_000,
    ),
    httpMaxSocketsPerOrigin: parseInteger(
      'KAIROS_HTTP_MAX_SOCKETS_PER_ORIGIN',
      env.KAIROS_HTTP_MAX_SOCKETS_PER_ORIGIN,
      256,
      1,
      10_000,
    ),
    misfireThresholdMs: parseInteger(
      'KAIROS_MISFIRE_THRESHOLD_MS',
      env.KAIROS_MISFIRE_THRESHOLD_MS,
      60_000,
      1000,
      86_400_000,
    ),
    // Short: a pause or edit that comes within the lead finds that run already started (ADR 022).
    firingLeadMs: parseInteger('KAIROS_FIRING_LEAD_MS', env.KAIROS_FIRING_LEAD_MS, 500, 0, 2000),
    drainTimeoutMs: parseInteger(
      'KAIROS_DRAIN_TIMEOUT_MS',
      env.KAIROS_DRAIN_TIMEOUT_MS,
      30_000,
      1000,
      3_600_000,
    ),
    logLevel: parseChoice('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info'),
    historyRetentionMs: parseRetention(env.KAIROS_HISTORY_RETENTION),
    historyRetentionSweepMs: parseInteger(
      'KAIROS_HISTORY_RETENTION_SWEEP_MS',
      env.KAIROS_HISTORY_RETENTION_SWEEP_MS,
      3_600_000,
      1000,
      604_800_000,
    ),
  };
  config.publicUrl = (
    parseUrl('KAIROS_PUBLIC_URL', env.KAIROS_PUBLIC_URL, ['http:', 'https:']) ??
    `http://localhost:${config.port}`
  ).replace(/\/+$/, '');
  if (config.apiToken !== undefined && config.apiToken.length < 16) {
    throw new ConfigError('KAIROS_API_TOKEN: must be at least 16 characters');
  }
  if (!isLoopback(config.host) && !config.apiToken && !config.authOff && config.roles.includes('api')) {
    throw new ConfigError(
      `HOST=${config.host} listens beyond this machine: set KAIROS_API_TOKEN, or KAIROS_AUTH=off to run without auth on purpose`,
    );
  }
  return config;
}

function parseRetention(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms < 60_000) {
    throw new ConfigError(
      `KAIROS_HISTORY_RETENTION: "${value}" is not a duration of at least a minute (e.g. 30d, 12h, 90m or P30D)`,
    );
  }
  return ms;
}

function parseRoles(argv: string[]): Role[] {
  const index = argv.indexOf('--role');
  const inline = argv.find((arg) => arg.startsWith('--role='));
  const value = inline ? inline.slice('--role='.length) : index >= 0 ? argv[index + 1] : 'all';
  if (value === undefined || value === '')
    throw new ConfigError('--role: expected api, projector, worker or all');
  if (value === 'all') return [...ROLES];
  const roles = value.split(',').map((role) => role.trim());
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ConfigError(
        `--role: unknown role "${role}" (expected a comma list of ${ROLES.join(', ')}, or all)`,
      );
    }
  }
  return [...new Set(roles)] as Role[];
}

function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name}: "${value}" is not a port number (1-65535)`);
  }
  return port;
}

function parseInteger(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(`${name}: "${value}" must be a whole number from ${min} to ${max}`);
  }
  return number;
}

function parseUrl(name: string, value: string | undefined, protocols: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: "${value}" is not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name}: expected a ${protocols.join(' or ')}// URL, got ${url.protocol}//`);
  }
  return value;
}

function parseAuth(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return false;
  if (value === 'off') return true;
  throw new ConfigError(`KAIROS_AUTH: "${value}" must be on or off`);
}

function parseChoice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name}: "${value}" must be one of ${choices.join(', ')}`);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
