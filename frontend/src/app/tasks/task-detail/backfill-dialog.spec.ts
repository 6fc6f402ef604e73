import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { buttonNamed, renderComponent, setUpComponentTest } from '../../../testing/component-test';
import { TASK_ID as ID } from '../../../testing/task-fixtures';
import { BackfillDialog } from './backfill-dialog';

describe('BackfillDialog', () => {
  let http: HttpTestingController;
  const closed: unknown[] = [];

  beforeEach(() => {
    closed.length = 0;
    // Before the shared set-up, which instantiates the test module.
    TestBed.configureTestingModule({
      providers: [
        { provide: MAT_DIALOG_DATA, useValue: { id: ID, name: 'nightly' } },
        { provide: MatDialogRef, useValue: { close: (value: unknown) => closed.push(value) } },
      ],
    });
    ({ http } = setUpComponentTest(BackfillDialog));
  });

  async function typeWindow(from: string, to: string) {
    const rendered = await renderComponent(BackfillDialog);
    const [fromInput, toInput] = [...rendered.page.querySelectorAll('input')];
    fromInput.value = from;
    fromInput.dispatchEvent(new Event('input'));
    toInput.value = to;
    toInput.dispatchEvent(new Event('input'));
    buttonNamed(rendered.page, 'Backfill')?.click();
    return rendered;
  }

  it('sends the window typed in the viewer’s zone as instants and says how many were scheduled', async () => {
    const { fixture, page } = await typeWindow('2026-11-24T09:00:00', '2026-11-24T09:00:20');
    const request = http.expectOne(`/api/tasks/${ID}/backfill`);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      from: new Date('2026-11-24T09:00:00').toISOString(),
      to: new Date('2026-11-24T09:00:20').toISOString(),
    });
    request.flush({ id: ID, revision: 12, position: 40, scheduled: 8, alreadyBackfilled: 2 });
    await fixture.whenStable();
    expect(page.querySelector('[role="status"]')?.textContent?.trim()).toBe(
      '8 past occurrences scheduled, 2 already backfilled before.',
    );
    buttonNamed(page, 'Close')?.click();
    expect(closed).toEqual([{ id: ID, revision: 12, position: 40, scheduled: 8, alreadyBackfilled: 2 }]);
  });

  it('shows the server’s refusal inline, naming the field', async () => {
    const { fixture, page } = await typeWindow('2026-11-24T09:00:00', '2026-11-24T09:00:00');
    http.expectOne(`/api/tasks/${ID}/backfill`).flush(
      {
        code: 'invalid_backfill',
        detail: 'to must be after from',
        errors: [{ field: 'to', reason: 'to must be after from' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    const alert = page.querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toContain('to must be after from');
    expect(alert).toContain('to:');
    expect(page.querySelector('[role="status"]')).toBeNull();
    expect(page.querySelector('input[name="to"]')?.getAttribute('aria-invalid')).toBe('true');
    buttonNamed(page, 'Cancel')?.click();
    expect(closed).toEqual([undefined]);
  });

  it('asks for both ends before sending anything', async () => {
    const { fixture, page } = await typeWindow('', '2026-11-24T09:00:00');
    await fixture.whenStable();
    http.expectNone(`/api/tasks/${ID}/backfill`);
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('from');
  });
});
