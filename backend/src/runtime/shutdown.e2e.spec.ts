import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { isStale } from '../../../scripts/build-freshness';
import { freePort } from '../../test/free-port';
import { type HttpReceiver, startHttpReceiver } from '../../test/http-receiver';
import { launchNode, type Launched } from '../../test/processes';
import { waitFor, within } from '../../test/wait-for';

/**
 * Stopping is bounded (issue 15), on the built server as `npm start` runs it, with real PostgreSQL,
 * redis-server and a receiver whose calls never answer:
 * - SIGTERM while Redis and PostgreSQL stop with Kairos (a supervisor stopping the whole stack): it
 *   exits within KAIROS_DRAIN_TIMEOUT_MS and a little, not minutes later;
 * - a second signal while draining exits at once, with that signal's code, recording nothing;
 * - scripts/start.js SIGKILLed: the server it launched notices, drains, exits and frees its port.
 */
const root = join(__dirname, '..', '..', '..');
const SERVER = join(root, 'dist/server/backend/src/main.js');
const DRAIN_TIMEOUT_MS = 3000;
/** Beyond the drain timeout: what exiting itself may take on a busy two-core machine. */
const EXIT_LEEWAY_MS = 5000;

/** Resolves with the server's pid once it answers /health/ready on `port`. */
async function ready(launched: Launched, port: number, timeoutMs: number): Promise<number> {
  let gone = false;
  void launched.exited.then(() => (gone = true));
  await waitFor(
    async () => {
      if (gone) throw new Error(`kairos exited:\n${launched.output.join('')}`);
      return (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok;
    },
    timeoutMs,
    'kairos ready',
  );
  const pid = /ready at \S+ \(pid (\d+)\)/.exec(launched.output.join(''))?.[1];
  if (!pid) throw new Error(`no pid in the ready line:\n${launched.output.join('')}`);
  return Number(pid);
}

/** Alive and not a zombie (an orphan's exit is reaped by whoever adopted it, maybe late). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface TestServers {
  postgres: { url: string; pid: number };
  redis: { url: string; pid: number };
  child: ChildProcess;
}

/** PostgreSQL and redis-server of this spec alone, in a helper process: the tests stop them by PID. */
async function startTestServers(): Promise<TestServers> {
  const child = spawn(
    process.execPath,
    [join(root, 'scripts/run-ts.js'), 'backend/test/test-servers-process.ts'],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the test servers exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as Omit<TestServers, 'child'>), child };
}

async function stopTestServers(servers: TestServers | undefined): Promise<void> {
  if (!servers || servers.child.exitCode !== null) return;
  const exited = new Promise((resolve) => servers.child.once('exit', resolve));
  servers.child.stdin?.end();
  await exited;
}

/** Every-second tasks whose calls hang at the receiver, so a drain has executions to wait for. */
async function registerHangingTasks(port: number, receiver: HttpReceiver, count: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/api/tasks/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: Array.from({ length: count }, (_, i) => ({
        name: `hang-${i}`,
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: { kind: 'http', url: `${receiver.url}/hang`, method: 'POST' },
        timeoutMs: 600_000,
        overlap: 'allow',
      })),
    }),
  });
  expect(response.status).toBeLessThan(300);
}

