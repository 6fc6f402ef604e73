import { BlockList, isIP } from 'node:net';

/**
 * What kind of address an outbound HTTP action would reach. Only `public` is allowed by default: the
 * others lead into the machine itself, the private network, or a cloud metadata service (SSRF).
 */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link_local' | 'metadata' | 'unspecified' | 'multicast' | 'reserved';

const ranges: [AddressClass, BlockList][] = [];
function range(kind: AddressClass, subnets: [string, number, 'ipv4' | 'ipv6'][]): void {
  const list = new BlockList();
  for (const [network, prefix, family] of subnets) list.addSubnet(network, prefix, family);
  ranges.push([kind, list]);
}

// Order matters: metadata addresses sit inside the link-local and private ranges.
range('metadata', [
  ['169.254.169.254', 32, 'ipv4'], // AWS, GCP, Azure, OpenStack
  ['169.254.170.2', 32, 'ipv4'], // AWS ECS task metadata
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
  ['fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
]);
range('unspecified', [
  ['0.0.0.0', 8, 'ipv4'],
  ['::', 128, 'ipv6'],
]);
range('loopback', [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
range('private', [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, shared address space
  ['fc00::', 7, 'ipv6'], // unique local
]);
range('link_local', [
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
range('multicast', [
  ['224.0.0.0', 4, 'ipv4'],
  ['ff00::', 8, 'ipv6'],
]);
range('reserved', [
  ['240.0.0.0', 4, 'ipv4'], // includes 255.255.255.255
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['2001:db8::', 32, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
]);

/** Classifies an IP address (v4, v6, or v4-mapped v6); throws on something that is not an IP. */
export function classifyAddress(address: string): AddressClass {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  const ip = mapped ? mapped[1] : plain;
  const family = isIP(ip);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of ranges) if (list.check(ip, type)) return kind;
  return 'public';
}
