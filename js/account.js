// The JavaScript of the flows after the redirect: the callback's code exchange, the ID token's
// signature, refresh grants, UserInfo and sign-out's call to the provider. A chunk of its own
// (pkg/account.js), fetched beside the account module (oauth_wasm_account.wasm,
// src/lazy/account.rs) by a callback page as it loads and by other pages when they first need
// one of them: a page that only signs in never runs them.
//
// It imports nothing, so the bundle keeps no chunk shared with the entry (no module
// waterfall): `flows(call)` gets the module's call function, and each flow gets `c`, the
// client's inside (api.js, `#inside`): its stored session, lock, transport, events and the
// entry's helpers.

/**
 * `client.fetch`'s guard, before any request: the access token goes only to the origins of the
 * requested audiences and resources (`options`, else the client's, from the JSON of its options
 * `client`) that are https
 * (or http on a loopback host) URLs, and to the client's `trustedOrigins`, each of which must be
 * such a URL (`invalid_config`); anywhere else is `untrusted_origin`.
 */
export const trustOrigin = (OAuthError, url, options, client) => {
  const defaults = JSON.parse(client);
  const secure = (value) => {
    try {
      const { protocol, hostname, origin } = new URL(value);
      if (protocol === 'https:' || (protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(hostname))) return origin;
    } catch {}
  };
  const origins = new Set([options.audience ?? defaults.audience, options.resource ?? defaults.resource].flat().map(secure));
  const listed = defaults.trustedOrigins ?? [];
  if (!Array.isArray(listed)) throw new OAuthError('invalid_config', 'trustedOrigins must be an array of URLs');
  for (const value of listed) {
    if (typeof value !== 'string' || !secure(value)) {
      throw new OAuthError('invalid_config', `trustedOrigins: ${JSON.stringify(value)} is not an https URL (or http on a loopback host)`);
    }
    origins.add(secure(value));
  }
  const { origin } = new URL(url);
  if (!origins.has(origin)) {
    throw new OAuthError('untrusted_origin', `client.fetch sends an access token only to the origins of the requested audiences and resources and to trustedOrigins, and ${origin} is none of them`);
  }
};

