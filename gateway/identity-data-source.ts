import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { context as otelContext, propagation } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { GATEWAY_IDENTITY_HEADER, type Identity } from '../kernel/auth/identity';
import { ACCESS_GRANT_EXTENSION, ACCESS_GRANT_HEADER } from '../kernel/platform/access-grant';
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
  /** Access grants the request's subgraph fetches answered with, handed to its later fetches. */
  accessGrants?: string[];
}

/** Shared by every data source of a process, so the fetches of one request carry one token. */
const signedIdentities = new SignedIdentities();

/** Headers a client might send to impersonate the gateway; never forwarded. */
const STRIPPED_HEADERS = [GATEWAY_IDENTITY_HEADER, ACCESS_GRANT_HEADER, 'x-user-id', 'x-user-email', 'authorization'];

/** The grants one request hands on at most (the newest; a subgraph reads no more). */
const GRANTS_HANDED_ON = 8;

/**
 * A subgraph's access grant (see kernel/platform/access-grant.ts) is kept for the request's later
 * fetches and taken out of the response, so it never reaches the client.
 */
function keepAccessGrant(response: GatewayGraphQLResponse, context: Partial<GatewayContext> | undefined): void {
  const grant = response.extensions?.[ACCESS_GRANT_EXTENSION];
  if (grant === undefined) return;
  delete response.extensions![ACCESS_GRANT_EXTENSION];
  if (typeof grant !== 'string' || !context) return;
  const grants = (context.accessGrants ??= []);
  grants.push(grant);
  if (grants.length > GRANTS_HANDED_ON) grants.shift();
}

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
      if (fromClient) keepAccessGrant(response, options.context);
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
    const grants = (context as Partial<GatewayContext> | undefined)?.accessGrants;
    if (grants?.length) headers.set(ACCESS_GRANT_HEADER, grants.join(','));
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
