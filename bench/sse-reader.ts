/** One event as a desk receives it, and when it arrived. */
export interface Arrival {
  id: string;
  type: string;
  data: Record<string, any>;
  at: number;
}

/** A desk's `GET /v1/events`, read frame by frame as it arrives; close() lets go of it. */
export async function readEvents(apiUrl: string, key: string) {
  const gone = new AbortController();
  const res = await fetch(`${apiUrl}/v1/events`, { headers: { authorization: `Bearer ${key}` }, signal: gone.signal });
  if (res.status !== 200 || !res.body) throw new Error(`GET /v1/events answered ${res.status}`);
  const arrivals: Arrival[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        const at = performance.now();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((line) => line.startsWith('data:'));
          buffer = buffer.slice(end + 2);
          if (data) arrivals.push({ ...JSON.parse(data.slice(5)), at });
        }
      }
    } catch {
      // close() aborted it.
    }
  })();
  return {
    arrivals,
    close: async () => {
      gone.abort();
      await reading;
    },
  };
}
