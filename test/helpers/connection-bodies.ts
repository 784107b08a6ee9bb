/** A valid oauth2 connection body as a file holds it, with a secret that tests look for in output. */
export function oauth2Body(name: string, options: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name,
    strategy: 'oauth2',
    options: {
      client_id: `${name}-client`,
      client_secret: `${name}-secret-value`,
      authorizationURL: 'https://provider.example.com/authorize',
      tokenURL: 'https://provider.example.com/token',
      scripts: { fetchUserProfile: 'function (accessToken, ctx, cb) { cb(null, { user_id: "1" }); }' },
      ...options,
    },
  });
}
