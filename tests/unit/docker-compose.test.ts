/**
 * Static checks of the container setup: docker-compose.yml, Dockerfile and .dockerignore.
 *
 * No container engine is needed: the compose file is parsed (anchors and merge keys
 * resolved, as compose does) and its wiring is checked by construction, so that a
 * wrong port, host, dependency or entry file fails here rather than at `docker compose up`.
 * Cross-cutting checks collect every problem as a sentence and expect an empty list,
 * so a failure names all the broken services at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const REPO = path.resolve(__dirname, '../..');

type EnvValue = string | number | boolean | null;

interface DependsOnEntry {
  condition?: string;
  required?: boolean;
  restart?: boolean;
}

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

type PortEntry = string | number | { target?: number | string; published?: number | string };

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  ports?: PortEntry[];
  depends_on?: string[] | Record<string, DependsOnEntry | null>;
  healthcheck?: Healthcheck;
  restart?: string;
}

interface ComposeFile {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const SUBGRAPH_PORTS: Record<string, number> = { offers: 4001, ads: 4002, waitlist: 4003, analytics: 4004 };
const SUBGRAPHS = Object.keys(SUBGRAPH_PORTS);
const INFRA = ['postgres', 'redis', 'kafka'];
const APP_SERVICES = ['migrate', ...SUBGRAPHS, 'gateway'];
const GATEWAY_PORT = 4000;
const VALID_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];
/** Ports the official images listen on by default (kafka is read from its listeners instead). */
const IMAGE_PORTS: Record<string, number> = { postgres: 5432, redis: 6379 };

function readRepoFile(relative: string): string {
  return readFileSync(path.join(REPO, relative), 'utf8');
}

const compose = parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;
const services: Record<string, Service> = compose.services ?? {};

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The environment of a service as a string map, whichever form (map or KEY=VALUE list) it uses. */
function envOf(svc: Service): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = svc.environment;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else if (raw) {
    for (const [key, value] of Object.entries(raw)) env[key] = value === null ? '' : String(value);
  }
  return env;
}

/** The value compose would use when the host environment sets nothing: `${VAR:-default}` becomes `default`. */
function withHostEnvUnset(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_match, _name: string, fallback?: string) =>
    fallback ?? '',
  );
}

function resolvedEnv(svc: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(envOf(svc)).map(([key, value]) => [key, withHostEnvUnset(value)]));
}

function commandOf(svc: Service): string[] {
  if (Array.isArray(svc.command)) return svc.command.map(String);
  if (typeof svc.command === 'string') return svc.command.trim().split(/\s+/);
  return [];
}

function dependsOnOf(svc: Service): Record<string, string> {
  const deps = svc.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([name, entry]) => [name, entry?.condition ?? 'service_started']),
  );
}

function hasHealthcheck(svc: Service): boolean {
  const hc = svc.healthcheck;
  if (!hc || hc.disable) return false;
  const test = Array.isArray(hc.test) ? hc.test : hc.test ? [hc.test] : [];
  return test.length > 0 && test[0] !== 'NONE';
}

function healthcheckUrl(svc: Service): URL | undefined {
  const test = svc.healthcheck?.test;
  const text = Array.isArray(test) ? test.join(' ') : (test ?? '');
  const match = /https?:\/\/[^\s'"`]+/.exec(text);
  return match ? new URL(match[0]) : undefined;
}

/** Container ports a service publishes on the host. */
function publishedContainerPorts(svc: Service): number[] {
  return (svc.ports ?? []).map((entry) => {
    if (typeof entry === 'object') return Number(entry.target);
    const spec = String(entry).split('/')[0] ?? '';
    const parts = spec.split(':');
    return Number(parts[parts.length - 1]);
  });
}

function imageName(svc: Service | undefined): string {
  const image = svc?.image ?? '';
  const last = image.split('/').pop() ?? '';
  return last.split(':')[0] ?? '';
}

function urlPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Ports a kafka service listens on / advertises, from its listener settings (`NAME://host:port`). */
function kafkaListenerPorts(value: string | undefined): Array<{ name: string; host: string; port: number }> {
  return (value ?? '')
    .split(',')
    .map((entry) => /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(entry.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] ?? '', host: m[2] ?? '', port: Number(m[3]) }));
}

