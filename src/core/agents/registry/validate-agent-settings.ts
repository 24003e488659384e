import { OutcropError } from '../../errors.js';
import { validatePromptOverrides } from '../orchestration/prompt-settings.js';
import type { AgentSettings } from './agent-records.js';

/** What settings are checked against: the models and guardrails the server has. */
export interface AgentReferenceCheckers {
  /** the model catalog's lookup (ids, aliases, ARNs, inference profiles) */
  models: { find(id: string): { entry: { kind?: string } } | undefined };
  /** throws when the guardrail version does not exist; absent where guardrails are off */
  guardrails?: { get(identifier: string, version?: string): unknown } | undefined;
}

const namePattern = /^([0-9a-zA-Z][_-]?){1,100}$/;

/**
 * Bedrock's checks of an agent's settings: the name, the instruction's length (40..4000),
 * `idleSessionTTLInSeconds` (60..5400), the prompt overrides' rules (see `validatePromptOverrides`), the foundation model (and any prompt override's model)
 * served by the catalog as a text model, the guardrail version existing, `storageDays` (0..365),
 * and a custom orchestration executor exactly when `orchestrationType` is `CUSTOM_ORCHESTRATION`.
 * Throws a `ValidationException` naming the problem.
 *
 * @example
 * validateAgentSettings({ agentName: 'support', foundationModel: 'outcrop.text', idleSessionTTLInSeconds: 600, orchestrationType: 'DEFAULT', agentCollaboration: 'DISABLED' }, { models: catalog });
 */
export function validateAgentSettings(settings: AgentSettings, checkers: AgentReferenceCheckers): void {
  if (!namePattern.test(settings.agentName)) throw invalid(`The agent name ${JSON.stringify(settings.agentName)} must match ([0-9a-zA-Z][_-]?){1,100}.`);
  if (settings.instruction !== undefined && (settings.instruction.length < 40 || settings.instruction.length > 4000)) {
    throw invalid(`The instruction must be 40 to 4000 characters long; it has ${settings.instruction.length}.`);
  }
  const ttl = settings.idleSessionTTLInSeconds;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 5400) throw invalid(`idleSessionTTLInSeconds must be an integer from 60 to 5400; got ${ttl}.`);
  if (settings.foundationModel !== undefined) checkModel(settings.foundationModel, 'foundationModel', checkers);
  for (const [index, prompt] of (settings.promptOverrideConfiguration?.promptConfigurations ?? []).entries()) {
    const model = (prompt as { foundationModel?: unknown }).foundationModel;
    if (typeof model === 'string') checkModel(model, `promptOverrideConfiguration.promptConfigurations.${index}.foundationModel`, checkers);
  }
  if (settings.promptOverrideConfiguration) validatePromptOverrides({ promptOverrideConfiguration: settings.promptOverrideConfiguration });
  checkGuardrail(settings, checkers);
  const storageDays = settings.memoryConfiguration?.storageDays;
  if (storageDays !== undefined && (!Number.isInteger(storageDays) || storageDays < 0 || storageDays > 365)) throw invalid(`memoryConfiguration.storageDays must be from 0 to 365; got ${storageDays}.`);
  const executor = settings.customOrchestration?.executor?.lambda;
  if (settings.orchestrationType === 'CUSTOM_ORCHESTRATION' && executor === undefined) {
    throw invalid('orchestrationType CUSTOM_ORCHESTRATION needs customOrchestration.executor.lambda, the Lambda function that orchestrates the agent.');
  }
  if (settings.orchestrationType !== 'CUSTOM_ORCHESTRATION' && settings.customOrchestration !== undefined) {
    throw invalid('customOrchestration is only allowed when orchestrationType is CUSTOM_ORCHESTRATION.');
  }
}

function checkModel(id: string, field: string, checkers: AgentReferenceCheckers): void {
  const found = checkers.models.find(id);
  if (!found) throw invalid(`The model ${id} given as ${field} is not served by this server; ListFoundationModels lists the models it serves.`);
  if (found.entry.kind !== undefined && found.entry.kind !== 'text') throw invalid(`The model ${id} given as ${field} is an ${found.entry.kind} model; an agent needs a text model.`);
}

function checkGuardrail(settings: AgentSettings, checkers: AgentReferenceCheckers): void {
  const guardrail = settings.guardrailConfiguration;
  if (guardrail === undefined) return;
  const { guardrailIdentifier, guardrailVersion } = guardrail;
  if (!guardrailIdentifier && !guardrailVersion) return;
  if (!guardrailIdentifier || !guardrailVersion) throw invalid('guardrailConfiguration needs both guardrailIdentifier and guardrailVersion.');
  if (!checkers.guardrails) throw invalid(`The guardrail ${guardrailIdentifier} cannot be used: guardrails are not enabled on this server.`);
  try {
    checkers.guardrails.get(guardrailIdentifier, guardrailVersion);
  } catch {
    throw invalid(`The guardrail ${guardrailIdentifier} version ${guardrailVersion} given in guardrailConfiguration was not found.`);
  }
}

function invalid(message: string): OutcropError {
  return new OutcropError('ValidationException', message);
}
