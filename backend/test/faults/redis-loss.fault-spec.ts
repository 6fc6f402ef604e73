import { sleep } from '../wait-for';
import { FaultCase } from './fault-case';

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
    const postgres = await fault.postgres();
    const redis = await fault.redis();
    const receiver = await fault.receiver();
    const kairos = await fault.kairos('all-in-one', 'api,projector,worker', {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
    });
    await fault.registerCrons(kairos, receiver);
    await fault.waitAllDelivered(receiver);
    await sleep(2000);

    await redis.kill();
    fault.mark(`redis-server SIGKILLed (pid gone)`);
    await sleep(15_000);
    await redis.start();
    fault.mark(`redis-server back, empty, same port ${redis.port} (pid ${redis.pid()})`);
    await sleep(15_000);

    const { figures } = await fault.measure(postgres.url, receiver, {
      settleMs: 3000,
      resendPerAttempt: false,
    });
    fault.checkCommon(figures, { lagLimitMs: 3000, skips: 'none' });
    fault.checkAlive();
    return figures;
  });
});
