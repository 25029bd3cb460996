// An app built by Vite: the import succeeds at once (the wasm loads behind it), the synchronous
// helpers refuse with an OAuthError until ready() has resolved and work after it, and a wasm
// that cannot load (the test server may answer its URL with an HTML page) surfaces as an
// OAuthError from create(), where the app's own error handling runs.
import { generatePkce, encodeAudience, OAuthError, OAuthClient, ready } from 'oauth-wasm';

const out = {};
try {
  generatePkce();
  out.beforeReady = 'no error';
} catch (e) {
  out.beforeReady = { isOAuthError: e instanceof OAuthError, code: e.code };
}
try {
  await OAuthClient.create({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: location.origin + '/cb',
    authorizationEndpoint: 'https://id.example.com/auth', tokenEndpoint: 'https://id.example.com/token', jwksUri: 'https://id.example.com/jwks' });
  out.created = true;
  await ready();
  out.pkce = generatePkce();
  out.audience = encodeAudience(['https://api.example.com/user', 'b']);
  try {
    encodeAudience(['not ok']);
  } catch (e) {
    out.error = { isOAuthError: e instanceof OAuthError, code: e.code };
  }
} catch (e) {
  out.created = { isOAuthError: e instanceof OAuthError, code: e.code, description: e.description };
  try {
    generatePkce();
  } catch (e2) {
    out.afterFailure = { isOAuthError: e2 instanceof OAuthError, code: e2.code };
  }
}
document.getElementById('out').textContent = JSON.stringify(out);
