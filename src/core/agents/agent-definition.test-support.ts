import type { AgentDefinition } from './agent-definition.js';

/**
 * A minimal valid agent definition for unit tests: no tools, no knowledge bases, no collaborators,
 * the default orchestration; `overrides` replace fields.
 *
 * @example
 * const definition = agentDefinition({ actionGroups: [group] });
 */
export function agentDefinition(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    agentId: 'A',
    agentName: 'a',
    agentVersion: 'DRAFT',
    foundationModel: 'm',
    instruction: 'An instruction long enough for the agent to be valid in Bedrock.',
    idleSessionTTLInSeconds: 600,
    actionGroups: [],
    knowledgeBases: [],
    orchestrationType: 'DEFAULT',
    agentCollaboration: 'DISABLED',
    collaborators: [],
    ...overrides,
  };
}
