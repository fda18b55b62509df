/**
 * What a patient can pick while typing a treatment, a disease or an allergy (docs/features.md, "Medical profile"):
 * the French words they read, with the code a professional's software reads. Anything else they type stays free
 * text, without a code. Every ATC and CIM-10 code here is in the ANS lists (pick-lists.test.ts reads them from the
 * CDA kit).
 *
 * Pure data, also bundled into the patient space (web/patient/pages/profile/): no import but types.
 */
import type { AllergyCategory } from './types.ts';

/** A code with the words shown for it. */
export interface CodedTerm {
  readonly code: string;
  readonly display: string;
}

export const allergenSystems = ['ATC', 'SNOMED CT'] as const;
export type AllergenSystem = (typeof allergenSystems)[number];

/** A substance with the category it belongs to (picking it fills the form's category too). */
export interface AllergenTerm extends CodedTerm {
  readonly system: AllergenSystem;
  readonly category: AllergyCategory;
}

/** Long-term and common medications by their French DCI, with the substance's ATC code (7 characters). */
export const medicationTerms: readonly CodedTerm[] = [
  // Diabetes
  { code: 'A10BA02', display: 'Metformine' },
  { code: 'A10BB09', display: 'Gliclazide' },
  { code: 'A10BB12', display: 'Glimépiride' },
  { code: 'A10BX02', display: 'Répaglinide' },
  { code: 'A10BH01', display: 'Sitagliptine' },
  { code: 'A10BH02', display: 'Vildagliptine' },
  { code: 'A10BK01', display: 'Dapagliflozine' },
  { code: 'A10BK03', display: 'Empagliflozine' },
  { code: 'A10BJ02', display: 'Liraglutide' },
  { code: 'A10BJ05', display: 'Dulaglutide' },
  { code: 'A10BJ06', display: 'Sémaglutide' },
  { code: 'A10AE04', display: 'Insuline glargine' },
  { code: 'A10AB05', display: 'Insuline asparte' },
  { code: 'A10AB04', display: 'Insuline lispro' },
  // Blood pressure, heart, vessels
  { code: 'C08CA01', display: 'Amlodipine' },
  { code: 'C08CA13', display: 'Lercanidipine' },
  { code: 'C09AA05', display: 'Ramipril' },
  { code: 'C09AA04', display: 'Périndopril' },
  { code: 'C09AA02', display: 'Énalapril' },
  { code: 'C09CA01', display: 'Losartan' },
  { code: 'C09CA03', display: 'Valsartan' },
  { code: 'C09CA04', display: 'Irbésartan' },
  { code: 'C09CA06', display: 'Candésartan' },
  { code: 'C09CA07', display: 'Telmisartan' },
  { code: 'C09CA08', display: 'Olmésartan' },
  { code: 'C09DX04', display: 'Sacubitril et valsartan' },
  { code: 'C03AA03', display: 'Hydrochlorothiazide' },
  { code: 'C03BA11', display: 'Indapamide' },
  { code: 'C03CA01', display: 'Furosémide' },
  { code: 'C03DA01', display: 'Spironolactone' },
  { code: 'C07AB07', display: 'Bisoprolol' },
  { code: 'C07AB03', display: 'Aténolol' },
  { code: 'C07AB02', display: 'Métoprolol' },
  { code: 'C07AB12', display: 'Nébivolol' },
  { code: 'C07AA05', display: 'Propranolol' },
  { code: 'C07AG02', display: 'Carvédilol' },
  { code: 'C01BD01', display: 'Amiodarone' },
  { code: 'C01BC04', display: 'Flécaïnide' },
  { code: 'C01EB17', display: 'Ivabradine' },
  { code: 'C01DA02', display: 'Trinitrine (nitroglycérine)' },
  { code: 'C10AA05', display: 'Atorvastatine' },
  { code: 'C10AA07', display: 'Rosuvastatine' },
  { code: 'C10AA01', display: 'Simvastatine' },
  { code: 'C10AA03', display: 'Pravastatine' },
  { code: 'C10AX09', display: 'Ézétimibe' },
  { code: 'C10AB05', display: 'Fénofibrate' },
  // Blood thinners
  { code: 'B01AC06', display: 'Aspirine à faible dose (antiagrégant)' },
  { code: 'B01AC04', display: 'Clopidogrel' },
  { code: 'B01AC24', display: 'Ticagrélor' },
  { code: 'B01AF02', display: 'Apixaban' },
  { code: 'B01AF01', display: 'Rivaroxaban' },
  { code: 'B01AE07', display: 'Dabigatran' },
  { code: 'B01AA03', display: 'Warfarine' },
  { code: 'B01AA12', display: 'Fluindione' },
  { code: 'B01AA07', display: 'Acénocoumarol' },
  { code: 'B01AB05', display: 'Énoxaparine' },
  // Blood, vitamins, minerals
  { code: 'B03AA07', display: 'Sulfate ferreux (fer)' },
  { code: 'B03BB01', display: 'Acide folique' },
  { code: 'B03BA01', display: 'Cyanocobalamine (vitamine B12)' },
  { code: 'A11CC05', display: 'Cholécalciférol (vitamine D3)' },
  { code: 'A12AX', display: 'Calcium et vitamine D' },
  // Thyroid, hormones
  { code: 'H03AA01', display: 'Lévothyroxine' },
  { code: 'H03BB02', display: 'Thiamazole' },
  { code: 'H02AB07', display: 'Prednisone' },
  { code: 'H02AB06', display: 'Prednisolone' },
  { code: 'H02AB09', display: 'Hydrocortisone' },
  { code: 'G03AA07', display: 'Lévonorgestrel et éthinylestradiol (pilule)' },
  { code: 'G03AC09', display: 'Désogestrel (pilule)' },
  { code: 'G03CA03', display: 'Estradiol' },
  // Lungs, allergy
  { code: 'R03AC02', display: 'Salbutamol' },
  { code: 'R03AC12', display: 'Salmétérol' },
  { code: 'R03AC13', display: 'Formotérol' },
  { code: 'R03BA01', display: 'Béclométasone (inhalée)' },
  { code: 'R03BA02', display: 'Budésonide (inhalé)' },
  { code: 'R03BA05', display: 'Fluticasone (inhalée)' },
  { code: 'R03AK06', display: 'Salmétérol et fluticasone' },
  { code: 'R03AK07', display: 'Formotérol et budésonide' },
  { code: 'R03BB04', display: 'Tiotropium' },
  { code: 'R03DC03', display: 'Montélukast' },
  { code: 'R06AE07', display: 'Cétirizine' },
  { code: 'R06AX13', display: 'Loratadine' },
  { code: 'R06AX27', display: 'Desloratadine' },
  // Digestion
  { code: 'A02BC01', display: 'Oméprazole' },
  { code: 'A02BC05', display: 'Ésoméprazole' },
  { code: 'A02BC02', display: 'Pantoprazole' },
  { code: 'A02BC03', display: 'Lansoprazole' },
  { code: 'A03FA03', display: 'Dompéridone' },
  { code: 'A06AD15', display: 'Macrogol' },
  { code: 'A07DA03', display: 'Lopéramide' },
  { code: 'A07EC02', display: 'Mésalazine' },
  // Pain, joints, bones
  { code: 'N02BE01', display: 'Paracétamol' },
  { code: 'N02AJ06', display: 'Paracétamol et codéine' },
  { code: 'N02AX02', display: 'Tramadol' },
  { code: 'N02AA01', display: 'Morphine' },
  { code: 'N02CC01', display: 'Sumatriptan' },
  { code: 'M01AE01', display: 'Ibuprofène' },
  { code: 'M01AE03', display: 'Kétoprofène' },
  { code: 'M01AE02', display: 'Naproxène' },
  { code: 'M01AB05', display: 'Diclofénac' },
  { code: 'M04AC01', display: 'Colchicine' },
  { code: 'M04AA01', display: 'Allopurinol' },
  { code: 'M04AA03', display: 'Fébuxostat' },
  { code: 'L04AX03', display: 'Méthotrexate' },
  { code: 'P01BA02', display: 'Hydroxychloroquine' },
  { code: 'M05BA04', display: 'Acide alendronique' },
  { code: 'M03BX01', display: 'Baclofène' },
  // Nervous system, mood, sleep
  { code: 'N03AX16', display: 'Prégabaline' },
  { code: 'N03AX12', display: 'Gabapentine' },
  { code: 'N03AX14', display: 'Lévétiracétam' },
  { code: 'N03AX09', display: 'Lamotrigine' },
  { code: 'N03AG01', display: 'Acide valproïque' },
  { code: 'N03AF01', display: 'Carbamazépine' },
  { code: 'N04BA02', display: 'Lévodopa (avec bensérazide ou carbidopa)' },
  { code: 'N06DA02', display: 'Donépézil' },
  { code: 'N06BA04', display: 'Méthylphénidate' },
  { code: 'N06AB06', display: 'Sertraline' },
  { code: 'N06AB10', display: 'Escitalopram' },
  { code: 'N06AB04', display: 'Citalopram' },
  { code: 'N06AB03', display: 'Fluoxétine' },
  { code: 'N06AB05', display: 'Paroxétine' },
  { code: 'N06AX16', display: 'Venlafaxine' },
  { code: 'N06AX21', display: 'Duloxétine' },
  { code: 'N06AX11', display: 'Mirtazapine' },
  { code: 'N06AA09', display: 'Amitriptyline' },
  { code: 'N05BA12', display: 'Alprazolam' },
  { code: 'N05BA08', display: 'Bromazépam' },
  { code: 'N05BA04', display: 'Oxazépam' },
  { code: 'N05BA06', display: 'Lorazépam' },
  { code: 'N05BA01', display: 'Diazépam' },
  { code: 'N05BB01', display: 'Hydroxyzine' },
  { code: 'N05CF01', display: 'Zopiclone' },
  { code: 'N05CF02', display: 'Zolpidem' },
  { code: 'N05AH04', display: 'Quétiapine' },
  { code: 'N05AH03', display: 'Olanzapine' },
  { code: 'N05AX08', display: 'Rispéridone' },
  { code: 'N05AX12', display: 'Aripiprazole' },
  { code: 'N05AN01', display: 'Lithium' },
  { code: 'N07BA01', display: 'Nicotine (substitut)' },
  { code: 'N07BC01', display: 'Buprénorphine' },
  { code: 'N07BC02', display: 'Méthadone' },
  // Urology, eyes, cancer hormonotherapy, antibiotics
  { code: 'G04CA01', display: 'Alfuzosine' },
  { code: 'G04CA02', display: 'Tamsulosine' },
  { code: 'G04CB01', display: 'Finastéride' },
  { code: 'G04BD08', display: 'Solifénacine' },
  { code: 'S01EE01', display: 'Latanoprost (collyre)' },
  { code: 'S01ED01', display: 'Timolol (collyre)' },
  { code: 'L02BA01', display: 'Tamoxifène' },
  { code: 'L02BG03', display: 'Anastrozole' },
  { code: 'L02BG04', display: 'Létrozole' },
  { code: 'J01CA04', display: 'Amoxicilline' },
];

