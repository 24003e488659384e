import type { OutcropConfig } from '../../src/config/config.js';
import { type ScriptedUpstream, startScriptedUpstream } from './scripted-openai-upstream.js';
import { type TestServer, startTestServer } from './test-server.js';

/** The real server with agent models on a scripted OpenAI-compatible upstream. */
export interface ScriptedAgentServer {
  server: TestServer;
  upstream: ScriptedUpstream;
  close(): Promise<void>;
}

/**
 * Starts a scripted upstream and the real server with one model `agent.<name>` (upstream model
 * `<name>`) for each name, so each agent step can be planned with `upstream.plan(name, ...)`.
 *
 * @example
 * const { server, upstream } = await startScriptedAgentServer({ models: ['worker'] });
 * upstream.plan('worker', [{ text: 'Hello.' }]);
 */
export async function startScriptedAgentServer(options: { models: readonly string[]; configure?: (config: OutcropConfig) => void }): Promise<ScriptedAgentServer> {
  const upstream = await startScriptedUpstream();
  let server: TestServer;
  try {
    server = await startTestServer({
      extraProviders: `  scripted:
    type: openai-compatible
    baseUrl: ${upstream.url}
    apiKey: sk-scripted
    timeoutMs: 5000
    idleTimeoutMs: 5000`,
      extraConfig: options.models.map((name) => `  - { id: agent.${name}, provider: scripted, upstreamModel: ${name}, providerName: Outcrop }`).join('\n'),
      ...(options.configure ? { configure: options.configure } : {}),
    });
  } catch (error) {
    await upstream.close();
    throw error;
  }
  return {
    server,
    upstream,
    async close() {
      await server.close();
      await upstream.close();
    },
  };
}
