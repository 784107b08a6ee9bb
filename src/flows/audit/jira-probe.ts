import { KitError } from '../../errors';
import { buildServerInfoRequest, parseServerInfoResponse, type JiraServerInfo } from '../../jira/applinks';
import type { JiraBaseUrl } from '../../jira/endpoints';
import { httpRequest } from '../../lib/http';
import { publicTrust, type PublicTrust } from '../../lib/public-trust';

/**
 * One look at a JIRA, shared by every connection that points at it: `GET <base>/rest/api/2/
 * serverInfo` (no login needed) tells whether JIRA answers at all (DNS, connection, the TLS
 * certificate checked as Auth0 would) and which version and deployment it is. A JIRA that does
 * not answer costs its deadline once per audit, not once per connection.
 */
export type JiraProbe =
  | {
      reachable: true;
      ms: number;
      status: number;
      serverInfo?: JiraServerInfo;
      /** https only: whether the certificate chains to a public root (Auth0 trusts no other). */
      trust?: PublicTrust;
    }
  | { reachable: false; ms: number; error: KitError };

export interface JiraProbeOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** serverInfo is a small JSON document. */
const SERVER_INFO_MAX_BYTES = 64 * 1024;

export type JiraProber = (jira: JiraBaseUrl) => Promise<JiraProbe>;

/** A prober that asks each JIRA base URL once and hands every later caller the same answer. */
export function sharedJiraProber(options: JiraProbeOptions): JiraProber {
  const probes = new Map<string, Promise<JiraProbe>>();
  return (jira) => {
    let probe = probes.get(jira.baseUrl);
    if (probe === undefined) {
      probe = probeJira(jira, options);
      probes.set(jira.baseUrl, probe);
    }
    return probe;
  };
}

async function probeJira(jira: JiraBaseUrl, options: JiraProbeOptions): Promise<JiraProbe> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  try {
    const response = await httpRequest({
      ...buildServerInfoRequest(jira),
      service: 'JIRA',
      timeoutMs: options.timeoutMs,
      maxBytes: SERVER_INFO_MAX_BYTES,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    const serverInfo = parseServerInfoResponse(response);
    const trust = await trustOf(jira, options);
    return {
      reachable: true,
      ms: elapsed(),
      status: response.status,
      ...(serverInfo === undefined ? {} : { serverInfo }),
      ...(trust === undefined ? {} : { trust }),
    };
  } catch (error) {
    // A too-large answer still came from something that answers: JIRA is reachable.
    if (error instanceof KitError && error.code === 'response_too_large') {
      const trust = await trustOf(jira, options);
      return { reachable: true, ms: elapsed(), status: 200, ...(trust === undefined ? {} : { trust }) };
    }
    if (error instanceof KitError && error.exitCode === 1) return { reachable: false, ms: elapsed(), error };
    throw error;
  }
}

/** Trusted here, and by public roots too? (Auth0's servers have no private certificate authority.) */
function trustOf(jira: JiraBaseUrl, options: JiraProbeOptions): Promise<PublicTrust | undefined> {
  return publicTrust(buildServerInfoRequest(jira).url, {
    timeoutMs: options.timeoutMs,
    service: 'JIRA',
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}
