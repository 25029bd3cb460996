/** Error codes raised by oauth-wasm itself. */
export type OAuthErrorOwnCode =
  | 'invalid_config'
  | 'invalid_audience'
  | 'audience_not_granted'
  | 'invalid_target'
  | 'unsupported_environment'
  | 'invalid_session'
  | 'userinfo_sub_mismatch'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'invalid_callback'
  | 'invalid_id_token'
  | 'invalid_response'
  | 'discovery_failed'
  | 'network_error'
  | 'platform_error'
  | 'wasm_not_ready'
  | 'wasm_load_failed'
  | 'popup_blocked'
  | 'popup_closed'
  | 'timeout'
  | 'login_expired'
  | 'untrusted_origin'
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

/**
 * What a granted audience narrower than the requested one causes: `'error'` (default) rejects
 * with `audience_not_granted`; `'warn'` returns the tokens, warns on the console and emits
 * `audienceMismatch`; `'ignore'` returns the tokens.
 */
export type AudienceMismatchPolicy = 'error' | 'warn' | 'ignore';

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
  /**
   * The client's `audience` metadata in Ory Hydra (its allow-list). When set, a request Hydra would
   * refuse is refused locally with `invalid_audience` before navigating (see {@link explainAudience}).
   * A value Hydra cannot parse is an `invalid_config` error.
   */
  allowedAudiences?: readonly string[];
  /** Default RFC 8707 resource indicators: absolute URIs without fragment, sent on the authorization and token requests. */
  resource?: string | readonly string[];
  onAudienceMismatch?: AudienceMismatchPolicy;
  /**
   * Where the signed-in session lives. `'memory'` (default): in this page only, gone on reload.
   * `'session'`: sessionStorage, per tab, survives reload. `'shared'`: IndexedDB, one session for
   * every tab of the origin, survives reload; refreshes are serialised across tabs with the Web
   * Locks API. `'session'` and `'shared'` keep the refresh token at rest in the browser, where
   * any script running on the origin (an XSS) can read it.
   */
  storage?: 'memory' | 'session' | 'shared';
  /** `getAccessToken` never hands out a token expiring within this many seconds (0–3600, default 30). */
  expirySkew?: number;
  /** Refresh the default token `expirySkew` seconds before it expires, while the page is visible. */
  autoRefresh?: boolean;
  /**
   * How long a started sign-in stays usable, in seconds (0–86400, default 600): a callback for an
   * older one rejects with `login_expired`, and `create()` drops stale pending logins.
   */
  loginLifetime?: number;
  /**
   * How long to wait for any answer of the provider, in milliseconds (1–600000, default 30000);
   * then the request ends as `network_error` (`discovery_failed` for discovery).
   */
  requestTimeout?: number;
  /**
   * Origins `client.fetch` may send an access token to, besides those of the requested audiences
   * and resources that are https (or loopback http) URLs: https URLs, or http on a loopback host.
   * Anywhere else rejects with `untrusted_origin` before any request leaves.
   */
  trustedOrigins?: readonly string[];
  /** With explicit endpoints: RFC 7009 revocation, RP-initiated logout and UserInfo endpoints. */
  revocationEndpoint?: string;
  endSessionEndpoint?: string;
  userinfoEndpoint?: string;
  /**
   * With explicit endpoints: the provider's JWK Set, whose keys sign ID tokens. Required when the
   * scope has `openid`, unless `dangerouslySkipIdTokenSignature` (discovery's `jwks_uri` otherwise).
   */
  jwksUri?: string;
  /** With explicit endpoints: the RFC 9126 pushed authorization request endpoint. */
  parEndpoint?: string;
  /**
   * DANGEROUS: accept ID tokens without checking their signature. The claims are still checked,
   * but whoever can alter the token response (a compromised proxy, a misrouted token endpoint)
   * can then sign the user in as anyone. Only for providers whose keys cannot be fetched.
   */
  dangerouslySkipIdTokenSignature?: boolean;
  /**
   * Push every authorization request (RFC 9126) to the provider's
   * `pushed_authorization_request_endpoint`, so the redirect carries only `client_id` and
   * `request_uri`. Requests are pushed anyway when discovery says
   * `require_pushed_authorization_requests`. `invalid_config` when the provider has no such endpoint.
   */
  par?: boolean;
  /**
   * Sender-constrained tokens (RFC 9449): one non-extractable ECDSA P-256 key pair per session
   * (WebCrypto; kept in IndexedDB so a reload keeps using DPoP-bound refresh tokens, with
   * `storage: 'memory'` only until the callback; deleted by sign-out), `dpop_jkt` on the authorization request, a proof on every token request, nonces
   * handled. A token response whose `token_type` is not `DPoP` is refused (`invalid_response`).
   */
  dpop?: boolean;
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
  /** Replaces the client's RFC 8707 resources for this request. */
  resource?: string | readonly string[];
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | (string & {});
  /** More authorization parameters. The ones the client manages (state, nonce, redirect_uri…) are refused. */
  extraParams?: Readonly<Record<string, string>>;
  /**
   * Any JSON-serialisable value to get back as {@link TokenSet.appState} after the redirect
   * (e.g. where to return to). Kept with the pending login in sessionStorage; never sent to the provider.
   */
  appState?: unknown;
}

