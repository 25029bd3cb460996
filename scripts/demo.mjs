// `npm run demo`: the bundled local provider and the example SPA, both on loopback.
import { startProvider, ALLOWED_AUDIENCES, CLIENT_ID } from './provider.mjs';
import { startServer } from './serve.mjs';

const appPort = Number(process.env.APP_PORT ?? 9012);
const providerPort = Number(process.env.PROVIDER_PORT ?? 9011);
const config = {};
const app = await startServer({ port: appPort, config });
const provider = await startProvider({ port: providerPort, appOrigin: app.origin, redirectUris: [`${app.origin}/callback`] });
config.client = {
  issuer: provider.issuer,
  clientId: CLIENT_ID,
  redirectUri: `${app.origin}/callback`,
  scope: 'openid offline_access api',
  audience: ALLOWED_AUDIENCES,
};
console.log(`OpenID provider: ${provider.issuer} (any login name and password)`);
console.log(`Example SPA:     ${app.origin}/   <- open this`);
console.log('Ctrl+C stops both.');
const stop = async () => { await Promise.all([app.close(), provider.close()]); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
