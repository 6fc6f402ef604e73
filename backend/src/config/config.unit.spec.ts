import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('defaults to every role on loopback port 3000 with embedded PostgreSQL', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      roles: ['api', 'projector', 'worker'],
      host: '127.0.0.1',
      port: 3000,
      buckets: 256,
      workerConcurrency: 1000,
      httpMaxSocketsPerOrigin: 256,
      drainTimeoutMs: 30_000,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('keeps every event unless KAIROS_HISTORY_RETENTION is set, and sweeps hourly', () => {
    expect(loadConfig({}, [])).toMatchObject({
      historyRetentionMs: undefined,
      historyRetentionSweepMs: 3_600_000,
    });
    expect(loadConfig({ KAIROS_HISTORY_RETENTION: '30d' }, []).historyRetentionMs).toBe(30 * 86_400_000);
    expect(loadConfig({ KAIROS_HISTORY_RETENTION: 'PT12H' }, []).historyRetentionMs).toBe(12 * 3_600_000);
    expect(loadConfig({ KAIROS_HISTORY_RETENTION_SWEEP_MS: '60000' }, []).historyRetentionSweepMs).toBe(
      60_000,
    );
  });

  it('refuses a retention that is not a duration of at least a minute, naming the variable', () => {
    for (const value of ['forever', '30', '10s', 'P1M']) {
      expect(() => loadConfig({ KAIROS_HISTORY_RETENTION: value }, [])).toThrow(
        new ConfigError(
          `KAIROS_HISTORY_RETENTION: "${value}" is not a duration of at least a minute (e.g. 30d, 12h, 90m or P30D)`,
        ),
      );
    }
  });

  it('links failure alerts to KAIROS_PUBLIC_URL, by default this machine on PORT', () => {
    expect(loadConfig({}, []).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080' }, []).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ KAIROS_PUBLIC_URL: 'https://kairos.example.com/ops/' }, []).publicUrl).toBe(
      'https://kairos.example.com/ops',
    );
    expect(() => loadConfig({ KAIROS_PUBLIC_URL: 'kairos.example.com' }, [])).toThrow(/KAIROS_PUBLIC_URL/);
    expect(() => loadConfig({ KAIROS_PUBLIC_URL: 'ftp://kairos.example.com' }, [])).toThrow(
      /KAIROS_PUBLIC_URL/,
    );
  });

  it('reads the drain timeout', () => {
    expect(loadConfig({ KAIROS_DRAIN_TIMEOUT_MS: '3000' }, []).drainTimeoutMs).toBe(3000);
  });

  it('fires at most 500 ms ahead of due unless told otherwise (ADR 022)', () => {
    expect(loadConfig({}, []).firingLeadMs).toBe(500);
    expect(loadConfig({ KAIROS_FIRING_LEAD_MS: '0' }, []).firingLeadMs).toBe(0);
  });

  it('reads roles as a comma list', () => {
    expect(loadConfig({}, ['--role', 'api,worker']).roles).toEqual(['api', 'worker']);
    expect(loadConfig({}, ['--role=projector']).roles).toEqual(['projector']);
  });

  it.each([
    [{}, ['--role', 'cook'], /--role: unknown role "cook"/],
    [{ PORT: 'eighty' }, [], /PORT: "eighty" is not a port/],
    [{ DATABASE_URL: 'mysql://x' }, [], /DATABASE_URL: expected a postgres: or postgresql:/],
    [{ KAIROS_BUCKETS: '0' }, [], /KAIROS_BUCKETS/],
    [{ LOG_LEVEL: 'loud' }, [], /LOG_LEVEL/],
    [{ KAIROS_API_TOKEN: 'short' }, [], /at least 16/],
    [{ KAIROS_AUTH: 'maybe' }, [], /KAIROS_AUTH/],
    [{ KAIROS_HTTP_MAX_SOCKETS_PER_ORIGIN: '0' }, [], /KAIROS_HTTP_MAX_SOCKETS_PER_ORIGIN/],
    [{ KAIROS_DRAIN_TIMEOUT_MS: '3s' }, [], /KAIROS_DRAIN_TIMEOUT_MS: "3s" must be a whole number/],
    [{ KAIROS_DRAIN_TIMEOUT_MS: '10' }, [], /KAIROS_DRAIN_TIMEOUT_MS/],
    [
      { KAIROS_FIRING_LEAD_MS: '2001' },
      [],
      /KAIROS_FIRING_LEAD_MS: "2001" must be a whole number from 0 to 2000/,
    ],
  ])('refuses %j %j with a message naming the setting', (env, argv, message) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
    expect(() => loadConfig(env, argv)).toThrow(message);
  });

  it('refuses to listen beyond loopback without a token, unless auth is explicitly off', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' }, [])).toThrow(/KAIROS_API_TOKEN/);
    expect(loadConfig({ HOST: '0.0.0.0', KAIROS_API_TOKEN: 'x'.repeat(16) }, []).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', KAIROS_AUTH: 'off' }, []).authOff).toBe(true);
    expect(loadConfig({ HOST: '::1' }, []).host).toBe('::1');
  });
});
