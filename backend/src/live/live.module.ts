import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections';
import { LiveGateway } from './live.gateway';

/** The WebSocket API (see LiveGateway): the read model's change feed, pushed to the clients watching. */
@Module({ imports: [ProjectionsModule], providers: [LiveGateway] })
export class LiveModule {}
