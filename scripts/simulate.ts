import { parseArgs } from 'node:util';

// Plays a customer's WhatsApp message through the running emulator (`npm start` starts it):
//   npm run simulate -- --from +15550001111 --body "hi" [--to +15550100001] [--name Carla]
const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '+15550001111' },
    to: { type: 'string', default: '+15550100001' },
    body: { type: 'string', default: 'Hello!' },
    name: { type: 'string', default: 'Demo Customer' },
    media: { type: 'string' },
    'media-type': { type: 'string' },
    emulator: {
      type: 'string',
      // Blank counts as unset, as for every variable npm start reads.
      default: process.env.EMULATOR_URL || `http://localhost:${process.env.EMULATOR_PORT || 4010}`,
    },
  },
});

async function main(): Promise<void> {
  const media = values.media ? [{ url: values.media, contentType: values['media-type'] ?? 'image/jpeg' }] : undefined;
  const res = await fetch(`${values.emulator}/_emulator/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: values.from, to: values.to, body: values.body, profileName: values.name, media }),
  });
  const result = (await res.json()) as { messageSid?: string; status?: number; body?: string; error?: unknown };
  if (!res.ok) throw new Error(`emulator answered ${res.status}: ${JSON.stringify(result)}`);
  console.log(
    `${values.from} → ${values.to}: "${values.body}" (${result.messageSid}); Switchboard answered ${result.status}`,
  );
  // Twilio would retry what Switchboard did not acknowledge; here the customer's message did not get in.
  if (result.status !== 200) {
    console.error(result.body);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(`Is npm start running? It starts the emulator this script posts to (${values.emulator}).`);
  process.exit(1);
});
