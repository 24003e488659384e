import { randomInt } from 'node:crypto';

/** The alias Bedrock gives every agent, pointing at its DRAFT. */
export const testAliasId = 'TSTALIASID';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A new 10-character id, as Bedrock gives agents, action groups, aliases and collaborators. */
export function newAgentResourceId(): string {
  return Array.from({ length: 10 }, () => idAlphabet[randomInt(idAlphabet.length)]).join('');
}

/** `arn:aws:bedrock:{region}:{account}:agent/{agentId}` */
export function agentArn(region: string, accountId: string, agentId: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:agent/${agentId}`;
}

/** `arn:aws:bedrock:{region}:{account}:agent-alias/{agentId}/{aliasId}` */
export function agentAliasArn(region: string, accountId: string, agentId: string, aliasId: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:agent-alias/${agentId}/${aliasId}`;
}

/**
 * The agent (and alias) an agent or agent-alias ARN names, or undefined for anything else.
 *
 * @example
 * parseAgentArn('arn:aws:bedrock:us-east-1:000000000000:agent-alias/ABCDEFGHIJ/TSTALIASID'); // { agentId: 'ABCDEFGHIJ', aliasId: 'TSTALIASID' }
 */
export function parseAgentArn(arn: string): { agentId: string; aliasId?: string; region: string; accountId: string } | undefined {
  const match = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]*):(\d*):(agent|agent-alias)\/([0-9a-zA-Z]{10})(?:\/([0-9a-zA-Z]{10}))?$/.exec(arn);
  if (!match) return undefined;
  const [, region = '', accountId = '', type, agentId = '', aliasId] = match;
  if ((type === 'agent-alias') !== (aliasId !== undefined)) return undefined;
  return { agentId, region, accountId, ...(aliasId === undefined ? {} : { aliasId }) };
}
