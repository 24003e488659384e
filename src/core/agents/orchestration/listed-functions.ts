import { OutcropError } from '../../errors.js';
import type { AgentActionGroupDefinition, AgentDefinition } from '../agent-definition.js';
import type { ActionInvoker } from './agent-ports.js';

/** Whether a group takes its functions from its executor: an enabled Lambda group with neither schema. */
export function needsListedFunctions(group: AgentActionGroupDefinition): boolean {
  return (
    group.actionGroupState !== 'DISABLED' &&
    !group.parentActionGroupSignature &&
    group.apiSchema === undefined &&
    group.functionSchema === undefined &&
    typeof group.actionGroupExecutor?.lambda === 'string'
  );
}

/**
 * The definition with each action group that declares no schema of its own given the functions its
 * executor lists (an MCP server's tools, through {@link ActionInvoker.listFunctions}), so they are
 * offered to the model like a function schema. A definition without such groups is returned as is.
 * A listing that fails is a `DependencyFailedException` naming the group and the function; the
 * session stays, and the next call lists again.
 *
 * @example
 * const definition = await withListedFunctions(context.definition, context.ports.actions, context.signal);
 */
export async function withListedFunctions(definition: AgentDefinition, actions: ActionInvoker | undefined, signal: AbortSignal): Promise<AgentDefinition> {
  if (!definition.actionGroups.some(needsListedFunctions)) return definition;
  const actionGroups = await Promise.all(
    definition.actionGroups.map(async (group) => {
      if (!needsListedFunctions(group)) return group;
      const lambda = group.actionGroupExecutor?.lambda ?? '';
      if (!actions?.listFunctions) {
        throw new OutcropError('DependencyFailedException', `The action group ${group.actionGroupName} has no schema, and no executor that lists functions is configured for ${lambda}.`);
      }
      try {
        const functions = await actions.listFunctions(lambda, signal);
        return { ...group, functionSchema: { functions } };
      } catch (error) {
        if (signal.aborted) throw error;
        throw new OutcropError('DependencyFailedException', `The functions of action group ${group.actionGroupName} could not be listed from ${lambda}: ${(error as Error)?.message ?? String(error)}`, {
          cause: error,
        });
      }
    }),
  );
  return { ...definition, actionGroups };
}
