/**
 * fetchUserProfile scripts for catalog providers, built from trusted pieces (the provider files)
 * and user-supplied values that enter only through JSON.stringify. Every script reports a
 * non-200 answer with the status and the provider's own message, and an answer without an id
 * as an error, never as a profile with user_id undefined.
 */
export interface ScriptSpec {
  /** Provider name for messages ("Twitch"). */
  providerName: string;
  /** Where the profile comes from. */
  profileUrl: string;
  /**
   * JavaScript function expression `function (json, ctx) { return { user_id: ..., ... }; }`
   * mapping the provider's answer to an Auth0 profile (trusted: written in a provider file).
   */
  mapProfile: string;
  /**
   * Extra request headers with fixed values, embedded with JSON.stringify. Not read from `ctx`:
   * for OAuth 2.0 Auth0 passes the token response there, not the connection options.
   */
  headers?: Record<string, string>;
}

/** Shared tail of every script: message extraction, status and JSON checks, id check. */
function handlerSource(spec: ScriptSpec): string {
  return `
  var providerName = ${JSON.stringify(spec.providerName)};
  var profileUrl = ${JSON.stringify(spec.profileUrl)};
  var mapProfile = ${spec.mapProfile};

  function providerMessage(body) {
    var text = body === undefined || body === null ? '' : String(body);
    try {
      var j = JSON.parse(text);
      var m = j.message || j.error_description || (j.error && (j.error.message || j.error)) ||
        (j.errors && j.errors[0] && (j.errors[0].message || j.errors[0])) || (j.meta && j.meta.msg) || (j.data && j.data.error);
      if (m) return typeof m === 'string' ? m : JSON.stringify(m);
    } catch (notJson) { /* not JSON: show the start of the text */ }
    return text.replace(/\\s+/g, ' ').slice(0, 200);
  }

  function handle(err, status, body) {
    if (err && !status) return callback(new Error(providerName + ' request failed: ' + (err.message || err.code || String(err))));
    if (status !== 200) {
      var failure = new Error(providerName + ' answered ' + status + ' to GET ' + profileUrl + ': ' + providerMessage(body));
      failure.status = status;
      return callback(failure);
    }
    var json;
    try {
      json = typeof body === 'string' ? JSON.parse(body) : body;
    } catch (parseError) {
      return callback(new Error(providerName + ' answered ' + profileUrl + ' with something that is not JSON: ' + String(body).slice(0, 120)));
    }
    var profile;
    try {
      profile = mapProfile(json, ctx);
    } catch (mapError) {
      return callback(new Error(providerName + ' answered with an unexpected profile shape: ' + mapError.message));
    }
    if (!profile || profile.user_id === undefined || profile.user_id === null || profile.user_id === '') {
      return callback(new Error(providerName + ' returned a profile without an id; cannot set user_id'));
    }
    profile.user_id = String(profile.user_id);
    callback(null, profile);
  }`;
}

/** OAuth 2.0: `function (accessToken, ctx, callback)`, a bearer GET with `request`. */
export function oauth2ProfileScript(spec: ScriptSpec): string {
  const headers = Object.entries(spec.headers ?? {})
    .map(([name, value]) => `\n  headers[${JSON.stringify(name)}] = ${JSON.stringify(value)};`)
    .join('');
  return `function fetchUserProfile(accessToken, ctx, callback) {${handlerSource(spec)}

  var headers = { Authorization: 'Bearer ' + accessToken, Accept: 'application/json' };${headers}
  request.get({ url: profileUrl, headers: headers }, function (err, res, body) {
    handle(err, res && res.statusCode, body);
  });
}
`;
}

/** OAuth 1.0a with HMAC-SHA1: `function (token, tokenSecret, ctx, callback)`, signed by the `oauth` package. */
export function oauth1HmacProfileScript(spec: ScriptSpec): string {
  return `function fetchUserProfile(token, tokenSecret, ctx, callback) {${handlerSource(spec)}

  var OAuth = require('oauth').OAuth;
  var oauth = new OAuth(ctx.requestTokenURL, ctx.accessTokenURL, ctx.client_id, ctx.client_secret, '1.0', null, 'HMAC-SHA1');
  oauth.get(profileUrl, token, tokenSecret, function (err, body, res) {
    var status = (err && err.statusCode) || (res && res.statusCode);
    handle(err, status, err && err.statusCode ? err.data : body);
  });
}
`;
}
