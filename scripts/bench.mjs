// `npm run bench`: timings, reported and never judged. Needs a built pkg/ (`npm run build`).
//   - Node: generatePkce, encodeAudience and audienceAllowed calls per second (wasm hot paths).
//   - Chromium: time from import to a created client, full sign-ins (click → tokens, through
//     oidc-provider's login and consent pages), then per session: a cached getAccessToken and a
//     refresh grant for another audience.
import { performance } from 'node:perf_hooks';
import { generatePkce, encodeAudience, audienceAllowed } from 'oauth-wasm';
import { startWorld, signIn, ALLOWED_AUDIENCES } from '../tests/e2e/harness.mjs';

const rounds = Number(process.env.ROUNDS ?? 15);
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${s[0].toFixed(1)} ms (n=${s.length})`;
};
const perSecond = (fn, ms = 500) => {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) { fn(); n += 1; }
  return Math.round((n * 1000) / ms);
};

console.log(`node: generatePkce ${perSecond(generatePkce).toLocaleString('en')} /s`);
console.log(`node: encodeAudience(2 values) ${perSecond(() => encodeAudience(ALLOWED_AUDIENCES)).toLocaleString('en')} /s`);
const requested = ['https://api.example.com/user/1234', 'https://api.example.com/billing/x?y=1'];
console.log(`node: audienceAllowed(2 allowed, 2 requested) ${perSecond(() => audienceAllowed(ALLOWED_AUDIENCES, requested)).toLocaleString('en')} /s`);

const world = await startWorld();
try {
  const ready = [];
  const signins = [];
  const cached = [];
  const refreshes = [];
  for (let i = 0; i < rounds; i += 1) {
    const page = await world.newPage();
    await page.goto(`${world.app.origin}/`);
    await page.waitForSelector('body[data-state="ready"]');
    // From navigation start to the client created (module fetched, compiled, instantiated,
    // discovery done).
    ready.push(await page.evaluate(() => performance.now()));
    const t0 = Date.now();
    await signIn(world, page, { audience: ALLOWED_AUDIENCES });
    signins.push(Date.now() - t0);
    // The example app keeps its session in sessionStorage; a client in the page reads it.
    const [hit, refresh] = await page.evaluate(async ([user, billing]) => {
      const { OAuthClient } = await import('oauth-wasm');
      const { client: options } = await (await fetch('/config.json')).json();
      const client = await OAuthClient.create({ ...options, storage: 'session' });
      await client.getAccessToken({ audience: [user] });
      let t = performance.now();
      for (let i = 0; i < 100; i += 1) await client.getAccessToken({ audience: [user] });
      const perCall = (performance.now() - t) / 100;
      t = performance.now();
      await client.refresh({ audience: [billing] });
      return [perCall, performance.now() - t];
    }, ALLOWED_AUDIENCES);
    cached.push(hit);
    refreshes.push(refresh);
    await page.context().close();
  }
  console.log(`chromium: page load → client ready: ${stats(ready)}`);
  console.log(`chromium: full sign-in (login + consent + callback + code exchange): ${stats(signins)}`);
  console.log(`chromium: getAccessToken from the cache (sessionStorage): ${stats(cached)}`);
  console.log(`chromium: refresh grant for another audience (rotation included): ${stats(refreshes)}`);
} finally {
  await world.close();
}
