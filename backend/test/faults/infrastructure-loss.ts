import type { FaultCase } from './fault-case';
import type { FaultReceiver } from './fault-receiver';
import type { KairosNode } from './kairos-node';
import type { Figures } from './occurrence-ledger';
import type { RestartablePostgres } from './servers/postgres-server';
import type { RestartableRedis } from './servers/redis-server';

/** What the cases that take a server away from one running all-in-one process (1 and 2) break. */
export interface AllInOneUnderLoad {
  postgres: RestartablePostgres;
  redis: RestartableRedis;
  receiver: FaultReceiver;
  kairos: KairosNode;
}

/**
 * Their common start: PostgreSQL, Redis, the receiver and one process with every role (REDIS_URL set),
 * firing the case's every-second crons, each delivered once: the load is on before the fault.
 */
export async function startAllInOneUnderLoad(fault: FaultCase): Promise<AllInOneUnderLoad> {
  const postgres = await fault.postgres();
  const redis = await fault.redis();
  const receiver = await fault.receiver();
  const kairos = await fault.kairos('all-in-one', 'api,projector,worker', {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
  });
  await fault.registerCrons(kairos, receiver);
  await fault.waitAllDelivered(receiver);
  return { postgres, redis, receiver, kairos };
}

/**
 * Their common acceptance (design brief, section 8): nothing missing, skipped or doubled, worst lag
 * < 3 s, the process alive throughout. Returns the figures for the case's report.
 */
export async function checkLossRiddenOut(fault: FaultCase, setup: AllInOneUnderLoad): Promise<Figures> {
  const { figures } = await fault.measure(setup.postgres.url, setup.receiver, {
    settleMs: 3000,
    resendPerAttempt: false,
  });
  fault.checkCommon(figures, { lagLimitMs: 3000, skips: 'none' });
  fault.checkAlive();
  return figures;
}
