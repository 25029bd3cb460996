// The measuring side of a bench page, the same for every library; `adapter` (inlined above)
// does the library's job. bench/bench.mjs calls window.bench.* through Playwright; with
// `?auto` in the URL the page signs in by itself as soon as it has loaded.
const cfg = JSON.parse(document.getElementById('bench-config').textContent);
let ctx;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Storage entries (pending logins) made while timing are removed between batches, so that
// every batch starts from the same storage.
const snapshot = () => ({ session: new Set(Object.keys(sessionStorage)), local: new Set(Object.keys(localStorage)) });
const restore = (keep) => {
  for (const k of Object.keys(sessionStorage)) if (!keep.session.has(k)) sessionStorage.removeItem(k);
  for (const k of Object.keys(localStorage)) if (!keep.local.has(k)) localStorage.removeItem(k);
};

window.bench = {
  library: cfg.library,
  // Just before the dynamic import() → a client that can build a sign-in URL (discovery done).
  async ready() {
    const t0 = performance.now();
    const lib = await adapter.load();
    ctx = await adapter.ready(lib, cfg);
    return performance.now() - t0;
  },
  // Median time per sign-in URL (PKCE S256 + state + nonce + audience, pending login stored),
  // in µs. Timed in batches: the page's clock is coarse (no cross-origin isolation).
  async signinUrls(reps = 200, batch = 10) {
    const keep = snapshot();
    const url = await adapter.signinUrl(ctx); // warm-up, and the URL for the bench's checks
    restore(keep);
    const perCall = [];
    for (let done = 0; done < reps; done += batch) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i += 1) await adapter.signinUrl(ctx);
      perCall.push(((performance.now() - t0) * 1000) / batch);
      restore(keep);
    }
    return { url, us: median(perCall) };
  },
  // Starts the real sign-in (navigates away); errors are left on window for the bench.
  start() {
    const go = adapter.start ?? (async (c) => location.assign(await adapter.signinUrl(c)));
    go(ctx).catch((e) => { window.benchError = String(e?.stack ?? e); });
  },
  // On the redirect URI: a ready client first (not timed), then the callback handler → tokens.
  async callback() {
    ctx = await adapter.ready(await adapter.load(), cfg);
    const t0 = performance.now();
    const tokens = await adapter.callback(ctx, location.href);
    const ms = performance.now() - t0;
    // The token request's own time (Resource Timing: request start → response end) is the
    // provider's and the network's; what is left is the library's work: until the request
    // starts, and after its answer has ended.
    const request = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/token') && e.startTime >= t0);
    return {
      ms,
      clientMs: ms - request.reduce((sum, e) => sum + e.duration, 0),
      beforeMs: request.length ? request[0].startTime - t0 : NaN,
      afterMs: request.length ? t0 + ms - request.at(-1).responseEnd : NaN,
      tokens,
    };
  },
};

if (new URLSearchParams(location.search).has('auto')) {
  (async () => {
    const readyMs = await window.bench.ready();
    const url = await adapter.signinUrl(ctx);
    // performance.now() counts from this page's navigation start (its timeOrigin).
    window.benchReport({ atAssign: performance.now(), readyMs, url });
    location.assign(url);
  })().catch((e) => window.benchReport({ error: String(e?.stack ?? e) }));
}
