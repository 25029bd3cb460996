// The React example: the same job as the plain one (www/app.js) with `oauth-wasm/react`.
// Sign in, one access token per API with its `aud`, refresh, sign out. Built by Vite
// (scripts/react-example.mjs) into target/www-react/, served at /react/ by scripts/serve.mjs.
import { createElement as h, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthProvider, useAuth, useAccessToken } from 'oauth-wasm/react';

const audienceOf = (jwt) => {
  const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  return [claims.aud].flat().join(', ');
};

// One API's token: useAccessToken asks getAccessToken (cache, else a refresh grant).
function ApiToken({ audience }) {
  const { accessToken, isLoading, error } = useAccessToken({ audience: [audience] });
  const text = isLoading ? 'loading…' : error ? `${error.code}: ${error.description ?? ''}` : `aud: ${audienceOf(accessToken)}`;
  return h('li', { 'data-audience': audience, 'data-token': accessToken ?? '' }, h('code', null, audience), ' → ', text);
}

function App({ audiences }) {
  const auth = useAuth();
  const [note, setNote] = useState('');
  if (auth.isLoading) return h('p', { 'data-state': 'loading' }, 'Loading…');
  if (auth.error) {
    return h('section', { className: 'error', id: 'error', 'data-code': auth.error.code },
      h('h2', null, 'Sign-in failed'), h('p', null, h('code', null, auth.error.code), ' ', auth.error.description ?? ''),
      h('p', null, h('a', { href: '/react/' }, 'Start again')));
  }
  if (!auth.isAuthenticated) {
    return h('section', null,
      h('h1', null, 'oauth-wasm React example'),
      h('p', { className: 'lede' }, 'The same sign-in with <AuthProvider>, useAuth() and useAccessToken().'),
      h('button', { id: 'signin', type: 'button', onClick: () => auth.signinRedirect() }, 'Sign in'), ' ',
      h('button', { id: 'signin-popup', type: 'button', onClick: () => auth.signinPopup().catch((e) => setNote(`${e.code}: ${e.description ?? ''}`)) }, 'Sign in with a popup'),
      h('p', { id: 'session-note' }, note));
  }
  const refresh = async () => {
    for (const audience of audiences) await auth.client.refresh({ audience: [audience] });
    setNote(`Refreshed at ${new Date().toLocaleTimeString()}`);
  };
  return h('section', { id: 'session' },
    h('h2', null, 'Signed in as ', h('span', { id: 'user' }, auth.user.sub)),
    h('ul', { id: 'api-tokens' }, audiences.map((audience) => h(ApiToken, { key: audience, audience }))),
    h('button', { id: 'refresh', type: 'button', onClick: refresh }, 'Refresh'), ' ',
    h('button', { id: 'signout', type: 'button', onClick: () => auth.signout({ postLogoutRedirectUri: `${location.origin}/react/` }) }, 'Sign out'),
    h('p', { id: 'session-note' }, note));
}

// The demo server (scripts/serve.mjs) tells the page where the provider is.
fetch('/config.json').then((r) => r.json()).then(({ client }) => {
  const options = { ...client, redirectUri: `${location.origin}/react/callback`, storage: 'session' };
  createRoot(document.getElementById('root')).render(
    h(StrictMode, null, h(AuthProvider, { options }, h(App, { audiences: client.audience ?? [] }))),
  );
});
