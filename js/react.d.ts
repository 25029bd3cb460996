// Types of `oauth-wasm/react`: React bindings over OAuthClient (React ≥ 18, optional peer).
import type { ReactNode, ReactElement } from 'react';
import type {
  ClientOptions, SigninOptions, SigninPopupOptions, TokenOptions, TokenSet, AccessToken, IdTokenClaims, OAuthClient, OAuthError,
} from './index.js';

export interface AuthProviderProps {
  /** The client's options, as for `OAuthClient.create` (one client per distinct options). */
  options: ClientOptions;
  /**
   * Runs once after the callback on the redirect URI succeeded. Default: the code and state
   * are removed from the URL (`history.replaceState`).
   */
  onSigninCallback?: (tokens: TokenSet) => void;
  children?: ReactNode;
}

/** Makes the client, handles the sign-in callback on the redirect URI once, follows the client's events. */
export declare function AuthProvider(props: AuthProviderProps): ReactElement;

export interface AuthState {
  /** True until the client is ready (and, on the redirect URI, the callback handled). */
  isLoading: boolean;
  isAuthenticated: boolean;
  /** The signed-in user's ID token claims (with `sub`), or null. */
  user: IdTokenClaims | null;
  /** Why the client could not be made or the callback failed (an OAuthError), else null. */
  error: OAuthError | null;
  /** The client, once ready. */
  client: OAuthClient | null;
  signinRedirect(options?: SigninOptions): Promise<void>;
  /** {@link OAuthClient.signinPopup}; `user` and `isAuthenticated` follow once it resolves. */
  signinPopup(options?: SigninPopupOptions): Promise<TokenSet>;
  signout(options?: { postLogoutRedirectUri?: string }): Promise<void>;
  getAccessToken(options?: TokenOptions): Promise<AccessToken>;
  fetch(input: RequestInfo | URL, init?: RequestInit, options?: TokenOptions): Promise<Response>;
}

/** The nearest AuthProvider's state and calls; throws `invalid_config` without one. */
export declare function useAuth(): AuthState;

export interface AccessTokenState {
  accessToken: string | null;
  isLoading: boolean;
  error: OAuthError | null;
}

/** An access token for `options`, fetched once signed in and again after a refresh or before it expires. */
export declare function useAccessToken(options?: TokenOptions): AccessTokenState;
