import { bucketOf } from '../../src/tasks/domain/bucket';
import { sleep, waitFor } from '../wait-for';
import { FaultCase } from './fault-case';
import type { KairosNode } from './kairos-node';

/**
 * Fault 4: three worker processes share the 256 buckets through Redis leases (an API+projector
 * process beside them); 20 every-second crons call a receiver that answers after 500 ms, so that calls
 * are in flight when the worker owning most of the tasks is SIGKILLed. Acceptance (design brief,
 * section 8): its buckets fire again within 10 s; nothing lost or doubled. Calls the dead worker had in
 * flight may go out again with the same Idempotency-Key (once per started attempt): "re-sent".
 */
const fault = new FaultCase(4, 'worker-kill', 'a worker of 3 SIGKILLed with calls in flight');

afterAll(() => fault.cleanup());

interface Member {
  pid: number;
  buckets: number[];
}

it('worker: a SIGKILLed worker’s buckets fire again within 10 s, nothing lost or doubled', async () => {
  await fault.run(async () => {
    const postgres = await fault.postgres();
    const redis = await fault.redis();
    const receiver = await fault.receiver();
    receiver.setDelay(500);
    const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
    const api = await fault.kairos('api-projector', 'api,projector', env);
    const workers = await Promise.all([1, 2, 3].map((n) => fault.kairos(`worker-${n}`, 'worker', env)));
    const members = async (): Promise<Member[]> =>
      ((await (await fetch(`${api.url}/api/workers`)).json()) as { items: Member[] }).items;
    await waitFor(
      async () => {
        const items = await members();
        return (
          items.length === 3 &&
          items.every((m) => m.buckets.length > 0) &&
          new Set(items.flatMap((m) => m.buckets)).size === 256
        );
      },
      20_000,
      'three workers sharing the 256 buckets',
    );
    await fault.registerCrons(api, receiver);
    await fault.waitAllDelivered(receiver);
    await sleep(3000);

    const owners = await members();
    const tasksOf = (member: Member) =>
      fault.taskIds.filter((id) => member.buckets.includes(bucketOf(id, 256)));
    const busiest = owners.reduce((a, b) => (tasksOf(b).length > tasksOf(a).length ? b : a));
    const victim = workers.find((w) => w.pid === busiest.pid) as KairosNode;
    const orphans = new Set(tasksOf(busiest));
    await fault.alignToSecond(250); // that second's calls are out, answered at +500 ms
    const killedAt = Date.now();
    await victim.kill();
    fault.mark(
      `${victim.name} (pid ${victim.pid}, ${busiest.buckets.length} buckets, ${orphans.size} of the tasks) SIGKILLed`,
    );
    await sleep(15_000);

    const { figures, rows, histories } = await fault.measure(postgres.url, receiver, {
      settleMs: 10_000,
      resendPerAttempt: true,
    });
    fault.checkCommon(figures, { lagLimitMs: 10_000, skips: 'real-overlaps' });
    fault.checkAlive();

    // Its tasks' occurrences due after the kill: each due one started, late by less than 10 s.
    const afterKill = rows.filter((r) => orphans.has(r.taskId) && r.dueAt >= killedAt && r.required);
    // A skip is fine only for a real overlap: the retry of a call the dead worker had in flight still
    // going when the next occurrence came due. The dead worker's own runs never justify one.
    const skipped = afterKill.filter((r) => r.starts === 0 && r.skipped).length;
    const unjustified = afterKill.filter((r) => r.starts === 0 && r.skipped && !r.realOverlap).length;
    const missing = afterKill.filter((r) => r.starts === 0 && !r.skipped).length;
    const worstOrphanLag = Math.max(0, ...afterKill.map((r) => r.startLagMs ?? 0));
    fault.check(
      'the dead worker’s tasks fire again within 10 s',
      orphans.size > 0 && unjustified + missing === 0 && worstOrphanLag < 10_000,
      `${orphans.size} tasks, ${afterKill.length} occurrences due after the kill: ${skipped} skipped (${unjustified} without a real overlap), ${missing} missing, worst start lag ${worstOrphanLag} ms`,
    );
    const lost = histories.flatMap((h) => h.executed.filter((e) => e.outcome === 'lost'));
    fault.mark(`${lost.length} calls in flight closed as lost, ${figures.resent} arrivals re-sent`);
    return figures;
  });
});
