// Java / Maven prerequisites and the broker classpath (resolved once, cached in .kafka/lib).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIB_DIR, POM, TOOLS_DIR } from './paths.mjs';

export class HarnessError extends Error {
  name = 'HarnessError';
  /** @param {string} message @param {'BUSY' | 'PORT_IN_USE' | 'FAILED'} [code] */
  constructor(message, code = 'FAILED') {
    super(message);
    this.code = code;
  }
}

export function javaBin() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** The Kafka version pinned in tools/kafka/pom.xml. */
export function kafkaVersion() {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match) throw new HarnessError(`no <kafka.version> in ${POM}`);
  return match[1];
}

/** Throws a HarnessError unless a Java 17+ runtime is on PATH (or JAVA_HOME). */
export function checkJava() {
  const java = javaBin();
  const res = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (res.error || res.status !== 0) {
    throw new HarnessError(
      `Java 17 or newer is required to run Kafka, but \`${java} -version\` failed` +
        ` (${res.error?.message ?? res.stderr.trim()}). Install a JDK 17+ (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME.`,
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(res.stderr);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= 17)) {
    throw new HarnessError(
      `Kafka ${kafkaVersion()} needs Java 17 or newer; \`${java} -version\` reports: ${res.stderr.split('\n')[0]}. Install a JDK 17+ or point JAVA_HOME at one.`,
    );
  }
  return major;
}

const marker = (version) => join(LIB_DIR, `.complete-${version}`);

export function ensureJars({ log = () => {} } = {}) {
  const version = kafkaVersion();
  if (!existsSync(marker(version))) {
    const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8', timeout: 60_000 });
    if (mvn.error || mvn.status !== 0) {
      throw new HarnessError(
        `Maven is required once to download the Kafka ${version} jars (into ${LIB_DIR}), but \`mvn -v\` failed` +
          ` (${mvn.error?.message ?? mvn.stderr.trim()}). Install Maven 3.6+ (e.g. apt-get install maven).`,
      );
    }
    log(`resolving Apache Kafka ${version} jars from Maven Central into ${LIB_DIR} ...`);
    // Jars of another version on the wildcard classpath would clash.
    rmSync(LIB_DIR, { recursive: true, force: true });
    const res = spawnSync(
      'mvn',
      [
        '-q',
        '-B',
        '-Dstyle.color=never',
        '-f',
        POM,
        `-Dkafka.lib.dir=${LIB_DIR}`,
        'dependency:copy-dependencies',
      ],
      {
        cwd: TOOLS_DIR,
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    if (res.error || res.status !== 0 || !existsSync(join(LIB_DIR, `kafka_2.13-${version}.jar`))) {
      throw new HarnessError(
        `mvn dependency:copy-dependencies failed for Kafka ${version}:\n${(res.stdout + res.stderr).trim().slice(-4000) || res.error?.message}`,
      );
    }
    writeFileSync(marker(version), '');
  }
  return `${LIB_DIR}/*`;
}
