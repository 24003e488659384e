import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type GuardrailInterventionRepository, type GuardrailObserver, interventionRecordOf } from '../../core/guardrails/index.js';
import type { OutcropMetrics } from './metrics.js';

export interface GuardrailObserverOptions {
  metrics: OutcropMetrics;
  logger: Logger;
  /** where intervention records persist */
  repository: GuardrailInterventionRepository;
  /** keep the evaluated text in records and log lines (`guardrails.recordContent`; default off) */
  recordContent: boolean;
  now?: () => Date;
}

/**
 * Counts and times every guardrail evaluation, and records each intervention: a structured log line
 * (`guardrail intervened`) and a row in the guardrail store, without the text unless the operator
 * enables `recordContent`. A failed write is logged; it never fails the call it observed.
 *
 * @example
 * const observer = createGuardrailObserver({ metrics, logger, repository: store, recordContent: false });
 * const guardrails = new Guardrails({ repository: store, engine, region, accountId, observer });
 */
export function createGuardrailObserver(options: GuardrailObserverOptions): GuardrailObserver {
  const now = options.now ?? (() => new Date());
  return {
    async evaluated(event) {
      const intervened = event.evaluation.action === 'GUARDRAIL_INTERVENED';
      options.metrics.guardrailEvaluationSeconds.observe({ guardrail_id: event.guardrailId, source: event.source, outcome: intervened ? 'intervened' : 'none' }, event.latencyMs / 1000);
      const record = interventionRecordOf(event, { recordContent: options.recordContent, id: randomUUID(), now: now() });
      if (!record) return;
      for (const entry of record.policies) {
        options.metrics.guardrailInterventions.inc({ guardrail_id: record.guardrailId, guardrail_version: record.guardrailVersion, source: record.source, policy: entry.policy, action: entry.action });
      }
      options.logger.info({ guardrailIntervention: record }, 'guardrail intervened');
      try {
        await options.repository.insertIntervention(record);
      } catch (error) {
        options.logger.error({ err: error, guardrailId: record.guardrailId, interventionId: record.id }, 'the guardrail intervention record could not be written');
      }
    },
    failed(event) {
      options.metrics.guardrailEvaluationSeconds.observe({ guardrail_id: event.guardrailId, source: event.source, outcome: 'error' }, event.latencyMs / 1000);
      options.logger.warn({ err: event.error, guardrailId: event.guardrailId, guardrailVersion: event.guardrailVersion, operation: event.call.operation, requestId: event.call.requestId }, 'guardrail evaluation failed');
    },
  };
}
