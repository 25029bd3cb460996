// Popup sign-in, a chunk of its own (fetched once the popup is open, and by a callback page
// whose state this tab does not know). The opener keeps the login (state, nonce, PKCE
// verifier) in its own sessionStorage, as for a redirect; the popup lands on the app's
// redirect URI, where the app's usual handleCallback() finds no login of its own for the
// state and hands the callback URL over a BroadcastChannel named after that state to the
// window waiting for it, which runs the callback (its checks, the code exchange, the session)
// and sends the outcome back. The channel works when the provider's
// Cross-Origin-Opener-Policy has severed `window.opener`; its name, the 256-bit state, is known
// only to the two windows of this sign-in.
// Like the other chunks, it imports nothing (the OAuthError class comes from the caller), so
// that no chunk is shared with the entry.

const CHANNEL = 'oauth-wasm:popup:';

// How long a callback page waits for a window to claim its state before it reports the
// state_mismatch it found itself (BroadcastChannel delivery between tabs takes milliseconds).
const CLAIM_MS = 1000;
// How long it then waits for the opener's outcome (the code exchange and its checks).
const OUTCOME_MS = 60000;

const wire = (e) => ({ code: e?.code ?? 'internal_error', description: e?.description ?? String(e?.message ?? e), uri: e?.uri });

/**
 * The opener's side: `popup` was opened (empty) by the click, or is null when the browser
 * refused; checks `options` (createSigninRequest's, and `popupTimeout`), navigates the popup
 * to a new authorization URL and resolves the tokens of the callback it hands back, with the
 * session started here. Rejects with `popup_blocked`, `timeout` after `popupTimeout` ms
 * (default 5 minutes), `popup_closed` once the popup is gone and the user is back in this
 * window, or the callback's own error. Whatever the outcome, no login is left behind.
 */
export async function signinPopup(OAuthError, popup, client, options, transactionKey) {
  if (!globalThis.BroadcastChannel || !globalThis.open) throw new OAuthError('unsupported_environment', 'signinPopup needs a browser window (window.open) and BroadcastChannel');
  if (!popup) throw new OAuthError('popup_blocked', 'the browser opened no popup: call signinPopup from a click handler, or allow popups for this site');
  const { popupTimeout: timeout = 3e5, ...signin } = options ?? {};
  let request;
  try {
    if (!(timeout > 0 && timeout < 2 ** 31)) throw new OAuthError('invalid_config', 'popupTimeout must be a number of milliseconds above 0');
    request = await client.createSigninRequest(signin);
  } catch (e) {
    popup.close();
    throw e;
  }
  const channel = new BroadcastChannel(CHANNEL + request.state);
  const undo = [];
  let handed = false;
  let done = false;
  try {
    const tokens = await new Promise((resolve, reject) => {
      const fail = (code, description) => handed || reject(new OAuthError(code, description));
      const timer = setTimeout(() => fail('timeout', `the sign-in popup did not come back within ${timeout} ms (popupTimeout)`), timeout);
      undo.push(() => clearTimeout(timer));
      // `popup.closed` alone proves nothing: once the provider's Cross-Origin-Opener-Policy
      // severs the popup from this window, it reads true while the popup is still open. A
      // popup that reads closed when the user is back here (focus, a click, a key, the tab
      // shown again) is one the user closed, or left behind. The window's focus can come back
      // before the popup reads closed: looked at again a little later.
      const gone = () => popup.closed && fail('popup_closed', 'the sign-in popup was closed before the sign-in finished');
      const back = () => [0, 300, 1000].forEach((ms) => undo.push(clearTimeout.bind(null, setTimeout(gone, ms))));
      for (const [target, type] of [[globalThis, 'focus'], [globalThis, 'pointerdown'], [globalThis, 'keydown'], [globalThis.document, 'visibilitychange']]) {
        target?.addEventListener(type, back, true);
        undo.push(() => target?.removeEventListener(type, back, true));
      }
      channel.onmessage = ({ data }) => {
        // Only the callback of this sign-in: its state is the one this window sent.
        let state;
        try {
          state = new URL(data.url).searchParams.get('state');
        } catch {}
        if (data?.t !== 'callback' || handed || state !== request.state) return;
        handed = true;
        clearTimeout(timer);
        channel.postMessage({ t: 'claim' });
        client.handleCallback(data.url).then(
          (tokens) => { channel.postMessage({ t: 'done', tokens }); resolve(tokens); },
          (e) => { channel.postMessage({ t: 'done', error: wire(e) }); reject(e); },
        );
      };
      popup.location.href = request.url;
    });
    done = true;
    return tokens;
  } finally {
    for (const step of undo) step();
    channel.close();
    // A failed popup sign-in is not retried with the same answer (the popup is gone): its
    // login goes too, also where handleCallback keeps one for a retry (network_error).
    if (!done) globalThis.sessionStorage?.removeItem(transactionKey + request.state);
    if (!handed) popup.close();
  }
}

/**
 * The popup's side, when its handleCallback found no login for the state of `url` (`mismatch`,
 * the state_mismatch it would report): a window waiting for this state claims the callback within
 * CLAIM_MS, runs it and sends the outcome, which this resolves (the tokens) or rejects with,
 * and this window closes. Nobody claims it: `mismatch` after all.
 */
export async function handOff(OAuthError, url, mismatch) {
  let state;
  try {
    // Only a browser window can be a popup (Node has BroadcastChannel, but no windows).
    state = globalThis.BroadcastChannel && globalThis.open && new URL(url).searchParams.get('state');
  } catch {}
  if (!state) throw mismatch;
  const channel = new BroadcastChannel(CHANNEL + state);
  try {
    return await new Promise((resolve, reject) => {
      let timer = setTimeout(() => reject(mismatch), CLAIM_MS);
      channel.onmessage = ({ data }) => {
        if (data?.t === 'claim') {
          clearTimeout(timer);
          timer = setTimeout(() => reject(new OAuthError('timeout', 'the window that opened this sign-in popup did not finish it')), OUTCOME_MS);
        } else if (data?.t === 'done') {
          clearTimeout(timer);
          if (data.error) reject(new OAuthError(data.error.code, data.error.description, data.error.uri));
          else resolve(data.tokens);
          // The opener has the outcome: this popup's work is done.
          setTimeout(() => globalThis.close?.());
        }
      };
      channel.postMessage({ t: 'callback', url });
    });
  } finally {
    channel.close();
  }
}
