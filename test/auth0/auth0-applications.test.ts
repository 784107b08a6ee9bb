import { listApplications } from '../../src/auth0/applications';
import { ManagementClient } from '../../src/auth0/management-client';
import { KitError } from '../../src/errors';
import { ALL_SCOPES, managementApis } from '../peers/management-api';

const TOKEN = 'mgmt-token-applications-0123456789';
const api = managementApis({ tokens: { [TOKEN]: ALL_SCOPES } });

describe("the tenant's applications (GET /api/v2/clients)", () => {
  it('lists every application but the global client, page by page with checkpoints, with only the fields shown', async () => {
    const applications = Array.from({ length: 150 }, (_, i) => ({ client_id: `app-${i}`, name: `App ${i}`, app_type: 'spa' }));
    const mgmt = await api({ applications });
    const listed = await listApplications(new ManagementClient({ origin: mgmt.origin, token: TOKEN }));
    expect(listed).toHaveLength(150);
    expect(listed[0]).toEqual({ clientId: 'app-0', name: 'App 0', appType: 'spa' });
    expect(listed.map((a) => a.clientId)).not.toContain('global-client-simulator');
    const gets = mgmt.requests.filter((r) => r.path.startsWith('/api/v2/clients'));
    expect(gets).toHaveLength(2);
    expect(gets[0]!.path).toContain('is_global=false');
    expect(gets[0]!.path).toContain('fields=client_id%2Cname%2Capp_type');
    expect(gets[1]!.path).toContain('from=');
  });

  it("an application's name is printable on one line, whatever Auth0 answers", async () => {
    const mgmt = await api({ applications: [{ client_id: 'app-x', name: 'Shop\u001b[2J\nfront', app_type: 'spa' }] });
    const [app] = await listApplications(new ManagementClient({ origin: mgmt.origin, token: TOKEN }));
    expect(app).toEqual({ clientId: 'app-x', name: 'Shop\\x1b[2J front', appType: 'spa' });
  });

  it('a token without read:clients is refused with Auth0 naming the scope', async () => {
    const mgmt = await api({ tokens: { [TOKEN]: ALL_SCOPES.filter((s) => s !== 'read:clients') } });
    const error = await listApplications(new ManagementClient({ origin: mgmt.origin, token: TOKEN })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KitError);
    expect((error as KitError).message).toContain('read:clients');
  });
});
