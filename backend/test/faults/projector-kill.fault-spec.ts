import { sleep } from '../wait-for';
import { FaultCase } from './fault-case';
import { readModelDisagreements } from './read-model-check';

/**
 * Fault 3: split roles (an API, a projector and a worker process, Redis set) fire 20 every-second
 * crons; the projector is SIGKILLed and started again a few seconds later. Acceptance: nothing lost or
 * doubled, every occurrence starts within 10 s, and the restarted projector brings the read model back
 * to agree with the log (a batch replayed after the crash is applied once).
 */
const fault = new FaultCase(3, 'projector-kill', 'projector SIGKILLed, restarted 3 s later');

afterAll(() => fault.cleanup());

it('projector: a SIGKILLed projector loses and doubles nothing', async () => {
  await fault.run(async () => {
    const postgres = await fault.postgres();
    const redis = await fault.redis();
    const receiver = await fault.receiver();
    const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
    const projector = await fault.kairos('projector', 'projector', env); // first: it migrates the read model
    const [api, worker] = await Promise.all([
      fault.kairos('api', 'api', env),
      fault.kairos('worker', 'worker', env),
    ]);
    await fault.registerCrons(api, receiver);
    await fault.waitAllDelivered(receiver);
    await sleep(3000);

    await fault.alignToSecond(200); // while that second's firings are being projected
    await projector.kill();
    fault.mark(`projector SIGKILLed (pid ${projector.pid})`);
    await sleep(3000);
    const restarted = await fault.kairos('projector-2', 'projector', env);
    fault.mark(`projector started again (pid ${restarted.pid}, live)`);
    await sleep(15_000);

    const { figures } = await fault.measure(postgres.url, receiver, {
      settleMs: 10_000,
      resendPerAttempt: false,
    });
    fault.checkCommon(figures, { lagLimitMs: 10_000, skips: 'none' });
    fault.checkAlive();

    // Nothing appends once the worker and the API have stopped: the read model must then match the log.
    await Promise.all([worker.stop(), api.stop()]);
    const disagreements = await readModelDisagreements(postgres.url, fault.taskIds);
    fault.check(
      'read model agrees with the log after the restart',
      disagreements.length === 0,
      disagreements.length === 0
        ? 'executions and task revisions match'
        : `${disagreements.length}: ${disagreements.slice(0, 3).join('; ')}`,
    );
    return figures;
  });
});
