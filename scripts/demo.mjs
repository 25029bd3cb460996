// `npm run demo`: the bundled local provider and the example SPA, both on loopback.
// `npm run demo -- --hydra` (or PROVIDER=hydra): a real Ory Hydra instead, with its login and
// consent app, built first by scripts/bootstrap.sh when it is not cached yet.
import { spawnSync } from 'node:child_process';
import { buildReactExample } from './react-example.mjs';

const hydra = process.argv.includes('--hydra') || process.env.PROVIDER === 'hydra';

await buildReactExample();

let setup;
if (hydra) {
  const built = spawnSync('bash', ['scripts/bootstrap.sh', 'hydra'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const { startHydraSetup, HYDRA_ALLOWED } = await import('./hydra.mjs');
  setup = await startHydraSetup({
    appPort: Number(process.env.APP_PORT ?? 9012),
    ports: { publicPort: Number(process.env.PROVIDER_PORT ?? 9011), adminPort: Number(process.env.HYDRA_ADMIN_PORT ?? 9013), loginPort: Number(process.env.LOGIN_PORT ?? 9014) },
  });
  console.log(`Ory Hydra:       ${setup.hydra.issuer} (admin API ${setup.hydra.admin})`);
  console.log(`Login + consent: ${setup.hydra.loginApp.origin} (any user name)`);
  console.log(`Client 'spa':    audience allow-list ${HYDRA_ALLOWED.join(', ')}; the SPA asks for the first two`);
} else {
  const { startLocalSetup } = await import('./local-setup.mjs');
  setup = await startLocalSetup({
    appPort: Number(process.env.APP_PORT ?? 9012),
    providerPort: Number(process.env.PROVIDER_PORT ?? 9011),
  });
  console.log(`OpenID provider: ${setup.provider.issuer} (any login name and password)`);
}
console.log(`Example SPA:     ${setup.app.origin}/   <- open this`);
console.log(`React example:   ${setup.app.origin}/react/`);
console.log('Ctrl+C stops both.');
const stop = async () => { await setup.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
