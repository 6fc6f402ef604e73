import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  decideCalendar,
  foldCalendarEvents,
  initialCalendarState,
} from '../../calendars/domain/calendar.decider';
import type { CalendarCommand } from '../../calendars/domain/calendar.commands';
import { calendarStreamId } from '../../calendars/domain/calendar.events';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../../../test/test-database';
import { waitForPosition } from '../read-model/read-model-position';
import { migrateReadModel } from '../read-model/read-model-schema';
import { dumpReadModel } from '../read-model/test/dump-read-model';
import { rebuildReadModel } from '../rebuild/rebuild';
import { Projector } from './projector';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Calendar streams in the read model: the live projection and a rebuild from the log agree. */
describe('the projector and calendar streams (PostgreSQL)', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  let projector: Projector;
  beforeAll(async () => {
    const url = await createTestDatabase('calendars');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 4 });
    await migrateReadModel(pool);
    projector = new Projector({ pool, store, logger: quiet, retryDelayMs: 10, batchSize: 2 });
    projector.start();
  });
  afterAll(async () => {
    await projector.stop();
    await store.close();
    await pool.end();
  });

  /** Decides and appends commands on one calendar, as CalendarRepository does. */
  async function run(calendarId: string, commands: CalendarCommand[]): Promise<void> {
    let revision = -1;
    let state = initialCalendarState;
    for (const command of commands) {
      const events = decideCalendar(command, state, new Date());
      state = foldCalendarEvents(events, state);
      const appended = await store.append(
        calendarStreamId(calendarId),
        events.map((e) => ({ type: e.type, data: e.data })),
        revision < 0 ? 'no_stream' : revision,
      );
      revision = appended.nextRevision;
    }
  }

  it('keeps each calendar latest definition, revision and deletion; a rebuild equals it', async () => {
    const [kept, edited, deleted] = [randomUUID(), randomUUID(), randomUUID()];
    const definition = { name: 'a', timezone: 'UTC', exclude: [{ date: '2026-12-25' }] };
    await run(kept, [{ type: 'CreateCalendar', data: { calendarId: kept, definition } }]);
    await run(edited, [
      { type: 'CreateCalendar', data: { calendarId: edited, definition: { ...definition, name: 'b' } } },
      {
        type: 'UpdateCalendar',
        data: { calendarId: edited, changes: { exclude: [{ cron: '* * * * 0,6' }] } },
      },
      { type: 'UpdateCalendar', data: { calendarId: edited, changes: { name: 'b2' } } },
    ]);
    await run(deleted, [
      { type: 'CreateCalendar', data: { calendarId: deleted, definition: { ...definition, name: 'c' } } },
      { type: 'DeleteCalendar', data: { calendarId: deleted } },
    ]);
    const head = await store.headPosition();
    expect(await waitForPosition(pool, head, 20_000)).toBeGreaterThanOrEqual(head);

    const { rows } = await pool.query<{
      calendar_id: string;
      name: string;
      revision: string;
      deleted: boolean;
      definition: unknown;
    }>('SELECT calendar_id, name, revision, deleted, definition FROM read_model.calendars ORDER BY name');
    expect(rows.map((r) => [r.calendar_id, r.name, Number(r.revision), r.deleted])).toEqual([
      [kept, 'a', 0, false],
      [edited, 'b2', 2, false],
      [deleted, 'c', 1, true],
    ]);
    expect(rows[1].definition).toEqual({ name: 'b2', timezone: 'UTC', exclude: [{ cron: '* * * * 0,6' }] });

    const live = await dumpReadModel(pool);
    await rebuildReadModel({ pool, store, batchSize: 1, logger: quiet });
    expect(await dumpReadModel(pool)).toEqual(live);
  });
});
