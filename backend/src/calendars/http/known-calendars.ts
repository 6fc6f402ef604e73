import { Injectable } from '@nestjs/common';
import { type FieldProblem, validationProblem } from '../../api/problem';
import { CalendarRepository } from '../calendar-repository';
import type { CalendarAtRevision } from '../domain/calendar-definition';

/**
 * The edge's check that a task names only calendars that exist (and are not deleted): the decider
 * stays pure, so it is made here, before the command. Read from the log, not the read model, so a
 * calendar created a moment ago is already known (no projector lag between the two requests).
 */
@Injectable()
export class KnownCalendars {
  constructor(private readonly calendars: CalendarRepository) {}

  /**
   * The problems of each definition's `calendars` (fields `calendars[i]`), none where all exist. The
   * calendars named anywhere in the lists are read once: a batch of 1,000 tasks naming one calendar
   * reads it once, not 1,000 times.
   */
  async problemsOfEach(lists: readonly (readonly string[] | undefined)[]): Promise<FieldProblem[][]> {
    const named = lists.flatMap((ids) => ids ?? []);
    if (named.length === 0) return lists.map(() => []);
    const live = await this.calendars.loadLive(named);
    return lists.map((ids) => (ids ? problemsOf(ids, live) : []));
  }

  /** The named calendars as they are now, in the order given; a 400 naming `calendars[i]` for each unknown one. */
  async requireLive(ids: readonly string[] | undefined): Promise<CalendarAtRevision[]> {
    if (!ids || ids.length === 0) return [];
    const live = await this.calendars.loadLive(ids);
    const problems = problemsOf(ids, live);
    if (problems.length > 0) throw validationProblem(problems);
    return ids.flatMap((id) => live.get(id.toLowerCase()) ?? []);
  }
}

function problemsOf(ids: readonly string[], live: ReadonlyMap<string, CalendarAtRevision>): FieldProblem[] {
  return ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !live.has(id.toLowerCase()))
    .map(({ id, i }) => ({
      field: `calendars[${i}]`,
      reason: `no calendar ${id} (unknown or deleted)`,
    }));
}
