import { callReceiver, receiverAgent, SOCKETS_PER_ORIGIN } from './receiver-client';
import { type Receiver } from './receiver';

/** The most the receiver takes on this machine: no system can deliver faster than this. */
export interface ReceiverFloor {
  requests: number;
  /** Keep-alive sockets the client used. */
  sockets: number;
  /** From the first POST to the last response, in ms. */
  ms: number;
  requestsPerSecond: number;
}

/**
 * One plain undici client with SOCKETS_PER_ORIGIN keep-alive sockets pushes `requests` POSTs through
 * the receiver as fast as it can. A first round, one request per socket, opens the sockets and warms
 * the server up: the floor is the receiver's steady rate, not its first connects. Clears the
 * receiver's arrivals afterwards.
 */
export async function measureReceiverFloor(receiver: Receiver, requests = 10_000): Promise<ReceiverFloor> {
  const agent = receiverAgent();
  const post = (i: number) => callReceiver(agent, receiver.url, `floor-${i}`, Date.now(), `floor-${i}`);
  try {
    await Promise.all(Array.from({ length: SOCKETS_PER_ORIGIN }, (_, i) => post(-1 - i)));
    const started = performance.now();
    await Promise.all(Array.from({ length: requests }, (_, i) => post(i)));
    const ms = performance.now() - started;
    return { requests, sockets: SOCKETS_PER_ORIGIN, ms, requestsPerSecond: (requests / ms) * 1000 };
  } finally {
    await agent.close();
    await receiver.clear();
  }
}
