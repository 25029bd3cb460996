// The sign-in job in an app that installed the packed package (npm pack), built by each
// bundler the tests try: the wasm, its lazy modules and chunks are the bundler's output.
// /config.json says where the provider is; the outcome lands on <body data-result>, then, on
// #refresh, a refresh grant (the lazily fetched account module) on <body data-refreshed>.
import { OAuthClient } from 'oauth-wasm';

const show = (name, result) => { document.body.dataset[name] = JSON.stringify(result); };
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
  show('result', { sub: client.getUser().sub, tokens });
  const audience = options.audience.at(-1);
  document.getElementById('refresh').onclick = () => client.refresh({ audience: [audience] })
    .then(({ accessToken }) => show('refreshed', { audience, accessToken }), (e) => show('refreshed', { error: e.code ?? String(e), description: e.description }));
}).catch((e) => show('result', { error: e.code ?? String(e), description: e.description }));
