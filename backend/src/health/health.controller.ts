import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';

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

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; position: number }> {
    try {
      return { status: 'ok', position: await this.store.headPosition() };
    } catch (error) {
      throw new ServiceUnavailableException(`event store unreachable: ${(error as Error).message}`);
    }
  }
}
