import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from './problem';

/**
 * Requires `Authorization: Bearer <KAIROS_API_TOKEN>` on /api/* when a token is configured. Health and
 * metrics stay open for probes. The comparison is constant-time (digests of equal length), so response
 * timing reveals nothing about the token.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.path.startsWith('/api/') || request.path.startsWith('/api/docs')) return true;
    if (tokenMatches(request.headers.authorization, this.expected)) return true;
    throw new ProblemException(
      401,
      'unauthorized',
      'Unauthorized',
      'A valid bearer token is required',
      {},
      {
        'WWW-Authenticate': 'Bearer realm="kairos"',
      },
    );
  }
}

export function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]), expected);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
