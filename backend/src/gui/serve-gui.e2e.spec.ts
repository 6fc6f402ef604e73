import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { findBuiltGui, serveGui } from './serve-gui';

@Controller('api')
class PingController {
  @Get('ping') ping() {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

describe('serving the built GUI', () => {
  let app: INestApplication;
  let baseUrl: string;
  let guiDir: string;

  beforeAll(async () => {
    guiDir = await mkdtemp(join(tmpdir(), 'kairos-gui-'));
    await writeFile(join(guiDir, 'index.html'), '<app-root></app-root>');
    await writeFile(join(guiDir, 'main-ABCDEFGH.js'), 'console.log(1)');
    app = await NestFactory.create(PingModule, { logger: false });
    serveGui(app, guiDir);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await rm(guiDir, { recursive: true, force: true });
  });

  it('serves index.html at / and for deep links, never cached', async () => {
    for (const path of ['/', '/tasks', '/tasks/0b6f1c9e-6f33-4d5e-9d3a-2f4f0d1e0a11/edit', '/dashboard']) {
      const response = await fetch(baseUrl + path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<app-root></app-root>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed bundles with a long cache', async () => {
    const response = await fetch(`${baseUrl}/main-ABCDEFGH.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves /api, /health, /metrics and /socket.io to the server', async () => {
    expect(await (await fetch(`${baseUrl}/api/ping`)).json()).toEqual({ pong: true });
    for (const path of ['/api/unknown', '/health/nothing', '/metrics', '/socket.io/x']) {
      const response = await fetch(baseUrl + path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('app-root');
    }
  });

  it('finds no GUI where none was built', () => {
    expect(findBuiltGui(tmpdir())).toBeUndefined();
  });
});
