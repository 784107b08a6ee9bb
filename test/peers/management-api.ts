/**
 * The loopback Auth0 Management API used by tests: the simulator that ships with the package
 * (src/simulators/auth0.ts), so that tests and `demo` exercise the same one.
 */
export {
  ALL_SCOPES,
  managementJwt,
  startManagementApi,
  type ManagementApi,
  type ManagementApiOptions,
  type SimulatedAnswer as PeerAnswer,
  type StoredConnection,
} from '../../src/simulators/auth0';
