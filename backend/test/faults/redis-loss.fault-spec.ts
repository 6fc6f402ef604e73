import { sleep } from '../wait-for';
import { FaultCase } from './fault-case';
import { checkLossRiddenOut, startAllInOneUnderLoad } from './infrastructure-loss';

/**
 * Fault 1: the all-in-one process (API, projector, worker, REDIS_URL set) fires 20 every-second crons
 * while its Redis is SIGKILLed, stays away 15 s, and comes back empty on the same port. Acceptance
 * (design brief, section 8): firing goes on; nothing missing, skipped or doubled; worst lag < 3 s; the
 * process alive throughout.
 */
const fault = new FaultCase(1, 'redis-loss', 'Redis SIGKILLed, away 15 s, back empty');

afterAll(() => fault.cleanup());

it('redis: keeps firing while Redis is gone 15 s and after it comes back empty', async () => {
  await fault.run(async () => {
    const setup = await startAllInOneUnderLoad(fault);
    const { redis } = setup;
    await sleep(2000);

    await redis.kill();
    fault.mark(`redis-server SIGKILLed (pid gone)`);
    await sleep(15_000);
    await redis.start();
    fault.mark(`redis-server back, empty, same port ${redis.port} (pid ${redis.pid()})`);
    await sleep(15_000);

    return checkLossRiddenOut(fault, setup);
  });
});
