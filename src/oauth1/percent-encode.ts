/**
 * RFC 5849 section 3.6: UTF-8, then every byte outside ALPHA / DIGIT / "-" / "." / "_" / "~"
 * as %XX with upper-case hex. encodeURIComponent leaves !'()* alone, so those are added here.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
