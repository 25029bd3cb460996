// `npm run bench`: timings, reported and never judged. Needs a built pkg/ (`npm run build`).
//   - Node: generatePkce and encodeAudience calls per second (the wasm hot paths).
//   - Chromium: time from import to a created client, and full sign-ins (click → tokens,
//     through oidc-provider's login and consent pages) over several rounds.
import { performance } from 'node:perf_hooks';
import { generatePkce, encodeAudience } from 'oauth-wasm';
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

const world = await startWorld();
try {
  const ready = [];
  const signins = [];
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
    await page.context().close();
  }
  console.log(`chromium: page load → client ready: ${stats(ready)}`);
  console.log(`chromium: full sign-in (login + consent + callback + code exchange): ${stats(signins)}`);
} finally {
  await world.close();
}
