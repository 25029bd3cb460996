// The end-to-end set-up against a real Ory Hydra: scripts/hydra.mjs's SPA + Hydra + login
// app, and (with `resourceServer`) an API for `${API}/billing` that verifies Hydra's tokens.
import { startHydraSetup as startSetup } from '../../scripts/hydra.mjs';
import { startResourceServer } from './resource-server.mjs';

export { API, HYDRA_ALLOWED, HYDRA_SIGNIN } from '../../scripts/hydra.mjs';
import { API } from '../../scripts/hydra.mjs';

/** startHydraSetup, plus `api` (the resource server) with `resourceServer`. */
export async function startHydraSetup({ resourceServer = false, ...options } = {}) {
  const setup = await startSetup(options);
  if (!resourceServer) return setup;
  const { keys } = await (await fetch(`${setup.hydra.issuer}/.well-known/jwks.json`)).json();
  const api = await startResourceServer({ appOrigin: setup.app.origin, provider: { keys: keys.map((jwk) => ({ kid: jwk.kid, jwk })) }, audience: `${API}/billing` });
  return { ...setup, api, close: () => Promise.all([setup.close(), api.close()]) };
}

/** In a Playwright `page` on Hydra's login app: signs in as `subject` (unless Hydra remembers the login), then allows (or denies) consent. */
export async function hydraLoginAndConsent(page, { subject = 'alice', consent = 'Allow' } = {}) {
  await page.waitForSelector('button:has-text("Sign in"), button:has-text("Allow")');
  if (await page.$('button:has-text("Sign in")')) {
    await page.fill('input[name="subject"]', subject);
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('button:has-text("Allow")');
  }
  await page.click(`button:has-text("${consent}")`);
}
