// Compile-time checks that keep an options interface, its DEFAULTS and its zod
// schema from drifting apart. They cost nothing at run time.

type Exact<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * True when a schema's input type has the same keys as the options interface
 * and each is assignable both ways (so a renamed, added or retyped option in
 * one but not the other fails to compile). Nested objects are compared by
 * assignability.
 */
export type SchemaMatches<SchemaInput, Options> =
  Exact<keyof SchemaInput, keyof Options> extends true
    ? [Required<SchemaInput>] extends [Required<Options>]
      ? [Required<Options>] extends [Required<SchemaInput>]
        ? true
        : { error: 'an option of the interface does not fit the schema' }
      : { error: 'an option of the schema does not fit the interface' }
    : {
        error: 'the schema and the interface name different options';
        onlyInSchema: Exclude<keyof SchemaInput, keyof Options>;
        onlyInInterface: Exclude<keyof Options, keyof SchemaInput>;
      };

/** `export type OptionsCheck = Assert<SchemaMatches<...>>`: fails to compile unless the argument is `true`. */
export type Assert<T extends true> = T;

/** What a DEFAULTS object may hold: values for options of the interface, nothing else. */
export type DefaultsOf<Options> = { readonly [K in keyof Options]?: Exclude<Options[K], undefined> };
