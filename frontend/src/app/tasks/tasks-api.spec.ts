import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { TasksApi } from './tasks-api';

describe('TasksApi', () => {
  let api: TasksApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(TasksApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends each label filter as a repeated `label` parameter, beside the other filters', () => {
    api.list({ q: 'rep', status: '', labels: ['team:billing', 'env:prod'] }).subscribe();
    const request = http.expectOne((r) => r.url === '/api/tasks');
    expect(request.request.method).toBe('GET');
    expect(request.request.params.getAll('label')).toEqual(['team:billing', 'env:prod']);
    expect(request.request.params.get('q')).toBe('rep');
    expect(request.request.params.has('status')).toBe(false);
    expect(request.request.urlWithParams).toBe('/api/tasks?q=rep&label=team:billing&label=env:prod');
    request.flush({ items: [], nextCursor: null });
  });

  it('sends no `label` parameter without label filters', () => {
    api.list({ labels: [] }).subscribe();
    const request = http.expectOne((r) => r.url === '/api/tasks');
    expect(request.request.params.has('label')).toBe(false);
    request.flush({ items: [], nextCursor: null });
  });

  it('pauses and resumes all tasks with the labels, without a body, and answers matched and changed', async () => {
    for (const command of ['pause', 'resume'] as const) {
      const answer = firstValueFrom(api.bulkCommand(command, ['team:billing', 'env:prod']));
      const request = http.expectOne((r) => r.url === `/api/tasks/${command}`);
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toBeNull();
      expect(request.request.params.getAll('label')).toEqual(['team:billing', 'env:prod']);
      request.flush({ matched: 4, changed: 3 });
      expect(await answer).toEqual({ matched: 4, changed: 3 });
    }
  });

  it('never sends a bulk command without a label (the server would refuse it)', () => {
    expect(() => api.bulkCommand('pause', [])).toThrow();
    http.expectNone((r) => r.url === '/api/tasks/pause');
  });
});
