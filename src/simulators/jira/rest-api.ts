/**
 * JIRA's REST API as an OAuth client reaches it: `/rest/api/2/myself`, `/rest/auth/1/session`,
 * `/rest/api/2/user` (signed with an OAuth 1.0a access token, or an OAuth 2.0 Bearer token of
 * JIRA's own provider) and `/rest/api/2/serverInfo` (no login).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEADER } from './contract';
import { checkSigned, parseOAuthHeader } from './oauth-servlet';
import { scopeCovers } from './oauth2-contract';
import { send, type SimulatorContext } from './state';

export function serverInfo(ctx: SimulatorContext, res: ServerResponse): void {
  const version = ctx.options.version ?? '9.12.2';
  const versionNumbers = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  send(
    ctx,
    res,
    200,
    JSON.stringify({
      baseUrl: ctx.baseUrl,
      version,
      versionNumbers,
      deploymentType: ctx.options.deploymentType ?? 'Server',
      buildNumber: 9120002,
      buildDate: '2024-02-20T00:00:00.000+0000',
      serverTime: new Date(ctx.now()).toISOString().replace('Z', '+0000'),
      scmInfo: '0000000000000000000000000000000000000000',
      serverTitle: ctx.options.serverTitle ?? 'JIRA (simulated)',
    }),
    { 'Content-Type': 'application/json;charset=UTF-8', [HEADER.user]: 'anonymous' },
  );
}

const NOT_AUTHENTICATED = {
  errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
  errors: {},
};

export async function rest(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
  const { user } = ctx;
  let name = 'anonymous';
  const json = (status: number, value: unknown): void =>
    send(ctx, res, status, JSON.stringify(value), { 'Content-Type': 'application/json;charset=UTF-8', [HEADER.user]: name });
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) {
    // An OAuth 2.0 access token of JIRA's own provider; a READ token is refused anything but GET.
    const pair = ctx.state.oauth2.liveAccess(bearer[1]!, ctx.now());
    if (!pair || pair.userKey !== user.key) return json(401, NOT_AUTHENTICATED);
    name = user.name;
    if (req.method !== 'GET' && !scopeCovers(pair.scope, 'WRITE'))
      return json(403, { errorMessages: ['The access token does not have the scope this operation needs (WRITE).'], errors: {} });
  } else {
    if (!parseOAuthHeader(req.headers.authorization)) return json(401, NOT_AUTHENTICATED);
    const oauth = await checkSigned(ctx, req, res, '', path, 'access');
    if (!oauth) return;
    name = user.name;
  }
  const self = `${ctx.baseUrl}/rest/api/2/user?username=${encodeURIComponent(user.name)}`;
  if (path === '/rest/api/2/myself') {
    const myself = ctx.options.myself ?? 'ok';
    if (myself === 'missing') return json(404, { errorMessages: ['null for uri: /rest/api/2/myself'] });
    if (myself === 'bad-json') return send(ctx, res, 200, '<html>not json', { 'Content-Type': 'text/html' });
    if (myself === 'unauthorized') return json(401, NOT_AUTHENTICATED);
    return json(200, {
      self,
      ...user,
      groups: { size: 1, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  }
  if (path === '/rest/auth/1/session') {
    return json(200, {
      self,
      name: user.name,
      loginInfo: {
        failedLoginCount: 0,
        loginCount: 42,
        lastFailedLoginTime: '2026-11-01T10:00:00.000+0000',
        previousLoginTime: '2026-11-20T10:00:00.000+0000',
      },
    });
  }
  if (path === '/rest/api/2/user') {
    if (url.searchParams.get('username') !== user.name)
      return json(404, { errorMessages: [`The user named '${url.searchParams.get('username')}' does not exist`], errors: {} });
    return json(200, { self, ...user });
  }
  return json(404, { errorMessages: [`null for uri: ${path}`] });
}