describe('docker-compose.yml', () => {
  it('defines postgres, redis, kafka, migrate, the four subgraphs and the gateway', () => {
    const missing = [...INFRA, ...APP_SERVICES].filter((name) => !(name in services));
    expect(missing).toEqual([]);
  });

  it('builds migrate, the subgraphs and the gateway as one image from the repository Dockerfile', () => {
    const problems: string[] = [];
    const images = new Set<string>();
    for (const name of APP_SERVICES) {
      const svc = services[name];
      if (!svc) continue;
      const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
      if (!build) {
        problems.push(`${name} has no build section`);
        continue;
      }
      const dockerfile = path.join(REPO, build.context ?? '.', build.dockerfile ?? 'Dockerfile');
      if (path.resolve(REPO, build.context ?? '.') !== REPO) problems.push(`${name} builds from ${build.context}, not the repository root`);
      if (!existsSync(dockerfile)) problems.push(`${name} builds from ${dockerfile}, which does not exist`);
      images.add(svc.image ?? `<no image name on ${name}>`);
    }
    expect(problems).toEqual([]);
    expect([...images]).toHaveLength(1);
  });

  it('points every depends_on at an existing service whose condition that service can satisfy', () => {
    const problems: string[] = [];
    for (const [name, svc] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependsOnOf(svc))) {
        const dep = services[target];
        if (!dep) {
          problems.push(`${name} depends on "${target}", which is not a service`);
          continue;
        }
        if (!VALID_CONDITIONS.includes(condition)) {
          problems.push(`${name} depends on ${target} with unknown condition "${condition}"`);
        }
        if (condition === 'service_healthy' && !hasHealthcheck(dep)) {
          problems.push(`${name} waits for ${target} to be healthy, but ${target} has no healthcheck`);
        }
        if (condition === 'service_completed_successfully' && !['no', 'on-failure'].includes(String(dep.restart ?? 'no'))) {
          problems.push(
            `${name} waits for ${target} to complete, but ${target} has restart "${dep.restart}" and would be restarted`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no dependency cycle between services', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(name)), name].join(' -> '));
        return;
      }
      state.set(name, 'visiting');
      for (const target of Object.keys(dependsOnOf(services[name] ?? {}))) {
        if (services[target]) visit(target, [...trail, name]);
      }
      state.set(name, 'done');
    };
    for (const name of Object.keys(services)) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('starts each subgraph only after postgres, redis and kafka are healthy and migrate has completed', () => {
    const expected = {
      postgres: 'service_healthy',
      redis: 'service_healthy',
      kafka: 'service_healthy',
      migrate: 'service_completed_successfully',
    };
    for (const name of SUBGRAPHS) {
      expect({ service: name, depends_on: dependsOnOf(service(name)) }).toEqual({
        service: name,
        depends_on: expect.objectContaining(expected),
      });
    }
  });

  it('runs migrate once against a healthy postgres and keeps the subgraphs from migrating themselves', () => {
    const migrate = service('migrate');
    expect(commandOf(migrate)).toEqual(['node', 'dist/migrate.js']);
    expect(dependsOnOf(migrate)).toEqual(expect.objectContaining({ postgres: 'service_healthy' }));
    expect(String(migrate.restart)).toBe('no');
    for (const name of SUBGRAPHS) {
      expect({ service: name, RUN_MIGRATIONS: envOf(service(name)).RUN_MIGRATIONS }).toEqual({
        service: name,
        RUN_MIGRATIONS: 'false',
      });
    }
  });

  it('starts the gateway only after redis and all four subgraphs are healthy', () => {
    const deps = dependsOnOf(service('gateway'));
    for (const name of [...SUBGRAPHS, 'redis']) {
      expect({ dependency: name, condition: deps[name] }).toEqual({ dependency: name, condition: 'service_healthy' });
    }
  });

  it('runs each subgraph under its own name, bound to 0.0.0.0 on the port its <NAME>_PORT configures', () => {
    for (const name of SUBGRAPHS) {
      const svc = service(name);
      const env = envOf(svc);
      expect({
        service: name,
        command: commandOf(svc),
        SUBGRAPH_HOST: env.SUBGRAPH_HOST,
        port: env[`${name.toUpperCase()}_PORT`],
      }).toEqual({
        service: name,
        command: ['node', 'dist/subgraphs/main.js', name],
        SUBGRAPH_HOST: '0.0.0.0',
        port: String(SUBGRAPH_PORTS[name]),
      });
    }
  });

  it('points each subgraph URL on the gateway at the service whose port env matches the URL port', () => {
    const gatewayEnv = resolvedEnv(service('gateway'));
    const problems: string[] = [];
    for (const name of SUBGRAPHS) {
      const variable = `${name.toUpperCase()}_URL`;
      const raw = gatewayEnv[variable];
      if (!raw) {
        problems.push(`gateway does not set ${variable}`);
        continue;
      }
      const url = new URL(raw);
      const target = services[url.hostname];
      if (!target) {
        problems.push(`gateway ${variable}=${raw} names host "${url.hostname}", which is not a service`);
        continue;
      }
      if (url.hostname !== name) problems.push(`gateway ${variable}=${raw} should point at the ${name} service`);
      const portVariable = `${url.hostname.toUpperCase()}_PORT`;
      const listening = resolvedEnv(target)[portVariable];
      if (listening !== String(urlPort(url))) {
        problems.push(
          `gateway ${variable}=${raw} uses port ${urlPort(url)}, but ${url.hostname} listens on ${portVariable}=${listening ?? '(unset)'}`,
        );
      }
      if (url.pathname !== '/graphql') problems.push(`gateway ${variable}=${raw} should end in /graphql`);
    }
    expect(problems).toEqual([]);
  });

  it('health-checks each subgraph on /health/live and the gateway on /health/ready, on the ports they listen on', () => {
    const problems: string[] = [];
    const probes: Array<[string, string, string]> = [
      ...SUBGRAPHS.map((name): [string, string, string] => [name, `${name.toUpperCase()}_PORT`, '/health/live']),
      ['gateway', 'GATEWAY_PORT', '/health/ready'],
    ];
    for (const [name, portVariable, expectedPath] of probes) {
      const svc = services[name];
      if (!svc) continue;
      const url = healthcheckUrl(svc);
      const listening = resolvedEnv(svc)[portVariable];
      if (!url) {
        problems.push(`${name} has no HTTP healthcheck`);
        continue;
      }
      if (String(urlPort(url)) !== listening) {
        problems.push(`${name} healthcheck probes port ${urlPort(url)}, but ${portVariable}=${listening ?? '(unset)'}`);
      }
      if (url.pathname !== expectedPath) problems.push(`${name} healthcheck probes ${url.pathname}, expected ${expectedPath}`);
      const test = svc.healthcheck?.test;
      const command = Array.isArray(test) ? test.slice(1) : [test ?? ''];
      if (/\b(curl|wget)\b/.test(command.join(' '))) {
        problems.push(`${name} healthcheck uses curl/wget, which the node slim image does not have`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('points DATABASE_URL, REDIS_URL and KAFKA_BROKERS at existing services on the ports their images listen on', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [name, svc] of Object.entries(services)) {
      const env = resolvedEnv(svc);

      if (env.DATABASE_URL) {
        checked += 1;
        const url = new URL(env.DATABASE_URL);
        const target = services[url.hostname];
        if (!target || imageName(target) !== 'postgres') {
          problems.push(`${name} DATABASE_URL host "${url.hostname}" is not a postgres service`);
        } else {
          const pg = resolvedEnv(target);
          const port = url.port === '' ? 5432 : Number(url.port);
          if (port !== IMAGE_PORTS.postgres) {
            problems.push(`${name} DATABASE_URL uses port ${port}; postgres listens on ${IMAGE_PORTS.postgres}`);
          }
          const credentials = {
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password),
            db: url.pathname.replace(/^\//, ''),
          };
          const expected = { user: pg.POSTGRES_USER, password: pg.POSTGRES_PASSWORD, db: pg.POSTGRES_DB };
          if (JSON.stringify(credentials) !== JSON.stringify(expected)) {
            problems.push(
              `${name} DATABASE_URL uses ${JSON.stringify(credentials)}, but ${url.hostname} is set up with ${JSON.stringify(expected)}`,
            );
          }
        }
      }

      if (env.REDIS_URL) {
        checked += 1;
        const url = new URL(env.REDIS_URL);
        const target = services[url.hostname];
        const port = url.port === '' ? 6379 : Number(url.port);
        if (!target || imageName(target) !== 'redis') {
          problems.push(`${name} REDIS_URL host "${url.hostname}" is not a redis service`);
        } else if (port !== IMAGE_PORTS.redis) {
          problems.push(`${name} REDIS_URL uses port ${port}; redis listens on ${IMAGE_PORTS.redis}`);
        }
      }

      if (env.KAFKA_BROKERS) {
        checked += 1;
        for (const broker of env.KAFKA_BROKERS.split(',').map((b) => b.trim())) {
          const [host = '', portText = ''] = broker.split(':');
          const target = services[host];
          if (!target || imageName(target) !== 'kafka') {
            problems.push(`${name} KAFKA_BROKERS entry "${broker}" does not name a kafka service`);
            continue;
          }
          const kafkaEnv = resolvedEnv(target);
          const advertised = kafkaListenerPorts(kafkaEnv.KAFKA_ADVERTISED_LISTENERS);
          const listening = kafkaListenerPorts(kafkaEnv.KAFKA_LISTENERS);
          if (!advertised.some((l) => l.host === host && l.port === Number(portText))) {
            problems.push(
              `${name} KAFKA_BROKERS entry "${broker}" is not among ${host}'s KAFKA_ADVERTISED_LISTENERS (${kafkaEnv.KAFKA_ADVERTISED_LISTENERS})`,
            );
          }
          if (!listening.some((l) => l.port === Number(portText))) {
            problems.push(
              `${name} KAFKA_BROKERS entry "${broker}" uses a port ${host} does not listen on (KAFKA_LISTENERS=${kafkaEnv.KAFKA_LISTENERS})`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // migrate and the four subgraphs need postgres, redis and kafka; the gateway needs redis.
    expect(checked).toBeGreaterThanOrEqual(16);
  });

  it('runs kafka as a single KRaft broker+controller whose quorum voter is itself', () => {
    const env = resolvedEnv(service('kafka'));
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    expect(kafkaListenerPorts(env.KAFKA_LISTENERS)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'CONTROLLER', port: 9093 })]),
    );
    expect(service('kafka').healthcheck?.start_period).toBeDefined();
  });

  it('publishes only port 4000 for the gateway and keeps the subgraphs internal', () => {
    const gateway = service('gateway');
    expect(publishedContainerPorts(gateway)).toEqual([GATEWAY_PORT]);
    expect(gateway.ports?.map(String)).toEqual([`${GATEWAY_PORT}:${GATEWAY_PORT}`]);
    expect(resolvedEnv(gateway).GATEWAY_PORT).toBe(String(GATEWAY_PORT));
    for (const name of SUBGRAPHS) {
      expect({ service: name, ports: service(name).ports ?? [] }).toEqual({ service: name, ports: [] });
    }
  });

  it('gives the gateway and the subgraphs the same secrets, which the host must supply (no default)', () => {
    const problems: string[] = [];
    for (const variable of ['SUBGRAPH_SECRET', 'AUTH_JWT_SECRET']) {
      const raw = new Set<string>();
      for (const name of [...SUBGRAPHS, 'gateway', 'migrate']) {
        const value = envOf(service(name))[variable];
        if (value === undefined) {
          problems.push(`${name} does not set ${variable}`);
          continue;
        }
        raw.add(value);
        if (!value.startsWith(`\${${variable}:?`)) problems.push(`${name} ${variable} does not require the host to set it`);
      }
      if (raw.size > 1) problems.push(`${variable} differs between services: ${[...raw].join(' | ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('passes the Stripe keys to offers from the host environment', () => {
    const env = envOf(service('offers'));
    expect(env.STRIPE_SECRET_KEY).toMatch(/^\$\{STRIPE_SECRET_KEY(:?-[^}]*)?\}$/);
    expect(env.STRIPE_WEBHOOK_SECRET).toMatch(/^\$\{STRIPE_WEBHOOK_SECRET(:?-[^}]*)?\}$/);
  });

  it('runs the app services with NODE_ENV=production', () => {
    for (const name of APP_SERVICES) {
      expect({ service: name, NODE_ENV: envOf(service(name)).NODE_ENV }).toEqual({ service: name, NODE_ENV: 'production' });
    }
  });

  it('keeps postgres data in a declared named volume', () => {
    const volumes = (service('postgres') as { volumes?: Array<string | { source?: string }> }).volumes ?? [];
    const sources = volumes.map((v) => (typeof v === 'string' ? (v.split(':')[0] ?? '') : (v.source ?? '')));
    const named = sources.filter((source) => source !== '' && !source.startsWith('.') && !source.startsWith('/'));
    expect(named.length).toBeGreaterThan(0);
    for (const volume of named) expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it('starts every command from a dist/ file compiled from an existing TypeScript source', () => {
    const entries: Array<[string, string[]]> = Object.entries(services).map(([name, svc]) => [name, commandOf(svc)]);
    entries.push(['Dockerfile CMD', dockerfileCmd()]);
    const problems: string[] = [];
    let checked = 0;
    for (const [owner, command] of entries) {
      for (const arg of command) {
        const match = /^(?:\.\/)?dist\/(.+)\.js$/.exec(arg);
        if (!match) continue;
        checked += 1;
        const source = `${match[1]}.ts`;
        if (!existsSync(path.join(REPO, source))) {
          problems.push(`${owner} runs ${arg}, but its source ${source} does not exist`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(APP_SERVICES.length + 1);
  });
});

// --- Dockerfile ---------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of the Dockerfile, with comments dropped and `\` continuations joined. */
function dockerfileInstructions(): Instruction[] {
  const text = readRepoFile('Dockerfile')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\r?\n/g, ' ');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** Instructions of the last (runtime) stage. */
function finalStage(): Instruction[] {
  const all = dockerfileInstructions();
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

function dockerfileCmd(): string[] {
  const cmd = finalStage().filter((i) => i.keyword === 'CMD').pop();
  if (!cmd) return [];
  try {
    const parsed: unknown = JSON.parse(cmd.args);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // shell form
  }
  return cmd.args.split(/\s+/);
}

describe('Dockerfile', () => {
  it('exists and builds with npm ci followed by npm run build', () => {
    expect(existsSync(path.join(REPO, 'Dockerfile'))).toBe(true);
    const runs = dockerfileInstructions()
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args);
    const ci = runs.findIndex((args) => /\bnpm ci\b/.test(args) && !/--omit=dev/.test(args));
    const build = runs.findIndex((args) => /\bnpm run build\b/.test(args));
    expect({ npmCi: ci >= 0, npmRunBuild: build >= 0, ciBeforeBuild: ci >= 0 && ci < build }).toEqual({
      npmCi: true,
      npmRunBuild: true,
      ciBeforeBuild: true,
    });
  });

  it('uses node:20-bookworm-slim and a separate runtime stage with production dependencies only', () => {
    const all = dockerfileInstructions();
    const froms = all.filter((i) => i.keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const baseImages = readRepoFile('Dockerfile');
    expect(baseImages).toContain('node:20-bookworm-slim');
    const runtime = finalStage();
    expect(runtime.some((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args))).toBe(false);
  });

  it('copies patches/ before every npm ci, whose postinstall (patch-package) applies them to node_modules', () => {
    expect(JSON.parse(readRepoFile('package.json')).scripts.postinstall).toBe('patch-package');
    const stages: Instruction[][] = [];
    for (const instruction of dockerfileInstructions()) {
      if (instruction.keyword === 'FROM') stages.push([]);
      stages.at(-1)?.push(instruction);
    }
    const installs = stages.filter((stage) => stage.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args)));
    expect(installs.length).toBe(2);
    for (const stage of installs) {
      const copied = stage.findIndex((i) => i.keyword === 'COPY' && /^patches\b/.test(i.args));
      const installed = stage.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      expect({ copied: copied >= 0, beforeInstall: copied < installed }).toEqual({ copied: true, beforeInstall: true });
    }
  });

  it('copies dist, schema and migrations into the runtime stage', () => {
    const copies = finalStage()
      .filter((i) => i.keyword === 'COPY')
      .map((i) => i.args);
    for (const folder of ['dist', 'schema', 'migrations']) {
      expect({ folder, copied: copies.some((args) => new RegExp(`(^|[\\s/])${folder}/?(\\s|$)`).test(args)) }).toEqual({
        folder,
        copied: true,
      });
    }
  });

  it('runs as a non-root user', () => {
    const users = finalStage().filter((i) => i.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = (users[users.length - 1]?.args ?? '').split(':')[0];
    expect(['root', '0']).not.toContain(user);
  });

  it('starts the gateway by default', () => {
    expect(dockerfileCmd()).toEqual(['node', 'dist/gateway/main.js']);
  });
});

describe('.dockerignore', () => {
  it('keeps host dependencies, build output, local services state and git out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim().replace(/^\/+|\/+$/g, ''))
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.services', '.git', 'coverage', 'bench/results']));
  });
});

describe('docker-compose.yml observability (issue 18)', () => {
  const METRICS_PORT = 9464;
  const prometheusConfig = parse(readRepoFile('deploy/observability/prometheus.yml')) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  const mountsOf = (name: string) =>
    ((service(name) as { volumes?: string[] }).volumes ?? []).map((entry) => {
      const [source = '', target = ''] = String(entry).split(':');
      return { source, target };
    });

  it('runs Prometheus with the scrape configuration from the repository', () => {
    const prometheus = service('prometheus');
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d/);
    const config = mountsOf('prometheus').find((mount) => mount.target === '/etc/prometheus/prometheus.yml');
    expect(config?.source).toBe('./deploy/observability/prometheus.yml');
    expect(existsSync(path.join(REPO, config!.source))).toBe(true);
    expect(commandOf(prometheus).join(' ')).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  it('scrapes /metrics of the gateway and of every subgraph on the metrics port, not on their GraphQL ports', () => {
    const targets = prometheusConfig.scrape_configs.flatMap((job) => {
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      return job.static_configs.flatMap((config) => config.targets);
    });
    expect(targets.sort()).toEqual(['gateway', ...SUBGRAPHS].map((name) => `${name}:${METRICS_PORT}`).sort());
    for (const name of ['gateway', ...SUBGRAPHS]) {
      // Neither overridden away from the port Prometheus scrapes, nor turned off.
      const env = resolvedEnv(service(name));
      expect({ service: name, port: env.METRICS_PORT ?? String(METRICS_PORT), enabled: env.METRICS_ENABLED ?? 'true' }).toEqual({
        service: name,
        port: String(METRICS_PORT),
        enabled: 'true',
      });
      expect(publishedContainerPorts(service(name))).not.toContain(METRICS_PORT);
    }
  });

  it('runs Grafana with a provisioned Prometheus data source and the dashboard from the repository', () => {
    const grafana = service('grafana');
    expect(grafana.image).toMatch(/^grafana\/grafana:\d/);
    expect(dependsOnOf(grafana)).toEqual({ prometheus: 'service_healthy' });
    const mounts = mountsOf('grafana');
    const provisioning = mounts.find((mount) => mount.target === '/etc/grafana/provisioning');
    const dashboards = mounts.find((mount) => mount.target === '/var/lib/grafana/dashboards');
    expect(provisioning?.source).toBe('./deploy/observability/grafana/provisioning');
    expect(dashboards?.source).toBe('./deploy/observability/grafana/dashboards');
    const datasources = parse(readRepoFile('deploy/observability/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { type: string; uid: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' })]);
    const provider = parse(readRepoFile('deploy/observability/grafana/provisioning/dashboards/dashboards.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    const dashboard = JSON.parse(readRepoFile('deploy/observability/grafana/dashboards/supergraph.json')) as {
      panels: { type: string; title: string; datasource?: { uid: string } }[];
    };
    const rows = dashboard.panels.filter((panel) => panel.type === 'row').map((panel) => panel.title);
    expect(rows).toEqual(expect.arrayContaining(['Traffic', 'Subgraphs', 'Subscriptions', 'Events', 'Dependencies']));
    for (const panel of dashboard.panels.filter((one) => one.type !== 'row')) expect(panel.datasource?.uid).toBe('prometheus');
  });

  it('publishes Grafana only; Prometheus stays on the compose network', () => {
    expect(publishedContainerPorts(service('grafana'))).toEqual([3000]);
    expect(service('prometheus').ports ?? []).toEqual([]);
  });
});
