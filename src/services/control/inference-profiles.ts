import type { InferenceProfileView } from '../../core/models/inference-profiles/inference-profile.js';
import type {
  CreateInferenceProfileRequest,
  DeleteInferenceProfileRequest,
  GetInferenceProfileRequest,
  InferenceProfileSummary,
  ListInferenceProfilesRequest,
} from '../../protocol/generated/bedrock-types.js';
import type { HandlerContext } from '../handler.js';

function summary(profile: InferenceProfileView): InferenceProfileSummary {
  return {
    inferenceProfileName: profile.name,
    ...(profile.description === undefined ? {} : { description: profile.description }),
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    inferenceProfileArn: profile.arn,
    models: profile.modelArns.map((modelArn) => ({ modelArn })),
    inferenceProfileId: profile.id,
    status: 'ACTIVE',
    type: profile.type,
  };
}

/** CreateInferenceProfile: an application inference profile copied from a model or a system-defined profile. */
export async function createInferenceProfile(input: CreateInferenceProfileRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const profile = await context.deps.inferenceProfiles.create({
    name: input.inferenceProfileName,
    copyFrom: input.modelSource.copyFrom,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.tags ? { tags: input.tags } : {}),
    ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
  });
  return { inferenceProfileArn: profile.arn, status: 'ACTIVE' };
}

/** GetInferenceProfile by ID or ARN, application or system-defined. */
export async function getInferenceProfile(input: GetInferenceProfileRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { ...summary(context.deps.inferenceProfiles.get(input.inferenceProfileIdentifier)) };
}

/** ListInferenceProfiles: system-defined profiles unless `typeEquals` is `APPLICATION`, paginated. */
export async function listInferenceProfiles(input: ListInferenceProfilesRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = context.deps.inferenceProfiles.list({
    ...(input.typeEquals ? { type: input.typeEquals } : {}),
    ...(input.maxResults === undefined ? {} : { maxResults: input.maxResults }),
    ...(input.nextToken === undefined ? {} : { nextToken: input.nextToken }),
  });
  return { inferenceProfileSummaries: page.profiles.map(summary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/** DeleteInferenceProfile: application profiles only. */
export async function deleteInferenceProfile(input: DeleteInferenceProfileRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await context.deps.inferenceProfiles.delete(input.inferenceProfileIdentifier);
  return {};
}
