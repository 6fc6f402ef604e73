import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { parseInstant } from '../domain/instant';
import { validateSchedule } from '../domain/occurrences';
import { isValidTimeZone } from '../domain/time-zones';

/**
 * Field validators that reuse the domain's own rules, so the API and decide never disagree about what
 * a valid schedule is. Each names the field it checks in its message.
 */
function define(name: string, check: (value: unknown, args: ValidationArguments) => string | null) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) => {
      const problems = new WeakMap<object, string>();
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options,
        validator: {
          validate(value: unknown, args: ValidationArguments) {
            const problem = check(value, args);
            if (problem) problems.set(args.object, problem);
            return problem === null;
          },
          defaultMessage: (args?: ValidationArguments) => (args && problems.get(args.object)) ?? `is invalid`,
        },
      });
    };
}

export const IsInstant = define('isInstant', (value) =>
  typeof value === 'string' && parseInstant(value)
    ? null
    : 'must be an ISO 8601 instant with an offset, e.g. 2026-11-24T09:00:00Z',
);

export const IsTimeZone = define('isTimeZone', (value) =>
  typeof value === 'string' && isValidTimeZone(value)
    ? null
    : 'must be an IANA time zone name, e.g. Europe/Berlin or UTC',
);

export const IsCronExpression = define('isCronExpression', (value) => {
  if (typeof value !== 'string') return 'must be a string';
  return validateSchedule({ kind: 'cron', expression: value, timezone: 'UTC' });
});

/** The decorated instant must not be before the instant in `otherField` (when both are valid). */
export const IsNotBefore = (otherField: string, options?: ValidationOptions) =>
  define('isNotBefore', (value, args) => {
    const other = (args.object as Record<string, unknown>)[otherField];
    if (typeof value !== 'string' || typeof other !== 'string') return null;
    const [end, start] = [parseInstant(value), parseInstant(other)];
    return end && start && end.getTime() < start.getTime() ? `must not be before ${otherField}` : null;
  })(options);

/** A flat object of string values, e.g. HTTP headers. */
export const IsStringRecord = (maxEntries: number, options?: ValidationOptions) =>
  define('isStringRecord', (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
    const entries = Object.entries(value);
    if (entries.length > maxEntries) return `must have at most ${maxEntries} entries`;
    const bad = entries.find(
      ([key, v]) => typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key),
    );
    return bad ? `entry "${bad[0]}" must be a header name with a string value` : null;
  })(options);