/** Options of {@link OAuthClient.signinPopup}: those of a sign-in request, and the popup's time limit. */
export interface SigninPopupOptions extends SigninOptions {
  /** Milliseconds before the call rejects with `timeout` and closes the popup (default 300000). */
  popupTimeout?: number;
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
  /** `DPoP` with the option `dpop` (RFC 9449), else `Bearer`. */
  tokenType: 'Bearer' | 'DPoP';
  /** Expiry, seconds since the epoch: from `expires_in`, else the JWT access token's `exp`; absent when unknown. */
  expiresAt?: number;
  /** The refresh token is never handed out: it stays in the session, which only the SDK reads. */
  idToken?: string;
  /** Granted scope (the requested one when the provider does not say). */
  scope: string;
  /**
   * The `aud` of a JWT access token, else (opaque token) the requested audiences. Read, not
   * verified: the resource server must still verify the token.
   */
  audience: string[];
  /** True when the access token is a JWT whose `aud` includes every requested audience; false for opaque tokens. */
  audienceVerified: boolean;
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
  /**
   * Sign-in in a popup, opened at once (call it from the click handler): resolves the same
   * tokens as {@link handleCallback}, with the session started in this window. The popup lands
   * on the redirect URI, whose `handleCallback()` hands the answer back (over a BroadcastChannel,
   * so a provider's Cross-Origin-Opener-Policy does not break it) and closes the popup. Rejects
   * with `popup_blocked`, `popup_closed`, `timeout` (after `popupTimeout` ms, default 300000) or
   * the callback's own error; no pending login is left behind.
   */
  signinPopup<AppState = unknown>(options?: SigninPopupOptions): Promise<TokenSet<AppState>>;
  /**
   * Checks the callback (state, iss, error), exchanges the code, validates the ID token. Defaults
   * to `location.href`. In a {@link signinPopup} popup (this window has no login for the state)
   * it hands the callback to the window that opened it, resolves that window's outcome and
   * closes the popup.
   */
  handleCallback<AppState = unknown>(url?: string): Promise<TokenSet<AppState>>;
  /**
   * An access token for `audience` and `scope` (the client's by default): a cached, unexpired one
   * whose granted audience and scope cover the request, else one from a refresh grant (which sends
   * the audience, and `resource`, for providers that honour them). Concurrent calls share one
   * request. Rejects with `login_required` when there is no session or the grant has ended, and
   * with `network_error` (session kept) when the provider cannot be reached.
   */
  getAccessToken(options?: TokenOptions): Promise<AccessToken>;
  /** The signed-in user's ID token claims, or null. */
  getUser(): IdTokenClaims | null;
  /** Forces a refresh-token grant. */
  refresh(options?: TokenOptions): Promise<AccessToken>;
  /**
   * Revokes the refresh token (RFC 7009) when the provider advertises revocation, clears the session
   * and pending logins, then navigates to the `end_session_endpoint` when there is one, else to
   * `postLogoutRedirectUri` when given.
   */
  signout(options?: { postLogoutRedirectUri?: string }): Promise<void>;
  /** UserInfo (OIDC Core §5.3); rejects with `userinfo_sub_mismatch` unless its `sub` is the user's. */
  userinfo(): Promise<{ sub: string; [claim: string]: unknown }>;
  /**
   * `fetch` with the access token for `options.audience`/`scope`: `Authorization: Bearer …`, or
   * with `dpop` `Authorization: DPoP …` plus a proof bound to the token (`ath`), retried once on
   * the resource server's `use_dpop_nonce` challenge. Resolves the final Response. Only to a
   * trusted origin: that of a requested audience or resource that is an https (or loopback http)
   * URL, or one of `trustedOrigins`; anywhere else rejects with `untrusted_origin` before any
   * request leaves.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit, options?: TokenOptions): Promise<Response>;
  /** A DPoP proof for a request the app sends itself (`ath` when `accessToken` is given); `invalid_config` without `dpop`. */
  dpopProof(request: { url: string | URL; method?: string; accessToken?: string }): Promise<string>;
  /** Calls `handler` on each event; returns the function that unsubscribes it. */
  on<E extends keyof OAuthClientEvents>(event: E, handler: (detail: OAuthClientEvents[E]) => void): () => void;
}

/** Which access token {@link OAuthClient.getAccessToken} returns. */
export interface TokenOptions {
  audience?: string | readonly string[];
  scope?: string;
  /** RFC 8707 resources for the refresh grant. */
  resource?: string | readonly string[];
}

/** An access token from {@link OAuthClient.getAccessToken}. */
export interface AccessToken {
  accessToken: string;
  /** `DPoP` with the option `dpop` (RFC 9449), else `Bearer`. */
  tokenType: 'Bearer' | 'DPoP';
  expiresAt?: number;
  scope: string;
  audience: string[];
  audienceVerified: boolean;
}

