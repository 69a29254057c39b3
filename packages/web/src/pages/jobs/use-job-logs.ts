import { useCallback, useEffect, useRef, useState } from 'react';
import { api, segment } from '../../api/client.ts';
import type { LogLine } from './api.ts';

const pageSize = 200;

/**
 * A job's log, read forward by line id. While the job runs, new lines are fetched every second
 * (the server pages by "after this id", so nothing is read twice); older pages load on demand.
 */
export function useJobLogs(jobId: string, live: boolean) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const last = useRef<number | undefined>(undefined);
  const busy = useRef(false);

  const load = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    try {
      const page = await api.get<{ items: LogLine[] }>(`/api/jobs/${segment(jobId)}/logs`, {
        after: last.current,
        limit: pageSize,
      });
      const tail = page.items.at(-1);
      if (tail) last.current = tail.id;
      if (page.items.length) setLines((old) => [...old, ...page.items]);
      setMore(page.items.length === pageSize);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, [jobId]);

  useEffect(() => {
    last.current = undefined;
    setLines([]);
    void load();
  }, [load]);

  useEffect(() => {
    // When the job ends, one more read picks up its last lines.
    if (!live) {
      void load();
      return;
    }
    const timer = setInterval(() => void load(), 1_000);
    return () => clearInterval(timer);
  }, [live, load]);

  return { lines, more, error, loading, loadMore: load };
}
