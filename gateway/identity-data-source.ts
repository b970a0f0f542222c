import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { context as otelContext, propagation } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { GATEWAY_IDENTITY_HEADER, type Identity } from '../kernel/auth/identity';
import type { Logger } from '../kernel/logger';
import { degradedResponse } from './degraded-fetch';
import { failedFetchOutcome, recordSubgraphFetch } from './metrics';
import { SignedIdentities } from './signed-identities';

export interface GatewayContext {
  identity: Identity | null;
  /** Epoch ms at which the caller's token expires, when it has one. */
  tokenExpiresAt?: number;
  /** The caller's address (see gateway/client-address.ts); subgraphs budget anonymous callers by it. */
  clientAddress?: string;
}

/** Shared by every data source of a process, so the fetches of one request carry one token. */
const signedIdentities = new SignedIdentities();

/** Headers a client might send to impersonate the gateway; never forwarded. */
const STRIPPED_HEADERS = [GATEWAY_IDENTITY_HEADER, 'x-user-id', 'x-user-email', 'authorization'];

/**
 * Sends every subgraph request with an identity token signed by the gateway (see
 * `SignedIdentities`), and nothing the client sent that could pass for one.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly subgraphSecret: string,
    fetcher: RemoteGraphQLDataSource['fetcher'],
    private readonly logger?: Logger,
    /** The subgraph's name in the supergraph, the `subgraph` label of fetch metrics. */
    private readonly subgraphName = 'unknown',
  ) {
    super({ url, fetcher });
  }

  /**
   * A subgraph that cannot answer fails alone: its fields come back null with SERVICE_DEGRADED at
   * their paths instead of a pathless error, and the other subgraphs' fields of the same request
   * stay (issue 16).
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const start = process.hrtime.bigint();
    // Only a client's operation has fields to answer for; a health check or schema load keeps its error.
    const fromClient = 'incomingRequestContext' in options;
    try {
      const response = await super.process(options);
      if (fromClient) recordSubgraphFetch(this.subgraphName, response.errors?.length ? 'graphql_error' : 'ok', start);
      return response;
    } catch (error) {
      if (!fromClient) throw error;
      // errorFromResponse's GraphQLError is a non-2xx answer; anything else the fetcher threw.
      recordSubgraphFetch(this.subgraphName, error instanceof GraphQLError ? 'http_error' : failedFetchOutcome(error), start);
      this.logger?.warn({ err: error instanceof GraphQLError && error.originalError ? error.originalError : error, subgraph: this.url }, 'a subgraph could not answer');
      return degradedResponse(options.request, options.document);
    }
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    for (const name of STRIPPED_HEADERS) headers.delete(name);
    headers.set(GATEWAY_IDENTITY_HEADER, await this.tokenFor(context));
    // W3C traceparent of the active `gateway.fetch` span (nothing while tracing is off).
    propagation.inject(otelContext.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
  }

  private tokenFor(context: Partial<GatewayContext> | Record<string, unknown> | undefined): Promise<string> {
    const caller = context as Partial<GatewayContext> | undefined;
    return signedIdentities.tokenFor(this.subgraphSecret, caller?.identity ?? null, caller?.clientAddress);
  }

  /**
   * A subgraph answering with a non-2xx status (a rejected proof after a secret rotation, a crash)
   * is the gateway's problem, not the client's: the default error carries the subgraph's URL and
   * body, so answer a bare SERVICE_DEGRADED and keep the details in the logs.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const detailed = await super.errorFromResponse(response);
    return new GraphQLError('A service behind the gateway is unavailable; try again shortly.', {
      extensions: { code: 'SERVICE_DEGRADED' },
      originalError: detailed,
    });
  }
}
