/**
 * Secret header values (credentials in an http action's headers) are stored, and sent with each call,
 * but never shown: every read replaces them with MASKED_VALUE. An edit that sends MASKED_VALUE back
 * keeps the stored secret, so a client can save a definition it read without erasing its secrets.
 */
import type { Action, ActionInput, TaskDefinition } from './task-definition';

export const MASKED_VALUE = '••••••';

const SECRET_HEADER =
  /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|credential|session/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The action as readers may see it. */
export function maskAction<A extends Partial<Action>>(action: A): A {
  if (action.kind !== 'http' || !('headers' in action) || !action.headers) return action;
  const headers = Object.fromEntries(
    Object.entries(action.headers).map(([name, value]) => [
      name,
      isSecretHeader(name) ? MASKED_VALUE : value,
    ]),
  );
  return { ...action, headers };
}

/** A definition, or the fields of an event that carries one, as readers may see it. */
export function maskDefinition<D extends Partial<TaskDefinition>>(definition: D): D {
  return definition.action ? { ...definition, action: maskAction(definition.action) } : definition;
}

/** An incoming action with every MASKED_VALUE header replaced by the stored value of that header. */
export function restoreMaskedHeaders<A extends ActionInput>(incoming: A, stored: Action): A {
  if (incoming.kind !== 'http' || !incoming.headers) return incoming;
  const storedHeaders = stored.kind === 'http' ? (stored.headers ?? {}) : {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== MASKED_VALUE) headers[name] = value;
    else if (storedHeaders[name] !== undefined) headers[name] = storedHeaders[name];
  }
  return { ...incoming, headers };
}
