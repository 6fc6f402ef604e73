import { ApiError, type Problem, UnreachableError } from './errors';

export type QueryValue = string | number | undefined;

/** A tiny REST client for the Kairos API: JSON in and out, problem+json errors as ApiError. */
export class KairosClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly timeoutMs = 30_000,
  ) {}

  get<T>(path: string, query: Record<string, QueryValue> = {}): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path, {});
  }

  async request<T>(
    method: string,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; headers?: Record<string, string> },
  ): Promise<T> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new UnreachableError(`cannot reach ${this.baseUrl}: ${describeFetchError(error)}`);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const problem: Problem =
        parsed && typeof parsed === 'object' ? parsed : { status: response.status, detail: text };
      throw new ApiError(response.status, problem);
    }
    return parsed as T;
  }
}

/** fetch's errors come from undici's realm (not always `instanceof Error`): read them by shape. */
function describeFetchError(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: unknown };
  const inner = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof inner.code === 'string') {
    return typeof inner.message === 'string' ? `${inner.code} (${inner.message})` : inner.code;
  }
  if (typeof inner.message === 'string') return inner.message;
  return typeof message === 'string' ? message : String(error);
}
