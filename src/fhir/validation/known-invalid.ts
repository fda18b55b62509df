/**
 * Validator errors known and not yet fixed, each in a resource owned by other work in progress (issue 11). The
 * harness (fhir-validation.setup.ts) reports every one it meets at the end of the test file; any error not listed
 * here fails the test. Entries are to be removed as their builders are fixed — this list should end empty.
 */
export interface KnownInvalid {
  readonly resourceType: string;
  /** Contained in the FHIRPath expression. */
  readonly expression: string;
  /** Contained in the validator's message. */
  readonly message: string;
  /** Who fixes it, and why it is tolerated for now. */
  readonly reason: string;
}

export const knownInvalid: readonly KnownInvalid[] = [
  {
    resourceType: 'AuditEvent',
    expression: 'AuditEvent.entity[',
    message: 'Missing required property',
    reason:
      'src/audit/audit-event-resource.ts (AuditEvent per IHE BALP, issue 11) turns an audit detail whose value is ' +
      'empty into `detail: { type, valueString: "" }`; FHIR has no empty strings, so the value is left out and ' +
      'detail.value[x] (1..1) is missing. Seen on GET /fhir/AuditEvent in route-isolation.property.test.ts.',
  },
];
