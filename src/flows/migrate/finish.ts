/**
 * `migrate --finish`: OAuth 1.0a retired. Incoming OAuth is disabled on the Application Link that
 * holds OLD's consumer (JIRA removes the consumer and its tokens: a consumer PUT alone would
 * revoke nothing), and a request-token call under that consumer key is proven refused, as
 * `rotate` proves it. The link Action stays (users who have not logged in since still need it).
 */
import { createPrivateKey } from 'node:crypto';
import { findByName } from '../../auth0/connections';
import { linkedUserCount } from '../../auth0/users';
import { remoteError } from '../../errors';
import { listApplicationLinks, revokeIncomingConsumer } from '../../jira/applinks';
import { linkHoldingConsumerKey, proveOldConsumerRefused } from '../../jira/applinks/consumer-replacement';
import { rememberSecret } from '../../lib/secrets';
import { saveJournal } from './journal';
import type { MigrateReport, MigrationContext, MigrationJournal } from './types';

export async function finishMigration(ctx: MigrationContext, journal: MigrationJournal): Promise<NonNullable<MigrateReport['finish']>> {
  const old = await findByName(ctx.auth0, journal.old.name);
  const consumerKey = typeof old?.options?.client_id === 'string' ? old.options.client_id : undefined;
  const secret = typeof old?.options?.client_secret === 'string' ? old.options.client_secret : undefined;
  if (secret) rememberSecret(secret);
  if (!consumerKey)
    throw remoteError('Auth0', 'migration_failed', `Auth0 did not show the consumer key of "${journal.old.name}"; nothing was changed.`, {
      hint: "Grant read:connections_options to the token's application, then run again.",
      details: { missingScope: 'read:connections_options' },
    });
  ctx.progress(`Looking for the Application Link holding consumer "${consumerKey}"...`);
  const link = await linkHoldingConsumerKey(ctx.target, await listApplicationLinks(ctx.target), consumerKey);
  if (link) {
    ctx.progress(`Disabling incoming OAuth 1.0a on the link "${link.name}" (the consumer and its access tokens are removed)...`);
    await revokeIncomingConsumer(ctx.target, link.id);
  }
  let oldPrivateKey;
  try {
    oldPrivateKey = secret ? createPrivateKey(secret) : undefined;
  } catch {
    oldPrivateKey = undefined;
  }
  const proof = await proveOldConsumerRefused({ jiraBaseUrl: ctx.jira, consumerKey, ...(oldPrivateKey ? { oldPrivateKey } : {}) });
  const linkedUsers = await linkedUserCount(ctx.auth0, journal.old.name, journal.new.name);
  await saveJournal(ctx.journalPath, { ...journal, phase: 'finished' });
  return { consumerKey, consumerRemoved: link !== undefined, refused: proof.refused, answer: proof.answer, linkedUsers };
}
