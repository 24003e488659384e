/**
 * The compact form of a Smithy service model that the generator writes to `generated/`.
 * Shapes are keyed by their name without namespace; prelude shapes use their plain names
 * (`String`, `Integer`, ...).
 */
export type ShapeRef = string;

export interface MemberModel {
  /** target shape */
  s: ShapeRef;
  /** required */
  r?: 1;
  /** httpLabel */
  l?: 1;
  /** httpQuery parameter name */
  q?: string;
  /** httpHeader name */
  h?: string;
  /** httpPayload */
  p?: 1;
  /** httpResponseCode */
  c?: 1;
  /** timestampFormat */
  tf?: string;
  /** member-level length / range / pattern (rare) */
  len?: [number | null, number | null];
  range?: [number | null, number | null];
  pat?: string;
  /** idempotency token: the SDKs fill it in, a server generates it when absent */
  idem?: 1;
}

export type ShapeModel =
  | { t: 'structure'; m: Record<string, MemberModel>; err?: 'client' | 'server'; code?: number }
  | { t: 'union'; m: Record<string, MemberModel>; stream?: 1 }
  | { t: 'list'; m: ShapeRef; len?: [number | null, number | null] }
  | { t: 'map'; k: ShapeRef; v: ShapeRef; len?: [number | null, number | null] }
  | {
      t: 'string';
      len?: [number | null, number | null];
      pat?: string;
      enum?: string[];
      /** mediaType, e.g. a JSON string */
      sensitive?: 1;
    }
  | { t: 'blob'; len?: [number | null, number | null]; stream?: 1 }
  | { t: 'integer' | 'long' | 'float' | 'double' | 'short' | 'byte'; range?: [number | null, number | null] }
  | { t: 'boolean' }
  | { t: 'timestamp'; tf?: string }
  | { t: 'document' };

export interface OperationModel {
  name: string;
  method: string;
  uri: string;
  /** success status code */
  code: number;
  input: ShapeRef | null;
  output: ShapeRef | null;
  errors: ShapeRef[];
}

export interface ServiceModel {
  /** our short name: bedrock-runtime, bedrock, bedrock-agent, bedrock-agent-runtime */
  name: string;
  sdkId: string;
  version: string;
  endpointPrefix: string;
  operations: OperationModel[];
  shapes: Record<string, ShapeModel>;
}
