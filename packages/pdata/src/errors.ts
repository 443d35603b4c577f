/** Error codes of pdata. Every decoding problem is a value carrying one of these. */
export type PdataErrorCode =
  | 'ERR_PDATA_TRUNCATED'
  | 'ERR_PDATA_WIRE_TYPE'
  | 'ERR_PDATA_LENGTH'
  | 'ERR_PDATA_VARINT'
  | 'ERR_PDATA_INVALID'
  | 'ERR_PDATA_JSON'
  | 'ERR_PDATA_TOO_LARGE';

/**
 * A problem with OTLP data. `offset` is the byte offset in the input where it
 * was found (or -1 for JSON), `field` the message.field path being read (a
 * proto path such as `resource_spans[0].scope_spans[0].spans[2].trace_id` from
 * deep validation).
 */
export class PdataError extends Error {
  override readonly name = 'PdataError';
  readonly code: PdataErrorCode;
  readonly offset: number;
  readonly field: string;

  constructor(code: PdataErrorCode, message: string, offset = -1, field = '', options?: { cause?: unknown }) {
    // A message that starts with its field path (deep validation's, JSON's) does not repeat it.
    const named = message.startsWith(`${field}: `);
    const where = named ? (offset < 0 ? '' : ` (offset ${offset})`) : ` (field ${field}, offset ${offset})`;
    super(field ? `${message}${where}` : message, options);
    this.code = code;
    this.offset = offset;
    this.field = field;
  }
}