/** Common long-term diseases and past conditions, CIM-10 (French spelling of the codes, with a dot). */
export const conditionTerms: readonly CodedTerm[] = [
  // Metabolism, hormones
  { code: 'E11', display: 'Diabète de type 2' },
  { code: 'E10', display: 'Diabète de type 1' },
  { code: 'E78.0', display: 'Hypercholestérolémie' },
  { code: 'E78.5', display: 'Dyslipidémie (excès de graisses dans le sang)' },
  { code: 'E66.9', display: 'Obésité' },
  { code: 'E03.9', display: 'Hypothyroïdie' },
  { code: 'E05.9', display: 'Hyperthyroïdie' },
  { code: 'E28.2', display: 'Syndrome des ovaires polykystiques' },
  { code: 'E84.9', display: 'Mucoviscidose' },
  { code: 'M10.9', display: 'Goutte' },
  // Heart and vessels
  { code: 'I10', display: 'Hypertension artérielle essentielle' },
  { code: 'I48', display: 'Fibrillation auriculaire' },
  { code: 'I50', display: 'Insuffisance cardiaque' },
  { code: 'I20', display: 'Angine de poitrine (angor)' },
  { code: 'I21', display: 'Infarctus du myocarde' },
  { code: 'I25.2', display: 'Infarctus du myocarde ancien' },
  { code: 'I64', display: 'Accident vasculaire cérébral (AVC)' },
  { code: 'I69', display: 'Séquelles d’accident vasculaire cérébral' },
  { code: 'I70.2', display: 'Artériopathie des membres inférieurs' },
  { code: 'I80.2', display: 'Phlébite (thrombose veineuse profonde)' },
  { code: 'I26.9', display: 'Embolie pulmonaire' },
  { code: 'I83.9', display: 'Varices des membres inférieurs' },
  // Lungs, ENT
  { code: 'J45', display: 'Asthme' },
  { code: 'J44', display: 'Bronchopneumopathie chronique obstructive (BPCO)' },
  { code: 'G47.3', display: 'Apnée du sommeil' },
  { code: 'J30.4', display: 'Rhinite allergique' },
  // Kidneys, urology, gynaecology
  { code: 'N18', display: 'Insuffisance rénale chronique' },
  { code: 'N20.0', display: 'Calculs rénaux' },
  { code: 'N40', display: 'Hypertrophie bénigne de la prostate' },
  { code: 'R32', display: 'Incontinence urinaire' },
  { code: 'N80.9', display: 'Endométriose' },
  // Digestion, liver
  { code: 'K21.9', display: 'Reflux gastro-œsophagien' },
  { code: 'K25.9', display: 'Ulcère de l’estomac' },
  { code: 'K50', display: 'Maladie de Crohn' },
  { code: 'K51', display: 'Rectocolite hémorragique' },
  { code: 'K58', display: 'Syndrome de l’intestin irritable' },
  { code: 'K90.0', display: 'Maladie cœliaque' },
  { code: 'K76.0', display: 'Stéatose hépatique (foie gras)' },
  { code: 'K74.6', display: 'Cirrhose du foie' },
  { code: 'K37', display: 'Appendicite' },
  { code: 'B18.1', display: 'Hépatite B chronique' },
  { code: 'B18.2', display: 'Hépatite C chronique' },
  { code: 'B24', display: 'Infection par le VIH' },
  // Bones and joints
  { code: 'M19.9', display: 'Arthrose' },
  { code: 'M17', display: 'Arthrose du genou (gonarthrose)' },
  { code: 'M16', display: 'Arthrose de la hanche (coxarthrose)' },
  { code: 'M06.9', display: 'Polyarthrite rhumatoïde' },
  { code: 'M45', display: 'Spondylarthrite ankylosante' },
  { code: 'M81.9', display: 'Ostéoporose' },
  { code: 'M54.5', display: 'Lombalgie (mal de dos)' },
  { code: 'M79.7', display: 'Fibromyalgie' },
  { code: 'M32.9', display: 'Lupus érythémateux disséminé' },
  // Skin
  { code: 'L40.9', display: 'Psoriasis' },
  { code: 'L20.9', display: 'Eczéma atopique' },
  // Nervous system
  { code: 'G43.9', display: 'Migraine' },
  { code: 'G40.9', display: 'Épilepsie' },
  { code: 'G20', display: 'Maladie de Parkinson' },
  { code: 'G30.9', display: 'Maladie d’Alzheimer' },
  { code: 'G35', display: 'Sclérose en plaques' },
  { code: 'G47.0', display: 'Insomnie' },
  // Mental health, addictions
  { code: 'F32.9', display: 'Dépression' },
  { code: 'F41.1', display: 'Anxiété généralisée' },
  { code: 'F31.9', display: 'Trouble bipolaire' },
  { code: 'F20.9', display: 'Schizophrénie' },
  { code: 'F90.0', display: 'Trouble du déficit de l’attention avec hyperactivité (TDAH)' },
  { code: 'F84.0', display: 'Autisme' },
  { code: 'F10.2', display: 'Dépendance à l’alcool' },
  { code: 'F17.2', display: 'Dépendance au tabac' },
  // Eyes, ears
  { code: 'H40.9', display: 'Glaucome' },
  { code: 'H26.9', display: 'Cataracte' },
  { code: 'H35.3', display: 'Dégénérescence maculaire liée à l’âge (DMLA)' },
  { code: 'H91.9', display: 'Surdité' },
  // Blood, cancers, congenital
  { code: 'D50.9', display: 'Anémie par manque de fer' },
  { code: 'D57', display: 'Drépanocytose' },
  { code: 'C50.9', display: 'Cancer du sein' },
  { code: 'C61', display: 'Cancer de la prostate' },
  { code: 'C18.9', display: 'Cancer du côlon' },
  { code: 'C34.9', display: 'Cancer du poumon' },
  { code: 'C43.9', display: 'Mélanome' },
  { code: 'Q90.9', display: 'Trisomie 21' },
];

