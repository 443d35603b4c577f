/** server.properties text for node `id` of an N-node combined broker+controller cluster (secure listeners with `credentials`). */
export declare function serverProperties(options: {
  basePort: number;
  nodes: number;
  id: number;
  credentials?: object;
}): string;
