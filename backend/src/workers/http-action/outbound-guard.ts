import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { BlockList } from 'node:net';
import { type AddressClass, classifyAddress } from './address-classifier';

const MAX_VERDICTS = 10_000;

/** Refused: the action's target resolves to an address outside the public internet. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(
      `refused to connect to ${host} (${address}): ${addressClass.replace('_', '-')} address; allow it with KAIROS_HTTP_ALLOW`,
    );
  }
}

/**
 * Decides which addresses HTTP actions may reach: public ones, plus what KAIROS_HTTP_ALLOW names
 * (host names, IP addresses or CIDR ranges, comma separated). The check runs on the addresses DNS
 * returns, inside the connection's own lookup, so a name cannot resolve to one address for the check
 * and another for the connection.
 */
export class OutboundGuard {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedRanges = new BlockList();
  /**
   * Verdicts already reached, by host and address: classifying costs a BlockList walk per range, paid
   * on every request to an IP literal, while a burst calls the same few origins thousands of times.
   */
  private readonly verdicts = new Map<string, OutboundRefusedError | null>();

  constructor(allowList: string | undefined) {
    for (const entry of (allowList ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean)) {
      const [network, prefix] = entry.split('/');
      const family = isIP(network.replace(/^\[|\]$/g, ''));
      if (family === 0) this.allowedHosts.add(entry);
      else {
        const ip = network.replace(/^\[|\]$/g, '');
        const type = family === 4 ? 'ipv4' : 'ipv6';
        if (prefix === undefined) this.allowedRanges.addAddress(ip, type);
        else this.allowedRanges.addSubnet(ip, Number(prefix), type);
      }
    }
  }

  /** Throws OutboundRefusedError unless `address` (reached through `host`) may be connected to. */
  check(host: string, address: string): void {
    const key = `${host} ${address}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = this.judge(host, address);
      if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
      this.verdicts.set(key, verdict);
    }
    if (verdict) throw verdict;
  }

  private judge(host: string, address: string): OutboundRefusedError | null {
    if (this.allowedHosts.has(host.toLowerCase())) return null;
    const kind = classifyAddress(address);
    if (kind === 'public') return null;
    const ip = address.replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
    if (this.allowedRanges.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6')) return null;
    return new OutboundRefusedError(host, address, kind);
  }

  /** A `lookup` for net.connect (undici's connect option) that refuses forbidden addresses. */
  readonly lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      try {
        for (const { address } of addresses) this.check(hostname, address);
      } catch (refused) {
        return callback(refused as Error, []);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
