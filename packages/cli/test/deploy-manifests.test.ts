import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { PIPELINE_SHUTDOWN_TIMEOUT_MS } from '@otlp-kafka/core';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer, IPodTemplateSpec } from 'kubernetes-models/v1';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { generate, LAG_PER_POD, TERMINATION_GRACE_PERIOD_S } from '../../../deploy/generate.js';
import type { CliIo } from '../src/internal/io.js';
import { main } from '../src/main.js';

const root = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The schema-validated model of each kind the manifests use (the Kubernetes OpenAPI schemas, compiled for ajv, shipped by kubernetes-models and its CRD packages). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}

const K8S_DIR = 'deploy/k8s';
const files = readdirSync(join(root, K8S_DIR)).filter((f) => f.endsWith('.yaml'));
const manifests: (Manifest & { file: string })[] = files.flatMap((file) =>
  parseAllDocuments(read(`${K8S_DIR}/${file}`)).map((d) => {
    expect(d.errors, file).toEqual([]);
    return { ...(d.toJS() as Manifest), file };
  }),
);
const find = (kind: string, name: string) => {
  const m = manifests.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name} in ${K8S_DIR}`);
  return m;
};
const podTemplate = (m: Manifest) => m.spec.template as IPodTemplateSpec;
const containerOf = (m: Manifest) => podTemplate(m).spec!.containers[0]!;
const portOf = (c: IContainer, name: string) => c.ports!.find((p) => p.name === name)!.containerPort;

describe('deploy/: generated files', () => {
  it('are what deploy/generate.ts writes (run `npx tsx deploy/generate.ts` after changing it or examples/*.yaml)', async () => {
    const generated = await generate();
    for (const [path, text] of generated) expect(read(path), path).toBe(text);
    const onDisk = [
      ...files.map((f) => `${K8S_DIR}/${f}`),
      ...readdirSync(join(root, 'deploy/grafana')).map((f) => `deploy/grafana/${f}`),
    ];
    expect(onDisk.sort()).toEqual([...generated.keys()].sort());
  });
});

describe('deploy/k8s: every manifest against the Kubernetes schemas (offline)', () => {
  it('knows the kind of every document and each validates', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(12);
    for (const m of manifests) {
      const Model = MODELS[`${m.apiVersion}/${m.kind}`];
      expect(Model, `${m.file}: ${m.apiVersion} ${m.kind}`).toBeDefined();
      const body: Partial<typeof m> = { ...m };
      delete body.file;
      expect(
        () => new Model!(body as never).validate(),
        `${m.file}: ${m.kind} ${m.metadata.name}`,
      ).not.toThrow();
      if (m.kind !== 'Namespace') expect(m.metadata.namespace, m.metadata.name).toBe('observability');
    }
  });

  it('the schemas do reject what Kubernetes would (so the test above means something)', () => {
    const gateway = find('Deployment', 'otlp-kafka-gateway');
    const broken = structuredClone(gateway) as Manifest & { file?: string };
    delete broken.file;
    broken.spec.replicas = 'three';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
    const noContainers = structuredClone(gateway) as Manifest & { file?: string };
    delete noContainers.file;
    delete noContainers.spec.template.spec.containers;
    expect(() => new Deployment(noContainers as never).validate()).toThrow(/containers/);
    expect(() =>
      new ScaledObject({
        metadata: { name: 'x' },
        spec: { scaleTargetRef: { name: 'x' }, triggers: [{ metadata: {} }] },
      } as never).validate(),
    ).toThrow(/type/);
    expect(() =>
      new PrometheusRule({
        metadata: { name: 'x' },
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A' }] }] },
      } as never).validate(),
    ).toThrow(/expr/);
  });

  it('Services and the PodDisruptionBudget select the pods, and target ports the containers name', () => {
    for (const [service, workload] of [
      ['otlp-kafka-agent', find('DaemonSet', 'otlp-kafka-agent')],
      ['otlp-kafka-gateway', find('Deployment', 'otlp-kafka-gateway')],
    ] as const) {
      const labels = podTemplate(workload).metadata!.labels!;
      const s = find('Service', service);
      for (const [k, v] of Object.entries(s.spec.selector as Record<string, string>))
        expect(labels[k]).toBe(v);
      for (const [k, v] of Object.entries(workload.spec.selector.matchLabels as Record<string, string>))
        expect(labels[k]).toBe(v);
      const names = containerOf(workload).ports!.map((p) => p.name);
      for (const p of s.spec.ports as { targetPort: string }[]) expect(names).toContain(p.targetPort);
    }
    const pdb = find('PodDisruptionBudget', 'otlp-kafka-gateway');
    const labels = podTemplate(find('Deployment', 'otlp-kafka-gateway')).metadata!.labels!;
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels as Record<string, string>))
      expect(labels[k]).toBe(v);
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it('the agent: a DaemonSet with NODE_NAME from spec.nodeName (the seed collector.node) and OTLP on hostPorts 4317/4318', () => {
    const agent = find('DaemonSet', 'otlp-kafka-agent');
    const c = containerOf(agent);
    expect(c.env).toContainEqual({
      name: 'NODE_NAME',
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
    expect(c.ports).toContainEqual(expect.objectContaining({ containerPort: 4317, hostPort: 4317 }));
    expect(c.ports).toContainEqual(expect.objectContaining({ containerPort: 4318, hostPort: 4318 }));
    const config = find('ConfigMap', 'otlp-kafka-agent-config').data!['config.yaml']!;
    expect(config).toMatch(/key: collector\.node\n\s+value: \$\{env:NODE_NAME\}/);
    expect(find('Service', 'otlp-kafka-agent').spec.internalTrafficPolicy).toBe('Local');
  });

  it('probes the health_check endpoint of the ConfigMap; the grace period covers preStop + the shutdown deadline', () => {
    for (const [workload, configMap] of [
      [find('DaemonSet', 'otlp-kafka-agent'), 'otlp-kafka-agent-config'],
      [find('Deployment', 'otlp-kafka-gateway'), 'otlp-kafka-gateway-config'],
    ] as const) {
      const config = parse(find('ConfigMap', configMap).data!['config.yaml']!) as {
        extensions: { health_check: { endpoint: string; path: string } };
        service: { extensions: string[] };
      };
      expect(config.service.extensions).toEqual(['health_check']);
      const health = config.extensions.health_check;
      const c = containerOf(workload);
      expect(health.endpoint).toBe(`0.0.0.0:${portOf(c, 'health')}`);
      expect(c.readinessProbe!.httpGet).toEqual({ path: health.path, port: 'health' });
      expect(c.livenessProbe!.httpGet).toEqual({ path: '/livez', port: 'health' });
      expect(c.startupProbe!.httpGet).toEqual({ path: '/livez', port: 'health' });
      // The mount and the image's config path.
      expect(c.volumeMounts).toContainEqual(
        expect.objectContaining({ name: 'config', mountPath: '/etc/otlp-kafka' }),
      );
      expect(c.args!.slice(0, 3)).toEqual(['run', '--config', '/etc/otlp-kafka/config.yaml']);
      const pod = podTemplate(workload).spec!;
      expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: configMap } });
      // SIGTERM drains within the pod's grace period.
      const i = c.args!.indexOf('--shutdown-timeout-s');
      const shutdownS = Number(c.args![i + 1]);
      expect(shutdownS * 1000).toBe(PIPELINE_SHUTDOWN_TIMEOUT_MS);
      const preStop = Number(c.lifecycle!.preStop!.exec!.command![1]);
      expect(pod.terminationGracePeriodSeconds).toBe(TERMINATION_GRACE_PERIOD_S);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + shutdownS);
      // Not root, as the image.
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        readOnlyRootFilesystem: true,
      });
    }
  });
});

describe('deploy/k8s: ConfigMaps hold configs that otlp-kafka validate accepts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-deploy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [configMap, workload] of [
    ['otlp-kafka-agent-config', ['DaemonSet', 'otlp-kafka-agent']],
    ['otlp-kafka-gateway-config', ['Deployment', 'otlp-kafka-gateway']],
  ] as const) {
    it(`${configMap}, with the pod's environment`, async () => {
      const file = join(dir, `${configMap}.yaml`);
      writeFileSync(file, find('ConfigMap', configMap).data!['config.yaml']!);
      const c = containerOf(find(workload[0], workload[1]));
      const saved = { ...process.env };
      try {
        for (const e of c.env ?? []) process.env[e.name] = e.value ?? 'node-1'; // spec.nodeName
        const out: string[] = [];
        const err: string[] = [];
        const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
        expect(await main(['validate', '--config', file], io), err.join('\n')).toBe(0);
        expect(out).toEqual(['configuration is valid: pipelines traces, metrics, logs']);
      } finally {
        process.env = saved;
      }
      // Ports the config opens are the ones the container declares.
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
      const metrics = env.AGENT_METRICS_ADDRESS ?? env.GATEWAY_METRICS_ADDRESS;
      expect(metrics).toBe(`0.0.0.0:${portOf(c, 'metrics')}`);
      if (env.AGENT_GRPC_ENDPOINT) expect(env.AGENT_GRPC_ENDPOINT).toBe(`0.0.0.0:${portOf(c, 'otlp-grpc')}`);
      if (env.AGENT_HTTP_ENDPOINT) expect(env.AGENT_HTTP_ENDPOINT).toBe(`0.0.0.0:${portOf(c, 'otlp-http')}`);
    });
  }

  it('the ConfigMaps keep the examples: everything of examples/*.yaml is in them', () => {
    for (const [configMap, example] of [
      ['otlp-kafka-agent-config', 'examples/agent.yaml'],
      ['otlp-kafka-gateway-config', 'examples/gateway.yaml'],
    ] as const) {
      const inMap = parse(find('ConfigMap', configMap).data!['config.yaml']!) as Record<string, unknown>;
      const original = parse(read(example)) as Record<string, Record<string, unknown>>;
      expect(inMap.receivers).toEqual(original.receivers);
      expect(inMap.processors).toEqual(original.processors);
      expect((inMap.service as { pipelines: unknown }).pipelines).toEqual(original.service!.pipelines);
    }
  });
});

