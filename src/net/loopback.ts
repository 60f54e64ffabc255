/**
 * The one definition of "loopback" (tests, benchmarks and the demo talk only to these): the names and
 * literals a URL's hostname or a bind address may carry for this machine's own interface.
 */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}
