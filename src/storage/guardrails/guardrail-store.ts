import type { GuardrailRepository } from '../../core/guardrails/registry/guardrail-record.js';

/**
 * Where guardrails persist: SQLite (`sqlite/`) or PostgreSQL (`postgres/`). The server keeps them in
 * memory (see `Guardrails`) and writes through here.
 */
export type GuardrailStore = GuardrailRepository;
