// Writes deploy/k8s/*.yaml and deploy/grafana/*.json: the Kubernetes manifests of the agent
// (DaemonSet) and the gateway (Deployment), their ConfigMaps made from examples/*.yaml, the
// lag autoscaling (HPA or KEDA), Prometheus scraping and alert rules, and a Grafana dashboard.
//
//   node --import tsx deploy/generate.ts     (or: npx tsx deploy/generate.ts)
//
// Every object is built with the kubernetes-models types, so tsc rejects a misspelt field, and
// packages/cli/test/deploy-manifests.test.ts validates the written files against the
// Kubernetes schemas and fails when they are not what this script writes.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer, IPodSpec, IProbe } from 'kubernetes-models/v1';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { format, resolveConfig } from 'prettier';
import { parseDocument, stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const NAMESPACE = 'observability';
/** The image deploy/Dockerfile builds; docs/deploy.md tells how to push it and point the manifests at it. */
export const IMAGE = `otlp-kafka:${(JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version}`;
/** Where the ConfigMap is mounted, and the file the image's default command runs. */
export const CONFIG_DIR = '/etc/otlp-kafka';
export const CONFIG_FILE = `${CONFIG_DIR}/config.yaml`;
/** Placeholder bootstrap servers (a Strimzi cluster "kafka" in namespace "kafka"); docs/deploy.md says how to change them. */
export const KAFKA_BOOTSTRAP = 'kafka-kafka-bootstrap.kafka.svc:9092';
export const HEALTH_PORT = 13133;
export const METRICS_PORT = 8888;

/**
 * The drain budget: a preStop pause (endpoints and kube-proxy stop sending new
 * connections), then the CLI's whole shutdown deadline (--shutdown-timeout-s,
 * the pipeline's default 25 s), then a margin before the kubelet's SIGKILL.
 */
export const PRE_STOP_SLEEP_S = 5;
export const SHUTDOWN_TIMEOUT_S = 25;
export const GRACE_MARGIN_S = 5;
export const TERMINATION_GRACE_PERIOD_S = PRE_STOP_SLEEP_S + SHUTDOWN_TIMEOUT_S + GRACE_MARGIN_S;

/** The seed's consumer groups (examples/gateway.yaml) and the topic each reads. */
export const GATEWAY_GROUPS = [
  { group: 'otel-gateway-traces', topic: 'otlp-traces' },
  { group: 'otel-gateway-metrics', topic: 'otlp-metrics' },
  { group: 'otel-gateway-logs', topic: 'otlp-logs' },
] as const;
/** The seed's HPA target: average lag per gateway pod. */
export const LAG_PER_POD = 10000;

/**
 * Every gateway pod reports the whole group's lag (kafka_consumer_group_lag is
 * read from the group's committed offsets, not from the pod's own partitions),
 * so the series are deduplicated per partition before the seed's sum; without
 * the inner max, the sum grows with the replica count.
 */
export const LAG_BY_TOPIC_GROUP =
  'sum by (topic, group) (\n  max by (topic, group, partition) (\n    kafka_consumer_group_lag{\n      group=~"otel-gateway-.*"\n    }\n  )\n)';

const tiers = {
  agent: { name: 'otlp-kafka-agent', example: 'examples/agent.yaml' },
  gateway: { name: 'otlp-kafka-gateway', example: 'examples/gateway.yaml' },
} as const;
type Tier = keyof typeof tiers;

const labels = (tier: Tier) => ({
  'app.kubernetes.io/name': 'otlp-kafka',
  'app.kubernetes.io/component': tier,
  'app.kubernetes.io/instance': tiers[tier].name,
});
const selector = (tier: Tier) => ({
  'app.kubernetes.io/name': 'otlp-kafka',
  'app.kubernetes.io/component': tier,
});

/**
 * The example config, with what a pod needs added: the health_check extension
 * (probed by the kubelet) and, for the gateway, the seed's TLS to the backends
 * with the cluster CA from the observability-tls Secret. Endpoints, brokers and
 * the metrics address stay ${env:...} references set by the pod's env.
 */
export function podConfig(tier: Tier): string {
  const source = tiers[tier].example;
  const doc = parseDocument(readFileSync(join(ROOT, source), 'utf8'));
  if (tier === 'gateway')
    for (const id of ['otlp/traces', 'otlp/metrics', 'otlp/logs'])
      doc.setIn(['exporters', id, 'tls'], { insecure: false, ca_file: `${CONFIG_DIR}/tls/ca.crt` });
  doc.set('extensions', { health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}`, path: '/' } });
  doc.setIn(['service', 'extensions'], ['health_check']);
  const added =
    tier === 'gateway'
      ? " Added for Kubernetes: the health_check extension and the seed's TLS to the backends (the CA from the observability-tls Secret)."
      : ' Added for Kubernetes: the health_check extension.';
  const original = doc.commentBefore ? `\n${doc.commentBefore}` : '';
  doc.commentBefore = ` Generated by deploy/generate.ts from ${source}: do not edit here.${added}${original}`;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

const probes = (): { livenessProbe: IProbe; readinessProbe: IProbe; startupProbe: IProbe } => ({
  // /livez answers while the process does, through start and drain: a slow Kafka is not a reason to restart.
  livenessProbe: {
    httpGet: { path: '/livez', port: 'health' },
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
  },
  // The Collector's health_check path: 200 only once Kafka and the pipelines are started, 503 from SIGTERM on.
  readinessProbe: {
    httpGet: { path: '/', port: 'health' },
    periodSeconds: 5,
    timeoutSeconds: 2,
    failureThreshold: 2,
  },
  // Start (Kafka connect, bounded by the 10 s connect timeout) gets a minute before liveness counts.
  startupProbe: {
    httpGet: { path: '/livez', port: 'health' },
    periodSeconds: 2,
    failureThreshold: 30,
  },
});

function container(tier: Tier, env: IContainer['env'], extra: Partial<IContainer>): IContainer {
  return {
    name: 'otlp-kafka',
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: ['run', '--config', CONFIG_FILE, '--shutdown-timeout-s', String(SHUTDOWN_TIMEOUT_S)],
    env: [{ name: 'KAFKA_BROKERS', value: KAFKA_BOOTSTRAP }, ...(env ?? [])],
    ...extra,
    ports: [
      ...(extra.ports ?? []),
      { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
      { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
    ],
    ...probes(),
    // SIGTERM comes after this pause, once the pod is out of the Service endpoints and kube-proxy rules.
    lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_SLEEP_S)] } } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }, ...(extra.volumeMounts ?? [])],
  };
}

function podSpec(tier: Tier, c: IContainer, { volumes, ...extra }: Partial<IPodSpec> = {}): IPodSpec {
  return {
    terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_S,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [c],
    volumes: [{ name: 'config', configMap: { name: `${tiers[tier].name}-config` } }, ...(volumes ?? [])],
    ...extra,
  };
}

const configMap = (tier: Tier) =>
  new ConfigMap({
    metadata: { name: `${tiers[tier].name}-config`, namespace: NAMESPACE, labels: labels(tier) },
    data: { 'config.yaml': podConfig(tier) },
  });

function agent(): object[] {
  const c = container(
    'agent',
    [
      // The seed's collector.node resource attribute: ${env:NODE_NAME} in the config.
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'AGENT_GRPC_ENDPOINT', value: '0.0.0.0:4317' },
      { name: 'AGENT_HTTP_ENDPOINT', value: '0.0.0.0:4318' },
      { name: 'AGENT_METRICS_ADDRESS', value: `0.0.0.0:${METRICS_PORT}` },
    ],
    {
      // Apps on the node send to $(HOST_IP):4317 / :4318 (status.hostIP), or to the Service below.
      ports: [
        { name: 'otlp-grpc', containerPort: 4317, hostPort: 4317, protocol: 'TCP' },
        { name: 'otlp-http', containerPort: 4318, hostPort: 4318, protocol: 'TCP' },
      ],
      // The seed's memory_limiter: limit_mib 512, spike_limit_mib 128.
      resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '768Mi' } },
    },
  );
  return [
    configMap('agent'),
    new DaemonSet({
      metadata: { name: tiers.agent.name, namespace: NAMESPACE, labels: labels('agent') },
      spec: {
        selector: { matchLabels: selector('agent') },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: labels('agent') },
          spec: podSpec('agent', c),
        },
      },
    }),
    new Service({
      metadata: { name: tiers.agent.name, namespace: NAMESPACE, labels: labels('agent') },
      spec: {
        selector: selector('agent'),
        // Each app's data goes to the agent on its own node (the seed's collector.node stays true).
        internalTrafficPolicy: 'Local',
        ports: [
          { name: 'otlp-grpc', port: 4317, targetPort: 'otlp-grpc', protocol: 'TCP', appProtocol: 'grpc' },
          { name: 'otlp-http', port: 4318, targetPort: 'otlp-http', protocol: 'TCP', appProtocol: 'http' },
        ],
      },
    }),
  ];
}

function gateway(): object[] {
  const c = container(
    'gateway',
    [
      { name: 'TEMPO_ENDPOINT', value: 'tempo.observability.svc:4317' },
      { name: 'MIMIR_ENDPOINT', value: 'mimir.observability.svc:4317' },
      { name: 'LOKI_ENDPOINT', value: 'loki.observability.svc:4317' },
      { name: 'GATEWAY_METRICS_ADDRESS', value: `0.0.0.0:${METRICS_PORT}` },
    ],
    {
      // The seed's gateway resources (memory_limiter limit_mib 2048, spike 512).
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      volumeMounts: [{ name: 'tls', mountPath: `${CONFIG_DIR}/tls`, readOnly: true }],
    },
  );
  return [
    configMap('gateway'),
    new Deployment({
      metadata: { name: tiers.gateway.name, namespace: NAMESPACE, labels: labels('gateway') },
      spec: {
        replicas: 3,
        selector: { matchLabels: selector('gateway') },
        // One pod at a time: each start and stop is a consumer group rebalance.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: labels('gateway') },
          spec: podSpec('gateway', c, {
            volumes: [{ name: 'tls', secret: { secretName: 'observability-tls' } }],
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector('gateway') },
              },
            ],
          }),
        },
      },
    }),
    new Service({
      metadata: { name: tiers.gateway.name, namespace: NAMESPACE, labels: labels('gateway') },
      spec: {
        // The gateway takes no inbound data (it reads Kafka): its Service names its metrics and health ports.
        clusterIP: 'None',
        selector: selector('gateway'),
        ports: [
          { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
          { name: 'health', port: HEALTH_PORT, targetPort: 'health', protocol: 'TCP' },
        ],
      },
    }),
    new PodDisruptionBudget({
      metadata: { name: tiers.gateway.name, namespace: NAMESPACE, labels: labels('gateway') },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector('gateway') } },
    }),
  ];
}

const scaleTarget = { apiVersion: 'apps/v1', kind: 'Deployment', name: tiers.gateway.name };

/** The seed's HPA on the external metric kafka_consumer_group_lag (served by prometheus-adapter, see docs/deploy.md), one metric per group. */
function hpa(): object[] {
  return [
    new HorizontalPodAutoscaler({
      metadata: { name: `${tiers.gateway.name}-hpa`, namespace: NAMESPACE, labels: labels('gateway') },
      spec: {
        scaleTargetRef: scaleTarget,
        minReplicas: 3,
        maxReplicas: 20,
        metrics: GATEWAY_GROUPS.map(({ group }) => ({
          type: 'External',
          external: {
            metric: { name: 'kafka_consumer_group_lag', selector: { matchLabels: { group } } },
            // Scale up when average lag per pod exceeds 10000 messages (the seed's target).
            target: { type: 'AverageValue', averageValue: String(LAG_PER_POD) },
          },
        })),
        // Every scale step is a rebalance: scale down slowly, up in bounded steps.
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 60,
            policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }],
          },
          scaleDown: {
            stabilizationWindowSeconds: 300,
            policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
          },
        },
      },
    }),
  ];
}

/** The KEDA alternative: KEDA reads the lag from Kafka itself (no Prometheus in the loop). Apply this or the HPA, not both. */
function keda(): object[] {
  return [
    new ScaledObject({
      metadata: { name: tiers.gateway.name, namespace: NAMESPACE, labels: labels('gateway') },
      spec: {
        scaleTargetRef: { name: tiers.gateway.name },
        minReplicaCount: 3,
        maxReplicaCount: 20,
        pollingInterval: 15,
        cooldownPeriod: 300,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: {
                stabilizationWindowSeconds: 300,
                policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
              },
            },
          },
        },
        triggers: GATEWAY_GROUPS.map(({ group, topic }) => ({
          type: 'kafka',
          name: group,
          metadata: {
            bootstrapServers: KAFKA_BOOTSTRAP,
            consumerGroup: group,
            topic,
            lagThreshold: String(LAG_PER_POD),
            offsetResetPolicy: 'earliest',
            // More pods than partitions would idle: KEDA caps at the partition count.
            allowIdleConsumers: 'false',
          },
        })),
      },
    }),
  ];
}

const rate = (metric: string) => `sum by (namespace, pod) (rate(${metric}[5m]))`;

/** Prometheus rules: the seed's lag query (deduplicated per partition), and alerts on lag, refusals and backend errors. */
export const RULE_GROUPS = [
  {
    name: 'otlp-kafka-lag',
    rules: [
      { record: 'otlp_kafka:consumer_group_lag:sum', expr: LAG_BY_TOPIC_GROUP },
      {
        alert: 'OtlpKafkaGatewayLagHigh',
        expr: 'otlp_kafka:consumer_group_lag:sum > 100000',
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary:
            'Gateway consumer group {{ $labels.group }} is {{ $value }} records behind on {{ $labels.topic }}',
          description:
            'The gateways do not keep up: the HPA or KEDA should be adding replicas (up to one per partition). Check the backends (OtlpKafkaBackendErrors) and the gateway replica count.',
        },
      },
      {
        alert: 'OtlpKafkaGatewayLagGrowing',
        expr: 'delta(otlp_kafka:consumer_group_lag:sum[30m]) > 0 and otlp_kafka:consumer_group_lag:sum > 10000',
        for: '30m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Lag of {{ $labels.group }} on {{ $labels.topic }} has grown for 30 minutes',
          description:
            'Data waits in Kafka longer and longer; once it is older than the topic retention it is lost. Scale the gateways or fix the backend.',
        },
      },
      {
        alert: 'OtlpKafkaGatewayLagUnknown',
        expr: 'absent(kafka_consumer_group_lag{group=~"otel-gateway-.*"})',
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'No gateway reports kafka_consumer_group_lag',
          description: 'No gateway is running or scraped: lag autoscaling is blind.',
        },
      },
    ],
  },
  {
    name: 'otlp-kafka-pipeline',
    rules: [
      {
        alert: 'OtlpKafkaBackendErrors',
        expr: `${rate('otelcol_exporter_send_failed_spans_total')} + ${rate('otelcol_exporter_send_failed_metric_points_total')} + ${rate('otelcol_exporter_send_failed_log_records_total')} > 0`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: '{{ $labels.pod }} fails to export to its backend',
          description:
            'The gateway retries and Kafka keeps the data, so nothing is lost yet; lag grows while this lasts.',
        },
      },
      {
        alert: 'OtlpKafkaProduceFailures',
        expr: 'sum by (namespace, pod, topic) (rate(otelcol_kafka_exporter_records_total{outcome="failure"}[5m])) > 0',
        for: '5m',
        labels: { severity: 'critical' },
        annotations: {
          summary: '{{ $labels.pod }} cannot write to Kafka topic {{ $labels.topic }}',
          description: 'The agent answers its SDKs with a retryable error: applications buffer and may drop.',
        },
      },
      {
        alert: 'OtlpKafkaAgentRefusing',
        expr: `${rate('otelcol_receiver_refused_spans_total')} + ${rate('otelcol_receiver_refused_metric_points_total')} + ${rate('otelcol_receiver_refused_log_records_total')} > 0`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: '{{ $labels.pod }} refuses telemetry (backpressure)',
          description: 'Over the memory limit or Kafka slow: SDKs retry, and drop once their queues fill.',
        },
      },
      {
        alert: 'OtlpKafkaDeadLettered',
        expr: 'sum by (namespace, pod) (increase(otelcol_kafka_receiver_dead_lettered_messages_total[15m])) > 0',
        labels: { severity: 'info' },
        annotations: {
          summary: '{{ $labels.pod }} dead-lettered undecodable Kafka records',
          description: 'Records that are not valid OTLP were moved to the dead-letter topic.',
        },
      },
    ],
  },
];

function monitoring(): object[] {
  return [
    new PodMonitor({
      metadata: {
        name: 'otlp-kafka',
        namespace: NAMESPACE,
        labels: { 'app.kubernetes.io/name': 'otlp-kafka' },
      },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'otlp-kafka' } },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
      },
    }),
    new PrometheusRule({
      metadata: {
        name: 'otlp-kafka',
        namespace: NAMESPACE,
        labels: { 'app.kubernetes.io/name': 'otlp-kafka' },
      },
      spec: { groups: RULE_GROUPS },
    }),
  ];
}

/** A Grafana panel: a time series of PromQL targets. */
function panel(id: number, title: string, x: number, y: number, targets: [string, string][], unit: string) {
  return {
    id,
    type: 'timeseries',
    title,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: targets.map(([expr, legendFormat], i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: { type: 'prometheus', uid: '${datasource}' },
      expr,
      legendFormat,
    })),
  };
}

const sel = '{namespace=~"$namespace"}';
const byTier = (metric: string) => `sum by (pod) (rate(${metric}${sel}[$__rate_interval]))`;

export function dashboard(): object {
  return {
    title: 'otlp-kafka: agents, Kafka, gateways',
    uid: 'otlp-kafka',
    tags: ['otlp-kafka', 'opentelemetry', 'kafka'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' },
        {
          name: 'namespace',
          type: 'query',
          datasource: { type: 'prometheus', uid: '${datasource}' },
          query: 'label_values(kafka_consumer_group_lag, namespace)',
          includeAll: true,
          multi: true,
          current: { text: 'All', value: '$__all' },
          refresh: 2,
        },
      ],
    },
    panels: [
      panel(
        1,
        'Consumer group lag (records behind, per topic and group)',
        0,
        0,
        [
          [
            'sum by (topic, group) (max by (topic, group, partition) (kafka_consumer_group_lag{group=~"otel-gateway-.*", namespace=~"$namespace"}))',
            '{{group}} {{topic}}',
          ],
        ],
        'short',
      ),
      panel(
        2,
        'Gateway replicas and assigned partitions',
        12,
        0,
        [
          [`count(count by (pod) (otelcol_kafka_receiver_assigned_partitions${sel}))`, 'replicas'],
          [`sum by (pod) (otelcol_kafka_receiver_assigned_partitions${sel})`, '{{pod}} partitions'],
        ],
        'short',
      ),
      panel(
        3,
        'Throughput: accepted by the agents (items/s)',
        0,
        8,
        [
          [byTier('otelcol_receiver_accepted_spans_total'), '{{pod}} spans'],
          [byTier('otelcol_receiver_accepted_metric_points_total'), '{{pod}} metric points'],
          [byTier('otelcol_receiver_accepted_log_records_total'), '{{pod}} log records'],
        ],
        'short',
      ),
      panel(
        4,
        'Throughput: Kafka records produced (agents) and sent to backends (gateways)',
        12,
        8,
        [
          [
            `sum by (topic) (rate(otelcol_kafka_exporter_records_total{outcome="success", namespace=~"$namespace"}[$__rate_interval]))`,
            'produced {{topic}}',
          ],
          [
            `sum(rate(otelcol_exporter_sent_spans_total${sel}[$__rate_interval])) + sum(rate(otelcol_exporter_sent_metric_points_total${sel}[$__rate_interval])) + sum(rate(otelcol_exporter_sent_log_records_total${sel}[$__rate_interval]))`,
            'items sent to backends',
          ],
        ],
        'short',
      ),
      panel(
        5,
        'Refusals: backpressure to SDKs, memory limiter, connection limits',
        0,
        16,
        [
          [byTier('otelcol_receiver_refused_spans_total'), '{{pod}} spans refused'],
          [byTier('otelcol_receiver_refused_metric_points_total'), '{{pod}} metric points refused'],
          [byTier('otelcol_receiver_refused_log_records_total'), '{{pod}} log records refused'],
          [byTier('otelcol_receiver_refused_connections_total'), '{{pod}} connections refused'],
          [byTier('otelcol_processor_batch_refused_items_total'), '{{pod}} batcher refused items'],
        ],
        'short',
      ),
      panel(
        6,
        'Backend and Kafka errors',
        12,
        16,
        [
          [byTier('otelcol_exporter_send_failed_spans_total'), '{{pod}} spans failed'],
          [byTier('otelcol_exporter_send_failed_metric_points_total'), '{{pod}} metric points failed'],
          [byTier('otelcol_exporter_send_failed_log_records_total'), '{{pod}} log records failed'],
          [byTier('otelcol_exporter_enqueue_failed_spans_total'), '{{pod}} spans: sending queue full'],
          [
            `sum by (pod, topic) (rate(otelcol_kafka_exporter_records_total{outcome="failure", namespace=~"$namespace"}[$__rate_interval]))`,
            '{{pod}} Kafka produce failures {{topic}}',
          ],
          [byTier('otelcol_kafka_receiver_dead_lettered_messages_total'), '{{pod}} dead-lettered'],
        ],
        'short',
      ),
      panel(
        7,
        'Gateway sending queue (batches)',
        0,
        24,
        [
          [`sum by (pod, exporter) (otelcol_exporter_queue_size${sel})`, '{{pod}} {{exporter}} size'],
          [`max by (exporter) (otelcol_exporter_queue_capacity${sel})`, '{{exporter}} capacity'],
        ],
        'short',
      ),
      panel(
        8,
        'Kafka write latency p99 (agents)',
        12,
        24,
        [
          [
            `histogram_quantile(0.99, sum by (le, topic) (rate(otelcol_kafka_exporter_write_latency_bucket${sel}[$__rate_interval])))`,
            'p99 {{topic}}',
          ],
        ],
        'ms',
      ),
    ],
  };
}

const header = (what: string) =>
  `# Generated by deploy/generate.ts: do not edit; change the script and run it (docs/deploy.md).\n# ${what}\n`;

const yamlDocs = (what: string, objects: object[]) =>
  header(what) +
  objects
    .map((o) => stringify(JSON.parse(JSON.stringify(o)), { lineWidth: 0, blockQuote: 'literal' }))
    .join('---\n');

/** Every generated file: repository-relative path -> content. */
export async function generate(): Promise<Map<string, string>> {
  const dashboardPath = 'deploy/grafana/otlp-kafka-dashboard.json';
  const prettier = (await resolveConfig(join(ROOT, dashboardPath))) ?? {};
  return new Map([
    [
      'deploy/k8s/namespace.yaml',
      yamlDocs("The namespace of the agents and gateways (the seed's).", [
        new Namespace({ metadata: { name: NAMESPACE } }),
      ]),
    ],
    [
      'deploy/k8s/agent.yaml',
      yamlDocs('The agent tier: one pod per node (DaemonSet), OTLP in on 4317/4318, Kafka out.', agent()),
    ],
    [
      'deploy/k8s/gateway.yaml',
      yamlDocs(
        'The gateway tier: Kafka in, OTLP to the backends out; scaled on lag by gateway-hpa.yaml or gateway-keda.yaml.',
        gateway(),
      ),
    ],
    [
      'deploy/k8s/gateway-hpa.yaml',
      yamlDocs(
        "The seed's HPA on kafka_consumer_group_lag (needs prometheus-adapter). Apply this or gateway-keda.yaml.",
        hpa(),
      ),
    ],
    [
      'deploy/k8s/gateway-keda.yaml',
      yamlDocs(
        'The KEDA alternative to gateway-hpa.yaml (needs KEDA). Apply this or gateway-hpa.yaml.',
        keda(),
      ),
    ],
    [
      'deploy/k8s/monitoring.yaml',
      yamlDocs(
        'Scraping (prometheus-operator PodMonitor) and the alert rules (PrometheusRule).',
        monitoring(),
      ),
    ],
    [dashboardPath, await format(JSON.stringify(dashboard()), { ...prettier, parser: 'json' })],
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of await generate()) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), text);
    console.log(`wrote ${path}`);
  }
}
