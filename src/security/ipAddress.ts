/**
 * IP address parsing and classification for the SSRF guard. Written out (no dependency) so every range
 * the guard refuses is visible in one table and covered by tests.
 *
 * Only `public` addresses may be fetched; `loopback` only in demo/test mode for the embedded server.
 * IPv4 literals are parsed the way inet_aton does (2130706433, 0x7f.1, 0177.0.0.1 all mean 127.0.0.1),
 * because that is how the system resolver would read a host name spelled that way.
 */
import net from 'node:net';

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'ipv4-mapped';

export interface ParsedIp {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: number[];
}

/** Parses an IPv4 literal in any inet_aton spelling (1-4 parts, decimal/octal/hex). */
export function parseIpv4Loose(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return undefined;
    if (!Number.isSafeInteger(value)) return undefined;
    values.push(value);
  }
  // The last part fills all remaining bytes (a.b.c.d, a.b.cd, a.bcd, abcd).
  const last = values[values.length - 1] ?? 0;
  const leading = values.slice(0, -1);
  if (leading.some((v) => v > 255) || last >= 256 ** (5 - values.length)) return undefined;
  const bytes = [...leading];
  for (let i = 4 - values.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  let host = text.split('%')[0] ?? ''; // a zone id (fe80::1%eth0) does not change the address
  if (!net.isIPv6(host)) return undefined;
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes the two hextets it stands for.
  const lastColon = host.lastIndexOf(':');
  const tail = host.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    host = `${host.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = host.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const fill = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(fill).fill('0'), ...rightGroups];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

/** Parses an IP literal (IPv6 with or without brackets, IPv4 in any inet_aton spelling); undefined for names. */
export function parseIp(text: string): ParsedIp | undefined {
  const host = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (host.includes(':')) {
    const bytes = parseIpv6(host);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIpv4Loose(host);
  return bytes ? { family: 4, bytes } : undefined;
}

type Range = readonly [prefix: number[], bits: number, kind: AddressKind];

// Exact cloud metadata addresses come first: they sit inside link-local / unique-local ranges.
const V4_RANGES: readonly Range[] = [
  [[169, 254, 169, 254], 32, 'metadata'],
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'cgnat'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2, 0], 24, 'reserved'], // TEST-NET-1
  [[192, 88, 99, 0], 24, 'reserved'], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'], // benchmarking
  [[198, 51, 100, 0], 24, 'reserved'], // TEST-NET-2
  [[203, 0, 113, 0], 24, 'reserved'], // TEST-NET-3
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'], // includes 255.255.255.255
];

const V6_RANGES: readonly Range[] = [
  [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, 'metadata'], // fd00:ec2::254 (AWS)
  [Array<number>(16).fill(0), 128, 'unspecified'],
  [[...Array<number>(15).fill(0), 1], 128, 'loopback'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96, 'ipv4-mapped'],
  [Array<number>(12).fill(0), 96, 'reserved'], // deprecated IPv4-compatible
  [[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96, 'ipv4-mapped'], // NAT64 (well-known prefix)
  [[0x00, 0x64, 0xff, 0x9b, 0, 1], 48, 'reserved'], // local-use NAT64
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard-only
  [[0x20, 0x01, 0, 0], 32, 'reserved'], // Teredo (tunnels to an embedded IPv4)
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation
  [[0x20, 0x02], 16, 'reserved'], // 6to4 (tunnels to an embedded IPv4)
  [[0xfc], 7, 'private'], // unique local fc00::/7
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'], // deprecated site-local
  [[0xff], 8, 'multicast'],
];

function inRange(bytes: number[], prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

export function classifyIp(ip: ParsedIp): AddressKind {
  const ranges = ip.family === 4 ? V4_RANGES : V6_RANGES;
  for (const [prefix, bits, kind] of ranges) if (inRange(ip.bytes, prefix, bits)) return kind;
  return 'public';
}

/** Classifies an address string as returned by the resolver or written in a URL. */
export function classifyAddress(text: string): AddressKind | undefined {
  const ip = parseIp(text);
  return ip ? classifyIp(ip) : undefined;
}

/** Host names that reach cloud instance metadata services without looking like an address. */
const METADATA_HOST_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

/** Lower-cased, brackets and a trailing root dot removed: the form every name check compares. */
export function normalizeHostName(hostname: string): string {
  const unbracketed = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return unbracketed.toLowerCase().replace(/\.+$/, '');
}

export function isMetadataHostName(hostname: string): boolean {
  return METADATA_HOST_NAMES.has(normalizeHostName(hostname));
}

export function isLocalhostName(hostname: string): boolean {
  const h = normalizeHostName(hostname);
  return h === 'localhost' || h.endsWith('.localhost');
}
