import { ConfigError } from './config';

type Stop = () => Promise<void>;
/** Registers how to stop something just started; stops run in reverse order. */
export type OnStop = (stop: Stop) => void;

/**
 * Runs `start`, which registers a stop for each thing it starts as it goes. On Ctrl-C / SIGTERM,
 * or if starting fails halfway, the stops run in reverse order (later things depend on earlier
 * ones). A second signal exits at once.
 */
export function runUntilSignal(start: (onStop: OnStop) => Promise<void>): void {
  const stops: Stop[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    stopping = true;
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => console.error('error while stopping:', err));
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      console.error(`\n${signal} received, stopping…`);
      void stopAll(0);
    });
  }
  start((stop) => stops.push(stop)).catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    void stopAll(1);
  });
}