/** The gateway config's kafka receivers: group id and topic. */
function gatewayGroups(): { group: string; topic: string }[] {
  const config = parse(find('ConfigMap', 'otlp-kafka-gateway-config').data!['config.yaml']!) as {
    receivers: Record<string, { group_id: string; topic: string }>;
  };
  return Object.values(config.receivers).map((r) => ({ group: r.group_id, topic: r.topic }));
}

describe('deploy/k8s: lag autoscaling', () => {
  it("the seed's HPA: External kafka_consumer_group_lag per gateway group, AverageValue 10000, on the gateway Deployment", () => {
    const hpa = find('HorizontalPodAutoscaler', 'otlp-kafka-gateway-hpa');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'otlp-kafka-gateway',
    });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 20]);
    const metrics = hpa.spec.metrics as {
      type: string;
      external: { metric: { name: string; selector: { matchLabels: { group: string } } }; target: unknown };
    }[];
    expect(metrics.map((m) => m.external.metric.selector.matchLabels.group).sort()).toEqual(
      gatewayGroups()
        .map((g) => g.group)
        .sort(),
    );
    for (const m of metrics) {
      expect(m.type).toBe('External');
      expect(m.external.metric.name).toBe('kafka_consumer_group_lag');
      expect(m.external.target).toEqual({ type: 'AverageValue', averageValue: String(LAG_PER_POD) });
    }
  });

  it('the KEDA ScaledObject: one kafka trigger per gateway group with bootstrapServers, consumerGroup, topic, lagThreshold', () => {
    const so = find('ScaledObject', 'otlp-kafka-gateway');
    expect(so.spec.scaleTargetRef.name).toBe('otlp-kafka-gateway');
    const triggers = so.spec.triggers as { type: string; metadata: Record<string, string> }[];
    const kafkaBrokers = containerOf(find('Deployment', 'otlp-kafka-gateway')).env!.find(
      (e) => e.name === 'KAFKA_BROKERS',
    )!.value;
    expect(triggers.map((t) => ({ group: t.metadata.consumerGroup, topic: t.metadata.topic }))).toEqual(
      gatewayGroups(),
    );
    for (const t of triggers) {
      expect(t.type).toBe('kafka');
      expect(t.metadata.bootstrapServers).toBe(kafkaBrokers);
      expect(t.metadata.lagThreshold).toBe(String(LAG_PER_POD));
    }
    // Both target the same Deployment: they are alternatives, in separate files.
    expect(find('HorizontalPodAutoscaler', 'otlp-kafka-gateway-hpa').file).not.toBe(so.file);
  });
});

