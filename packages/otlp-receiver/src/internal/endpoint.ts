/** "host:port", "[v6]:port" or ":port" (all interfaces). */
export function parseEndpoint(endpoint: string): { host: string | undefined; port: number } {
  const i = endpoint.lastIndexOf(':');
  let host = endpoint.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? undefined : host, port: Number(endpoint.slice(i + 1)) };
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
