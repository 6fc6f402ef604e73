import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { buttonNamed, renderComponent, setUpComponentTest } from '../../../testing/component-test';
import { TASK_ID as ID, taskView } from '../../../testing/task-fixtures';
import { TASK_LIMITS } from '../../../../../contracts/limits';
import { TaskForm } from './task-form';

const runningTask = taskView({
  name: 'nightly',
  schedule: { kind: 'interval', everySeconds: 60 },
  bucket: 1,
});

function typeInto(page: HTMLElement, selector: string, value: string): void {
  const input = page.querySelector<HTMLInputElement>(selector);
  if (!input) throw new Error(`no ${selector}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

describe('TaskForm', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    ({ http } = setUpComponentTest(TaskForm));
    vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  });

  const render = (id?: string) => renderComponent(TaskForm, id ? { id } : {});

  interface PreviewBody {
    schedule: { kind: string; expression?: string; timezone?: string };
    count: number;
  }

  /**
   * Answers the form's preview requests (its cron check and its next runs) as they come, as the server
   * would, until one satisfies `until`; resolves with every body asked so far.
   */
  async function answerPreviews(
    answer: (body: PreviewBody) => { occurrences: string[] } | 'refuse',
    until: (asked: PreviewBody[]) => boolean,
  ): Promise<PreviewBody[]> {
    const asked: PreviewBody[] = [];
    for (let waited = 0; waited < 5000 && !until(asked); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const request of http.match('/api/schedules/preview')) {
        const body = request.request.body as PreviewBody;
        asked.push(body);
        const reply = answer(body);
        if (reply === 'refuse') {
          request.flush(
            {
              code: 'validation_failed',
              errors: [{ field: 'schedule.expression', reason: 'must have 5 fields' }],
            },
            { status: 400, statusText: 'Bad Request' },
          );
        } else request.flush(reply);
      }
    }
    return asked;
  }

  it('rejects a cron expression the server refuses at the field, and shows the runs it computes', async () => {
    const { fixture, page } = await render();
    typeInto(page, 'input[formControlName=expression]', '* * *');
    await answerPreviews(
      (body) => (body.schedule.expression === '* * *' ? 'refuse' : { occurrences: [] }),
      // The field's check asks for one run; the preview (20) may come first, and is refused too.
      (asked) => asked.some((body) => body.schedule.expression === '* * *' && body.count === 1),
    );
    await fixture.whenStable();
    expect(page.querySelector('mat-error')?.textContent).toContain('must have 5 fields');
    expect(page.querySelectorAll('.preview li').length).toBe(0);

    typeInto(page, 'input[formControlName=expression]', '0 9 * * 1-5');
    typeInto(page, 'input[formControlName=timezone]', 'Europe/Berlin');
    const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const wanted = { kind: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Berlin' };
    const asked = await answerPreviews(
      () => ({ occurrences: [1, 2, 3, 4, 5, 6].map(later) }),
      (bodies) =>
        bodies.some((body) => body.count === 1 && body.schedule.expression === wanted.expression) &&
        bodies.some((body) => body.count === 20 && body.schedule.timezone === 'Europe/Berlin'),
    );
    await fixture.whenStable();
    expect(asked).toContainEqual({ schedule: wanted, count: 20 });
    expect(page.querySelector('.describe')?.textContent).toContain('At 09:00, Monday through Friday');
    expect(page.querySelectorAll('.preview li time').length).toBe(5);
  });

  it('creates the task and shows the server’s field errors where they belong', async () => {
    const { fixture, page } = await render();
    typeInto(page, 'input[formControlName=name]', 'report');
    typeInto(page, 'input[formControlName=url]', 'http://hooks.example/report');
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    const request = http.expectOne('/api/tasks');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toMatchObject({
      name: 'report',
      schedule: { kind: 'cron', expression: '0 */5 * * * *' },
      action: { kind: 'http', method: 'POST', url: 'http://hooks.example/report', headers: {} },
    });
    request.flush(
      {
        status: 400,
        code: 'validation_failed',
        detail: 'action.url: must not point to a private address',
        field: 'action.url',
        errors: [
          { field: 'action.url', reason: 'must not point to a private address' },
          { field: 'schedule', reason: 'the schedule never runs' },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    const urlField = page.querySelector('input[formControlName=url]')?.closest('mat-form-field');
    expect(urlField?.textContent).toContain('must not point to a private address');
    expect(page.querySelector('[role=alert]')?.textContent).toContain('the schedule never runs');
  });

  it('edits with If-Match and, on 412, offers to reload the latest version', async () => {
    const { fixture, page } = await render(ID);
    const task = runningTask;
    http.expectOne(`/api/tasks/${ID}`).flush(task);
    await fixture.whenStable();
    expect(page.querySelector<HTMLInputElement>('input[formControlName=everySeconds]')?.value).toBe('60');

    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    const update = http.expectOne(`/api/tasks/${ID}`);
    expect(update.request.method).toBe('PATCH');
    expect(update.request.headers.get('If-Match')).toBe('"4"');
    update.flush(
      { status: 412, code: 'revision_mismatch', detail: 'the task is at revision 5' },
      { status: 412, statusText: 'Precondition Failed' },
    );
    // Someone renamed it meanwhile: a real conflict.
    http.expectOne(`/api/tasks/${ID}`).flush({ ...task, revision: 5, name: 'nightly v2' });
    await fixture.whenStable();
    expect(page.textContent).toContain('Someone changed this task');
    buttonNamed(page, 'Reload the latest version (discards your edits)')?.click();
    http.expectOne(`/api/tasks/${ID}`).flush({ ...task, revision: 5, name: 'nightly v2' });
    await fixture.whenStable();
    expect(page.querySelector<HTMLInputElement>('input[formControlName=name]')?.value).toBe('nightly v2');
    expect(page.textContent).not.toContain('Someone changed this task');
  });

  it('retries at the latest revision when only runs of the task moved it on', async () => {
    const { fixture, page } = await render(ID);
    http.expectOne(`/api/tasks/${ID}`).flush(runningTask);
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    http
      .expectOne(`/api/tasks/${ID}`)
      .flush({ status: 412, code: 'revision_mismatch' }, { status: 412, statusText: 'Precondition Failed' });
    http.expectOne(`/api/tasks/${ID}`).flush({ ...runningTask, revision: 9, lastExecution: null });
    const retry = http.expectOne(`/api/tasks/${ID}`);
    expect(retry.request.headers.get('If-Match')).toBe('"9"');
    retry.flush({ id: ID, revision: 10, position: 30 });
    await fixture.whenStable();
    expect(page.textContent).not.toContain('Someone changed this task');
  });

  it('bounds number fields by the contract, and shows a refused cron bound at its field', async () => {
    const { fixture, page } = await render();
    const attempts = page.querySelector<HTMLInputElement>('input[formControlName=maxAttempts]');
    expect([attempts?.min, attempts?.max]).toEqual(['1', '100']);
    typeInto(page, 'input[formControlName=name]', 'report');
    typeInto(page, 'input[formControlName=url]', 'https://hooks.example/report');
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    http.expectOne('/api/tasks').flush(
      {
        code: 'validation_failed',
        errors: [{ field: 'schedule.endAt', reason: 'must come after the start' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    const end = [...page.querySelectorAll('mat-form-field')].find((field) =>
      field.querySelector('mat-label')?.textContent?.includes('End (optional)'),
    );
    expect(end?.querySelector('mat-error')?.textContent).toContain('must come after the start');
  });

  it('goes to the new task after saving', async () => {
    const { fixture, page } = await render();
    const navigate = vi.mocked(TestBed.inject(Router).navigate);
    typeInto(page, 'input[formControlName=name]', 'report');
    typeInto(page, 'input[formControlName=url]', 'https://hooks.example/report');
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    http.expectOne('/api/tasks').flush({ id: ID, revision: 1, position: 7 });
    expect(navigate).toHaveBeenCalledWith(['/tasks', ID], { state: { minPosition: 7 } });
  });

  it('sends the labels typed, refuses a key used twice, and stops adding at the contract’s maximum', async () => {
    const { fixture, page } = await render();
    typeInto(page, 'input[formControlName=name]', 'report');
    typeInto(page, 'input[formControlName=url]', 'https://hooks.example/report');
    for (const [i, [key, value]] of [
      ['team', 'billing'],
      ['team', 'search'],
    ].entries()) {
      buttonNamed(page, 'Add label')!.click();
      await fixture.whenStable();
      typeInto(page, `[aria-label="Label ${i + 1}"] input[formControlName=key]`, key);
      typeInto(page, `[aria-label="Label ${i + 1}"] input[formControlName=value]`, value);
    }
    await fixture.whenStable();
    expect(page.querySelector('.labels .field-error')?.textContent).toContain('The key “team” is used twice');
    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    http.expectNone('/api/tasks');

    typeInto(page, '[aria-label="Label 2"] input[formControlName=key]', 'env');
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    const request = http.expectOne('/api/tasks');
    expect(request.request.body).toMatchObject({ labels: { team: 'billing', env: 'search' } });

    const add = buttonNamed(page, 'Add label')!;
    while (page.querySelectorAll('[aria-label^="Label "]').length < TASK_LIMITS.labels.maxEntries) {
      add.click();
      await fixture.whenStable();
    }
    expect(add.disabled).toBe(true);
  });

  it('fills the label rows of the task it edits', async () => {
    const { fixture, page } = await render(ID);
    http.expectOne(`/api/tasks/${ID}`).flush({ ...runningTask, labels: { team: 'billing' } });
    await fixture.whenStable();
    expect(
      page.querySelector<HTMLInputElement>('[aria-label="Label 1"] input[formControlName=key]')?.value,
    ).toBe('team');
    expect(
      page.querySelector<HTMLInputElement>('[aria-label="Label 1"] input[formControlName=value]')?.value,
    ).toBe('billing');
  });
});
