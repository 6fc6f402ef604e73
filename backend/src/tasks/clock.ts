import { randomUUID } from 'node:crypto';

/**
 * Time and identity come from outside the domain: handlers read them here and pass them to decide, so
 * tests can pin them and a retried decision sees the same inputs.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export abstract class IdGenerator {
  abstract newId(): string;
}

export class RandomIdGenerator extends IdGenerator {
  newId(): string {
    return randomUUID();
  }
}
