import type { CatalogModel } from '../../core/models/catalog.js';
import { OutcropError } from '../../core/errors.js';
import type { GetFoundationModelRequest, ListFoundationModelsRequest } from '../../protocol/generated/bedrock-types.js';
import type { HandlerContext } from '../handler.js';

function summary(entry: CatalogModel, context: HandlerContext): Record<string, unknown> {
  return {
    modelArn: `arn:aws:bedrock:${context.deps.region}::foundation-model/${entry.id}`,
    modelId: entry.id,
    modelName: entry.name,
    providerName: entry.providerName,
    inputModalities: entry.inputModalities,
    outputModalities: entry.outputModalities,
    responseStreamingSupported: entry.streaming,
    customizationsSupported: [],
    inferenceTypesSupported: ['ON_DEMAND'],
    modelLifecycle: { status: 'ACTIVE' },
  };
}

/** ListFoundationModels over the catalog, with Bedrock's filters. */
export async function listFoundationModels(input: ListFoundationModelsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const provider = input.byProvider?.toLowerCase();
  const entries = context.deps.catalog.entries.filter(
    (entry) =>
      (!provider || entry.providerName.toLowerCase() === provider) &&
      (!input.byOutputModality || entry.outputModalities.includes(input.byOutputModality)) &&
      (!input.byInferenceType || input.byInferenceType === 'ON_DEMAND') &&
      !input.byCustomizationType,
  );
  return { modelSummaries: entries.map((entry) => summary(entry, context)) };
}

/** GetFoundationModel by ID, alias or ARN. */
export async function getFoundationModel(input: GetFoundationModelRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const found = context.deps.catalog.find(input.modelIdentifier);
  if (!found) throw new OutcropError('ResourceNotFoundException', `Could not find model ${input.modelIdentifier}.`);
  return { modelDetails: summary(found.entry, context) };
}
