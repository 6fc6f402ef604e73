import type { Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { type Observable, catchError, map, of, switchMap } from 'rxjs';
import { type Problem, toProblem } from './problem';

/** A read as a page shows it: loading until the first answer, then its value or its problem. */
export type Loadable<T> =
  { kind: 'loading' } | { kind: 'loaded'; value: T } | { kind: 'failed'; problem: Problem };

/**
 * Reads again for each request, as a signal: a newer request drops the answer of an older one still on
 * its way, and a read that fails shows as failed, with its problem's detail, until one succeeds. Call it
 * in an injection context (a field initializer); it reads for as long as that lives.
 */
export function loadLatest<R, T>(
  requests: Observable<R>,
  read: (request: R) => Observable<T>,
): Signal<Loadable<T>> {
  return toSignal(
    requests.pipe(
      switchMap((request) =>
        read(request).pipe(
          map((value): Loadable<T> => ({ kind: 'loaded', value })),
          catchError((error: unknown) => of<Loadable<T>>({ kind: 'failed', problem: toProblem(error) })),
        ),
      ),
    ),
    { initialValue: { kind: 'loading' } },
  );
}

/** The value once loaded; null while loading or failed. */
export function loadedValue<T>(state: Loadable<T>): T | null {
  return state.kind === 'loaded' ? state.value : null;
}
