/**
 * The loopback Auth0 Management API used by tests: the simulator that ships with the package
 * (src/simulators/auth0.ts), so that tests and `demo` exercise the same one.
 */
import { startManagementApi, type ManagementApi, type ManagementApiOptions } from '../../src/simulators/auth0';

export {
  ALL_SCOPES,
  managementJwt,
  startManagementApi,
  type ManagementApi,
  type ManagementApiOptions,
  type SimulatedAnswer as PeerAnswer,
  type StoredConnection,
} from '../../src/simulators/auth0';

/**
 * A starter of simulators for the tests of one describe block (or file), each closed after its
 * test: `api(extra)` starts one with `defaults` and `extra` merged.
 */
export function managementApis(defaults: ManagementApiOptions): (extra?: Partial<ManagementApiOptions>) => Promise<ManagementApi> {
  const started: ManagementApi[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((a) => a.close()));
  });
  return async (extra = {}) => {
    const api = await startManagementApi({ ...defaults, ...extra });
    started.push(api);
    return api;
  };
}
