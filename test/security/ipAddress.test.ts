/** Address classification table of the SSRF guard (ranges from IANA special-purpose registries). */
import { classifyAddress, isMetadataHostName, parseIpv4Loose } from '../../src/security/ipAddress.js';

describe('inet_aton spellings of IPv4', () => {
  test.each([
    ['2130706433', [127, 0, 0, 1]],
    ['0x7f.1', [127, 0, 0, 1]],
    ['0x7f000001', [127, 0, 0, 1]],
    ['0177.0.0.1', [127, 0, 0, 1]],
    ['127.1', [127, 0, 0, 1]],
    ['10.1', [10, 0, 0, 1]],
    ['192.168.257', [192, 168, 1, 1]],
    ['8.8.8.8', [8, 8, 8, 8]],
  ])('%s -> %j', (text, bytes) => {
    expect(parseIpv4Loose(text)).toEqual(bytes);
  });

  test.each(['256.1.1.1', '1.2.3.4.5', '4294967296', '08.1.1.1', 'example.com', '', '1..1'])('%s is not an address', (text) => {
    expect(parseIpv4Loose(text)).toBeUndefined();
  });
});

describe('classification', () => {
  test.each([
    // loopback / unspecified
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    // private and CGNAT, both sides of each boundary
    ['10.0.0.1', 'private'],
    ['9.255.255.255', 'public'],
    ['11.0.0.0', 'public'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.168.1.1', 'private'],
    ['192.169.0.0', 'public'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['fbff::1', 'public'],
    // link-local and metadata
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    // IPv4 inside IPv6
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::a00:1', 'ipv4-mapped'],
    ['2002:7f00:1::', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // multicast / reserved
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['ff02::1', 'multicast'],
    // public
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s -> %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  test('names are not addresses', () => {
    expect(classifyAddress('fhir.example.org')).toBeUndefined();
  });

  test.each(['metadata.google.internal', 'METADATA.google.internal.', 'metadata', 'instance-data'])('%s is a metadata host name', (name) => {
    expect(isMetadataHostName(name)).toBe(true);
  });
});