/**
 * Common allergies: a drug (or drug class) by its ATC code, another substance by its SNOMED CT concept. The
 * SNOMED CT codes are all from the SNOMED International IPS free set (HL7 IPS value set
 * allergy-intolerance-snomed-ct-ips-free-set, SNOMED CT 2022-07-31), where they are substances, except the dust
 * mite, which is the finding « Allergy to dust mite protein » of the same set.
 */
export const allergenTerms: readonly AllergenTerm[] = [
  { system: 'ATC', code: 'J01C', display: 'Pénicilline', category: 'medication' },
  { system: 'ATC', code: 'J01CA04', display: 'Amoxicilline', category: 'medication' },
  { system: 'ATC', code: 'J01DB', display: 'Céphalosporines de 1re génération', category: 'medication' },
  { system: 'ATC', code: 'J01E', display: 'Sulfamides antibactériens', category: 'medication' },
  { system: 'ATC', code: 'J01FA', display: 'Macrolides', category: 'medication' },
  { system: 'ATC', code: 'J01MA', display: 'Fluoroquinolones', category: 'medication' },
  { system: 'ATC', code: 'N02BA01', display: 'Aspirine (acide acétylsalicylique)', category: 'medication' },
  {
    system: 'ATC',
    code: 'M01A',
    display: 'Anti-inflammatoires non stéroïdiens (AINS)',
    category: 'medication',
  },
  { system: 'ATC', code: 'N02BE01', display: 'Paracétamol', category: 'medication' },
  { system: 'ATC', code: 'N02AA01', display: 'Morphine', category: 'medication' },
  { system: 'ATC', code: 'N01B', display: 'Anesthésiques locaux', category: 'medication' },
  { system: 'ATC', code: 'V08A', display: 'Produits de contraste iodés', category: 'medication' },
  { system: 'SNOMED CT', code: '256277009', display: 'Pollens de graminées', category: 'environment' },
  { system: 'SNOMED CT', code: '256260009', display: 'Pollens d’arbres', category: 'environment' },
  { system: 'SNOMED CT', code: '289949002', display: 'Pollens de cyprès', category: 'environment' },
  { system: 'SNOMED CT', code: '256303006', display: 'Pollens d’ambroisie', category: 'environment' },
  { system: 'SNOMED CT', code: '232350006', display: 'Acariens', category: 'environment' },
  { system: 'SNOMED CT', code: '260152009', display: 'Poils de chat', category: 'environment' },
  { system: 'SNOMED CT', code: '260154005', display: 'Poils de chien', category: 'environment' },
  { system: 'SNOMED CT', code: '111088007', display: 'Latex', category: 'environment' },
  { system: 'SNOMED CT', code: '33396006', display: 'Nickel', category: 'environment' },
  { system: 'SNOMED CT', code: '288328004', display: 'Venin d’abeille', category: 'environment' },
  { system: 'SNOMED CT', code: '256440004', display: 'Venin de guêpe', category: 'environment' },
  { system: 'SNOMED CT', code: '762952008', display: 'Arachide', category: 'food' },
  { system: 'SNOMED CT', code: '13577000', display: 'Fruits à coque', category: 'food' },
  { system: 'SNOMED CT', code: '102263004', display: 'Œuf', category: 'food' },
  { system: 'SNOMED CT', code: '264295007', display: 'Protéines du lait de vache', category: 'food' },
  { system: 'SNOMED CT', code: '735971005', display: 'Poisson', category: 'food' },
  { system: 'SNOMED CT', code: '735029006', display: 'Crustacés et coquillages', category: 'food' },
  { system: 'SNOMED CT', code: '260167008', display: 'Sésame', category: 'food' },
  { system: 'SNOMED CT', code: '51905005', display: 'Moutarde', category: 'food' },
  { system: 'SNOMED CT', code: '767406000', display: 'Sulfites', category: 'food' },
];

/** Letters compared without case or accents, spaces collapsed: « metformine » names « Metformine ». */
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The term a typed text names: a term's words as they are, or followed by a strength (« Metformine 1000 mg »). Any
 * other text names none and stays free text.
 */
export function termNamed<T extends CodedTerm>(terms: readonly T[], text: string): T | undefined {
  const typed = folded(text);
  return terms.find((term) => {
    const words = folded(term.display);
    return typed === words || (typed.startsWith(`${words} `) && /^\d/.test(typed.slice(words.length + 1)));
  });
}

const listed = (terms: readonly CodedTerm[]) => new Set(terms.map((t) => t.code));
const listedCodes = {
  ATC: listed([...medicationTerms, ...allergenTerms.filter((t) => t.system === 'ATC')]),
  'CIM-10': listed(conditionTerms),
  'SNOMED CT': listed(allergenTerms.filter((t) => t.system === 'SNOMED CT')),
};

/** Whether a code is one Carnet knows in that system (the pick lists, all checked against the official lists). */
export const isListedCode = (system: keyof typeof listedCodes, code: string): boolean =>
  listedCodes[system].has(code);
