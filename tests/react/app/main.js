// A React 19 app under StrictMode, as users write one: <AuthProvider> from 'oauth-wasm/react',
// a sign-in button (and one for a popup), the user, one token per API (useAccessToken), sign-out. Built by Vite in
// tests/e2e/react.test.mjs; /config.json says where the provider is.
import { createElement as h, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthProvider, useAuth, useAccessToken } from 'oauth-wasm/react';

function Token({ audience }) {
  const { accessToken, isLoading, error } = useAccessToken({ audience: [audience] });
  return h('li', { 'data-audience': audience, 'data-token': accessToken ?? '', 'data-loading': String(isLoading), 'data-error': error?.code ?? '' }, audience);
}

function App({ audiences }) {
  const auth = useAuth();
  if (auth.isLoading) return h('p', { id: 'state' }, 'loading');
  if (auth.error) return h('p', { id: 'error', 'data-code': auth.error.code }, auth.error.message);
  if (!auth.isAuthenticated) {
    return h('div', null,
      h('button', { id: 'signin', onClick: () => auth.signinRedirect() }, 'Sign in'),
      h('button', { id: 'signin-popup', onClick: () => auth.signinPopup().catch((e) => { document.body.dataset.popupError = e.code; }) }, 'Sign in with a popup'));
  }
  return h('main', null,
    h('p', { id: 'user' }, auth.user.sub),
    h('ul', { id: 'tokens' }, audiences.map((audience) => h(Token, { key: audience, audience }))),
    h('button', { id: 'signout', onClick: () => auth.signout({ postLogoutRedirectUri: `${location.origin}/` }) }, 'Sign out'));
}

fetch('/config.json').then((r) => r.json()).then(({ client }) => {
  const options = { ...client, redirectUri: `${location.origin}/callback` };
  createRoot(document.getElementById('root')).render(
    h(StrictMode, null, h(AuthProvider, { options }, h(App, { audiences: client.audience }))),
  );
});
