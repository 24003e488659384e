import { OutcropError } from '../../errors.js';
import type { ActionGroupRecord } from './agent-records.js';

/** The built-in action groups Outcrop runs itself. */
export const builtInSignatures = ['AMAZON.UserInput', 'AMAZON.CodeInterpreter'] as const;

/** What a client sets on an action group (CreateAgentActionGroup / UpdateAgentActionGroup). */
export type ActionGroupFields = Omit<ActionGroupRecord, 'agentId' | 'agentVersion' | 'actionGroupId' | 'clientToken' | 'createdAt' | 'updatedAt'>;

const namePattern = /^([0-9a-zA-Z][_-]?){1,100}$/;

/**
 * Bedrock's rules for one action group: a built-in (`AMAZON.UserInput`, `AMAZON.CodeInterpreter`)
 * takes no executor, schema or description; any other group needs exactly one executor (a Lambda
 * ARN or `RETURN_CONTROL`) and exactly one of an OpenAPI schema or a function schema, whose
 * functions have unique names. Names are unique per agent, and each built-in appears once. An
 * Outcrop extension: a group whose Lambda ARN runs on an executor that lists its own functions (an
 * MCP server, `listsFunctions`) may leave both schemas out; its functions are listed at run time.
 * Throws a `ValidationException` (or `ConflictException` for a name in use) naming the problem.
 *
 * @example
 * validateActionGroup({ actionGroupName: 'weather', actionGroupState: 'ENABLED', actionGroupExecutor: { customControl: 'RETURN_CONTROL' }, functionSchema: { functions: [{ name: 'now' }] } }, []);
 */
export function validateActionGroup(fields: ActionGroupFields, others: ActionGroupRecord[], listsFunctions?: (lambdaArn: string) => boolean): void {
  const name = fields.actionGroupName;
  if (others.some((other) => other.actionGroupName === name)) throw new OutcropError('ConflictException', `An action group named ${name} already exists for this agent.`);
  const signature = fields.parentActionSignature;
  if (signature !== undefined) {
    if (!(builtInSignatures as readonly string[]).includes(signature)) {
      throw new OutcropError('ValidationException', `The parentActionGroupSignature ${signature} is not supported by this server; supported: ${builtInSignatures.join(', ')}.`);
    }
    const present = (['actionGroupExecutor', 'apiSchema', 'functionSchema', 'description', 'parentActionGroupSignatureParams'] as const).filter((key) => fields[key] !== undefined);
    if (present.length > 0) throw new OutcropError('ValidationException', `The action group ${name} uses parentActionGroupSignature ${signature}, so ${present.join(', ')} must not be set.`);
    if (others.some((other) => other.parentActionSignature === signature)) throw new OutcropError('ValidationException', `This agent already has an action group with parentActionGroupSignature ${signature}.`);
    return;
  }
  if (fields.parentActionGroupSignatureParams !== undefined) throw new OutcropError('ValidationException', `parentActionGroupSignatureParams is only allowed with a parentActionGroupSignature (action group ${name}).`);
  if (fields.actionGroupExecutor === undefined) {
    throw new OutcropError('ValidationException', `The action group ${name} needs an actionGroupExecutor: a Lambda function ARN (lambda) or customControl RETURN_CONTROL.`);
  }
  if (fields.apiSchema !== undefined && fields.functionSchema !== undefined) {
    throw new OutcropError('ValidationException', `The action group ${name} needs exactly one of apiSchema or functionSchema.`);
  }
  const lambda = 'lambda' in fields.actionGroupExecutor ? fields.actionGroupExecutor.lambda : undefined;
  if (fields.apiSchema === undefined && fields.functionSchema === undefined && !(lambda && listsFunctions?.(lambda))) {
    throw new OutcropError(
      'ValidationException',
      `The action group ${name} needs exactly one of apiSchema or functionSchema (only a Lambda function served by an MCP server in agents.functions may leave both out).`,
    );
  }
  if (fields.functionSchema) validateFunctions(name, fields.functionSchema.functions);
}

function validateFunctions(actionGroupName: string, functions: NonNullable<ActionGroupFields['functionSchema']>['functions']): void {
  if (!Array.isArray(functions) || functions.length === 0) throw new OutcropError('ValidationException', `The functionSchema of action group ${actionGroupName} defines no functions.`);
  const seen = new Set<string>();
  for (const item of functions) {
    if (seen.has(item.name)) throw new OutcropError('ValidationException', `The functionSchema of action group ${actionGroupName} defines the function ${item.name} more than once.`);
    seen.add(item.name);
    for (const parameter of Object.keys(item.parameters ?? {})) {
      if (!namePattern.test(parameter)) {
        throw new OutcropError('ValidationException', `The parameter name ${JSON.stringify(parameter)} of function ${item.name} (action group ${actionGroupName}) must match ([0-9a-zA-Z][_-]?){1,100}.`);
      }
    }
  }
}
