/**
 * Example: an Auth0 connection for Tumblr (OAuth 1.0a, HMAC-SHA1) from a program.
 *   CLIENT_SECRET=... npx tsx examples/tumblr-connection.ts CONSUMER_KEY example.eu.auth0.com
 * Prints the steps for Tumblr's developer portal and the body of POST /api/v2/connections.
 */
import { buildProviderConnection, findProvider, parseTenant, type ProviderConnection } from 'jira-oauth-kit';

export async function main(consumerKey: string, tenantDomain: string, consumerSecret: string): Promise<ProviderConnection> {
  const built = await buildProviderConnection({
    provider: findProvider('tumblr'),
    clientId: consumerKey,
    clientSecret: consumerSecret,
    tenant: parseTenant(tenantDomain),
  });
  for (const step of built.portalSteps) console.log(`- ${step}`);
  console.log(JSON.stringify(built.payload, null, 2));
  return built;
}

if (require.main === module) {
  const [consumerKey = '', tenant = ''] = process.argv.slice(2);
  main(consumerKey, tenant, process.env.CLIENT_SECRET ?? '').catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
