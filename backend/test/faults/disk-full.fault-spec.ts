import { execFileSync } from 'node:child_process';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, waitFor } from '../wait-for';
import { FaultCase } from './fault-case';
import type { KairosNode } from './kairos-node';
import { readModelDisagreements } from './read-model-check';
import { eventLogProblems } from './store-reader';

/**
 * Fault 6: the event store's disk fills up. PostgreSQL's whole data directory lives on a 96 MiB tmpfs
 * (needs root: mount -t tmpfs); once 20 every-second crons fire, a file fills what is left. For 12 s
 * the all-in-one process must answer commands 503 problem+json, report not ready, and stay alive; then
 * the file goes (and PostgreSQL is started again if it died: that is PostgreSQL's own behaviour on a
 * full disk) and firing must resume on time, with nothing doubled or lost and the log and read model
 * sound. Occurrences due while the disk was full may start late; a skip must have a real overlap behind it.
 */
const fault = new FaultCase(6, 'disk-full', 'event store disk full 12 s, then space again');
const FULL_MS = 12_000;
/** Probes from this long after the disk filled on must see the failure. Not every write fails on a
 *  full disk: one that fits in pages already allocated (space pruned from aborted rows, the current
 *  WAL segment) still commits, and then a 201 is the right answer, if its task is on record. */
const FAILURE_WITHIN_MS = 4000;

afterAll(() => fault.cleanup());

interface Probe {
  at: number;
  command: string;
  /** The task a 201 registered. */
  taskId?: string;
  ready: number | string;
  live: number | string;
}

it('disk: a full event store disk gives 503s, not a crash, and firing resumes when space returns', async () => {
  await fault.run(async () => {
    const mount = await mkdtemp(join(tmpdir(), 'kairos-fault-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m,mode=0755', 'tmpfs', mount]);
    fault.onCleanup(async () => {
      execFileSync('umount', [mount]);
      await rmdir(mount);
    });
    const postgres = await fault.postgres({ dataDir: join(mount, 'pg') });
    const receiver = await fault.receiver();
    const kairos = await fault.kairos('all-in-one', 'api,projector,worker', { DATABASE_URL: postgres.url });
    await fault.registerCrons(kairos, receiver);
    await fault.waitAllDelivered(receiver);
    await sleep(2000);

    const filler = join(mount, 'filler');
    fault.mark(`disk full: ${fillDisk(filler)} MiB filler written`);
    const filledAt = Date.now();
    const probes: Probe[] = [];
    while (Date.now() < filledAt + FULL_MS) {
      probes.push(await probe(kairos));
      await sleep(1000);
    }
    const failing = probes.filter((p) => p.at >= filledAt + FAILURE_WITHIN_MS);
    fault.mark(`probes while full (command / ready / live): ${summarize(probes)}`);
    fault.check(
      'commands answer 503 problem+json while the disk is full (or 201 when the write still fit)',
      probes.every(
        (p) => p.command === '503 application/problem+json' || p.command === '201 application/json',
      ) && failing.filter((p) => p.command.startsWith('503')).length > failing.length / 2,
      summarize(failing),
    );
    fault.check(
      'not ready while the disk is full',
      failing.filter((p) => p.ready === 503).length > failing.length / 2 &&
        probes.every((p) => p.ready === 503 || p.ready === 200),
      summarize(failing),
    );
    fault.check(
      'alive (/health/live 200) while the disk is full',
      probes.every((p) => p.live === 200),
      summarize(probes),
    );

    unlinkSync(filler);
    const freedAt = Date.now();
    fault.mark('space again: filler removed');
    if (!postgres.running()) {
      const panic = postgres.log.filter((line) => /PANIC|FATAL/.test(line)).slice(-2);
      fault.mark(`PostgreSQL had exited (${panic.join(' | ')}): started again`);
      await postgres.start();
    }
    const readyAt = await waitFor(
      async () => (await status(`${kairos.url}/health/ready`)) === 200 && Date.now(),
      20_000,
      'ready again',
    ).catch(() => undefined);
    fault.check(
      'ready again within 10 s of space returning',
      readyAt !== undefined && readyAt - freedAt < 10_000,
      readyAt ? `after ${readyAt - freedAt} ms` : 'not within 20 s',
    );
    const registered = await register(kairos);
    fault.check('commands work again', registered.startsWith('201'), registered);
    const answered201 = probes.filter((p) => p.taskId);
    const onRecord = await Promise.all(
      answered201.map(async (p) => status(`${kairos.url}/api/tasks/${p.taskId}?asOf=0`)),
    );
    fault.check(
      'a 201 while the disk was full is on record',
      onRecord.every((answer) => answer === 200),
      `${answered201.length} answered 201: ${onRecord.join(', ') || 'none'}`,
    );
    await sleep(Math.max(0, freedAt + 20_000 - Date.now()));

    const { figures, rows } = await fault.measure(postgres.url, receiver, {
      settleMs: 10_000,
      resendPerAttempt: false,
    });
    fault.checkCommon(figures, { lagLimitMs: null, skips: 'real-overlaps' });
    fault.checkAlive();
    const afterSpace = rows.filter((r) => r.dueAt >= freedAt);
    const worstAfter = Math.max(0, ...afterSpace.map((r) => r.startLagMs ?? 0));
    // Skips are allowed here (an on-time occurrence may overlap the backlog's late one): counted above.
    const unstarted = afterSpace.filter((r) => r.required && r.starts === 0 && !r.skipped).length;
    fault.check(
      'firing resumes on time once space returns (lag < 10 s)',
      afterSpace.some((r) => r.required) && unstarted === 0 && worstAfter < 10_000,
      `${unstarted} due occurrences neither started nor skipped, worst start lag ${worstAfter} ms`,
    );

    const logProblems = await eventLogProblems(postgres.url);
    fault.check(
      'event log sound (revisions 0..n per stream)',
      logProblems.length === 0,
      logProblems.slice(0, 3).join('; ') || 'no gaps or repeats',
    );
    await pauseAll(kairos, fault.taskIds);
    await sleep(3000); // the last outcomes land
    const disagreements = await readModelDisagreements(postgres.url, fault.taskIds);
    fault.check(
      'read model agrees with the log',
      disagreements.length === 0,
      disagreements.length === 0
        ? 'executions and task revisions match'
        : `${disagreements.length}: ${disagreements.slice(0, 3).join('; ')}`,
    );
    return figures;
  });
});