/** Events of {@link OAuthClient.on} and their details. */
export interface OAuthClientEvents {
  /** A refresh grant gave a new access token (in this tab). */
  tokenRefreshed: AccessToken;
  /** autoRefresh is about to renew the default token. */
  tokenExpiring: { expiresAt: number };
  /** The session ended: signout, the provider refused the refresh token, or another tab signed out. */
  signedOut: undefined;
  /** A failure nobody awaited: corrupt stored session, failed revocation, failed automatic renewal. */
  error: OAuthError;
  /** The access token's `aud` lacks requested audiences, under `onAudienceMismatch: 'warn'`. */
  audienceMismatch: AudienceMismatch;
}

export interface AudienceMismatch {
  /** The JWT access token's `aud`. */
  granted: string[];
  /** Requested audiences it lacks. */
  missing: string[];
}

/**
 * Resolves once the WebAssembly module is ready (in browsers it is fetched as the package's
 * module starts; the import never waits for it). Rejects with `OAuthError` `wasm_load_failed`
 * naming the URL and what came back when it cannot load (see the README, "Serving the wasm").
 * `OAuthClient.create` waits for it itself; the synchronous helpers below throw
 * `wasm_not_ready` until it has resolved (in Node.js they work right after `import`).
 */
export declare function ready(): Promise<void>;

/** A fresh PKCE pair: 32 random bytes, S256 (RFC 7636). */
export declare function generatePkce(): Pkce;

/** The exact `audience=` query value the authorization URL carries for these audiences. */
export declare function encodeAudience(list: readonly string[], encoding?: AudienceEncoding): string;

/**
 * The audience list an `audience=` query value decodes to (`+` and `%20` are spaces), as Hydra decodes it.
 * Async: it runs in the audience module, fetched on first use (as {@link audienceAllowed}).
 */
export declare function decodeAudience(queryValue: string): Promise<string[]>;

/** Returns `value`, or throws `OAuthError` `invalid_audience` naming it: empty, or containing (Unicode) whitespace. */
export declare function validateAudience(value: string): string;

/**
 * Whether Ory Hydra allows `requested` for a client whose `audience` metadata is `allowed`: fosite's
 * default audience matching strategy, quirks included. The lists are taken as the strategy receives
 * them (Hydra has already split its `audience` parameter on spaces); nothing is split or trimmed
 * here. An empty request is allowed. Values are parsed
 * as Go's `net/url` parses them; any value (allowed or requested) that does not parse denies the request.
 * A requested value matches an allowed one when the schemes (case-insensitive) and hosts with port are
 * equal and its decoded path equals the allowed path, equals it up to trailing slashes, or continues it
 * at a `/` (`/api/users` allows `/api/users/1234`, not `/api/users1234`). Query, fragment and user info
 * are ignored. Quirks: non-URL strings (`foobar`) compare as relative paths, so `foobar` allows `foobar/x`;
 * opaque URIs (`urn:…`, `mailto:…`) compare by scheme only, so any `urn:` value allows every `urn:` value;
 * an allowed value with an empty or `/` path allows every path of its host; `https://a` and `https://a:443`
 * differ; host and path are case-sensitive; `%2F` in a path matches `/`; dot segments are not resolved
 * (`/api` allows `/api/../admin`).
 *
 * Async: the matching is a small wasm module of its own (`oauth_wasm_audience.wasm`), fetched on
 * first use (also by `OAuthClient.create` with `allowedAudiences`); a failed fetch rejects with
 * `wasm_load_failed`, and the next call tries again.
 */
export declare function audienceAllowed(allowed: readonly string[], requested: readonly string[]): Promise<boolean>;

/** One reason Hydra would refuse a request. */
export interface AudienceProblem {
  value: string;
  /** The list the value is on: an allowed value Hydra cannot parse makes it refuse every request. */
  source: 'allowed' | 'requested';
  reason: string;
}

/** Every reason {@link audienceAllowed} is false; empty when it is true. */
export declare function explainAudience(allowed: readonly string[], requested: readonly string[]): Promise<AudienceProblem[]>;

/** Options of {@link clientCredentials}. */
export interface ClientCredentialsOptions {
  /** https, or http on a loopback host. */
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** Hydra's `audience`, sent in the POST body as one space-joined value. */
  audience?: string | readonly string[];
  audienceEncoding?: AudienceEncoding;
  scope?: string;
  /** RFC 8707 resources, one `resource` parameter each. */
  resource?: string | readonly string[];
  /** RFC 6749 §2.3.1 client authentication; `client_secret_basic` by default. */
  auth?: 'client_secret_basic' | 'client_secret_post';
  onAudienceMismatch?: AudienceMismatchPolicy;
}

/** What {@link clientCredentials} resolves to: an access token, as {@link OAuthClient.getAccessToken} gives. */
export type ClientCredentialsTokens = AccessToken;

/**
 * RFC 6749 §4.4 client credentials grant, for Node.js ≥ 20 (the package's `node` export). In the
 * browser build it rejects with `unsupported_environment`: a client secret has no place in a SPA.
 */
export declare function clientCredentials(options: ClientCredentialsOptions): Promise<ClientCredentialsTokens>;
