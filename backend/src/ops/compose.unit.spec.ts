import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Role } from '../config/config';

/**
 * Docker cannot run here, so docker-compose.yml and the Dockerfile are checked statically: every Kairos
 * service's command and environment pass loadConfig, the roles cover the cluster, every variable set is
 * one Kairos reads, and the image's entry point is where `nest build` puts main.js.
 */
const root = join(__dirname, '..', '..', '..');
// js-yaml is a transitive dependency at the root (no types): only its load() is used.
const yaml = createRequire(join(root, 'package.json'))('js-yaml') as { load(text: string): unknown };

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean> | string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  restart?: string;
}

const compose = yaml.load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const services = compose.services;
const kairos = Object.entries(services).filter(([, s]) => s.image?.startsWith('kairos') || s.build);

/** `${NAME:-default}` / `${NAME-default}` / `$NAME` as docker compose interpolates them with NAME unset. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g,
    (_, _name, fallback?: string) => fallback ?? '',
  );
}

function envOf(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)] as const)
    : Object.entries(raw).map(([key, value]) => [key, String(value)] as const);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

function argvOf(service: ComposeService): string[] {
  const command = service.command ?? [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

/** The environment variables config.ts reads (env.NAME), from its source. */
function variablesConfigReads(): Set<string> {
  const source = readFileSync(join(root, 'backend/src/config/config.ts'), 'utf8');
  return new Set([...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
}

describe('docker-compose.yml', () => {
  it('has the backing services, each with a health check', () => {
    expect(services.eventstore.image).toMatch(/^eventstore\/eventstore:/);
    expect(envOf(services.eventstore).EVENTSTORE_INSECURE).toBe('true');
    expect(services.postgres.image).toBe('postgres:17');
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(argvOf(services.redis)).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'everysec']),
    );
    for (const name of ['eventstore', 'postgres', 'redis']) {
      expect(services[name].healthcheck?.test).toBeDefined();
      expect(services[name].restart).toBeDefined();
    }
  });

  it('runs one projector, two APIs and three workers', () => {
    const roles = kairos.map(([, service]) => loadConfig(envOf(service), argvOf(service)).roles);
    const count = (role: Role): number => roles.filter((r) => r.length === 1 && r[0] === role).length;
    expect(count('projector')).toBe(1);
    expect(count('api')).toBe(2);
    expect(count('worker')).toBe(3);
    expect(kairos).toHaveLength(6);
  });

  it.each(kairos)('%s: its command and environment pass loadConfig', (_name, service) => {
    let config;
    try {
      config = loadConfig(envOf(service), argvOf(service));
    } catch (error) {
      if (error instanceof ConfigError) throw new Error(`ConfigError: ${error.message}`);
      throw error;
    }
    expect(config.eventStoreUrl).toMatch(/^esdb:\/\/eventstore:2113/);
    expect(config.databaseUrl).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(config.redisUrl).toBe('redis://redis:6379');
    if (config.roles.includes('api')) {
      expect(config.host).toBe('0.0.0.0');
      expect(config.apiToken?.length).toBeGreaterThanOrEqual(16);
      expect(String(envOf(service).KAIROS_API_TOKEN)).not.toBe('');
      expect(JSON.stringify(service.environment)).toContain('${KAIROS_API_TOKEN:-'); // from the env
    }
  });

  it.each(kairos)('%s: sets only variables config.ts reads', (_name, service) => {
    const known = variablesConfigReads();
    expect(known.has('DATABASE_URL')).toBe(true); // the scan itself works
    for (const variable of Object.keys(envOf(service)))
      expect([variable, known.has(variable)]).toEqual([variable, true]);
  });

  it.each(kairos)(
    '%s: health check on /health/ready, restart policy, waits for healthy dependencies',
    (_name, service) => {
      expect(JSON.stringify(service.healthcheck?.test)).toContain('/health/ready');
      expect(JSON.stringify(service.healthcheck?.test)).toContain(`:${envOf(service).PORT ?? 3000}/`);
      expect(service.restart).toMatch(/^(always|unless-stopped|on-failure)/);
      const dependsOn = service.depends_on as Record<string, { condition: string }>;
      for (const backing of ['eventstore', 'postgres', 'redis']) {
        expect(dependsOn[backing]).toEqual({ condition: 'service_healthy' });
      }
    },
  );

  it('publishes the two APIs on host ports 3001 and 3002', () => {
    const apiPorts = kairos
      .filter(([, service]) => argvOf(service).join(' ') === '--role api')
      .flatMap(([, service]) => service.ports ?? [])
      .map((mapping) => mapping.split(':')[0]);
    expect(apiPorts.sort()).toEqual(['3001', '3002']);
  });
});

describe('Dockerfile', () => {
  it('builds on node:20-bookworm-slim in two stages and runs the compiled main.js', () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => m[1]);
    expect(stages).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    expect(dockerfile).toMatch(/npm install/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/COPY --from=build .*\/app\/dist /);
    expect(dockerfile).toMatch(/COPY --from=build .*\/app\/node_modules /);
    expect(dockerfile).toMatch(/COPY --from=build .*\/app\/package\.json /);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "dist/server/backend/src/main.js"]');
  });

  it('its entry path is where `nest build` writes main.js', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as {
      projects: { backend: { entryFile: string } };
    };
    expect(tsconfig.compilerOptions.rootDir).toBe('.');
    const entry = `${tsconfig.compilerOptions.outDir}/${nestCli.projects.backend.entryFile}.js`;
    expect(entry).toBe('dist/server/backend/src/main.js');
    // The source it compiles from exists; so does the output when a build has run here.
    expect(existsSync(join(root, 'backend/src/main.ts'))).toBe(true);
    if (existsSync(join(root, 'dist/server'))) expect(existsSync(join(root, entry))).toBe(true);
  });
});
