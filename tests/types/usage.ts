// Compiled by tests/node/types.test.mjs with `tsc --noEmit`: the shipped index.d.ts must
// accept real usage and reject misuse (every @ts-expect-error below must be an error).
import {
  OAuthClient,
  OAuthError,
  encodeAudience,
  decodeAudience,
  validateAudience,
  audienceAllowed,
  explainAudience,
  clientCredentials,
  generatePkce,
  ready,
  type AudienceProblem,
  type ClientCredentialsTokens,
  type ClientOptions,
  type IdTokenClaims,
  type SigninRequest,
  type TokenSet,
} from 'oauth-wasm';

const options: ClientOptions = {
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: 'https://app.example.com/callback',
  audience: ['https://api.example.com/user'],
  audienceEncoding: 'plus',
};
export async function flow(): Promise<string> {
  const client = await OAuthClient.create(options);
  const request: SigninRequest = await client.createSigninRequest({ prompt: 'consent', extraParams: { ui_locales: 'de' } });
  await client.signinRedirect({ audience: 'https://api.example.com/billing', appState: { returnTo: '/orders' } });
  const tokens: TokenSet = await client.handleCallback(request.url);
  const typed = await client.handleCallback<{ returnTo: string }>();
  const returnTo: string | undefined = typed.appState?.returnTo;
  void returnTo;
  // @ts-expect-error the refresh token never leaves the SDK, not even from handleCallback
  void typed.refreshToken;
  const expiry: number | undefined = tokens.expiresAt;
  const claims: IdTokenClaims | undefined = tokens.claims;
  const strict = await OAuthClient.create({ ...options, dpop: true, par: true });
  const response: Response = await strict.fetch('https://api.example.com/billing', { method: 'POST' }, { audience: ['https://api.example.com/billing'] });
  const proof: string = await strict.dpopProof({ url: 'https://api.example.com/x', accessToken: 'at' });
  const kind: 'Bearer' | 'DPoP' = (await strict.getAccessToken()).tokenType;
  void [response, proof, kind];
  // @ts-expect-error the opt-out is a boolean
  await OAuthClient.create({ ...options, dangerouslySkipIdTokenSignature: 'yes' });
  await OAuthClient.create({ ...options, authorizationEndpoint: 'https://id/a', tokenEndpoint: 'https://id/t', jwksUri: 'https://id/k' });
  const audiences: string[] = tokens.audience;
  // @ts-expect-error the audience is a list, not a string
  const wrong: string = tokens.audience;
  // @ts-expect-error tokens are read-only data, not a function
  tokens();
  void expiry; void audiences; void wrong;
  return claims?.sub ?? tokens.accessToken;
}

export async function misuse(): Promise<void> {
  // @ts-expect-error both endpoints or neither
  await OAuthClient.create({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: 'https://a/cb', tokenEndpoint: 'https://id/t' });
  // @ts-expect-error clientId is required
  await OAuthClient.create({ issuer: 'https://id.example.com', redirectUri: 'https://a/cb' });
  // @ts-expect-error no such encoding
  encodeAudience(['a'], 'space');
  // @ts-expect-error the constructor is private: use OAuthClient.create
  new OAuthClient();
}

const loaded: Promise<void> = ready();
void loaded;
// @ts-expect-error ready() is a function returning a promise, not a promise
void ready.then;
const pkce = generatePkce();
const method: 'S256' = pkce.method;
try {
  encodeAudience(['a b']);
} catch (e) {
  if (e instanceof OAuthError) {
    const code: string = e.code;
    const description: string | undefined = e.description;
    void code; void description;
  }
}
void method;

export async function audiences(): Promise<boolean> {
  const allowed = ['https://api.example.com/user'];
  const problems: AudienceProblem[] = await explainAudience(allowed, ['https://api.example.com/users']);
  // @ts-expect-error the matching is async: a promise, not a boolean
  const sync: boolean = audienceAllowed(allowed, []);
  void sync;
  const source: 'allowed' | 'requested' | undefined = problems[0]?.source;
  const list: string[] = await decodeAudience('a%20b');
  const checked: string = validateAudience('https://api.example.com/user');
  const client = await OAuthClient.create({
    ...options,
    allowedAudiences: allowed,
    resource: 'https://api.example.com/',
    onAudienceMismatch: 'warn',
  });
  const off: () => void = client.on('audienceMismatch', ({ granted, missing }) => { void granted; void missing; });
  off();
  // @ts-expect-error no such event
  client.on('tokenRefreshd', () => {});
  // @ts-expect-error no such policy
  await OAuthClient.create({ ...options, onAudienceMismatch: 'throw' });
  const tokens: ClientCredentialsTokens = await clientCredentials({
    tokenEndpoint: 'https://id.example.com/oauth2/token',
    clientId: 'svc',
    clientSecret: 'secret',
    audience: ['https://api.example.com/user'],
    auth: 'client_secret_post',
  });
  const verified: boolean = tokens.audienceVerified;
  // @ts-expect-error the secret is required
  await clientCredentials({ tokenEndpoint: 'https://id/t', clientId: 'svc' });
  void source; void list; void checked;
  return verified && (await audienceAllowed(allowed, list));
}

export async function lifecycle(): Promise<string | undefined> {
  const client = await OAuthClient.create({ ...options, storage: 'shared', autoRefresh: true, expirySkew: 60 });
  const token = await client.getAccessToken({ audience: ['https://api.example.com/billing'], scope: 'api' });
  const at: string = token.accessToken;
  const user: IdTokenClaims | null = client.getUser();
  client.on('tokenRefreshed', (t) => { const s: string = t.accessToken; void s; });
  client.on('error', (e) => { const c: string = e.code; void c; });
  const info = await client.userinfo();
  await client.refresh();
  await client.signout({ postLogoutRedirectUri: 'https://app.example.com/' });
  // @ts-expect-error no such storage
  await OAuthClient.create({ ...options, storage: 'local' });
  // @ts-expect-error the refresh token is never handed out by getAccessToken
  void token.refreshToken;
  void at;
  return user?.sub ?? info.sub;
}

// The build-time plugins (oauth-wasm/plugins), as an esbuild and a Rollup config use them.
import { oauthWasmEsbuild, oauthWasmRollup } from 'oauth-wasm/plugins';
export const bundlerPlugins: { name: string }[] = [oauthWasmEsbuild(), oauthWasmRollup()];
// @ts-expect-error the plugins take no options
oauthWasmRollup({ include: '*.wasm' });

export async function popup(): Promise<string> {
  const client = await OAuthClient.create(options);
  const tokens = await client.signinPopup<{ returnTo: string }>({ audience: ['https://api.example.com/user'], popupTimeout: 60_000, appState: { returnTo: '/' } });
  // @ts-expect-error popupTimeout is a number of milliseconds
  await client.signinPopup({ popupTimeout: '1 minute' });
  return tokens.accessToken + (tokens.appState?.returnTo ?? '');
}
