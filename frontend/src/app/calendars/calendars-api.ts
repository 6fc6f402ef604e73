import { HttpClient, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import type { components } from '../../../../contracts/api';

type Schemas = components['schemas'];
/** A calendar as the API shows it (contracts/api.ts, generated). */
export type CalendarView = Schemas['CalendarView'];
export type CalendarDefinition = Schemas['CalendarDefinition'];
export type CalendarExclusion = Schemas['CalendarExclusion'];
export type CommandResult = Schemas['CommandResponse'];

/** The calendar API (ADR 018): list from the read model, one calendar from its log, commands. */
@Injectable({ providedIn: 'root' })
export class CalendarsApi {
  private readonly http = inject(HttpClient);

  list(minPosition?: number): Observable<CalendarView[]> {
    const params: Record<string, string> =
      minPosition === undefined ? {} : { minPosition: String(minPosition) };
    return this.http
      .get<Schemas['CalendarList']>('/api/calendars', { params })
      .pipe(map((list) => list.items));
  }

  get(id: string): Observable<CalendarView> {
    return this.http.get<CalendarView>(`/api/calendars/${id}`);
  }

  create(definition: CalendarDefinition): Observable<CommandResult> {
    return this.http.post<CommandResult>('/api/calendars', definition);
  }

  /** A stale `revision` answers 412 (someone else changed the calendar since it was loaded). */
  update(id: string, changes: Partial<CalendarDefinition>, revision: number): Observable<CommandResult> {
    return this.http.patch<CommandResult>(`/api/calendars/${id}`, changes, {
      headers: new HttpHeaders({ 'If-Match': `"${revision}"` }),
    });
  }

  delete(id: string, revision: number): Observable<CommandResult> {
    return this.http.delete<CommandResult>(`/api/calendars/${id}`, {
      headers: new HttpHeaders({ 'If-Match': `"${revision}"` }),
    });
  }
}
