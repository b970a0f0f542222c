import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../kernel/auth/identity';

export interface SubgraphHealth {
  name: string;
  url: string;
  ok: boolean;
  error?: string;
}

/**
 * Asks each subgraph for `{ __typename }` with the gateway's proof, in parallel and bounded in time,
 * so `/health/ready` reports a gateway that can actually serve.
 */
export async function probeSubgraphs(
  subgraphs: { name: string; url: string }[],
  subgraphSecret: string,
  timeoutMs = 2000,
): Promise<SubgraphHealth[]> {
  const proof = await signGatewayIdentity(null, subgraphSecret);
  return Promise.all(
    subgraphs.map(async ({ name, url }) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [GATEWAY_IDENTITY_HEADER]: proof },
          body: JSON.stringify({ query: '{ __typename }' }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { name, url, ok: response.ok, error: response.ok ? undefined : `HTTP ${response.status}` };
      } catch (error) {
        return { name, url, ok: false, error: (error as Error).name };
      }
    }),
  );
}
