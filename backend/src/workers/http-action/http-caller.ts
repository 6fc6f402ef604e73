import type { Role } from '../../config/config';
import type { HttpCaller } from '../execution/action-runner';
import type { DeliverySettings } from './delivery-protocol';
import { HttpActionRunner } from './http-action';
import { OutboundGuard } from './outbound-guard';
import { ThreadedHttpActionRunner } from './threaded-http-runner';

/**
 * Where a worker makes its http calls. Beside the projector or the API, on a thread of its own: their
 * work fills the main thread, and the thread gives the calls the other core (ADR 009). In a process
 * that only fires, on its main thread, which a burst leaves mostly idle: there the hop to a thread and
 * back costs more than it gives (three such processes, 10,000 calls to one receiver: 70 µs of CPU a
 * call with the thread, 46 without).
 */
export function httpCallerFor(roles: readonly Role[], settings: DeliverySettings): HttpCaller {
  if (roles.includes('projector') || roles.includes('api')) return new ThreadedHttpActionRunner(settings);
  return new HttpActionRunner(
    new OutboundGuard(settings.allow),
    settings.signingSecret,
    settings.maxSocketsPerOrigin,
  );
}
