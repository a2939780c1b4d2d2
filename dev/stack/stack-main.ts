import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config';
import { runUntilSignal } from '../../src/run-until-signal';
import { devSecretsFor } from '../dev-secrets';
import { loadEmbeddedPorts } from '../embedded-services';
import { TEMPORAL_SERVER } from '../go-tools';
import { startProductionStack } from './production-stack';

// `npm run stack`: the production topology on this machine (README, "Production topology"): PostgreSQL,
// Temporal's server on it, the Twilio emulator, two api and two worker processes. Ctrl-C stops all.
runUntilSignal(async (onStop) => {
  const config = loadConfig();
  const embedded = loadEmbeddedPorts();
  const dataDir = resolve(config.SWITCHBOARD_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const stack = await startProductionStack({
    // Apart from `npm start`'s services, so the two never share a cluster.
    dataDir: join(dataDir, 'stack'),
    // The same ports as `npm start` (one runs at a time), so the README's commands work against either.
    ports: {
      api: config.PORT,
      postgres: embedded.EMBEDDED_POSTGRES_PORT,
      temporal: embedded.EMBEDDED_TEMPORAL_PORT,
      emulator: embedded.EMULATOR_PORT,
    },
    // The same secrets as `npm start` (.data/dev-secrets.json), for the same reason.
    secrets: devSecretsFor(dataDir, config),
  });
  onStop(stack.stop);

  const row = (name: string, where: string, pid?: number, logFile?: string) =>
    `  ${name.padEnd(10)}${where.padEnd(40)}${(pid ? `pid ${pid}` : '').padEnd(11)}${logFile ?? ''}`.trimEnd();
  console.log(
    [
      '',
      `Switchboard's production topology is running (Temporal server ${TEMPORAL_SERVER.version})`,
      row('API', `${stack.apiUrl} (load balancer)`),
      ...stack.apis.map((a) => row(a.name, a.url, a.pid, a.logFile)),
      ...stack.workers.map((w) => row(w.name, w.url, w.pid, w.logFile)),
      row('temporal', stack.temporal.address, stack.temporal.pid, stack.temporal.logFile),
      row('postgres', stack.postgres.url.replace(/\/postgres$/, ''), stack.postgres.pid),
      row('emulator', stack.emulator.url, undefined, join(stack.logDir, 'emulator.log')),
      '',
      `  Namespace ${stack.namespace}, task queue ${stack.taskQueue}, payments ${process.env.PAYMENT_GATEWAY || 'sandbox'}`,
      `  Bootstrap token and provider secret: from the environment, else in ${join(dataDir, 'dev-secrets.json')}`,
      '  Ctrl-C stops everything.',
    ].join('\n'),
  );
});
