import { type CatalogModel, familyOfId } from '../catalog.js';
import type { InferenceProfileView } from './inference-profile.js';

/** The prefixes of Bedrock's system-defined (cross-region) inference profile IDs. */
export const systemProfilePrefix = /^(us|eu|apac|us-gov|ca|jp|au|global)\.(.+)$/;

/** The geography prefix Bedrock uses for a region's system-defined profiles (`us-east-1` -> `us`). */
export function geographyOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'us-gov';
  const [area] = region.split('-');
  if (area === 'us' || area === 'eu' || area === 'ca') return area;
  if (area === 'ap') return 'apac';
  return 'global';
}

/**
 * The Bedrock model IDs of a text model in the catalog (its ID or aliases of a known Bedrock
 * family). Bedrock defines cross-region profiles for text models, so embedding and reranking
 * models get none.
 */
export function bedrockIdsOf(entry: CatalogModel): string[] {
  if (entry.kind !== 'text') return [];
  return [entry.id, ...entry.aliases].filter((id) => familyOfId(id) !== undefined);
}

/** The system-defined profile `{geography}.{bedrockId}` for a catalog model. */
export function systemProfile(
  prefix: string,
  bedrockId: string,
  entry: CatalogModel,
  context: { region: string; accountId: string; createdAt: Date },
): InferenceProfileView {
  const id = `${prefix}.${bedrockId}`;
  return {
    id,
    arn: `arn:aws:bedrock:${context.region}:${context.accountId}:inference-profile/${id}`,
    name: `${prefix.toUpperCase()} ${entry.name}`,
    description: `Routes requests to ${entry.name} on this server`,
    type: 'SYSTEM_DEFINED',
    modelArns: [`arn:aws:bedrock:${context.region}::foundation-model/${bedrockId}`],
    createdAt: context.createdAt,
    updatedAt: context.createdAt,
  };
}
