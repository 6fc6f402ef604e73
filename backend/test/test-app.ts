import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '../src/config/config';
import type { EventStore } from '../src/event-store/event-store';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { createHttpApp } from '../src/http-app';
import type { WorkerSettings } from '../src/workers/worker.service';
import { createTestDatabase } from './test-database';

/** A Kairos API on a fresh database of the run's PostgreSQL, listening on a free loopback port. */
export interface TestApp {
  baseUrl: string;
  databaseUrl: string;
  store: EventStore;
  app: INestApplication;
  /** fetch against the app: JSON in, parsed JSON out. */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding), e.g. to send malformed JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: { roles?: string; databaseUrl?: string; workerSettings?: Partial<WorkerSettings> } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase('api'));
  const config = loadConfig({ DATABASE_URL: databaseUrl, ...env }, ['--role', options.roles ?? 'api']);
  const store = await PostgresEventStore.connect(databaseUrl);
  const app = await createHttpApp(
    { config, eventStore: store, workerSettings: options.workerSettings },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    databaseUrl,
    store,
    app,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(baseUrl + path, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    close: () => app.close(),
  };
}
