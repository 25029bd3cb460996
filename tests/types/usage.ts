// Compiled by tests/node/types.test.mjs with `tsc --noEmit`: the shipped index.d.ts must
// accept real usage and reject misuse (every @ts-expect-error below must be an error).
import {
  OAuthClient,
  OAuthError,
  encodeAudience,
  generatePkce,
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
  const expiry: number | undefined = tokens.expiresAt;
  const claims: IdTokenClaims | undefined = tokens.claims;
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
