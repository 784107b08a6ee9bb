import type { JiraBaseUrl, JiraEndpoints } from './endpoints';

/**
 * The fetchUserProfile script Auth0 runs after a JIRA login, in its Node sandbox:
 * `function (token, tokenSecret, ctx, callback)` with `ctx` = the connection options and
 * `require('oauth')` available. It signs with the connection's own key (ctx.client_id,
 * ctx.client_secret), uses only the public API of the `oauth` package, and calls
 * `GET <base>/rest/api/2/myself`. Only where that answers 404 (very old JIRA) it falls back to
 * `/rest/auth/1/session` + `/rest/api/2/user?username=` (removed on Jira Cloud in 2019).
 *
 * User-supplied values enter the script through JSON.stringify only, so quotes, backslashes or
 * "*\/" in a URL cannot change what the script does.
 *
 * Takes the parsed base URL (or the endpoints derived from it): the script's REST paths are put
 * under it as they are, nothing is parsed or cut off here.
 */
export function buildFetchUserProfileScript(jira: JiraBaseUrl | JiraEndpoints): string {
  return `function fetchUserProfile(token, tokenSecret, ctx, callback) {
  var OAuth = require('oauth').OAuth;
  var jiraBaseUrl = ${JSON.stringify(jira.baseUrl)};
  var oauth = new OAuth(ctx.requestTokenURL, ctx.accessTokenURL, ctx.client_id, ctx.client_secret,
    '1.0', null, 'RSA-SHA1', null, { Accept: 'application/json' });

  function jiraMessage(body) {
    var text = body === undefined || body === null ? '' : String(body);
    try {
      var parsed = JSON.parse(text);
      var messages = [].concat(parsed.errorMessages || [], parsed.message || [], parsed.errorMessage || []);
      if (messages.length > 0) return messages.join('; ');
    } catch (notJson) { /* fall through: JIRA answers OAuth failures form-encoded */ }
    var problem = /oauth_problem=([^&\\s]+)/.exec(text);
    if (problem) return 'oauth_problem=' + decodeURIComponent(problem[1]);
    return text.replace(/\\s+/g, ' ').slice(0, 200);
  }

  function getJson(path, done) {
    oauth.get(jiraBaseUrl + path, token, tokenSecret, function (err, body, res) {
      var status = (err && err.statusCode) || (res && res.statusCode) || 0;
      if (err && !err.statusCode) return done(new Error('JIRA request to ' + path + ' failed: ' + (err.message || err.code || String(err))));
      if (err || status !== 200) {
        var failure = new Error('JIRA answered ' + status + ' to GET ' + path + ': ' + jiraMessage(err ? err.data : body));
        failure.status = status;
        return done(failure);
      }
      var json;
      try {
        json = JSON.parse(body);
      } catch (parseError) {
        return done(new Error('JIRA answered ' + path + ' with something that is not JSON: ' + String(body).slice(0, 120)));
      }
      done(null, json);
    });
  }

  function toProfile(user) {
    var id = user.accountId || user.key || user.name;
    if (!id) return callback(new Error('JIRA returned a user without accountId, key or name; cannot set user_id'));
    var avatars = user.avatarUrls || {};
    callback(null, {
      user_id: String(id),
      username: user.name,
      nickname: user.name || user.displayName,
      name: user.displayName,
      email: user.emailAddress,
      picture: avatars['48x48'] || avatars['32x32'],
      active: user.active,
      timezone: user.timeZone,
      locale: user.locale,
      self: user.self
    });
  }

  getJson('/rest/api/2/myself', function (err, user) {
    if (!err) return toProfile(user);
    if (err.status !== 404) return callback(err);
    getJson('/rest/auth/1/session', function (sessionErr, session) {
      if (sessionErr) return callback(sessionErr);
      if (!session || !session.name) return callback(new Error('JIRA returned a session without a user name'));
      getJson('/rest/api/2/user?username=' + encodeURIComponent(session.name), function (userErr, found) {
        if (userErr) return callback(userErr);
        toProfile(found);
      });
    });
  });
}
`;
}

/**
 * The JIRA base URL a profile script calls: the kit's scripts hold it as `var jiraBaseUrl =
 * "<JSON string>"`; a hand-written script names a REST address (`<base>/rest/api/2/myself`).
 * Undefined when the script names neither.
 */
export function jiraBaseUrlOfScript(script: string): string | undefined {
  const declared = /\bjiraBaseUrl\s*=\s*("(?:[^"\\\n]|\\.)*")/.exec(script)?.[1];
  if (declared !== undefined) {
    try {
      return JSON.parse(declared) as string;
    } catch {
      return undefined;
    }
  }
  return /(https?:\/\/[^\s'"`]+?)\/rest\/(?:api|auth)\//.exec(script)?.[1];
}
