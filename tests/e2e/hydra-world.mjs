// The end-to-end set-up against a real Ory Hydra (scripts/hydra.mjs): the example SPA on
// loopback, Hydra with its login/consent/logout app, the SPA registered through the admin
// API with an audience allow-list, and a resource server that verifies Hydra's access tokens.
import { startServer } from '../../scripts/serve.mjs';
import { startHydra, spaClient } from '../../scripts/hydra.mjs';
import { startResourceServer } from './resource-server.mjs';

export const API = 'https://api.example.com';
/** The SPA client's `audience` metadata in Hydra (its allow-list). */
export const HYDRA_ALLOWED = [`${API}/user`, `${API}/billing`, `${API}/admin`];
/** What the example SPA asks for at sign-in: two of them. */
export const HYDRA_SIGNIN = HYDRA_ALLOWED.slice(0, 2);

/**
 * Starts the SPA, Hydra and (with `resourceServer`) an API for `${API}/billing`.
 * `{ app, hydra, clientOptions, api, close }`; `clientOptions` are what /config.json hands the SPA.
 */
export async function startHydraSetup({ resourceServer = false, appPort = 0, ports = {} } = {}) {
  const config = {};
  const app = await startServer({ port: appPort, config });
  let hydra;
  try {
    hydra = await startHydra({ appOrigins: [app.origin], ...ports });
    await hydra.createClient(spaClient({ origin: app.origin, audience: HYDRA_ALLOWED }));
  } catch (e) {
    await Promise.all([app.close(), hydra?.close()]);
    throw e;
  }
  config.client = {
    issuer: hydra.issuer,
    clientId: 'spa',
    redirectUri: `${app.origin}/callback`,
    scope: 'openid offline_access profile',
    audience: HYDRA_SIGNIN,
  };
  let api;
  if (resourceServer) {
    const { keys } = await (await fetch(`${hydra.issuer}/.well-known/jwks.json`)).json();
    api = await startResourceServer({ appOrigin: app.origin, provider: { keys: keys.map((jwk) => ({ kid: jwk.kid, jwk })) }, audience: `${API}/billing` });
  }
  return {
    app,
    hydra,
    api,
    clientOptions: config.client,
    close: () => Promise.all([app.close(), hydra.close(), api?.close()]),
  };
}

/** In a Playwright `page` on Hydra's login app: signs in as `subject`, then allows (or denies) consent. */
export async function hydraLoginAndConsent(page, { subject = 'alice', consent = 'Allow' } = {}) {
  await page.waitForSelector('button:has-text("Sign in"), button:has-text("Allow")');
  if (await page.$('button:has-text("Sign in")')) {
    await page.fill('input[name="subject"]', subject);
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('button:has-text("Allow")');
  }
  await page.click(`button:has-text("${consent}")`);
}
