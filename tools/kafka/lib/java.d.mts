export { HarnessError } from '../harness.mjs';
export declare function javaBin(): string;
/** The Kafka version pinned in tools/kafka/pom.xml. */
export declare function kafkaVersion(): string;
/** Major version of the Java runtime; throws HarnessError when missing or older than 17. */
export declare function checkJava(): number;
/** Classpath of the pinned broker jars, resolving them with Maven when missing. */
export declare function ensureJars(options?: { log?: (message: string) => void }): string;