/** Metric names the project exports, read from the sources: literals, and the item-noun families built from templates. */
function exportedMetricNames(): (name: string) => boolean {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ts')) sources.push(readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  for (const p of readdirSync(join(root, 'packages'))) {
    try {
      walk(join(root, 'packages', p, 'src'));
    } catch {
      // a package without src/
    }
  }
  const text = sources.join('\n');
  const nouns = ['spans', 'metric_points', 'log_records'];
  return (name) => {
    if (new RegExp(`['"\`]${name}['"\`]`).test(text)) return true;
    // otelcol_<section>_<verb>_<noun>: the template `otelcol_<section>_${...}` and the verb as a literal in one file.
    const m = /^(otelcol_[a-z]+_)([a-z_]+)_(spans|metric_points|log_records)$/.exec(name);
    if (!m || !nouns.includes(m[3]!)) return false;
    return sources.some((s) => s.includes(`\`${m[1]}\${`) && new RegExp(`['"]${m[2]}['"]`).test(s));
  };
}

/** Metric names in a PromQL expression (identifiers followed by { or [ or standing alone, not functions or labels). */
function metricsIn(expr: string): string[] {
  const names = new Set<string>();
  const stripped = expr.replace(/\{[^}]*\}/g, '{}').replace(/"[^"]*"/g, '""');
  for (const m of stripped.matchAll(/\b((?:otelcol|kafka)_[a-z_]+)\b/g)) names.add(m[1]!);
  return [...names].map((n) => n.replace(/_(total|bucket|sum|count)$/, ''));
}

