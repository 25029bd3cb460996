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
  $('return-to').textContent = tokens.appState?.returnTo ?? '(none)';
  $('tokens-json').textContent = JSON.stringify(tokens, null, 2);
  setState('signed-in');
}

// The demo server (scripts/serve.mjs) tells the page where the provider is.
const { client: options } = await (await fetch('/config.json')).json();
$('audience').value = (options.audience ?? []).join('\n');
$('scope').value = options.scope ?? 'openid';

// The JWT payload, for display only: the API verifies its tokens, the app just reads them.
const claimsOf = (jwt) => JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
const time = (at) => (at ? new Date(at * 1000).toLocaleTimeString() : 'unknown');

let client;
try {
  // storage 'session': the session survives a reload of this tab.
  client = await OAuthClient.create({ ...options, storage: 'session' });
  client.on('signedOut', () => showSession());
  client.on('tokenRefreshed', (token) => { $('session-note').textContent = `Refreshed at ${new Date().toLocaleTimeString()}, expires ${time(token.expiresAt)}`; });
} catch (error) {
  showError(error);
}

// The signed-in user, and on demand one access token per API audience, each with its aud.
function showSession() {
  const user = client.getUser();
  $('session').hidden = !user;
  $('api-tokens').replaceChildren();
  if (user) $('user').textContent = user.sub;
}

async function showApiTokens({ refresh = false } = {}) {
  const items = [];
  for (const audience of options.audience ?? []) {
    const li = document.createElement('li');
    li.dataset.audience = audience;
    try {
      const token = refresh
        ? await client.refresh({ audience: [audience] })
        : await client.getAccessToken({ audience: [audience] });
      const aud = claimsOf(token.accessToken).aud;
      li.dataset.aud = JSON.stringify(aud);
      li.dataset.token = token.accessToken;
      li.textContent = `${audience}: aud ${JSON.stringify(aud)}, expires ${time(token.expiresAt)}`;
    } catch (error) {
      li.dataset.code = error.code;
      li.textContent = `${audience}: ${error.code} ${error.description ?? ''}`;
    }
    items.push(li);
  }
  $('api-tokens').replaceChildren(...items);
  document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
}

$('get-tokens').addEventListener('click', () => showApiTokens());
$('refresh').addEventListener('click', () => showApiTokens({ refresh: true }));
$('signout').addEventListener('click', () => client.signout({ postLogoutRedirectUri: `${location.origin}/` }).catch(showError));

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

// The same sign-in in a popup: the session starts in this page, which never leaves. The popup
// lands on /callback, where this script's handleCallback hands the answer back and closes it.
$('signin-popup').addEventListener('click', async () => {
  $('error').hidden = true;
  const audience = $('audience').value.split('\n').filter((line) => line !== '');
  try {
    showTokens(await client.signinPopup({ audience, scope: $('scope').value }));
    showSession();
  } catch (error) {
    showError(error);
  }
});

async function finishSignin(url) {
  $('retry').hidden = true;
  try {
    showTokens(await client.handleCallback(url));
    showSession();
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
  showSession();
  setState(client.getUser() ? 'signed-in' : 'ready');
}
