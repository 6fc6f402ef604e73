import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';

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
   * 503 while the event store does not answer within READY_TIMEOUT_MS (restarting, unreachable): the
   * process stays up, keeps its work waiting, and reports ready again once the store answers.
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
      return { status: 'ok', position: await Promise.race([this.store.headPosition(), timeout]) };
    } catch (error) {
      throw new ServiceUnavailableException(`event store unreachable: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
