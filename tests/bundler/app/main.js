// An app built by Vite that uses the package's synchronous helpers right after import.
import { generatePkce, encodeAudience, OAuthError, OAuthClient } from 'oauth-wasm';

const out = { pkce: generatePkce(), audience: encodeAudience(['https://api.example.com/user', 'b']) };
try {
  encodeAudience(['not ok']);
} catch (e) {
  out.error = { isOAuthError: e instanceof OAuthError, code: e.code };
}
try {
  await OAuthClient.create({ issuer: 'https://id.example.com', clientId: 'spa', redirectUri: location.origin + '/cb',
    authorizationEndpoint: 'https://id.example.com/auth', tokenEndpoint: 'https://id.example.com/token' });
  out.created = true;
} catch (e) {
  out.created = e.code;
}
document.getElementById('out').textContent = JSON.stringify(out);
