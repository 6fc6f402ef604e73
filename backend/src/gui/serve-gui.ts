import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Paths the server answers itself; everything else that is a GET is the GUI's. */
const SERVER_PATHS = /^\/(api|health|socket\.io|metrics)(\/|$)/;
const BUILT_GUI = join('dist', 'frontend', 'browser');

/**
 * Serves the built GUI (`npm run build:frontend`) at `/`. Hashed bundles are cached for a year; index.html
 * never is, so a deploy reaches browsers on their next load. Any other GET path that is not the server's
 * own (a deep link such as /tasks/42) gets index.html and the Angular router takes it from there.
 */
export function serveGui(app: INestApplication, guiDir: string | undefined = findBuiltGui()): void {
  if (!guiDir) {
    app.use('/', (request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || request.path !== '/') return next();
      response.type('text/plain').send('Kairos API. The GUI is not built: run `npm run build:frontend`.');
    });
    return;
  }
  const index = join(guiDir, 'index.html');
  app.use(
    express.static(guiDir, {
      index: false,
      setHeaders: (response, path) => {
        const hashed = /-[A-Z0-9]{8,}\.(js|css)$/.test(path);
        response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path))
      return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.sendFile(index);
  });
}

/** The repo's dist/frontend/browser, found upwards from this file (it runs from src/ and from dist/). */
export function findBuiltGui(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, BUILT_GUI);
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
