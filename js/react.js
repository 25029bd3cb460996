// React bindings, the package's `oauth-wasm/react` export (React ≥ 18 as an optional peer
// dependency): <AuthProvider options={…}> makes one OAuthClient, handles the sign-in callback
// when the page is on the redirect URI, and follows the client's events; useAuth() and
// useAccessToken() read it. Built into pkg/react.js with `react` and the package's own entry
// left external, so the app's `oauth-wasm` and this module share one client class.
import { createContext, createElement, useContext, useEffect, useMemo, useState } from 'react';
import { OAuthClient, OAuthError } from './index.js';

const AuthContext = createContext(null);

// One client per options (their JSON) per page, and one callback per URL: React StrictMode
// mounts every effect twice, and a second client or a second handleCallback would send the
// code again (its state already used). A failed creation is not kept.
const clients = new Map();
const clientFor = (options, key) => {
  let client = clients.get(key);
  if (!client) {
    client = OAuthClient.create(options);
    clients.set(key, client);
    client.catch(() => clients.get(key) === client && clients.delete(key));
  }
  return client;
};
const callbacks = new Map();

// This page is the provider's answer for `redirectUri`: the redirect URI's path, with a
// state and a code or an error.
const onCallback = (redirectUri) => {
  const here = new URL(globalThis.location.href);
  let target;
  try {
    target = new URL(redirectUri, here);
  } catch {
    return false; // create() reports the bad option
  }
  const q = here.searchParams;
  return here.origin === target.origin && here.pathname === target.pathname && q.has('state') && (q.has('code') || q.has('error'));
};

// After a successful callback, the code and state leave the address bar (and the history).
const dropCallbackQuery = () => globalThis.history?.replaceState(globalThis.history.state, '', globalThis.location.pathname);

/**
 * Makes the client for `options` (as for `OAuthClient.create`) and gives it to the components
 * below. On the redirect URI it handles the callback once, then calls `onSigninCallback(tokens)`
 * (by default: the code and state are removed from the URL).
 */
export function AuthProvider({ options, onSigninCallback = dropCallbackQuery, children }) {
  const key = JSON.stringify(options ?? null);
  const [state, setState] = useState({ isLoading: true, client: null, user: null, error: null });
  useEffect(() => {
    let live = true;
    const set = (patch) => live && setState((s) => ({ ...s, ...patch }));
    const unsubscribe = [];
    (async () => {
      const client = await clientFor(options, key);
      if (!live) return;
      const follow = () => set({ user: client.getUser() });
      unsubscribe.push(client.on('signedOut', follow), client.on('tokenRefreshed', follow));
      if (options?.redirectUri !== undefined && onCallback(options.redirectUri)) {
        const url = globalThis.location.href;
        if (!callbacks.has(url)) callbacks.set(url, client.handleCallback(url));
        const tokens = await callbacks.get(url);
        if (!live) return;
        onSigninCallback(tokens);
      }
      set({ isLoading: false, client, user: client.getUser(), error: null });
    })().catch((error) => set({ isLoading: false, error }));
    return () => {
      live = false;
      for (const off of unsubscribe) off();
    };
  }, [key]);

  const value = useMemo(() => {
    // Calls wait for the client, so they work while it is still loading.
    const client = () => clientFor(options, key);
    return {
      ...state,
      isAuthenticated: state.user !== null,
      signinRedirect: async (o) => (await client()).signinRedirect(o),
      // The popup opens in the click's own task when the client is ready (popup blockers allow
      // that); while it loads, after it. The session then started in this window shows.
      signinPopup: (o) => {
        const run = (c) => c.signinPopup(o).then((tokens) => {
          setState((s) => ({ ...s, user: c.getUser() }));
          return tokens;
        });
        return state.client ? run(state.client) : client().then(run);
      },
      signout: async (o) => (await client()).signout(o),
      getAccessToken: async (o) => (await client()).getAccessToken(o),
      fetch: async (input, init, o) => (await client()).fetch(input, init, o),
    };
  }, [state, key]);
  return createElement(AuthContext.Provider, { value }, children);
}

/** `{ isLoading, isAuthenticated, user, error, client, signinRedirect, signinPopup, signout, getAccessToken, fetch }`. */
export function useAuth() {
  const auth = useContext(AuthContext);
  if (!auth) throw new OAuthError('invalid_config', 'useAuth and useAccessToken need an <AuthProvider> above them');
  return auth;
}

/**
 * `{ accessToken, isLoading, error }` for `options` (`audience`, `scope`, as for
 * `getAccessToken`): fetched once signed in, again after a refresh and shortly before it
 * expires (`getAccessToken` then refreshes it).
 */
export function useAccessToken(options = {}) {
  const { client, isAuthenticated, isLoading } = useAuth();
  const key = JSON.stringify(options);
  const [state, setState] = useState({ accessToken: null, isLoading: true, error: null });
  useEffect(() => {
    if (isLoading) return undefined;
    if (!client || !isAuthenticated) {
      setState({ accessToken: null, isLoading: false, error: null });
      return undefined;
    }
    let live = true;
    let timer;
    const load = () => client.getAccessToken(options).then((token) => {
      if (!live) return;
      setState({ accessToken: token.accessToken, isLoading: false, error: null });
      clearTimeout(timer);
      if (token.expiresAt) timer = setTimeout(load, Math.min(Math.max(token.expiresAt * 1000 - Date.now() - 30_000, 1000), 2 ** 31 - 1));
    }, (error) => live && setState({ accessToken: null, isLoading: false, error }));
    load();
    const off = client.on('tokenRefreshed', load);
    return () => {
      live = false;
      clearTimeout(timer);
      off();
    };
  }, [client, isAuthenticated, isLoading, key]);
  return state;
}