/** Writes zeros until the file system is full; returns how many MiB were written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 12]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return Math.round(written / (1 << 20));
}

async function status(url: string, init: RequestInit = {}): Promise<number | string> {
  try {
    return (await fetch(url, { ...init, signal: AbortSignal.timeout(3000) })).status;
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'timeout' : 'refused';
  }
}

/** Registers a one-time log task due in an hour: `201`, or `503 application/problem+json`, etc. */
async function register(kairos: KairosNode): Promise<string> {
  return (await registerProbe(kairos)).command;
}

async function registerProbe(kairos: KairosNode): Promise<{ command: string; taskId?: string }> {
  try {
    const response = await fetch(`${kairos.url}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'fault-disk-probe',
        schedule: { kind: 'once', at: new Date(Date.now() + 3_600_000).toISOString() },
        action: { kind: 'log', message: 'probe' },
      }),
      signal: AbortSignal.timeout(3000),
    });
    const body = (await response.json().catch(() => ({}))) as { id?: string };
    const command = `${response.status} ${response.headers.get('content-type')?.split(';')[0] ?? ''}`.trim();
    return { command, ...(response.status === 201 && { taskId: body.id }) };
  } catch (error) {
    return { command: (error as Error).name === 'TimeoutError' ? 'timeout' : 'refused' };
  }
}

async function probe(kairos: KairosNode): Promise<Probe> {
  const at = Date.now();
  const [{ command, taskId }, ready, live] = await Promise.all([
    registerProbe(kairos),
    status(`${kairos.url}/health/ready`),
    status(`${kairos.url}/health/live`),
  ]);
  return { at, command, taskId, ready, live };
}

/** "503 application/problem+json / 503 / 200 x8, 201 application/json / 200 / 200 x2" */
function summarize(probes: Probe[]): string {
  const counts = new Map<string, number>();
  for (const p of probes) {
    const key = `${p.command} / ${p.ready} / ${p.live}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} x${n}`).join(', ') || 'no probes';
}

async function pauseAll(kairos: KairosNode, taskIds: string[]): Promise<void> {
  await Promise.all(taskIds.map((id) => fetch(`${kairos.url}/api/tasks/${id}/pause`, { method: 'POST' })));
}
