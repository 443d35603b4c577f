import { editItems, forEachItem, type Batch } from '@otlp-kafka/pdata';

/** Drops health-check spans, tags the rest with their environment and removes a secret, on the wire. */
export function scrub(batch: Batch): Batch | Error {
  const out = editItems(batch, (span) => {
    if (span.attribute('http.route')?.stringValue === '/healthz') return false;
    span.setAttribute('deployment.environment', 'prod');
    span.removeAttribute('http.request.header.authorization');
  });
  return out.isOk() ? out.value : out.error;
}

/** The names of the spans that ended with an error status, with their service. */
export function failedSpans(batch: Batch): string[] {
  const names: string[] = [];
  forEachItem(batch, (span) => {
    if (span.statusCode() === 2)
      names.push(`${String(span.resourceAttribute('service.name')?.stringValue)}: ${span.name()}`);
  });
  return names;
}
