import { Err, Ok, type Result } from 'ts-results-es';
import { trustedBatch, type Batch, type BatchMetadata } from '../batch.js';
import { PdataError } from '../errors.js';

/**
 * Joins batches of one signal into one. The request's only field is repeated,
 * so two encoded requests concatenated are one valid request: no parsing.
 * The output carries `metadata`, or the first batch's metadata.
 */
export function mergeBatches(batches: readonly Batch[], metadata?: BatchMetadata): Result<Batch, PdataError> {
  const first = batches[0];
  if (!first) return Err(new PdataError('ERR_PDATA_INVALID', 'mergeBatches needs at least one batch'));
  const meta = metadata ?? first.metadata;
  if (batches.length === 1)
    return Ok(metadata ? trustedBatch(first.signal, first.bytes, first.itemCount, meta) : first);
  let size = 0;
  let items = 0;
  for (const b of batches) {
    if (b.signal !== first.signal)
      return Err(new PdataError('ERR_PDATA_INVALID', `cannot merge ${b.signal} into ${first.signal}`));
    size += b.bytes.length;
    items += b.itemCount;
  }
  let out: Uint8Array;
  try {
    out = new Uint8Array(size);
  } catch (e) {
    return Err(
      new PdataError('ERR_PDATA_TOO_LARGE', `merged request of ${size} bytes cannot be allocated`, -1, '', {
        cause: e,
      }),
    );
  }
  let pos = 0;
  for (const b of batches) {
    out.set(b.bytes, pos);
    pos += b.bytes.length;
  }
  return Ok(trustedBatch(first.signal, out, items, meta));
}
