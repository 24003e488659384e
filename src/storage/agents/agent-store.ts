import type { AgentRepository } from '../../core/agents/registry/agent-records.js';

/**
 * Where agents persist: SQLite (`sqlite/`) or PostgreSQL (`postgres/`). The server keeps them in
 * memory (see `Agents`) and writes through here.
 */
export type AgentStore = AgentRepository;
