import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { findBuiltGui } from '../../src/gui/serve-gui';
import { createHttpApp } from '../../src/http-app';
import { createTestDatabase } from '../test-database';

/** Kairos playing every role (API, projector, worker) on a fresh database, serving the built GUI. */
export interface GuiApp {
  baseUrl: string;
  databaseUrl: string;
  app: INestApplication;
  /** A JSON call to the API, for set-up and checks the browser does not need to make. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startGuiApp(): Promise<GuiApp> {
  if (!findBuiltGui())
    throw new Error('the GUI is not built: run `npm run build:frontend` (npm run test:gui does)');
  const databaseUrl = await createTestDatabase('gui');
  const config = loadConfig({ DATABASE_URL: databaseUrl }, ['--role', 'api,projector,worker']);
  const store = await PostgresEventStore.connect(databaseUrl);
  const app = await createHttpApp({ config, eventStore: store }, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    databaseUrl,
    app,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    close: () => app.close(),
  };
}

/** Runs SQL on the app's database (e.g. to fill the read model quickly). */
export async function withDatabase<T>(databaseUrl: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}