const bytes = (base64url) => Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** The account flows over the account module's `call`. */
export const flows = (call) => {
  // Checks the ID token's signature with WebCrypto; the key and algorithm are the Rust side's
  // choice (src/core/jose/jwks.rs), from the provider's JWK Set, fetched again once for a new key.
  const verify = async (c, idToken) => {
    const request = c.jwks();
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) throw new c.OAuthError('unsupported_environment', 'ID token signatures need WebCrypto (crypto.subtle: a secure context)');
    for (const again of [false, true]) {
      const [status, type, body] = await c.keySet(request, again);
      const pick = call('pick_key', [...c.context, '', idToken, type, body, again ? '1' : ''], status);
      if (!pick) continue;
      const { key: index, alg, fail } = JSON.parse(pick);
      const [header, payload, signature] = idToken.split('.');
      let valid;
      try {
        const key = await subtle.importKey('jwk', JSON.parse(body).keys[index], alg, false, ['verify']);
        valid = await subtle.verify(alg, key, bytes(signature), new TextEncoder().encode(`${header}.${payload}`));
      } catch (e) {
        if (e?.name === 'NotSupportedError') throw new c.OAuthError('unsupported_environment', `this engine's WebCrypto cannot verify ${alg.name} signatures`);
        throw new c.OAuthError('invalid_id_token', `${fail}: ${e?.message ?? e}`);
      }
      if (!valid) throw new c.OAuthError('invalid_id_token', fail);
      return;
    }
    // pick_key refuses on its last try rather than giving nothing: never reached, never a pass.
    throw new c.OAuthError('invalid_id_token', 'no key of the JWK Set checks the ID token');
  };

  return {
    /**
     * The token endpoint's `answer` to the callback `url`, whose pending login `login` (stored
     * as `stored` under `key`) the entry has taken, judged at `now`: resolves
     * `{ tokens, session }` once the ID token is checked. A judged answer (a provider error, a
     * refused claim, a signature a key of the set refuses) ends the sign-in; otherwise (no JWK
     * Set, a trap) the login goes back with the answer, for the next call.
     */
    async signedIn(c, url, key, stored, login, answer, now) {
      let checked = false;
      try {
        const result = JSON.parse(call('signed_in', [...c.context, '', url, stored, now, answer[1], answer[2]], answer[0]));
        checked = true;
        if (result.verify) await verify(c, result.verify);
        return result;
      } catch (e) {
        if (e.code === 'internal_error' || (checked && e.code !== 'invalid_id_token')) c.keep(key, JSON.stringify({ ...login, answer }));
        throw e;
      }
    },

    /** A refresh-token grant for the token options `options` (JSON), under the refresh lock. */
    refresh: (c, options, force) => c.lock(async () => {
      // Under the lock, read again: another tab (or call) may have refreshed meanwhile, and its
      // rotated refresh token is the one to use.
      const session = await c.load();
      if (!session) throw c.notSignedIn();
      const cached = !force && c.select(session, options);
      if (cached) return JSON.parse(cached);
      const context = [...c.context, session, options];
      const sent = c.send(call('refresh_request', context), (detail) => c.transportError(1, detail));
      // As for a sign-in's code exchange: the JWK Set is read or fetched while the grant is in flight.
      c.prefetchKeys();
      const [status, type, body] = await sent;
      const result = JSON.parse(call('refresh', [...context, type, body, String(Math.floor(Date.now() / 1000))], status));
      if (result.verify) {
        // The rotated refresh token is stored before the new ID token is checked: the provider has
        // spent the old one, and a JWK Set that cannot be had (network_error) must lose nothing.
        await c.save(result.kept);
        try {
          await verify(c, result.verify);
        } catch (e) {
          // A signature that fails with a key of the provider's set ends the session.
          if (e.code === 'invalid_id_token') await c.end();
          throw e;
        }
      }
      await c.save(result.session);
      if (result.error) {
        const error = c.toError(result.error);
        if (error.code !== 'invalid_grant') throw error;
        // The grant is gone (revoked, expired, or a spent refresh token replayed).
        await c.end();
        throw new c.OAuthError('login_required', `the session ended: the provider refused the refresh token (invalid_grant${error.description ? `: ${error.description}` : ''})`);
      }
      const token = c.takeMismatch(result.tokens, (detail) => c.emit('audienceMismatch', detail));
      c.post('refreshed');
      c.emit('tokenRefreshed', token);
      c.schedule();
      return token;
    }),

    /**
     * autoRefresh: renews the client's default token in `session` `skew` seconds before it
     * expires (`tokenExpiring` first, then getAccessToken), then schedules again.
     */
    schedule(c, session, skew) {
      const expiresAt = Number(call('expiry', [...c.context, session, '{}'])) || undefined;
      // A sign-in, refresh or sign-out meanwhile has scheduled (or cancelled) by itself.
      if (expiresAt === undefined || session !== c.session()) return;
      c.timer(async () => {
        if (globalThis.document?.hidden) return;
        c.emit('tokenExpiring', { expiresAt });
        try {
          await c.token();
        } catch (e) {
          c.emit('error', e);
        }
        c.schedule();
      }, Math.min(Math.max((expiresAt - skew) * 1000 - Date.now() + 1000, 0), 2 ** 31 - 1));
    },

    /** GET UserInfo with `token` (an access token asked for without audience); its `sub` must be the user's. */
    async userinfo(c, token) {
      const context = async () => {
        const session = await c.load();
        if (!session) throw c.notSignedIn();
        return [...c.context, session];
      };
      const request = call('userinfo_request', [...await context(), token.accessToken], token.tokenType === 'DPoP' ? 1 : 0);
      const [status, type, body] = await c.send(request, (d) => c.transportError(2, d), token.accessToken);
      // Judged against the session as it is now (it may have ended meanwhile).
      return JSON.parse(call('userinfo', [...await context(), type, body], status));
    },

    /**
     * Sign-out's part with the provider, for `session` (JSON or null): revokes the refresh token
     * (RFC 7009) when the provider can; resolves `{ endSession? }`, where to navigate.
     */
    async signout(c, session, post) {
      // The end-session request's state: 32 random bytes, hex.
      const state = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
      const plan = JSON.parse(call('signout', [...c.context, session ?? '', state, ...post], post.length));
      if (plan.revoke) {
        try {
          const [status] = await c.send(plan.revoke, (d) => c.transportError(5, d));
          if (status !== 200) c.emit('error', new c.OAuthError('invalid_response', `the revocation endpoint answered HTTP ${status}`));
        } catch (e) {
          c.emit('error', c.toError(e));
        }
      }
      return plan;
    },
  };
};
