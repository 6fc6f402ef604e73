import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { loadConfig } from '../../config/config';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { createHttpApp } from '../../http-app';
import { createTestDatabase } from '../../../test/test-database';
import type { TestResponse } from '../../../test/test-app';

/** The API with its projector (roles api,projector) on a fresh database, plus a pool to look inside. */
export interface QueryTestApp {
  store: PostgresEventStore;
  pool: Pool;
  app: INestApplication;
  request(method: string, path: string, body?: unknown): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startQueryTestApp(): Promise<QueryTestApp> {
  const databaseUrl = await createTestDatabase('queries');
  const config = loadConfig({ DATABASE_URL: databaseUrl }, ['--role', 'api,projector']);
  const store = await PostgresEventStore.connect(databaseUrl);
  const app = await createHttpApp({ config, eventStore: store }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  return {
    store,
    pool,
    app,
    async request(method, path, body) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
    },
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