function balanced(expr: string): boolean {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quoted = false;
  for (const ch of expr) {
    if (ch === '"') quoted = !quoted;
    if (quoted) continue;
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0 && !quoted;
}

describe('deploy: Prometheus rules and the Grafana dashboard', () => {
  const known = exportedMetricNames();

  it("the rules parse, use the seed's lag query and only metrics the project exports", () => {
    const rule = find('PrometheusRule', 'otlp-kafka');
    const groups = rule.spec.groups as {
      name: string;
      rules: {
        alert?: string;
        record?: string;
        expr: string;
        for?: string;
        labels?: Record<string, string>;
      }[];
    }[];
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.filter((r) => r.alert).length).toBeGreaterThanOrEqual(5);
    for (const r of rules) {
      expect(Boolean(r.alert) !== Boolean(r.record), JSON.stringify(r)).toBe(true);
      if (r.record) expect(r.record).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      if (r.alert) expect(r.alert).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      if (r.for) expect(r.for).toMatch(/^\d+[smh]$/);
      if (r.alert) expect(['info', 'warning', 'critical']).toContain(r.labels?.severity);
      expect(balanced(r.expr), r.expr).toBe(true);
      for (const name of metricsIn(r.expr))
        expect(known(name), `${name} in ${r.alert ?? r.record}`).toBe(true);
    }
    const lag = rules.find((r) => r.record === 'otlp_kafka:consumer_group_lag:sum')!.expr;
    // The seed's query: sum by (topic, group) (kafka_consumer_group_lag{group=~"otel-gateway-.*"}), one series per partition first.
    expect(lag.replace(/\s+/g, ' ')).toBe(
      'sum by (topic, group) ( max by (topic, group, partition) ( kafka_consumer_group_lag{ group=~"otel-gateway-.*" } ) )',
    );
    // Every recorded series an alert uses is recorded here.
    for (const r of rules)
      for (const m of r.expr.matchAll(/\b(otlp_kafka:[a-z_:]+)/g))
        expect(rules.map((x) => x.record)).toContain(m[1]);
    // The PodMonitor scrapes the port that serves /metrics.
    const pm = find('PodMonitor', 'otlp-kafka');
    expect(pm.spec.podMetricsEndpoints).toContainEqual(
      expect.objectContaining({ port: 'metrics', path: '/metrics' }),
    );
  });

  it('the dashboard JSON parses and shows lag, throughput, refusals and backend errors with exported metrics', () => {
    const d = JSON.parse(read('deploy/grafana/otlp-kafka-dashboard.json')) as {
      uid: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(d.uid).toBe('otlp-kafka');
    const titles = d.panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const word of ['lag', 'throughput', 'refusals', 'backend']) expect(titles).toContain(word);
    const used = new Set<string>();
    for (const p of d.panels)
      for (const t of p.targets) {
        expect(balanced(t.expr), t.expr).toBe(true);
        for (const name of metricsIn(t.expr)) {
          expect(known(name), `${name} in panel "${p.title}"`).toBe(true);
          used.add(name);
        }
      }
    for (const name of [
      'kafka_consumer_group_lag',
      'otelcol_receiver_accepted_spans',
      'otelcol_receiver_refused_spans',
      'otelcol_exporter_send_failed_spans',
      'otelcol_kafka_exporter_records',
    ])
      expect(used).toContain(name);
    // The name check is not vacuous.
    expect(known('otelcol_receiver_accepted_widgets')).toBe(false);
    expect(known('otelcol_exporter_sent_spans')).toBe(true);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const setup = read('tools/setup.sh');

  it('is multi-stage on the Node LTS slim image, builds the Kafka client with CKJS_LINKING=dynamic and the Debian build deps of tools/setup.sh', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/^ENV CKJS_LINKING=dynamic$/m);
    const needed = /need_pkgs=\(([^)]*)\)/.exec(setup)![1]!.trim().split(/\s+/);
    const build = dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '));
    for (const p of needed) expect(build).toContain(p);
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/tsc -b/);
    // The runtime stage has no compilers and no -dev packages.
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).not.toMatch(/-dev\b|\bg\+\+|\bmake\b/);
    expect(runtime).toMatch(/COPY --from=build/);
  });

  it('runs `otlp-kafka run --config` as a numeric non-root user, on the path the manifests mount', () => {
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \[.*"node", "\/app\/packages\/cli\/bin\/otlp-kafka\.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["run", "--config", "\/etc\/otlp-kafka\/config\.yaml"\]$/m);
    for (const port of [4317, 4318, 8888, 13133])
      expect(dockerfile).toMatch(new RegExp(`^EXPOSE .*\\b${port}\\b`, 'm'));
    const image = containerOf(find('Deployment', 'otlp-kafka-gateway')).image!;
    expect(image).toBe(
      `otlp-kafka:${(JSON.parse(read('packages/cli/package.json')) as { version: string }).version}`,
    );
    expect(containerOf(find('DaemonSet', 'otlp-kafka-agent')).image).toBe(image);
  });
});
