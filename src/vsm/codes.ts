import type { FamilyRelative, VsmAllergySeverity, VsmCodeSystem } from './items.ts';

/** The OIDs and names the CI-SIS gives the item code systems (as in the ANS example). */
export const codeSystems: Record<VsmCodeSystem, { readonly oid: string; readonly name: string }> = {
  'CIM-10': { oid: '2.16.840.1.113883.6.3', name: 'CIM10' },
  CCAM: { oid: '1.2.250.1.215.300.1', name: 'CCAM' },
  ATC: { oid: '2.16.840.1.113883.6.73', name: 'ATC' },
  CIS: { oid: '1.2.250.1.213.2.3.1', name: 'CIS' },
  EDQM: { oid: '0.4.0.127.0.16.1.1.2.1', name: 'EDQM' },
  LOINC: { oid: '2.16.840.1.113883.6.1', name: 'LOINC' },
  'SNOMED CT': { oid: '2.16.840.1.113883.6.96', name: 'SNOMED CT' },
};

export const codeSystemByOid: ReadonlyMap<string, VsmCodeSystem> = new Map(
  Object.entries(codeSystems).map(([system, { oid }]) => [oid, system as VsmCodeSystem]),
);

/** HL7 v3 RoleCode (2.16.840.1.113883.5.111) of each relative, and the sex it implies. */
export const relativeRoles: Record<
  FamilyRelative,
  { readonly code: string; readonly display: string; readonly sex: 'F' | 'M' | undefined }
> = {
  mother: { code: 'MTH', display: 'Mère', sex: 'F' },
  father: { code: 'FTH', display: 'Père', sex: 'M' },
  brother: { code: 'BRO', display: 'Frère', sex: 'M' },
  sister: { code: 'SIS', display: 'Sœur', sex: 'F' },
  sibling: { code: 'SIB', display: 'Frère ou sœur', sex: undefined },
  son: { code: 'SON', display: 'Fils', sex: 'M' },
  daughter: { code: 'DAU', display: 'Fille', sex: 'F' },
  child: { code: 'CHILD', display: 'Enfant', sex: undefined },
  grandmother: { code: 'GRMTH', display: 'Grand-mère', sex: 'F' },
  grandfather: { code: 'GRFTH', display: 'Grand-père', sex: 'M' },
  grandparent: { code: 'GRPRN', display: 'Grand-parent', sex: undefined },
  aunt: { code: 'AUNT', display: 'Tante', sex: 'F' },
  uncle: { code: 'UNCLE', display: 'Oncle', sex: 'M' },
  cousin: { code: 'COUSN', display: 'Cousin ou cousine', sex: undefined },
  relative: { code: 'FAMMEMB', display: 'Membre de la famille', sex: undefined },
};

/** SNOMED CT severities (the IHE severity entry's value). */
export const severityCodes: Record<VsmAllergySeverity, { readonly code: string; readonly display: string }> =
  {
    mild: { code: '255604002', display: 'léger' },
    moderate: { code: '6736007', display: 'modéré' },
    severe: { code: '24484000', display: 'sévère' },
  };

/** HL7 absent-or-unknown codes (value sets JDV_AbsentOrUnknown*_CISIS) for a section left empty. */
/**
 * What an uncoded lifestyle item observes: JDV_SocialHistoryCodes_CISIS's catch-all, "Autre élément social" (the
 * value set admits no nullFlavor there); read back, it means "not coded".
 */
export const OTHER_SOCIAL_ELEMENT = {
  system: 'LOINC',
  code: '11345-6',
  display: 'Autre élément social',
} as const;

export const ABSENT_UNKNOWN_OID = '2.16.840.1.113883.5.1150.1';

/**
 * The LOINC vital signs of the IHE coded vital signs entry (JDV_SignesVitaux_CISIS) and the UCUM units the IHE rules
 * accept for some of them; other measurements are simple observations.
 */
export const vitalSignUnits: ReadonlyMap<string, readonly string[] | undefined> = new Map([
  ['20564-1', undefined],
  ['8280-0', undefined],
  ['8287-5', ['m', 'cm', '[in_us]', '[in_uk]']],
  ['8302-2', ['m', 'cm', '[in_us]', '[in_uk]']],
  ['8306-3', undefined],
  ['8310-5', ['Cel', '[degF]']],
  ['8867-4', ['/min']],
  ['8462-4', ['mm[Hg]']],
  ['8480-6', ['mm[Hg]']],
  ['9279-1', ['/min']],
  ['29463-7', ['kg', 'g', '[lb_av]', '[oz_av]']],
  ['39156-5', ['kg/m2']],
]);
