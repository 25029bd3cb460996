/** Error codes raised by oauth-wasm itself. */
export type OAuthErrorOwnCode =
  | 'invalid_config'
  | 'invalid_audience'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'invalid_callback'
  | 'invalid_id_token'
  | 'invalid_response'
  | 'discovery_failed'
  | 'network_error'
  | 'platform_error'
  | 'internal_error';

/** Error codes a provider sends (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6; RFC 8707). */
export type OAuthErrorProviderCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_target'
  | 'interaction_required'
  | 'login_required'
  | 'account_selection_required'
  | 'consent_required';

/** `code` of an {@link OAuthError}: ours, a known provider code, or any other provider string. */
export type OAuthErrorCode = OAuthErrorOwnCode | OAuthErrorProviderCode | (string & {});

/** Every failure of the SDK rejects or throws with this `Error` subclass. */
export declare class OAuthError extends Error {
  constructor(code: OAuthErrorCode, description?: string, uri?: string);
  readonly name: 'OAuthError';
  /** The provider's `error`, or one of {@link OAuthErrorOwnCode}. */
  readonly code: OAuthErrorCode;
  /** The provider's `error_description`, or our explanation. */
  readonly description: string | undefined;
  /** The provider's `error_uri`, when it sent one. */
  readonly uri: string | undefined;
}

/** How the space between audience values is written: `%20` (default) or `+`. */
export type AudienceEncoding = 'percent' | 'plus';

interface ClientOptionsBase {
  /** Issuer identifier. Must equal discovery's `issuer`, the callback's `iss` and the ID token's `iss`. */
  issuer: string;
  clientId: string;
  /** Registered redirect URI; sent and compared exactly. https, or http on a loopback host. */
  redirectUri: string;
  /** Default scope; `openid` when omitted. A nonce is sent and checked when it contains `openid`. */
  scope?: string;
  /** Default access-token audiences (Hydra's `audience` parameter). No whitespace in a value. */
  audience?: string | readonly string[];
  audienceEncoding?: AudienceEncoding;
  /** Tolerated clock difference for ID token `exp`/`iat`, in seconds (0–600, default 60). */
  clockSkew?: number;
}

/** Options of {@link OAuthClient.create}: discovery from `issuer`, or both endpoints given explicitly. */
export type ClientOptions =
  | (ClientOptionsBase & { authorizationEndpoint?: undefined; tokenEndpoint?: undefined })
  | (ClientOptionsBase & { authorizationEndpoint: string; tokenEndpoint: string });

/** Per-call options of {@link OAuthClient.createSigninRequest} and {@link OAuthClient.signinRedirect}. */
export interface SigninOptions {
  /** Replaces the client's audience list for this request. */
  audience?: string | readonly string[];
  /** Replaces the client's scope for this request. */
  scope?: string;
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | (string & {});
  /** More authorization parameters. The ones the client manages (state, nonce, redirect_uri…) are refused. */
  extraParams?: Readonly<Record<string, string>>;
  /**
   * Any JSON-serialisable value to get back as {@link TokenSet.appState} after the redirect
   * (e.g. where to return to). Kept with the pending login in sessionStorage; never sent to the provider.
   */
  appState?: unknown;
}

export interface SigninRequest {
  /** The authorization URL to navigate to. */
  url: string;
  /** The `state` the pending login is stored under. */
  state: string;
}

/** ID token claims (OIDC Core §2), validated: iss, aud, azp, exp, iat, nonce, at_hash. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  auth_time?: number;
  [claim: string]: unknown;
}

export interface TokenSet<AppState = unknown> {
  accessToken: string;
  tokenType: 'Bearer';
  /** Expiry, seconds since the epoch: from `expires_in`, else the JWT access token's `exp`; absent when unknown. */
  expiresAt?: number;
  refreshToken?: string;
  idToken?: string;
  /** Granted scope (the requested one when the provider does not say). */
  scope: string;
  /** The `aud` of a JWT access token (read, not verified), else the requested audiences. */
  audience: string[];
  /** The ID token's claims, when an ID token was issued. */
  claims?: IdTokenClaims;
  /** The `appState` given to the sign-in request, when one was. */
  appState?: AppState;
}

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export declare class OAuthClient {
  private constructor();
  /** Validates the options and runs discovery unless both endpoints are given. */
  static create(options: ClientOptions): Promise<OAuthClient>;
  /** Builds the authorization URL; the pending login (PKCE verifier, state, nonce) goes to sessionStorage. */
  createSigninRequest(options?: SigninOptions): Promise<SigninRequest>;
  /** {@link createSigninRequest}, then navigates the page to the authorization URL. */
  signinRedirect(options?: SigninOptions): Promise<void>;
  /** Checks the callback (state, iss, error), exchanges the code, validates the ID token. Defaults to `location.href`. */
  handleCallback<AppState = unknown>(url?: string): Promise<TokenSet<AppState>>;
}

/** A fresh PKCE pair: 32 random bytes, S256 (RFC 7636). */
export declare function generatePkce(): Pkce;

/** The exact `audience=` query value the authorization URL carries for these audiences. */
export declare function encodeAudience(list: readonly string[], encoding?: AudienceEncoding): string;
