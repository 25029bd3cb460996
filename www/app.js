// The example SPA: one page that starts sign-in and handles the callback on /callback.
import { OAuthClient } from 'oauth-wasm';

const $ = (id) => document.getElementById(id);
const setState = (state) => { document.body.dataset.state = state; };

function showError(error) {
  $('error').hidden = false;
  $('error').dataset.code = error.code ?? 'internal_error';
  $('error-code').textContent = error.code ?? String(error);
  $('error-description').textContent = error.description ?? '';
  setState('error');
}

function showTokens(tokens) {
  $('error').hidden = true;
  $('tokens').hidden = false;
  $('subject').textContent = tokens.claims?.sub ?? '(no ID token)';
  $('granted-audience').textContent = tokens.audience.join(', ') || '(none)';
  $('granted-scope').textContent = tokens.scope;
  $('expires').textContent = tokens.expiresAt ? new Date(tokens.expiresAt * 1000).toLocaleTimeString() : 'unknown';
  $('has-refresh').textContent = tokens.refreshToken ? 'yes' : 'no';
  $('return-to').textContent = tokens.appState?.returnTo ?? '(none)';
  $('tokens-json').textContent = JSON.stringify(tokens, null, 2);
  setState('signed-in');
}

// The demo server (scripts/serve.mjs) tells the page where the provider is.
const { client: options } = await (await fetch('/config.json')).json();
$('audience').value = (options.audience ?? []).join('\n');
$('scope').value = options.scope ?? 'openid';

let client;
try {
  client = await OAuthClient.create(options);
} catch (error) {
  showError(error);
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').hidden = true;
  const audience = $('audience').value.split('\n').filter((line) => line !== '');
  try {
    // appState comes back with the tokens: here, the page to return to.
    await client.signinRedirect({ audience, scope: $('scope').value, appState: { returnTo: location.pathname } });
  } catch (error) {
    showError(error);
  }
});

async function finishSignin(url) {
  $('retry').hidden = true;
  try {
    showTokens(await client.handleCallback(url));
  } catch (error) {
    showError(error);
    // The token request got no answer: the login was kept, the same callback can be retried.
    if (error.code === 'network_error') {
      $('retry').hidden = false;
      $('retry').onclick = () => finishSignin(url);
    }
  }
}

if (client && location.pathname === '/callback') {
  const url = location.href;
  // Keep the code and state out of the history and of bookmarks.
  history.replaceState(null, '', '/');
  await finishSignin(url);
} else if (client) {
  setState('ready');
}
