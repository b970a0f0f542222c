import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';

export interface RedisCommand {
  database: number;
  args: string[];
  /** `lua` for a command a script ran inside Redis; the client's address for a round trip. */
  source: string;
}

/**
 * Records what one Redis database received while `action` ran, through MONITOR: the server's own
 * view, so pipelines, scripts and retries are all seen. ECHO markers sent on the same database
 * before and after bracket the action, so nothing that arrives late is missed. Commands a script
 * runs inside Redis are listed too, with `source: 'lua'`.
 */
export async function redisCommandsDuring<T>(url: string, action: () => Promise<T>): Promise<{ result: T; commands: RedisCommand[] }> {
  const database = Number(new URL(url).pathname.slice(1) || '0');
  const watcher = new Redis(url, { lazyConnect: true });
  const marker = new Redis(url, { lazyConnect: true });
  await Promise.all([watcher.connect(), marker.connect()]);
  const monitor = await watcher.monitor();
  const seen: RedisCommand[] = [];
  const waiting = new Map<string, () => void>();
  monitor.on('monitor', (_time: string, args: string[], source: string, db: string) => {
    if (Number(db) !== database) return;
    seen.push({ database, args, source });
    if (args[0]?.toLowerCase() === 'echo') waiting.get(args[1])?.();
  });
  const mark = async () => {
    const id = `marker-${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => waiting.set(id, resolve));
    await marker.echo(id);
    await arrived;
    return id;
  };
  try {
    const start = await mark();
    const result = await action();
    const end = await mark();
    const from = seen.findIndex((command) => command.args[1] === start);
    const to = seen.findIndex((command) => command.args[1] === end);
    return { result, commands: seen.slice(from + 1, to) };
  } finally {
    monitor.disconnect();
    watcher.disconnect();
    marker.disconnect();
  }
}
