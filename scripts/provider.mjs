// A real OpenID Provider on loopback (oidc-provider, OpenID Certified), configured like an
// Ory Hydra tenant as far as audiences go. Used by `npm run demo` and by the e2e tests.
//
// Audiences: the Hydra-style `audience` parameter (one value, space-separated list; in the
// authorization query, or in the body of a token request) is checked against the client's
// `audience` metadata (its allow-list, by Hydra's rule for ordinary https URLs: equal, or a path
// continuing the allowed one at a `/`; the SDK's audienceAllowed implements every quirk, this
// stand-in is deliberately independent of it), then carried to the access token through an
// RFC 8707 resource indicator, and written into the JWT's `aud` as an array. Refresh tokens
// rotate; a refresh grant may name one audience of the client's allow-list (or the signed-in
// list) and gets a token for it alone, or none and gets a token for the userinfo endpoint.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const AUDIENCE_RESOURCE = 'urn:oauth-wasm:audience:';

export const CLIENT_ID = 'spa';
export const ALLOWED_AUDIENCES = ['https://api.example.com/user', 'https://api.example.com/billing'];
/** Confidential clients for the client credentials grant, one per RFC 6749 §2.3.1 method. */
export const SERVICE_CLIENTS = {
  client_secret_basic: { clientId: 'service-basic', clientSecret: 'b4sic secret:+/=' },
  client_secret_post: { clientId: 'service-post', clientSecret: 'p0st secret&=?' },
};

/** Hydra's default audience rule for plain https URLs: same scheme and host, path equal or continued at `/`. */
export function audienceAllowed(allowed, requested) {
  let a;
  let r;
  try {
    a = new URL(allowed);
    r = new URL(requested);
  } catch {
    return allowed === requested;
  }
  if (a.protocol !== r.protocol || a.host !== r.host) return false;
  const ap = a.pathname.replace(/\/$/, '');
  const rp = r.pathname.replace(/\/$/, '');
  return rp === ap || rp.startsWith(`${ap}/`);
}

/**
 * A new signing key (`kind`: 'rsa', 'ec', 'ec-384' or 'ed25519'): `{ kid, alg, privateKey, jwk }`
 * (`jwk`: the public JWK, with kid/use/alg).
 */
export function signingKey(kind, kid, alg = { rsa: 'RS256', ec: 'ES256', 'ec-384': 'ES384', ed25519: 'EdDSA' }[kind]) {
  const { privateKey, publicKey } = {
    rsa: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ec: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    'ec-384': () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    ed25519: () => generateKeyPairSync('ed25519'),
  }[kind]();
  return { kid, alg, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg } };
}

const synthetic = (audience) => AUDIENCE_RESOURCE + encodeURIComponent(audience.join(' '));

const refuseAudience = (client, requested) => {
  if (!(client.audience ?? []).some((allowed) => audienceAllowed(allowed, requested))) {
    throw new errors.InvalidRequest(`Requested audience "${requested}" has not been whitelisted by the OAuth 2.0 Client.`);
  }
};

/**
 * Starts the provider. `appOrigin` is the SPA's origin (CORS); `redirectUris` exact.
 * Returns `{ issuer, close, events, consent }`: `events` counts token grants by type;
 * `consent.grantAudience`, when set, maps the requested audience list to the granted one, as
 * a Hydra consent app's `grant_access_token_audience` may narrow it. `keys` are the provider's
 * signing keys (RS256, the ID tokens' default, ES256, PS256 and EdDSA), `tamper` lets a test rewrite what the
 * provider sends (`tamper.idToken(jwt)`: the token response's ID token; `tamper.jwks()`: the JWK
 * Set), `events.jwks` counts JWK Set requests and
 * `events.nonceChallenges` the `use_dpop_nonce` answers. `requirePar`: every authorization request
 * must be pushed (RFC 9126), as discovery then says. `dpopNonce`: DPoP proofs must carry the
 * provider's nonce (RFC 9449 §8). `tamper.token(body)` rewrites a whole token response.
 * `tamper.coop`: a Cross-Origin-Opener-Policy of same-origin on every answer.
 */
