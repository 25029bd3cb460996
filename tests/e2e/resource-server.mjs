// A resource server on loopback for the tests: it verifies what it receives as an API must.
// `/dpop/…` accepts DPoP-bound access tokens only (RFC 9449 §7): the access token's signature
// (the provider's published keys) and audience, then the proof: `typ`, `alg`, its signature
// with the embedded `jwk`, `htm`, `htu`, `iat`, `jti` (no replay), `ath`, the server's current
// nonce (a proof without it gets a `use_dpop_nonce` challenge first, §9), and that the key's
// thumbprint is the token's `cnf.jkt`. `/bearer/…` accepts unbound Bearer tokens (RFC 6750).
import { createServer } from 'node:http';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';

const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const sha256 = (text) => createHash('sha256').update(text).digest('base64url');
export const thumbprint = ({ crv, kty, x, y }) => sha256(JSON.stringify({ crv, kty, x, y }));

/** Verifies a compact JWS with a public `jwk` (RS256 or ES256): its header and claims, or throws. */
function verified(jws, jwk) {
  const [h, p, s] = jws.split('.');
  const header = b64json(h);
  const alg = { RS256: undefined, ES256: 'ieee-p1363' }[header.alg];
  if (!(header.alg in { RS256: 1, ES256: 1 })) throw new Error(`alg ${header.alg}`);
  const key = createPublicKey({ key: jwk ?? header.jwk, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: alg }, Buffer.from(s, 'base64url'))) throw new Error('bad signature');
  return { header, claims: b64json(p) };
}

/** Starts it: `{ origin, log, close }`; `log` lists each request's outcome. */
export async function startResourceServer({ appOrigin, provider, audience }) {
  const log = [];
  const seen = new Set();
  let nonce = randomBytes(16).toString('base64url');
  const server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': appOrigin,
      'access-control-allow-headers': 'authorization, dpop, content-type',
      'access-control-allow-methods': 'GET, POST',
      'access-control-expose-headers': 'dpop-nonce, www-authenticate',
    };
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    const url = new URL(req.url, origin);
    const refuse = (status, reason, headers = {}) => {
      log.push({ path: url.pathname, status, reason });
      res.writeHead(status, { ...cors, 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: reason }));
    };
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    let access;
    try {
      const kid = b64json(token.split('.')[0]).kid;
      const key = provider.keys.find((k) => k.kid === kid);
      access = verified(token, key?.jwk).claims;
      const aud = [access.aud].flat();
      if (!aud.includes(audience)) throw new Error(`aud ${aud}`);
    } catch (e) {
      return refuse(401, `invalid_token: ${e.message}`, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    if (url.pathname.startsWith('/bearer/')) {
      if (scheme !== 'Bearer' || access.cnf) return refuse(401, 'not an unbound Bearer token');
    } else {
      if (scheme !== 'DPoP' || !access.cnf?.jkt) return refuse(401, 'not a DPoP-bound token');
      let proof;
      try {
        proof = verified(req.headers.dpop);
      } catch (e) {
        return refuse(401, `invalid_dpop_proof: ${e.message}`);
      }
      const { header, claims } = proof;
      const problems = [
        header.typ !== 'dpop+jwt' && 'typ',
        header.alg !== 'ES256' && 'alg',
        header.jwk?.d !== undefined && 'private key in jwk',
        claims.htm !== req.method && 'htm',
        claims.htu !== `${origin}${url.pathname}` && 'htu',
        !(Math.abs(claims.iat - Date.now() / 1000) < 60) && 'iat',
        seen.has(claims.jti) && 'jti replayed',
        claims.ath !== sha256(token) && 'ath',
        thumbprint(header.jwk) !== access.cnf.jkt && 'key is not the token\'s cnf.jkt',
      ].filter(Boolean);
      if (problems.length) return refuse(401, `invalid_dpop_proof: ${problems.join(', ')}`);
      seen.add(claims.jti);
      if (claims.nonce !== nonce) {
        return refuse(401, 'use_dpop_nonce', { 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'dpop-nonce': nonce });
      }
      nonce = randomBytes(16).toString('base64url'); // the next request needs the new one
      res.setHeader('dpop-nonce', nonce);
    }
    log.push({ path: url.pathname, status: 200 });
    res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ sub: access.sub, path: url.pathname, method: req.method }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, log, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}
