import type { INestApplication } from '@nestjs/common';
import { json, type NextFunction, type Request, type Response } from 'express';
import { ProblemException } from './problem';

/** A single task's body is small; a batch of up to 1,000 registrations gets more room. */
export const BODY_LIMIT = '64kb';
export const BATCH_BODY_LIMIT = '8mb';
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON body parsing with per-route limits, and body errors (too large, malformed JSON) answered as
 * problem+json like every other error. The app must be created with `bodyParser: false`.
 */
export function installBodyParsers(app: INestApplication): void {
  app.use('/api/tasks/batch', json({ limit: BATCH_BODY_LIMIT, type: JSON_TYPES }));
  app.use(json({ limit: BODY_LIMIT, type: JSON_TYPES }));
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const problem = bodyProblem(error);
    if (!problem) return next(error);
    response.status(problem.status).type('application/problem+json').json(problem.toProblem());
  });
}

function bodyProblem(error: unknown): ProblemException | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return new ProblemException(
      413,
      'payload_too_large',
      'Payload too large',
      `The body exceeds ${limit} bytes`,
    );
  }
  if (type === 'entity.parse.failed') {
    return new ProblemException(400, 'malformed_json', 'Malformed JSON', 'The body is not valid JSON', {
      field: 'body',
      errors: [{ field: 'body', reason: 'is not valid JSON' }],
    });
  }
  return undefined;
}