export async function startProvider({ port = 0, appOrigin, redirectUris, postLogoutRedirectUris = [], accessTokenTTL = 600, requirePar = false, dpopNonce = false } = {}) {
  const { createServer } = await import('node:http');
  const server = createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const consent = { grantAudience: null };
  const keys = [signingKey('rsa', 'rsa-1'), signingKey('ec', 'ec-1'), signingKey('rsa', 'rsa-pss', 'PS256'), signingKey('ed25519', 'ed-1')];
  const tamper = { idToken: null, jwks: null, token: null, coop: false };
  const provider = new Provider(issuer, {
    jwks: { keys: keys.map(({ kid, alg, privateKey }) => ({ ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' })) },
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: redirectUris,
        post_logout_redirect_uris: [...redirectUris, `${appOrigin}/`, ...postLogoutRedirectUris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        audience: ALLOWED_AUDIENCES,
      },
      ...Object.entries(SERVICE_CLIENTS).map(([method, { clientId, clientSecret }]) => ({
        client_id: clientId,
        client_secret: clientSecret,
        token_endpoint_auth_method: method,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        audience: ALLOWED_AUDIENCES,
      })),
    ],
    extraClientMetadata: { properties: ['audience'] },
    extraParams: {
      audience(ctx, value, client) {
        if (value === undefined) return;
        for (const requested of value.split(' ').filter(Boolean)) refuseAudience(client, requested);
      },
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['oauth-wasm-test-cookie-key-not-secret'] },
    pkce: { required: () => true },
    clientBasedCORS: (ctx, origin) => origin === appOrigin,
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every refresh spends its refresh token and issues a new one; replaying a spent one
    // revokes the grant (RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    ttl: { AccessToken: accessTokenTTL, IdToken: 3600, Interaction: 600, Session: 86400, Grant: 86400, RefreshToken: 86400 },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: requirePar },
      dPoP: dpopNonce ? { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true } : { enabled: true },
      resourceIndicators: {
        enabled: true,
        // No `resource` sent: turn a Hydra-style `audience` (authorization query, or the body
        // of a token request) into a synthetic resource. At authorization the grant also gets
        // one per audience on the client's allow-list, so that a refresh grant can ask for a
        // token for any one of them (RFC 8707 §2.2 style: one sign-in, a token per API).
        defaultResource(ctx, client, oneOf) {
          const grantType = ctx.oidc.params.grant_type;
          const fromBody = grantType === 'client_credentials' || grantType === 'refresh_token' ? ctx.oidc.body?.audience : undefined;
          const audience = (ctx.oidc.params.audience ?? fromBody)?.split(' ').filter(Boolean);
          const wanted = audience?.length ? synthetic(audience) : undefined;
          if (oneOf) {
            if (grantType !== 'refresh_token') return oneOf[0];
            if (!oneOf.includes(wanted)) throw new errors.InvalidTarget('the grant does not cover this audience');
            return wanted;
          }
          if (grantType === 'client_credentials' && audience) for (const requested of audience) refuseAudience(client, requested);
          if (!wanted) return undefined;
          if (grantType) return wanted;
          return [...new Set([wanted, ...(client.audience ?? []).map((a) => synthetic([a]))])];
        },
        // A refresh grant without audience gets a token for the userinfo endpoint.
        useGrantedResource: (ctx) => ctx.oidc.params.grant_type !== 'refresh_token' || !!ctx.oidc.body?.audience,
        // A real RFC 8707 resource must be one the client may use; else invalid_target.
        getResourceServerInfo(ctx, indicator, client) {
          let audience;
          if (indicator.startsWith(AUDIENCE_RESOURCE)) {
            const requested = decodeURIComponent(indicator.slice(AUDIENCE_RESOURCE.length)).split(' ');
            audience = (consent.grantAudience?.(requested) ?? requested).join(' ');
          } else if ((client.audience ?? []).some((allowed) => audienceAllowed(allowed, indicator))) {
            audience = indicator;
          } else {
            throw new errors.InvalidTarget(`resource "${indicator}" is not a resource server this client may use`);
          }
          return { scope: 'api', audience, accessTokenFormat: 'jwt', accessTokenTTL };
        },
      },
    },
    formats: {
      customizers: {
        // oidc-provider writes one audience string; Hydra issues an array of all granted ones.
        jwt(ctx, token, jwt) {
          if (typeof jwt.payload.aud === 'string' && jwt.payload.aud.includes(' ')) {
            jwt.payload.aud = jwt.payload.aud.split(' ');
          }
        },
      },
    },
  });
  const events = { grants: {}, jwks: 0, nonceChallenges: 0 };
  provider.use(async (ctx, next) => {
    await next();
    // tamper.coop: every page isolates itself as some providers' login pages do, which severs
    // a popup from the window that opened it.
    if (tamper.coop) ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (ctx.path === '/jwks') {
      events.jwks += 1;
      if (tamper.jwks) ctx.body = tamper.jwks();
    }
    if (ctx.path === '/token' && tamper.idToken && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: tamper.idToken(ctx.body.id_token) };
    }
    if (ctx.path === '/token' && tamper.token && ctx.body?.access_token) ctx.body = tamper.token(ctx.body);
    if (ctx.body?.error === 'use_dpop_nonce') events.nonceChallenges += 1;
  });
  provider.on('grant.success', (ctx) => {
    const type = ctx.oidc.params.grant_type;
    events.grants[type] = (events.grants[type] ?? 0) + 1;
  });
  provider.on('grant.error', (ctx, err) => {
    if (process.env.OAUTH_WASM_DEBUG) console.error('grant.error', err.error, err.error_detail);
  });
  server.on('request', provider.callback());
  return {
    issuer,
    events,
    consent,
    keys,
    tamper,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// `node scripts/provider.mjs --child`, forked (bench/bench.mjs): the provider in a process of
// its own, as a real one is, so that the browser driver and the app's file server in the parent
// do not hold up its event loop. The first message is startProvider's options; the answer its
// issuer. It exits with the parent (the IPC channel closes).
if (process.argv[2] === '--child' && process.send) {
  process.once('message', async (options) => {
    const { issuer } = await startProvider(options);
    process.send({ issuer });
  });
  process.on('disconnect', () => process.exit(0));
}
