// The harness's pure parts and its prerequisite errors (no broker started here).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { serverProperties } from '../../../../tools/kafka/lib/config.mjs';
import { checkJava, kafkaVersion } from '../../../../tools/kafka/lib/java.mjs';

const KAFKA_MJS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../tools/kafka/kafka.mjs');

const parse = (text: string): Map<string, string> =>
  new Map(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );

describe('serverProperties', () => {
  test('one node: replication 1, its own single voter, distinct broker and controller ports', () => {
    const p = parse(serverProperties({ basePort: 40000, nodes: 1, id: 0 }));
    expect(p.get('process.roles')).toBe('broker,controller');
    expect(p.get('node.id')).toBe('0');
    expect(p.get('controller.quorum.voters')).toBe('0@127.0.0.1:40100');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:40000,CONTROLLER://127.0.0.1:40100');
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:40000');
    for (const key of [
      'default.replication.factor',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'min.insync.replicas',
      'transaction.state.log.min.isr',
    ]) {
      expect(p.get(key), key).toBe('1');
    }
    expect(p.get('group.initial.rebalance.delay.ms')).toBe('0');
  });

  test('three nodes: RF 3, min ISR 2, all voters, per-node ports and data dirs', () => {
    const nodes = [0, 1, 2].map((id) => parse(serverProperties({ basePort: 40000, nodes: 3, id })));
    for (const [id, p] of nodes.entries()) {
      expect(p.get('node.id')).toBe(String(id));
      expect(p.get('controller.quorum.voters')).toBe('0@127.0.0.1:40100,1@127.0.0.1:40101,2@127.0.0.1:40102');
      expect(p.get('advertised.listeners')).toBe(`PLAINTEXT://127.0.0.1:${40000 + id}`);
      expect(p.get('default.replication.factor')).toBe('3');
      expect(p.get('offsets.topic.replication.factor')).toBe('3');
      expect(p.get('min.insync.replicas')).toBe('2');
      expect(p.get('unclean.leader.election.enable')).toBe('false');
    }
    expect(new Set(nodes.map((p) => p.get('log.dirs'))).size).toBe(3);
  });
});

describe('prerequisites', () => {
  const saved = process.env.JAVA_HOME;
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A JAVA_HOME whose bin/java prints the given `java -version` banner. */
  function fakeJavaHome(banner: string): string {
    const home = mkdtempSync(join(tmpdir(), 'fake-java-'));
    dirs.push(home);
    mkdirSync(join(home, 'bin'));
    writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\necho '${banner}' >&2\n`);
    chmodSync(join(home, 'bin', 'java'), 0o755);
    return home;
  }

  test('pins a Kafka 4.x release', () => {
    expect(kafkaVersion()).toMatch(/^4\.\d+\.\d+$/);
  });

  test('Java older than 17 is a clear error naming the requirement', () => {
    process.env.JAVA_HOME = fakeJavaHome('openjdk version "11.0.22" 2024-01-16');
    expect(() => checkJava()).toThrow(/needs Java 17 or newer.*11\.0\.22/);
  });

  test('Java 1.8-style banners are read as 8', () => {
    process.env.JAVA_HOME = fakeJavaHome('java version "1.8.0_392"');
    expect(() => checkJava()).toThrow(/needs Java 17 or newer/);
  });

  test('missing Java is a clear error', () => {
    process.env.JAVA_HOME = join(tmpdir(), 'no-such-java-home');
    expect(() => checkJava()).toThrow(/Java 17 or newer is required/);
  });

  test('Java 21 is accepted', () => {
    process.env.JAVA_HOME = fakeJavaHome('openjdk version "21.0.4" 2024-07-16');
    expect(checkJava()).toBe(21);
  });

  test('the CLI reports missing Maven when the jars are not cached yet', () => {
    const state = mkdtempSync(join(tmpdir(), 'kafka-state-'));
    const bin = mkdtempSync(join(tmpdir(), 'kafka-path-'));
    dirs.push(state, bin);
    const res = spawnSync(process.execPath, [KAFKA_MJS, 'start', '--base-port', '40500'], {
      encoding: 'utf8',
      timeout: 30_000,
      // A real Java 17+ but a PATH without mvn and an empty jar cache.
      env: {
        ...process.env,
        OTLP_KAFKA_DIR: state,
        PATH: bin,
        JAVA_HOME: fakeJavaHome('openjdk version "17.0.15" 2025-04-15'),
      },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/Maven is required once to download the Kafka 4\.\d+\.\d+ jars/);
  });

  test('the CLI prints usage for an unknown command and fails', () => {
    const res = spawnSync(process.execPath, [KAFKA_MJS, 'frobnicate'], { encoding: 'utf8', timeout: 30_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/unknown command frobnicate[\s\S]*usage: npm run kafka/);
  });
});
