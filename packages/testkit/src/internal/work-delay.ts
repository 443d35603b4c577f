/**
 * A delay that stands for work in progress (a slow export, a send schedule,
 * backend latency), so unlike core's unref'd sleep() it keeps the process
 * alive, as a real request in flight would.
 */
export function workDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
