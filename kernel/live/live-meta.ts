/**
 * What a snapshot feed tells the gateway about each message, beside the data: in the graphql-ws
 * `next` payload's `extensions.live`. The gateway shares one upstream subscription among sockets of
 * the same caller, operation and variables; a socket that joins late needs its own snapshot, on
 * its own upstream subscription, and the two upstream subscriptions can be merged again once the
 * subgraph says they stand at the same point (same `state`), after which their messages are the same.
 */
export interface LiveMeta {
  /** The message belongs to the subscriber's snapshot. */
  snapshot: boolean;
  /** The subgraph's read (one per key per window) this message came from, counted per process. */
  read: number;
  /**
   * On the last message of a read for this subscriber: what the subscriber has been told so far
   * (the snapshot's version and every change counted since), as a short string. Two subscribers
   * of the same key with the same state receive the same messages from then on.
   */
  state?: string;
}

/** A message of a snapshot feed with its meta, as the feed's iterator yields it. */
export interface LiveMessage<T> {
  value: T;
  meta: LiveMeta;
}

const META = Symbol('live meta');

/**
 * For a subscription field's `resolve`: unwraps the message and keeps its meta on the operation's
 * context until the subgraph's graphql-ws server sends the result (`takeLiveMeta`). graphql-js runs
 * one event at a time per operation, and graphql-ws sends each result before taking the next.
 */
export function unwrapLive<T>(message: LiveMessage<T>, context: object): T {
  (context as { [META]?: LiveMeta })[META] = message.meta;
  return message.value;
}

/** The meta of the result being sent, once. */
export function takeLiveMeta(context: unknown): LiveMeta | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const holder = context as { [META]?: LiveMeta };
  const meta = holder[META];
  holder[META] = undefined;
  return meta;
}

/** The meta the gateway received with an upstream event, if it is a snapshot feed's. */
export function readLiveMeta(extensions: Record<string, unknown> | undefined): LiveMeta | undefined {
  const live = extensions?.live as Partial<LiveMeta> | undefined;
  if (!live || typeof live.snapshot !== 'boolean' || typeof live.read !== 'number') return undefined;
  return { snapshot: live.snapshot, read: live.read, state: typeof live.state === 'string' ? live.state : undefined };
}
