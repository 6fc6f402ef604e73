import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';
import { writeTroubleOf } from '../event-store/write-health';

const READY_TIMEOUT_MS = 2000;

/** Liveness (the process answers) and readiness (its event store answers). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 503 while the event store does not answer within READY_TIMEOUT_MS (restarting, unreachable) or
   * its appends fail (a full disk): the process stays up, keeps its work waiting, and reports ready
   * again once the store answers and takes writes.
   */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; position: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
    });
    try {
      const position = await Promise.race([this.store.headPosition(), timeout]);
      const trouble = writeTroubleOf(this.store);
      if (trouble) throw new Error(`appends failing (${trouble})`);
      return { status: 'ok', position };
    } catch (error) {
      throw new ServiceUnavailableException(`event store unreachable: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
