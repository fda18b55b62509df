/**
 * The ANS terminologies Carnet speaks (JDV J07 types, J06 classes, J10 formats, J02 facility types,
 * J04 practice settings, J01 author specialties, J08 confidentiality), as versioned data.
 */
export * from './concepts.ts';
