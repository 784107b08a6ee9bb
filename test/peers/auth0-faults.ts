import { startFaultProxy, type FaultAction } from './fault-proxy';

/**
 * The fault proxy (fault-proxy.ts) in front of the Auth0 Management API simulator, set to break
 * the connection update (PATCH /api/v2/connections/{id}) on every attempt: the answer lost after
 * Auth0 applied it (a reset, or a 502 from a proxy), or the call held open so a test can kill the
 * client in the middle. Everything else passes through unchanged.
 */
export type PatchFault =
  | 'none'
  /** Applied by Auth0, then the connection is reset before any answer. */
  | 'reset-after-apply'
  /** Applied by Auth0, then the connection is reset, and so is every request after it (Auth0 unreachable). */
  | 'down-after-apply'
  /** Applied by Auth0, then a 502 from the proxy (every attempt). */
  | '502-after-apply'
  /** Held before Auth0 sees it, until the client goes away. */
  | 'hold-before-apply'
  /** Applied by Auth0, then the answer held until the client goes away. */
  | 'hold-after-apply';

export interface Auth0Faults {
  origin: string;
  fault: PatchFault;
  /** Resolves when a PATCH is being held. */
  held(): Promise<void>;
  close(): Promise<void>;
}

const ACTION: Record<Exclude<PatchFault, 'none'>, FaultAction> = {
  'reset-after-apply': 'drop-after-apply',
  'down-after-apply': 'down-after-apply',
  '502-after-apply': '502-after-apply',
  'hold-before-apply': 'hold-before-apply',
  'hold-after-apply': 'hold-after-apply',
};

export async function startAuth0Faults(upstream: string, fault: PatchFault = 'none'): Promise<Auth0Faults> {
  const proxy = await startFaultProxy(upstream);
  let current: PatchFault = 'none';
  const arm = (value: PatchFault): void => {
    current = value;
    proxy.rule =
      value === 'none' ? undefined : { method: 'PATCH', path: /^\/api\/v2\/connections\/[^/]+$/, action: ACTION[value], times: Infinity };
  };
  arm(fault);
  return {
    origin: proxy.origin,
    get fault() {
      return current;
    },
    set fault(value: PatchFault) {
      arm(value);
    },
    held: () => proxy.hit(),
    close: () => proxy.close(),
  };
}
