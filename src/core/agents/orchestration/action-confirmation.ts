import type { ToolBinding } from './agent-tools.js';

/** What the application is asked for when a call goes back to it: Bedrock's `ActionInvocationType`. */
export type ActionInvocationType = 'RESULT' | 'USER_CONFIRMATION' | 'USER_CONFIRMATION_AND_RESULT';

/**
 * Whether a call needs the user's confirmation before it runs (`requireConfirmation: ENABLED` on a
 * function, `x-requireConfirmation: ENABLED` on an OpenAPI operation), and so goes back to the
 * application as a `returnControl` event: `USER_CONFIRMATION` for a group Outcrop runs (it runs the
 * call once the application answers `confirmationState: CONFIRM`), `USER_CONFIRMATION_AND_RESULT` for
 * a RETURN_CONTROL group (the application confirms and runs it). Undefined when no confirmation is
 * needed.
 *
 * @example
 * confirmationType({ kind: 'function', actionGroup, function: { name: 'deleteOrder', requireConfirmation: 'ENABLED' } }); // 'USER_CONFIRMATION'
 */
export function confirmationType(binding: ToolBinding): Exclude<ActionInvocationType, 'RESULT'> | undefined {
  if (binding.kind !== 'function' && binding.kind !== 'api') return undefined;
  const required = binding.kind === 'function' ? binding.function.requireConfirmation === 'ENABLED' : binding.operation.requireConfirmation === true;
  if (!required) return undefined;
  return binding.actionGroup.actionGroupExecutor?.customControl === 'RETURN_CONTROL' ? 'USER_CONFIRMATION_AND_RESULT' : 'USER_CONFIRMATION';
}
