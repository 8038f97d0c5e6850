/**
 * Bounded concurrency for screening (issue 8 item 7): runs `fn` over `items` with at most `limit`
 * calls pending at once and returns the results in item order. A rejection rejects the whole map
 * (the caller keeps its previous catalog), after the calls already started have settled.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, Math.trunc(limit)), items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}
