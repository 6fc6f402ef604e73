import { ValidateBy } from 'class-validator';
import { parseInstant } from '../tasks/domain/instant';

/** A query parameter that must be an ISO 8601 instant with an offset (the domain's own parse). */
export const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null,
      defaultMessage: () => 'must be an ISO 8601 instant with an offset, e.g. 2026-11-24T09:00:00Z',
    },
  });
