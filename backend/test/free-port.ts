/** A TCP port free on loopback right now: scripts/free-port.js, which `npm run cluster` uses too. */
export { freePort } from '../../scripts/free-port';
