import { Err, Ok, type Result } from 'ts-results-es';
import { PdataError } from '../errors.js';

/** Runs wire code that throws PdataError and turns any exception into an Err value. */
export function guard<T>(fn: () => T): Result<T, PdataError> {
  try {
    return Ok(fn());
  } catch (e) {
    if (e instanceof PdataError) return Err(e);
    // RangeError from an allocation over the platform limit, or a bug: still a value.
    const message = e instanceof Error ? e.message : String(e);
    return Err(new PdataError('ERR_PDATA_INVALID', message, -1, '', { cause: e }));
  }
}
