import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The Helm chart in deploy/helm: lints, renders for the value sets in its ci/ folder, validates every
 * object against the Kubernetes schemas, and has the properties a rollout under load relies on.
 * helm comes from scripts/deploy/helm.sh (built once from the Go module proxy, cached).
 */

const ROOT = path.resolve(__dirname, '../..');
const CHART = path.join(ROOT, 'deploy/helm/monetization-supergraph');
const KUBE_VERSION = '1.34.0';
const COMPONENTS = ['gateway', 'offers', 'ads', 'waitlist', 'analytics'] as const;
const SUBGRAPHS = COMPONENTS.filter((name) => name !== 'gateway');
const SECRET_KEYS = ['AUTH_JWT_SECRET', 'SUBGRAPH_SECRET', 'DATABASE_URL', 'REDIS_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'];
const VALUE_SETS = ['chart-secret-values.yaml', 'existing-secret-values.yaml'];

// Building helm on a fresh machine takes minutes; afterwards it is cached.
jest.setTimeout(20 * 60_000);

/* eslint-disable @typescript-eslint/no-explicit-any */
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; [key: string]: any };

let helm: string;
let scratch: string;

function helmRun(args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(helm, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function renderText(valueFiles: string[], sets: string[] = []): { status: number; stdout: string; stderr: string } {
  return helmRun([
    'template', 'shop', CHART, '--namespace', 'shop', '--kube-version', KUBE_VERSION,
    ...valueFiles.flatMap((file) => ['-f', file]),
    ...sets.flatMap((set) => ['--set', set]),
  ]);
}

function ciValues(name: string): string {
  return path.join(CHART, 'ci', name);
}

function render(valueFiles: string[], sets: string[] = []): K8sObject[] {
  const result = renderText(valueFiles, sets);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

const nameOf = (component: string) => `shop-monetization-supergraph-${component}`;

beforeAll(() => {
  helm = process.env.HELM_BIN ?? execFileSync('bash', [path.join(ROOT, 'scripts/deploy/helm.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'deploy-chart-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(VALUE_SETS)('the chart rendered with ci/%s', (valueSet) => {
  let objects: K8sObject[];
  let configEnv: Record<string, string>;
  beforeAll(() => {
    objects = render([ciValues(valueSet)]);
    configEnv = find(objects, 'ConfigMap', 'shop-monetization-supergraph-env').data;
  });

  it('passes helm lint --strict', () => {
    const result = helmRun(['lint', '--strict', '--kube-version', KUBE_VERSION, CHART, '-f', ciValues(valueSet)]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('0 chart(s) failed');
  });

  it('validates against the Kubernetes schemas, every object', () => {
    const file = path.join(scratch, valueSet);
    writeFileSync(file, renderText([ciValues(valueSet)]).stdout);
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/deploy/validate-manifests.ts'), file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(objects.length);
  });

  it.each(COMPONENTS)('runs %s with readiness on /health/ready, liveness on /health/live, and bounded resources', (component) => {
    const deployment = find(objects, 'Deployment', nameOf(component));
    const pod = deployment.spec.template.spec;
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers;
    expect(container.command).toEqual(component === 'gateway' ? ['node', 'dist/gateway/main.js'] : ['node', 'dist/subgraphs/main.js', component]);
    const port = container.ports.find((p: { name: string }) => p.name === 'http').containerPort;
    expect(String(port)).toBe(configEnv[`${component.toUpperCase()}_PORT`]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    for (const kind of ['requests', 'limits']) {
      expect(container.resources[kind]).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    }
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  it.each(COMPONENTS)('gives %s time to drain: grace period ≥ preStop sleep + SHUTDOWN_DRAIN_MS', (component) => {
    const pod = find(objects, 'Deployment', nameOf(component)).spec.template.spec;
    const preStopSeconds = pod.containers[0].lifecycle.preStop.sleep.seconds;
    const drainMs = Number(configEnv.SHUTDOWN_DRAIN_MS);
    expect(drainMs).toBeGreaterThan(0);
    expect(preStopSeconds).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(preStopSeconds * 1000 + drainMs);
    expect(pod.containers[0].envFrom).toEqual([{ configMapRef: { name: 'shop-monetization-supergraph-env' } }]);
  });

  it.each(COMPONENTS)('keeps %s available: a PodDisruptionBudget over its pods and an autoscaler (or fixed replicas)', (component) => {
    const deployment = find(objects, 'Deployment', nameOf(component));
    const pdb = find(objects, 'PodDisruptionBudget', nameOf(component));
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const allowedDown = pdb.spec.maxUnavailable ?? undefined;
    if (allowedDown !== undefined) expect(allowedDown).toBeGreaterThanOrEqual(1);
    const hpa = objects.find((object) => object.kind === 'HorizontalPodAutoscaler' && object.metadata.name === nameOf(component));
    if (hpa) {
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf(component) });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
      // The autoscaler owns the count: a replicas field would reset it on every upgrade.
      expect(deployment.spec.replicas).toBeUndefined();
      if (pdb.spec.minAvailable !== undefined) expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    } else {
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      if (pdb.spec.minAvailable !== undefined) expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    }
  });

  it('reads every secret through secretKeyRef from one Secret, and none from the ConfigMap or plain values', () => {
    const secretName = valueSet === 'existing-secret-values.yaml' ? 'monetization-prod' : 'shop-monetization-supergraph-secrets';
    const workloads = objects.filter((object) => object.kind === 'Deployment' || object.kind === 'Job');
    for (const workload of workloads) {
      for (const entry of workload.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[]) {
        if (!SECRET_KEYS.includes(entry.name)) continue;
        expect(entry.value).toBeUndefined();
        expect(entry.valueFrom.secretKeyRef).toMatchObject({ name: secretName, key: entry.name });
      }
    }
    for (const key of SECRET_KEYS) expect(configEnv).not.toHaveProperty(key);
    const secretEnv = (component: string) =>
      find(objects, 'Deployment', nameOf(component)).spec.template.spec.containers[0].env.map((entry: { name: string }) => entry.name);
    expect(secretEnv('gateway')).toEqual(['AUTH_JWT_SECRET', 'SUBGRAPH_SECRET', 'REDIS_URL']);
    for (const subgraph of SUBGRAPHS) expect(secretEnv(subgraph)).toEqual(expect.arrayContaining(['AUTH_JWT_SECRET', 'SUBGRAPH_SECRET', 'REDIS_URL', 'DATABASE_URL']));
    expect(secretEnv('offers')).toEqual(expect.arrayContaining(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']));
  });

  it('runs the migrations in a pre-install/pre-upgrade Job, after the Secret and ServiceAccount it needs exist', () => {
    const job = find(objects, 'Job', 'shop-monetization-supergraph-migrate');
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'dist/migrate.js']);
    expect(container.env.map((entry: { name: string }) => entry.name)).toEqual(expect.arrayContaining(['DATABASE_URL', 'NODE_ENV']));
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(configEnv.RUN_MIGRATIONS).toBe('false');
    const jobWeight = Number(job.metadata.annotations!['helm.sh/hook-weight']);
    const serviceAccount = find(objects, 'ServiceAccount', 'shop-monetization-supergraph');
    expect(Number(serviceAccount.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(jobWeight);
    const secret = objects.find((object) => object.kind === 'Secret');
    if (secret) {
      expect(secret.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(Number(secret.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(jobWeight);
    }
  });

  it('points the gateway at each subgraph Service on the port its pods listen on', () => {
    for (const subgraph of SUBGRAPHS) {
      const service = find(objects, 'Service', nameOf(subgraph));
      const [port] = service.spec.ports;
      expect(configEnv[`${subgraph.toUpperCase()}_URL`]).toBe(`http://${nameOf(subgraph)}:${port.port}/graphql`);
      expect(String(port.port)).toBe(configEnv[`${subgraph.toUpperCase()}_PORT`]);
      expect(port.targetPort).toBe('http');
      expect(service.spec.selector).toEqual(find(objects, 'Deployment', nameOf(subgraph)).spec.template.metadata.labels);
    }
    expect(configEnv).toMatchObject({ SUBGRAPH_HOST: '0.0.0.0', GATEWAY_HOST: '0.0.0.0', NODE_ENV: 'production' });
  });
});

describe('the chart refuses an incomplete or inconsistent release', () => {
  const complete = () => ciValues('chart-secret-values.yaml');

  it('ships no default secret: without values, rendering fails naming the value to set', () => {
    const result = renderText([], ['config.kafkaBrokers=kafka:9092']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('secrets.authJwtSecret (AUTH_JWT_SECRET) is required');
    const values = renderText([complete()], ['secrets.databaseUrl=']);
    expect(values.status).not.toBe(0);
    expect(values.stderr).toContain('secrets.databaseUrl (DATABASE_URL');
  });

  it('refuses a JWT or subgraph secret shorter than 32 characters, as production config does', () => {
    const result = renderText([complete()], ['secrets.subgraphSecret=short']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('secrets.subgraphSecret (SUBGRAPH_SECRET) must be at least 32 characters long');
  });

  it('refuses a grace period shorter than the preStop sleep plus the drain', () => {
    const result = renderText([complete()], ['config.shutdownDrainMs=20000', 'terminationGracePeriodSeconds=10']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('terminationGracePeriodSeconds (10) must be at least preStopSleepSeconds + SHUTDOWN_DRAIN_MS in seconds (25)');
  });

  it('requires the Kafka brokers', () => {
    const result = renderText([complete()], ['config.kafkaBrokers=']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('config.kafkaBrokers (KAFKA_BROKERS');
  });

  it('derives the grace period from the drain when none is set', () => {
    const objects = render([complete()], ['config.shutdownDrainMs=7200', 'preStopSleepSeconds=3', 'shutdownCloseSeconds=15']);
    for (const component of COMPONENTS) {
      expect(find(objects, 'Deployment', nameOf(component)).spec.template.spec.terminationGracePeriodSeconds).toBe(3 + 8 + 15);
    }
  });

  it('leaves migrations out when disabled, and the Secret out when an existing one is named', () => {
    const objects = render([complete()], ['migrations.enabled=false', 'secrets.existingSecret=elsewhere']);
    expect(objects.filter((object) => object.kind === 'Job' || object.kind === 'Secret')).toEqual([]);
  });
});

describe('the processes the chart runs', () => {
  it('exist as sources that the Dockerfile compiles to the commands used', () => {
    for (const source of ['gateway/main.ts', 'subgraphs/main.ts', 'migrate.ts']) expect(existsSync(path.join(ROOT, source))).toBe(true);
  });
});
