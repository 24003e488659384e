/**
 * The one error type Outcrop throws across layers. It carries the AWS error code it maps to, so the
 * single mapping in `toErrorResponse` can turn any failure into Bedrock's wire error.
 *
 * @example
 * throw new OutcropError('ValidationException', 'maxTokens must be at least 1');
 */
const marker = Symbol.for('outcrop.error');

/** AWS error codes Outcrop answers with, and their HTTP status codes. */
export const errorStatus = {
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 404,
  ResourceNotFoundException: 404,
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  IncompleteSignatureException: 400,
  MissingAuthenticationTokenException: 403,
  ExpiredTokenException: 403,
  ConflictException: 409,
  TooManyTagsException: 400,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  DependencyFailedException: 424,
  BadGatewayException: 502,
  ModelNotReadyException: 429,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 400,
  RequestEntityTooLargeException: 413,
  ModelTimeoutException: 408,
  InternalServerException: 500,
  NotImplementedException: 501,
  ServiceUnavailableException: 503,
} as const;

export type AwsErrorCode = keyof typeof errorStatus;

export interface OutcropErrorOptions {
  cause?: unknown;
  /** whether a client may retry the same request */
  isRetryable?: boolean;
  /** override of the default status for the code */
  statusCode?: number;
  /** modeled members besides `message` (e.g. `originalStatusCode`) */
  fields?: Record<string, unknown>;
  /** seconds a client should wait before retrying */
  retryAfterSeconds?: number;
}

export class OutcropError extends Error {
  readonly [marker] = true;
  readonly code: AwsErrorCode;
  readonly statusCode: number;
  readonly isRetryable: boolean;
  readonly fields: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AwsErrorCode, message: string, options: OutcropErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.statusCode = options.statusCode ?? errorStatus[code];
    this.isRetryable =
      options.isRetryable ??
      (code === 'ThrottlingException' || code === 'ServiceUnavailableException' || code === 'InternalServerException' || code === 'ModelNotReadyException');
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Works across copies of this module, unlike `instanceof`. */
  static isInstance(value: unknown): value is OutcropError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
