// The example SPA and the local provider wired together, as `npm run demo` and the e2e tests
// use them: the SPA's /config.json carries the client options for the provider.
import { startProvider, ALLOWED_AUDIENCES, CLIENT_ID } from './provider.mjs';
import { startServer } from './serve.mjs';

/**
 * Starts both on loopback (port 0: any free port); `extraRedirectPaths` are also registered;
 * `accessTokenTTL`, `requirePar` and `dpopNonce` go to the provider.
 */
export async function startLocalSetup({ appPort = 0, providerPort = 0, extraRedirectPaths = [], accessTokenTTL, requirePar, dpopNonce } = {}) {
  const config = {};
  const app = await startServer({ port: appPort, config });
  // /react/callback: the React example's (www/react, served at /react/).
  const redirectUris = ['/callback', '/react/callback', ...extraRedirectPaths].map((path) => `${app.origin}${path}`);
  const provider = await startProvider({
    port: providerPort, appOrigin: app.origin, redirectUris, postLogoutRedirectUris: [`${app.origin}/react/`], accessTokenTTL, requirePar, dpopNonce,
  });
  config.client = {
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    redirectUri: redirectUris[0],
    scope: 'openid offline_access api',
    audience: ALLOWED_AUDIENCES,
  };
  return {
    app,
    provider,
    clientOptions: config.client,
    close: () => Promise.all([app.close(), provider.close()]),
  };
}
