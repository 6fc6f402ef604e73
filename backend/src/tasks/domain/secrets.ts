/**
 * Secret header values (credentials in an http action's headers) are stored, and sent with each call,
 * but never shown: every read replaces them with MASKED_VALUE. An edit that sends MASKED_VALUE back
 * keeps the stored secret, so a client can save a definition it read without erasing its secrets.
 */
import type { Action, ActionInput, FailureAlert, TaskDefinition } from './task-definition';

/** A definition, or some of its fields (a recorded update may hold `onFailure: null`). */
type DefinitionFields = Omit<Partial<TaskDefinition>, 'onFailure'> & { onFailure?: FailureAlert | null };

export const MASKED_VALUE = '••••••';

const SECRET_HEADER =
  /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|credential|session/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The action as readers may see it. */
export function maskAction<A extends Partial<Action>>(action: A): A {
  if (action.kind !== 'http' || !('headers' in action) || !action.headers) return action;
  return { ...action, headers: maskHeaders(action.headers) };
}

/** A definition, or the fields of an event that carries one, as readers may see it. */
export function maskDefinition<D extends DefinitionFields>(definition: D): D {
  const masked = definition.action ? { ...definition, action: maskAction(definition.action) } : definition;
  return definition.onFailure?.headers
    ? {
        ...masked,
        onFailure: { ...definition.onFailure, headers: maskHeaders(definition.onFailure.headers) },
      }
    : masked;
}

function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name) ? MASKED_VALUE : value]),
  );
}

/** An incoming action with every MASKED_VALUE header replaced by the stored value of that header. */
export function restoreMaskedHeaders<A extends ActionInput>(incoming: A, stored: Action): A {
  if (incoming.kind !== 'http' || !incoming.headers) return incoming;
  const storedHeaders = stored.kind === 'http' ? (stored.headers ?? {}) : {};
  return { ...incoming, headers: restoreHeaders(incoming.headers, storedHeaders) };
}

/** The same for a failure alert's headers. */
export function restoreMaskedAlertHeaders(incoming: FailureAlert, stored: FailureAlert | undefined) {
  if (!incoming.headers) return incoming;
  return { ...incoming, headers: restoreHeaders(incoming.headers, stored?.headers ?? {}) };
}

function restoreHeaders(incoming: Record<string, string>, stored: Record<string, string>) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== MASKED_VALUE) headers[name] = value;
    else if (stored[name] !== undefined) headers[name] = stored[name];
  }
  return headers;
}
