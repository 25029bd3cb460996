// `npm run demo`: the bundled local provider and the example SPA, both on loopback.
import { startLocalSetup } from './local-setup.mjs';
import { buildReactExample } from './react-example.mjs';

await buildReactExample();

const setup = await startLocalSetup({
  appPort: Number(process.env.APP_PORT ?? 9012),
  providerPort: Number(process.env.PROVIDER_PORT ?? 9011),
});
console.log(`OpenID provider: ${setup.provider.issuer} (any login name and password)`);
console.log(`Example SPA:     ${setup.app.origin}/   <- open this`);
console.log(`React example:   ${setup.app.origin}/react/`);
console.log('Ctrl+C stops both.');
const stop = async () => { await setup.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
