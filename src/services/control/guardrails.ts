import { OutcropError } from '../../core/errors.js';
import type { Guardrails } from '../../core/guardrails/registry/guardrails.js';
import type {
  CreateGuardrailRequest,
  CreateGuardrailVersionRequest,
  DeleteGuardrailRequest,
  GetGuardrailRequest,
  ListGuardrailsRequest,
  UpdateGuardrailRequest,
} from '../../protocol/generated/bedrock-types.js';
import type { HandlerContext } from '../handler.js';
import { definitionFromRequest, policiesForResponse } from './guardrail-policies.js';

/** The server's guardrails, or the error a server without a store answers with. */
export function guardrailsOf(context: HandlerContext): Guardrails {
  const guardrails = context.deps.guardrails;
  if (!guardrails) throw new OutcropError('NotImplementedException', 'Guardrails are not enabled on this server.');
  return guardrails;
}

/** CreateGuardrail: the guardrail and its DRAFT. */
export async function createGuardrail(input: CreateGuardrailRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const created = await guardrailsOf(context).create({
    name: input.name,
    definition: definitionFromRequest(input),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
    ...(input.tags ? { tags: input.tags } : {}),
    ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
  });
  return { guardrailId: created.guardrailId, guardrailArn: created.arn, version: 'DRAFT', createdAt: created.createdAt };
}

/** UpdateGuardrail: replaces the DRAFT. */
export async function updateGuardrail(input: UpdateGuardrailRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const updated = await guardrailsOf(context).update(input.guardrailIdentifier, {
    name: input.name,
    definition: definitionFromRequest(input),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
  });
  return { guardrailId: updated.guardrailId, guardrailArn: updated.arn, version: 'DRAFT', updatedAt: updated.updatedAt };
}

/** GetGuardrail: one version, DRAFT unless named. */
export async function getGuardrail(input: GetGuardrailRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = guardrailsOf(context).get(input.guardrailIdentifier, input.guardrailVersion ?? 'DRAFT');
  const { blockedInputMessaging, blockedOutputsMessaging, ...policies } = record.definition;
  return {
    name: record.name,
    ...(record.description === undefined ? {} : { description: record.description }),
    guardrailId: record.guardrailId,
    guardrailArn: record.arn,
    version: record.version,
    status: 'READY',
    ...policiesForResponse(policies),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    blockedInputMessaging,
    blockedOutputsMessaging,
    ...(record.kmsKeyId === undefined ? {} : { kmsKeyArn: record.kmsKeyId }),
  };
}

/** ListGuardrails: every guardrail's DRAFT, or every version of one guardrail. */
export async function listGuardrails(input: ListGuardrailsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = guardrailsOf(context).list({
    ...(input.guardrailIdentifier === undefined ? {} : { identifier: input.guardrailIdentifier }),
    ...(input.maxResults === undefined ? {} : { maxResults: input.maxResults }),
    ...(input.nextToken === undefined ? {} : { nextToken: input.nextToken }),
  });
  return {
    guardrails: page.guardrails.map((record) => ({
      id: record.guardrailId,
      arn: record.arn,
      status: 'READY',
      name: record.name,
      ...(record.description === undefined ? {} : { description: record.description }),
      version: record.version,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

/** DeleteGuardrail: one numbered version, or the whole guardrail. */
export async function deleteGuardrail(input: DeleteGuardrailRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await guardrailsOf(context).delete(input.guardrailIdentifier, input.guardrailVersion);
  return {};
}

/** CreateGuardrailVersion: freezes the DRAFT as the next number. */
export async function createGuardrailVersion(input: CreateGuardrailVersionRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return guardrailsOf(context).createVersion(input.guardrailIdentifier, {
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
  });
}
