import { describe, expect, it } from 'vitest';
import {
  briseDeGlace,
  childB,
  consented,
  doc,
  patient,
  patientA,
  professional,
  record,
  regulation,
} from './record-policy.fixtures.ts';
import { decideDeposit, mayWriteVsm } from './deposit-policy.ts';
import {
  decideDocument,
  decideDocumentSearch,
  decideEmergencyStart,
  decideRecord,
  decideRecordExport,
  defaultRecordSettings,
  denyMessages,
  type Decision,
} from './record-policy.ts';

const outcome = (d: Decision) => (d.allowed ? (d.emergency ? 'emergency' : 'allowed') : d.reason);
const doctor = professional('10');
const nurse = professional('60');
const blocked = { blocked: true, administrator: true, consent: true };
const noEmergency = { ...defaultRecordSettings, allowBrisDeGlace: false, allowRegulation: false };

describe('record policy: the record', () => {
  it('opens only created and activated records', () => {
    for (const state of ['closed', 'opposed'] as const) {
      expect(outcome(decideRecord(doctor, record({ profileState: state }), 'consult'))).toBe('record-closed');
      expect(outcome(decideRecord(patient(patientA), record({ profileState: state }), 'consult'))).toBe(
        'record-closed',
      );
    }
    expect(outcome(decideRecord(doctor, record({ profileState: 'created' }), 'consult'))).toBe('allowed');
  });

  it('gives a blocked professional nothing, not even deposit, administrator or emergency', () => {
    const emergency = record({ relation: blocked, emergency: briseDeGlace('Inconscient') });
    for (const action of ['consult', 'deposit', 'manage-settings', 'read-history'] as const) {
      expect(outcome(decideRecord(doctor, emergency, action))).toBe('blocked');
    }
    expect(outcome(decideEmergencyStart(doctor, emergency, briseDeGlace('Inconscient')))).toBe('blocked');
    expect(
      outcome(
        decideDocument(
          doctor,
          record({ relation: blocked }),
          doc({ authorNationalId: doctor.nationalId }),
          'read',
        ),
      ),
    ).toBe('blocked');
    expect(outcome(decideDeposit(doctor, record({ relation: blocked }), '11488-4'))).toBe('blocked');
  });

  it('needs consent to consult but not to deposit', () => {
    expect(outcome(decideRecord(doctor, record({ relation: undefined }), 'consult'))).toBe(
      'consent-required',
    );
    const noConsent = { blocked: false, administrator: false, consent: false };
    expect(outcome(decideRecord(doctor, record({ relation: noConsent }), 'consult'))).toBe(
      'consent-required',
    );
    expect(outcome(decideRecord(doctor, record({ relation: undefined }), 'deposit'))).toBe('allowed');
    expect(
      outcome(decideRecord(doctor, record({ relation: { ...noConsent, administrator: true } }), 'consult')),
    ).toBe('allowed');
  });

  it('gives a deposit no consent: its author reads what they wrote, nothing else, until the patient consents', () => {
    const noConsent = { blocked: false, administrator: false, consent: false };
    const depositor = record({ relation: noConsent, ownDocuments: true });
    const own = doc({ authorNationalId: doctor.nationalId });
    const others = doc();
    expect(outcome(decideRecord(doctor, depositor, 'consult'))).toBe('consent-required');
    expect(decideDocument(doctor, depositor, own, 'read')).toEqual({
      allowed: true,
      emergency: false,
      ownDocumentsOnly: true,
    });
    expect(outcome(decideDocument(doctor, depositor, others, 'read'))).toBe('consent-required');
    expect(decideDocumentSearch(doctor, depositor)).toEqual({
      allowed: true,
      emergency: false,
      ownDocumentsOnly: true,
    });
    // Without documents of theirs, the record is refused as before; a blocked author reads nothing.
    expect(outcome(decideDocumentSearch(doctor, record({ relation: noConsent })))).toBe('consent-required');
    const blockedAuthor = record({ relation: { ...noConsent, blocked: true }, ownDocuments: true });
    expect(outcome(decideDocument(doctor, blockedAuthor, own, 'read'))).toBe('blocked');
    expect(outcome(decideDocumentSearch(doctor, blockedAuthor))).toBe('blocked');
    // The patient's consent, or the médecin traitant (administrateur), opens the rest.
    for (const relation of [consented, { ...noConsent, administrator: true }]) {
      const opened = record({ relation, ownDocuments: true });
      expect(decideDocumentSearch(doctor, opened)).toEqual({ allowed: true, emergency: false });
      expect(outcome(decideDocument(doctor, opened, others, 'read'))).toBe('allowed');
    }
  });

  it('opens bris de glace with a reason and the opt-in, and flags it as an emergency', () => {
    const withReason = briseDeGlace('Patient inconscient');
    const noReason = briseDeGlace('   ');
    const inEmergency = (emergency = withReason, settings = defaultRecordSettings) =>
      record({ relation: undefined, emergency, settings });
    expect(outcome(decideRecord(doctor, inEmergency(), 'consult'))).toBe('emergency');
    expect(outcome(decideRecord(doctor, inEmergency(noReason), 'consult'))).toBe('emergency-reason-required');
    expect(outcome(decideEmergencyStart(doctor, record(), noReason))).toBe('emergency-reason-required');
    expect(outcome(decideRecord(doctor, inEmergency(withReason, noEmergency), 'consult'))).toBe(
      'emergency-not-allowed',
    );
    expect(outcome(decideEmergencyStart(doctor, inEmergency(withReason, noEmergency), withReason))).toBe(
      'emergency-not-allowed',
    );
    // With consent, the normal access applies: no emergency to notify.
    expect(
      outcome(decideRecord(doctor, record({ relation: consented, emergency: withReason }), 'consult')),
    ).toBe('allowed');
  });

  it('opens the centre de régulation mode on its own opt-in, without a reason', () => {
    const samu = professional('10', { regulator: true });
    const regulated = record({ relation: undefined, emergency: regulation });
    expect(outcome(decideRecord(samu, regulated, 'consult'))).toBe('emergency');
    expect(outcome(decideEmergencyStart(samu, record({ relation: undefined }), regulation))).toBe(
      'emergency',
    );
    const onlyBdg = { ...defaultRecordSettings, allowRegulation: false };
    expect(outcome(decideRecord(samu, { ...regulated, settings: onlyBdg }, 'consult'))).toBe(
      'emergency-not-allowed',
    );
  });

  // Security review regression: fails on 027241f, before the fix.
  it('keeps the SAMU regulation mode to regulators: a dentist or an ordinary doctor is refused', () => {
    const regulated = record({ relation: undefined, emergency: regulation });
    for (const who of [professional('40'), doctor]) {
      expect(outcome(decideEmergencyStart(who, record({ relation: undefined }), regulation))).toBe(
        'not-regulator',
      );
      expect(outcome(decideRecord(who, regulated, 'consult'))).toBe('not-regulator');
    }
    expect(denyMessages['not-regulator']).toMatch(/réservé aux médecins régulateurs/);
    expect(outcome(decideEmergencyStart(patient(patientA), record(), regulation))).toBe('role');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('grants an emergency only through the record’s own emergency access, never the professional’s', () => {
    expect(outcome(decideRecord(doctor, record({ relation: undefined }), 'consult'))).toBe(
      'consent-required',
    );
    expect(
      outcome(decideRecord(doctor, record({ relation: undefined, emergency: undefined }), 'consult')),
    ).toBe('consent-required');
  });

  it('lets the patient and a representative manage, strangers not', () => {
    const parent = patient('parent-c' as typeof patientA, ['parent-c' as typeof patientA, childB]);
    for (const action of ['consult', 'deposit', 'manage-settings', 'read-history'] as const) {
      expect(outcome(decideRecord(patient(patientA), record(), action))).toBe('allowed');
      expect(outcome(decideRecord(parent, record({ patientId: childB }), action))).toBe('allowed');
      expect(outcome(decideRecord(parent, record(), action))).toBe('not-own-record');
    }
    expect(outcome(decideRecord(doctor, record(), 'manage-settings'))).toBe('role');
  });

  it('lets the insurer deposit only, and the auditor read the history only', () => {
    expect(outcome(decideRecord({ kind: 'insurer' }, record(), 'deposit'))).toBe('allowed');
    expect(outcome(decideRecord({ kind: 'insurer' }, record(), 'consult'))).toBe('role');
    const auditor = { kind: 'auditor', id: 'a1', name: 'Audit' } as const;
    expect(outcome(decideRecord(auditor, record(), 'read-history'))).toBe('allowed');
    expect(outcome(decideRecord(auditor, record(), 'consult'))).toBe('role');
    expect(outcome(decideDocument(auditor, record(), doc(), 'read'))).toBe('role');
    expect(outcome(decideDocument(auditor, record(), doc({ status: 'deleted' }), 'read'))).toBe('role');
    expect(outcome(decideDocument({ kind: 'insurer' }, record(), doc({ typeCode: 'REMB' }), 'read'))).toBe(
      'role',
    );
  });
});

describe('record policy: deposit types', () => {
  it('lets each producer deposit its types, and nobody an unknown or deprecated one', () => {
    expect(outcome(decideDeposit(doctor, record(), '60591-5'))).toBe('allowed');
    // The patient's and the insurer's types are reserved to them: the professional is told so (403). The
    // patient's own expression (EXPPAT_*) is the patient's, as the type registry says.
    expect(outcome(decideDeposit(doctor, record(), 'EXPPAT_3'))).toBe('not-producer');
    expect(outcome(decideDeposit(doctor, record(), 'EXPPAT_1'))).toBe('not-producer');
    expect(outcome(decideDeposit(patient(patientA), record(), 'EXPPAT_1'))).toBe('allowed');
    expect(outcome(decideDeposit(doctor, record(), 'DOCPAT01'))).toBe('not-producer');
    expect(outcome(decideDeposit(doctor, record(), 'REMB'))).toBe('not-producer');
    expect(outcome(decideDeposit(doctor, record(), '11528-7'))).toBe('habilitation');
    expect(outcome(decideDeposit(doctor, record(), 'XYZ'))).toBe('habilitation');
    expect(outcome(decideDeposit(patient(patientA), record(), 'DOCPAT03'))).toBe('allowed');
    expect(outcome(decideDeposit(patient(patientA), record(), '11488-4'))).toBe('habilitation');
    expect(outcome(decideDeposit({ kind: 'insurer' }, record(), 'REMB'))).toBe('allowed');
    expect(outcome(decideDeposit({ kind: 'insurer' }, record(), '96874-3'))).toBe('allowed');
    expect(outcome(decideDeposit({ kind: 'insurer' }, record(), '11488-4'))).toBe('habilitation');
  });
});

describe('record policy: documents', () => {
  const author = professional('40', { id: '8100000042' });

  it('applies the habilitation matrix, except to the document’s author', () => {
    const psy = doc({ typeCode: '68599-0' });
    expect(outcome(decideDocument(doctor, record(), psy, 'read'))).toBe('allowed');
    expect(outcome(decideDocument(nurse, record(), psy, 'read'))).toBe('habilitation');
    expect(outcome(decideDocument(author, record(), doc({ typeCode: '85208-7' }), 'read'))).toBe(
      'habilitation',
    );
    expect(
      outcome(
        decideDocument(
          author,
          record(),
          doc({ typeCode: '85208-7', authorNationalId: author.nationalId }),
          'read',
        ),
      ),
    ).toBe('allowed');
  });

  it('hides masked documents from professionals but their author and administrators', () => {
    const masked = doc({ masked: true });
    expect(outcome(decideDocument(nurse, record(), masked, 'read'))).toBe('masked');
    expect(
      outcome(decideDocument(nurse, record(), { ...masked, authorNationalId: nurse.nationalId }, 'read')),
    ).toBe('allowed');
    const admin = { ...consented, administrator: true };
    expect(outcome(decideDocument(doctor, record({ relation: admin }), masked, 'read'))).toBe('allowed');
    expect(outcome(decideDocument(patient(patientA), record(), masked, 'read'))).toBe('allowed');
  });

  it('shows masked documents in an emergency only with the third opt-in', () => {
    const masked = doc({ masked: true });
    const bdg = { relation: undefined, emergency: briseDeGlace('Coma') };
    expect(outcome(decideDocument(doctor, record(bdg), masked, 'read'))).toBe('emergency');
    const noMasked = { ...defaultRecordSettings, allowMaskedInEmergency: false };
    expect(outcome(decideDocument(doctor, record({ ...bdg, settings: noMasked }), masked, 'read'))).toBe(
      'masked',
    );
    expect(outcome(decideDocument(doctor, record({ ...bdg, settings: noMasked }), doc(), 'read'))).toBe(
      'emergency',
    );
  });

  it('hides INVISIBLE_PATIENT from the patient and representatives, not from professionals', () => {
    const hidden = doc({ invisiblePatient: true });
    const parent = patient('parent-c' as typeof patientA, ['parent-c' as typeof patientA, childB]);
    expect(outcome(decideDocument(patient(patientA), record(), hidden, 'read'))).toBe('invisible');
    expect(
      outcome(decideDocument(parent, record({ patientId: childB, patientIsMinor: true }), hidden, 'read')),
    ).toBe('invisible');
    expect(outcome(decideDocument(doctor, record(), hidden, 'read'))).toBe('allowed');
  });

  it('hides INVISIBLE_REPRESENTANTS_LEGAUX from a minor’s representatives only', () => {
    const hidden = doc({ invisibleRepresentatives: true });
    const minor = record({ patientId: childB, patientIsMinor: true });
    const parent = patient('parent-c' as typeof patientA, ['parent-c' as typeof patientA, childB]);
    expect(outcome(decideDocument(parent, minor, hidden, 'read'))).toBe('invisible');
    expect(outcome(decideDocument(patient(childB), minor, hidden, 'read'))).toBe('allowed');
    expect(outcome(decideDocument(doctor, minor, hidden, 'read'))).toBe('allowed');
  });

  it('hides deleted documents from everyone, keeps superseded and archived readable', () => {
    for (const who of [doctor, patient(patientA)]) {
      expect(outcome(decideDocument(who, record(), doc({ status: 'deleted' }), 'read'))).toBe('status');
      expect(outcome(decideDocument(who, record(), doc({ status: 'superseded' }), 'read'))).toBe('allowed');
      expect(outcome(decideDocument(who, record(), doc({ status: 'archived' }), 'read'))).toBe('allowed');
    }
  });

  it('lets only the author replace, archive, mask or hide, and only current documents be replaced', () => {
    const own = doc({ authorNationalId: nurse.nationalId, maskedByPatient: false });
    for (const action of ['replace', 'archive', 'mask', 'unmask', 'set-invisible'] as const) {
      expect(outcome(decideDocument(nurse, record({ relation: undefined }), own, action))).toBe('allowed');
      expect(outcome(decideDocument(doctor, record(), own, action))).toBe('not-author');
    }
    expect(outcome(decideDocument(nurse, record(), { ...own, status: 'superseded' }, 'replace'))).toBe(
      'status',
    );
    expect(outcome(decideDocument(nurse, record(), own, 'delete'))).toBe('role');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('leaves the patient’s mask to the patient: the author cannot lift it, nor one of unknown origin', () => {
    const own = doc({ authorNationalId: nurse.nationalId, masked: true });
    expect(outcome(decideDocument(nurse, record(), { ...own, maskedByPatient: true }, 'unmask'))).toBe(
      'patient-mask',
    );
    expect(outcome(decideDocument(nurse, record(), own, 'unmask'))).toBe('patient-mask');
    expect(outcome(decideDocument(nurse, record(), { ...own, maskedByPatient: false }, 'unmask'))).toBe(
      'allowed',
    );
    const me = patient(patientA);
    expect(outcome(decideDocument(me, record(), { ...own, maskedByPatient: true }, 'unmask'))).toBe(
      'allowed',
    );
  });

  it('lets the patient mask any visible document and delete only their own uploads', () => {
    const me = patient(patientA);
    expect(outcome(decideDocument(me, record(), doc(), 'mask'))).toBe('allowed');
    expect(outcome(decideDocument(me, record(), doc({ invisiblePatient: true }), 'mask'))).toBe('invisible');
    expect(outcome(decideDocument(me, record(), doc(), 'delete'))).toBe('not-author');
    const upload = doc({ typeCode: 'DOCPAT01', authorNationalId: undefined, authorPatientId: patientA });
    expect(outcome(decideDocument(me, record(), upload, 'delete'))).toBe('allowed');
    expect(outcome(decideDocument(me, record(), { ...upload, status: 'deleted' }, 'delete'))).toBe('status');
    expect(outcome(decideDocument(me, record(), doc(), 'replace'))).toBe('role');
  });

  it('has a French message for every reason', () => {
    for (const message of Object.values(denyMessages)) expect(message).toMatch(/^[A-ZÀ-Ý].+\.$/);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('lets a profession deposit only the types it may produce: the VSM is the doctor’s', () => {
    const dentist = professional('40');
    expect(outcome(decideDeposit(dentist, record(), '60591-5'))).toBe('not-producer');
    expect(outcome(decideDeposit(dentist, record(), 'SYNTH'))).toBe('not-producer');
    expect(outcome(decideDeposit(doctor, record(), '60591-5'))).toBe('allowed');
    expect(outcome(decideDeposit(nurse, record(), '60593-1'))).toBe('not-producer');
    expect(outcome(decideDeposit(professional('21'), record(), '60593-1'))).toBe('allowed');
    expect(outcome(decideDeposit(dentist, record(), '11488-4'))).toBe('allowed');
    expect(denyMessages['not-producer']).toMatch(/matrice d’habilitation/);
  });

  it('tells a professional a document is hidden by the matrix only when no mask hides it as well', () => {
    const dentist = professional('40');
    const psychiatric = doc({ typeCode: '68599-0' });
    expect(outcome(decideDocument(dentist, record(), psychiatric, 'read'))).toBe('habilitation');
    expect(outcome(decideDocument(dentist, record(), { ...psychiatric, masked: true }, 'read'))).toBe(
      'masked',
    );
  });

  it('lets only doctors write a VSM, and only the patient or a representative export a record', () => {
    expect([doctor, nurse, professional('40'), patient(patientA)].map(mayWriteVsm)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(outcome(decideRecordExport(patient(patientA), record()))).toBe('allowed');
    expect(outcome(decideRecordExport(patient(childB, [childB, patientA]), record()))).toBe('allowed');
    expect(outcome(decideRecordExport(patient(childB), record()))).toBe('not-own-record');
    expect(outcome(decideRecordExport(doctor, record()))).toBe('role');
  });
});
