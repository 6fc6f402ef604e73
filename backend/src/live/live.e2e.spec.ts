import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { createTestDatabase } from '../../test/test-database';
import { loadConfig } from '../config/config';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import { createHttpApp } from '../http-app';
import type { LiveMessage } from './change';

const TOKEN = 'a-live-test-token-of-32-chars-xx';
const task = {
  name: 'live',
  schedule: { kind: 'interval', everySeconds: 3600 },
  action: { kind: 'log', message: 'x' },
};

function connect(api: { baseUrl: string }, auth: Record<string, string> = {}): Socket {
  return io(api.baseUrl, { path: '/socket.io', transports: ['websocket'], auth, reconnection: false });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** The next change on `topic` (that names `task`, when given: test suites running beside share Redis). */
function nextChange(socket: Socket, topic: string, task?: string): Promise<LiveMessage> {
  return new Promise((resolve) => {
    const onChange = (message: LiveMessage): void => {
      if (message.topic !== topic || (task && !('tasks' in message && message.tasks.includes(task)))) return;
      socket.off('change', onChange);
      resolve(message);
    };
    socket.on('change', onChange);
  });
}

describe('live API (Socket.IO)', () => {
  describe('without a token configured', () => {
    let api: TestApp;
    let socket: Socket;
    beforeAll(async () => {
      // The projector tells the ChangeFeed what it wrote; the gateway passes that on.
      api = await startTestApp({}, { roles: 'api,projector' });
      socket = connect(api);
      await connected(socket);
    });
    afterAll(async () => {
      socket.disconnect();
      await api.close();
    });

    it('pushes the changed task to `tasks` subscribers, with the position to read at', async () => {
      expect(await socket.emitWithAck('subscribe', 'tasks')).toEqual({ ok: true });
      const change = nextChange(socket, 'tasks');
      const created = await api.request('POST', '/api/tasks', { body: task });
      expect(created.status).toBe(201);
      const message = await change;
      expect(message).toMatchObject({ topic: 'tasks', tasks: [created.body.id] });
      expect(message.position).toBeGreaterThanOrEqual(created.body.position);
    });

    it('pushes a task’s own changes to `task:<id>` and statistics ticks to `stats`', async () => {
      const created = await api.request('POST', '/api/tasks', { body: task });
      const topic = `task:${created.body.id}`;
      expect(await socket.emitWithAck('subscribe', topic)).toEqual({ ok: true });
      expect(await socket.emitWithAck('subscribe', 'stats')).toEqual({ ok: true });
      const [own, stats] = [nextChange(socket, topic), nextChange(socket, 'stats')];
      expect((await api.request('POST', `/api/tasks/${created.body.id}/pause`)).status).toBe(200);
      expect(await own).toMatchObject({ topic, executions: [] });
      expect(await stats).toMatchObject({ topic: 'stats' });
    });

    it('stops pushing after unsubscribe, and refuses unknown topics', async () => {
      expect(await socket.emitWithAck('unsubscribe', 'tasks')).toEqual({ ok: true });
      let received = false;
      const listener = (message: LiveMessage): void => {
        if (message.topic === 'tasks') received = true;
      };
      socket.on('change', listener);
      await api.request('POST', '/api/tasks', { body: task });
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.off('change', listener);
      expect(received).toBe(false);
      for (const topic of ['task:not-a-uuid', 'everything', 42]) {
        expect(await socket.emitWithAck('subscribe', topic)).toMatchObject({ ok: false });
      }
    });
  });

  describe('with KAIROS_API_TOKEN set', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp({ KAIROS_API_TOKEN: TOKEN }, { roles: 'api,projector' });
    });
    afterAll(() => api.close());

    it('refuses a handshake without the token, or with a wrong one', async () => {
      for (const auth of [{}, { token: 'wrong-token-wrong-token' }] as Record<string, string>[]) {
        const socket = connect(api, auth);
        await expect(connected(socket)).rejects.toThrow('unauthorized');
        socket.disconnect();
      }
    });

    it('accepts the REST bearer token in the handshake auth', async () => {
      const socket = connect(api, { token: TOKEN });
      await connected(socket);
      expect(await socket.emitWithAck('subscribe', 'tasks')).toEqual({ ok: true });
      socket.disconnect();
    });
  });

  describe('across two API replicas with REDIS_URL', () => {
    it('delivers a change made through one replica to a client of the other', async () => {
      const databaseUrl = await createTestDatabase('live');
      // The first process plays the projector; the replica hears its changes through Redis.
      const publisher = await startProcess(databaseUrl, 'api,projector');
      const replica = await startProcess(databaseUrl, 'api');
      const socket = connect(replica);
      try {
        await connected(socket);
        await socket.emitWithAck('subscribe', 'tasks');
        const id = randomUUID();
        const change = nextChange(socket, 'tasks', id);
        const created = await fetch(`${replica.baseUrl}/api/tasks/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(task),
        });
        expect(created.status).toBe(201);
        expect(await change).toMatchObject({ topic: 'tasks', tasks: expect.arrayContaining([id]) });
      } finally {
        socket.disconnect();
        await replica.app.close();
        await publisher.app.close();
      }
    });
  });
});

async function startProcess(
  databaseUrl: string,
  roles: string,
): Promise<{ app: INestApplication; baseUrl: string }> {
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: process.env.KAIROS_TEST_REDIS_URL };
  const config = loadConfig(env, ['--role', roles]);
  const store = await PostgresEventStore.connect(databaseUrl);
  const app = await createHttpApp({ config, eventStore: store }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}
