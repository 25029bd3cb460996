// Compiled with usage.ts by tests/node/types.test.mjs: the shipped react.d.ts must accept real
// usage of `oauth-wasm/react` and reject misuse (every @ts-expect-error below must be an error).
import { createElement } from 'react';
import { AuthProvider, useAuth, useAccessToken } from 'oauth-wasm/react';
import type { AuthState, AccessTokenState } from 'oauth-wasm/react';

const options = { issuer: 'https://as.example', clientId: 'spa', redirectUri: 'https://app.example/cb', audience: ['https://api.example/a'] };
export const app = createElement(AuthProvider, { options, onSigninCallback: (tokens) => console.log(tokens.accessToken) }, 'children');

export function Profile(): string {
  const auth: AuthState = useAuth();
  if (auth.isLoading || !auth.isAuthenticated) return 'signed out';
  void auth.signinRedirect({ audience: ['https://api.example/a'] });
  void auth.signinPopup({ popupTimeout: 60_000 }).then((t) => t.accessToken);
  void auth.getAccessToken({ audience: ['https://api.example/a'] }).then((t) => t.accessToken.length);
  void auth.fetch('https://api.example/a/items', { method: 'POST' }, { audience: ['https://api.example/a'] });
  const token: AccessTokenState = useAccessToken({ audience: ['https://api.example/a'] });
  // @ts-expect-error the user may be null
  const sub: string = auth.user.sub;
  // @ts-expect-error an access token may not be there yet
  const length: number = token.accessToken.length;
  return `${auth.user?.sub} ${sub} ${length} ${auth.error?.code ?? ''}`;
}

// @ts-expect-error options are required
export const bad = createElement(AuthProvider, {});
