import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import type { Pool } from 'pg';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import type { EventStore } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { ProjectionsModule, READ_MODEL_POOL } from '../../projections';
import { Foreground } from '../../runtime/foreground';
import { HttpActionRunner } from '../http-action/http-action';
import { OutboundGuard } from '../http-action/outbound-guard';
import { AlertSender } from './alert-sender';
import { FailureAlerter } from './failure-alerter';

/** Alerts are few: a handful of sockets per receiver is plenty. */
const ALERT_SOCKETS_PER_ORIGIN = 8;

/**
 * Runs the failure alerter beside the projector (ADR 020): the same outbound guard and signing
 * secret as http actions, on this thread (alerts are rare; the firing path never waits for them).
 */
@Injectable()
export class FailureAlertsService implements OnApplicationBootstrap, OnModuleDestroy {
  private alerter: FailureAlerter | undefined;
  private http: HttpActionRunner | undefined;

  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @InjectEventStore() private readonly store: EventStore,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
    @Optional() private readonly foreground?: Foreground,
  ) {}

  onApplicationBootstrap(): void {
    const { config } = this;
    if (!config.databaseUrl)
      throw new Error('the failure alerter needs config.databaseUrl (main resolves it)');
    this.http = new HttpActionRunner(
      new OutboundGuard(config.httpAllow),
      config.signingSecret,
      ALERT_SOCKETS_PER_ORIGIN,
    );
    this.alerter = new FailureAlerter({
      store: this.store,
      pool: this.pool,
      databaseUrl: config.databaseUrl,
      sender: new AlertSender(this.http, config.publicUrl),
      foreground: this.foreground,
    });
    this.alerter.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.alerter?.stop();
    // An alert still in flight after the stop's grace is not settled: the next alerter sends it again.
    await this.http?.destroy();
  }
}

/** Part of the projector role: one alerter sends, the others (under the lock) stand by. */
@Module({ imports: [ProjectionsModule], providers: [FailureAlertsService] })
export class FailureAlertsModule {}
