import type { GuardrailInterventionRepository } from '../../core/guardrails/interventions/guardrail-intervention.js';
import type { GuardrailRepository } from '../../core/guardrails/registry/guardrail-record.js';

/**
 * Where guardrails persist: SQLite (`sqlite/`) or PostgreSQL (`postgres/`). The server keeps them in
 * memory (see `Guardrails`) and writes through here; intervention records are only appended and listed.
 */
export type GuardrailStore = GuardrailRepository & GuardrailInterventionRepository;
