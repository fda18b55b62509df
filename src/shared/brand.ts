/** A nominal type: a `Brand<string, 'Ins'>` cannot be passed where a `Brand<string, 'Rpps'>` is expected. */
export type Brand<T, Name extends string> = T & { readonly __brand: Name };
