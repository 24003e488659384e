import type { PiiEntityType, PiiSpan } from './pii-entity-types.js';

/** Checked or structurally unmistakable types win over context-cued ones, which win over loose ones. */
const priority: Partial<Record<PiiEntityType, number>> = {
  EMAIL: 3, URL: 3, IP_ADDRESS: 3, MAC_ADDRESS: 3, AWS_ACCESS_KEY: 3, CREDIT_DEBIT_CARD_NUMBER: 3, INTERNATIONAL_BANK_ACCOUNT_NUMBER: 3,
  US_SOCIAL_SECURITY_NUMBER: 3, US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER: 3, UK_NATIONAL_INSURANCE_NUMBER: 3, UK_NATIONAL_HEALTH_SERVICE_NUMBER: 3,
  CA_SOCIAL_INSURANCE_NUMBER: 3, VEHICLE_IDENTIFICATION_NUMBER: 3, SWIFT_CODE: 3,
  US_PASSPORT_NUMBER: 2, US_BANK_ROUTING_NUMBER: 2, UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER: 2, CA_HEALTH_NUMBER: 2, DRIVER_ID: 2, LICENSE_PLATE: 2,
  PIN: 2, CREDIT_DEBIT_CARD_CVV: 2, CREDIT_DEBIT_CARD_EXPIRY: 2, PASSWORD: 2, USERNAME: 2, AWS_SECRET_KEY: 2,
};

/**
 * Keeps a set of non-overlapping spans: higher-priority types first, then longer spans, then
 * earlier ones. Custom regex spans (`rank` 4) outrank every built-in type.
 */
export function resolveOverlaps<T extends { start: number; end: number }>(spans: T[], rank: (span: T) => number): T[] {
  const ordered = [...spans].sort((a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: T[] = [];
  for (const span of ordered) {
    if (kept.some((other) => span.start < other.end && other.start < span.end)) continue;
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

export function piiRank(span: PiiSpan): number {
  return priority[span.type] ?? 1;
}
