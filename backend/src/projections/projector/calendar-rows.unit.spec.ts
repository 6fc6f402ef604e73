import type { RecordedEvent } from '../../event-store/event-store';
import { projectEvents } from './project-events';

const id = '0b6f5e38-7d4c-4a57-9b7e-3f1c2d4e5a6b';
const definition = { name: 'holidays', timezone: 'UTC', exclude: [{ date: '2026-12-25' }] };
const event = (
  revision: number,
  type: string,
  data: unknown,
  streamId = `calendar-${id}`,
): RecordedEvent => ({
  streamId,
  type,
  data,
  metadata: {},
  revision,
  position: 100 + revision,
  recordedAt: new Date('2026-06-01T10:00:00Z'),
});

describe('calendar rows in a projector batch', () => {
  it('keeps the last definition and revision of each calendar; a deletion marks the row', () => {
    const batch = projectEvents(new Map(), [
      event(0, 'CalendarCreated', { definition, createdAt: '2026-06-01T10:00:00.000Z' }),
      event(1, 'CalendarUpdated', {
        definition: { ...definition, exclude: [] },
        updatedAt: '2026-06-01T11:00:00.000Z',
      }),
    ]);
    expect(batch.calendars).toEqual([
      {
        calendar_id: id,
        definition: { ...definition, exclude: [] },
        created_at: '2026-06-01T10:00:00.000Z',
        deleted: false,
        revision: 1,
        position: 101,
        updated_at: '2026-06-01T11:00:00.000Z',
      },
    ]);
    expect(batch.tasks).toEqual([]);
    const deleted = projectEvents(new Map(), [
      event(2, 'CalendarDeleted', { deletedAt: '2026-06-02T00:00:00.000Z' }),
    ]);
    expect(deleted.calendars[0]).toMatchObject({ definition: null, deleted: true, revision: 2 });
  });

  it('parks a malformed calendar event instead of failing the batch', () => {
    const batch = projectEvents(new Map(), [event(0, 'CalendarCreated', { definition: { name: 1 } })]);
    expect(batch.calendars).toEqual([]);
    expect(batch.parked).toEqual([expect.objectContaining({ stream_id: `calendar-${id}`, revision: 0 })]);
  });
});