describe('stopping is bounded', () => {
  let receiver: HttpReceiver;
  const started: Launched[] = [];
  const running: TestServers[] = [];

  beforeAll(async () => {
    // The server as npm start runs it; built once here if its sources are newer (about a minute).
    if (isStale(SERVER))
      execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: root, stdio: 'pipe' });
    receiver = await startHttpReceiver();
    receiver.respond('/hang', { delayMs: 600_000 });
  }, 180_000);

  afterEach(async () => {
    for (const { child } of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(running.splice(0).map((servers) => stopTestServers(servers)));
  });

  afterAll(() => receiver?.close());

  async function startKairos(
    servers: TestServers,
    drainTimeoutMs: number,
  ): Promise<{ kairos: Launched; port: number }> {
    const port = await freePort();
    const kairos = launchNode([SERVER], {
      PORT: String(port),
      DATABASE_URL: servers.postgres.url,
      REDIS_URL: servers.redis.url,
      KAIROS_DRAIN_TIMEOUT_MS: String(drainTimeoutMs),
      KAIROS_HTTP_ALLOW: '127.0.0.1',
    });
    started.push(kairos);
    await ready(kairos, port, 60_000);
    return { kairos, port };
  }

  it('exits within the drain timeout when Redis and PostgreSQL stop with it', async () => {
    const servers = await startTestServers();
    running.push(servers);
    const { kairos, port } = await startKairos(servers, DRAIN_TIMEOUT_MS);
    const before = receiver.requests.length;
    await registerHangingTasks(port, receiver, 5);
    await waitFor(() => receiver.requests.length >= before + 5, 20_000, 'calls hanging at the receiver');

    // What their own stop() does: SIGTERM for redis-server, SIGINT (fast shutdown) for PostgreSQL.
    process.kill(servers.redis.pid, 'SIGTERM');
    process.kill(servers.postgres.pid, 'SIGINT');
    const sent = Date.now();
    kairos.child.kill('SIGTERM');
    const exit = await within(kairos.exited, DRAIN_TIMEOUT_MS + EXIT_LEEWAY_MS);
    if (exit === 'timeout') throw new Error(`still running:\n${kairos.output.join('').slice(-3000)}`);
    console.log(
      `SIGTERM with Redis and PostgreSQL gone: exited ${exit.at - sent} ms later, code ${exit.code}`,
    );
    // The worker leaves the still hanging calls to the sweeper at its own deadline (2 s before the
    // process's), so the drain usually ends by itself (0); if anything else hangs, the hard timer ends
    // it (1) and says what was still open. Either way within the drain timeout (checked above).
    expect([0, 1]).toContain(exit.code);
    if (exit.code === 1) {
      expect(kairos.output.join('')).toMatch(
        new RegExp(`did not finish within ${DRAIN_TIMEOUT_MS} ms \\(still closing the app`),
      );
    }
  }, 90_000);

  it('exits at once on a second signal, recording nothing for the calls it left', async () => {
    const servers = await startTestServers();
    running.push(servers);
    const { kairos, port } = await startKairos(servers, 60_000);
    const before = receiver.requests.length;
    await registerHangingTasks(port, receiver, 3);
    await waitFor(() => receiver.requests.length >= before + 3, 20_000, 'calls hanging at the receiver');

    kairos.child.kill('SIGTERM');
    await waitFor(() => kairos.output.join('').includes('SIGTERM received, draining'), 5000, 'draining');
    const sent = Date.now();
    kairos.child.kill('SIGINT');
    const exit = await within(kairos.exited, 3000);
    if (exit === 'timeout') throw new Error(`still running:\n${kairos.output.join('').slice(-3000)}`);
    console.log(`second signal: exited ${exit.at - sent} ms later, code ${exit.code}`);
    expect(exit.code).toBe(130);
    expect(kairos.output.join('')).toContain('kairos: second SIGINT while draining, exiting now');

    // The calls never answered: their executions stay open (for the lost-execution sweep), no outcome.
    const client = new Client({ connectionString: servers.postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ type: string; count: number }>(
        `SELECT type, count(*)::int AS count FROM event_store.events
          WHERE type IN ('TaskExecutionStarted', 'TaskExecuted') GROUP BY type`,
      );
      const counts = Object.fromEntries(rows.map((row) => [row.type, row.count]));
      expect(counts.TaskExecutionStarted).toBeGreaterThanOrEqual(3);
      expect(counts.TaskExecuted).toBeUndefined();
    } finally {
      await client.end();
    }
  }, 90_000);

  it('stops the server when scripts/start.js is SIGKILLed, freeing its port', async () => {
    const servers = await startTestServers();
    running.push(servers);
    const port = await freePort();
    // Not the api role: start.js then needs no GUI build.
    const launcher = launchNode([join(root, 'scripts/start.js'), '--role', 'projector,worker'], {
      PORT: String(port),
      DATABASE_URL: servers.postgres.url,
      REDIS_URL: servers.redis.url,
      KAIROS_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
    });
    started.push(launcher);
    const pid = await ready(launcher, port, 150_000); // builds first if a source changed since beforeAll
    try {
      expect(pid).not.toBe(launcher.child.pid);
      const sent = Date.now();
      launcher.child.kill('SIGKILL');
      await waitFor(() => !isRunning(pid), DRAIN_TIMEOUT_MS + EXIT_LEEWAY_MS, 'the server gone');
      console.log(`launcher SIGKILLed: server gone ${Date.now() - sent} ms later`);
      expect(await portIsFree(port)).toBe(true);
      expect(launcher.output.join('')).toContain('the launcher is gone, draining');
    } finally {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 180_000);
});
