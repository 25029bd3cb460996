// The sign-in job in an app that installed the packed package (npm pack) and was bundled by
// webpack 5, with no configuration for oauth-wasm: the wasm, its lazy modules and chunks are
// the bundler's assets. /config.json says where the provider is; the outcome lands on
// <body data-result>.
import { OAuthClient } from 'oauth-wasm';

const show = (result) => { document.body.dataset.result = JSON.stringify(result); };
fetch('/config.json').then((r) => r.json()).then(async ({ client: options }) => {
  const client = await OAuthClient.create({ ...options, redirectUri: `${location.origin}/callback` });
  if (location.pathname !== '/callback') {
    document.getElementById('signin').onclick = () => client.signinRedirect();
    document.body.dataset.state = 'ready';
    return;
  }
  await client.handleCallback();
  const tokens = {};
  for (const audience of options.audience) tokens[audience] = (await client.getAccessToken({ audience: [audience] })).accessToken;
  show({ sub: client.getUser().sub, tokens });
}).catch((e) => show({ error: e.code ?? String(e), description: e.description }));
