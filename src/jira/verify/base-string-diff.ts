import { parseFormEncoded } from '../../oauth1/base-string';

/** The first place where JIRA's signature base string and ours part ways. */
export interface BaseStringDifference {
  part: 'method' | 'scheme' | 'host' | 'port' | 'path' | 'parameter' | 'none' | 'unreadable';
  ours?: string;
  jiras?: string;
  /** For part "parameter": its name. */
  parameter?: string;
}

interface SplitBaseString {
  method: string;
  url: URL;
  params: Array<[string, string]>;
}

function split(baseString: string): SplitBaseString | undefined {
  const parts = baseString.split('&');
  if (parts.length !== 3) return undefined;
  try {
    const url = new URL(decodeURIComponent(parts[1]!));
    // The normalized parameters are themselves "name=value&..." with RFC 5849 encoding.
    const params = parseFormEncoded(decodeURIComponent(parts[2]!).replace(/\+/g, '%2B'));
    return { method: parts[0]!, url, params };
  } catch {
    return undefined;
  }
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * Compares two signature base strings (RFC 5849 section 3.4.1) part by part: method, scheme,
 * host, port, path, then parameters in order, and names the first difference.
 */
export function diffBaseStrings(ours: string, jiras: string): BaseStringDifference {
  if (ours === jiras) return { part: 'none' };
  const a = split(ours);
  const b = split(jiras);
  if (!a || !b) return { part: 'unreadable', ours, jiras };
  if (a.method !== b.method) return { part: 'method', ours: a.method, jiras: b.method };
  if (a.url.protocol !== b.url.protocol)
    return { part: 'scheme', ours: a.url.protocol.replace(':', ''), jiras: b.url.protocol.replace(':', '') };
  if (a.url.hostname !== b.url.hostname) return { part: 'host', ours: a.url.hostname, jiras: b.url.hostname };
  if (effectivePort(a.url) !== effectivePort(b.url)) return { part: 'port', ours: effectivePort(a.url), jiras: effectivePort(b.url) };
  if (a.url.pathname !== b.url.pathname) return { part: 'path', ours: a.url.pathname, jiras: b.url.pathname };
  const length = Math.max(a.params.length, b.params.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.params[i];
    const y = b.params[i];
    if (!x || !y || x[0] !== y[0] || x[1] !== y[1]) {
      return {
        part: 'parameter',
        parameter: (x ?? y)![0],
        ours: x ? `${x[0]}=${x[1]}` : '(absent)',
        jiras: y ? `${y[0]}=${y[1]}` : '(absent)',
      };
    }
  }
  return { part: 'none' };
}
