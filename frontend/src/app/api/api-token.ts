import { type HttpInterceptorFn } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { tap } from 'rxjs';

const STORAGE_KEY = 'kairos.apiToken';

/**
 * The bearer token for a Kairos that requires one (KAIROS_API_TOKEN). Kept in sessionStorage, so it
 * lasts as long as the tab and is sent only to this origin's /api.
 */
@Injectable({ providedIn: 'root' })
export class ApiToken {
  readonly value = signal<string | null>(readStored());
  /** Set when the server said 401: the shell then asks for the token. */
  readonly required = signal(false);

  set(token: string): void {
    sessionStorage.setItem(STORAGE_KEY, token);
    this.value.set(token);
    this.required.set(false);
  }
}

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export const apiTokenInterceptor: HttpInterceptorFn = (request, next) => {
  const token = inject(ApiToken);
  const value = token.value();
  if (!request.url.startsWith('/api/')) return next(request);
  const authorized = value ? request.clone({ setHeaders: { Authorization: `Bearer ${value}` } }) : request;
  return next(authorized).pipe(
    tap({ error: (error: { status?: number }) => error.status === 401 && token.required.set(true) }),
  );
};
