import { onTestFinished } from 'vitest';
import { eventually } from './fixtures';
import type { Harness } from './use-harness';

export interface StreamedEvent {
  /** The SSE id: where the event stands in the log (what Last-Event-ID sends back). */
  position: string;
  type: string;
  payload: { id: string; type: string; createdAt: string; data: Record<string, any> };
}

/** A desk's `GET /v1/events`, read as a browser's EventSource would, frame by frame. */
export async function openEventStream(h: Harness, key: string, opts: { lastEventId?: string; after?: string } = {}) {
  const controller = new AbortController();
  const query = opts.after ? `?after=${encodeURIComponent(opts.after)}` : '';
  const res = await fetch(`${h.apiUrl}/v1/events${query}`, {
    headers: { authorization: `Bearer ${key}`, ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}) },
    signal: controller.signal,
  });
  // A test that fails before closing its stream must not leave it open.
  onTestFinished(() => controller.abort());
  const events: StreamedEvent[] = [];
  const comments: string[] = [];
  let buffer = '';
  const reading = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            frame
              .split('\n')
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
          );
          if (frame.startsWith(':')) comments.push(frame.slice(1).trim());
          else if (fields.data)
            events.push({ position: fields.id!, type: fields.event!, payload: JSON.parse(fields.data) });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: res.status,
    body: (res.status === 200 ? undefined : await res.json()) as any,
    events,
    comments,
    /** The stream's events until one matches, or fails after the timeout. */
    until: (what: string, match: (e: StreamedEvent) => boolean, timeoutMs = 15_000) =>
      eventually(() => events.find(match), what, timeoutMs),
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
