// Helpers that build one setting of the environment schema: a TypeBox schema that also carries
// the Config field it fills and the text of the docs, so that each setting is written once.
import {
  type Static,
  type TBoolean,
  type TInteger,
  type TLiteral,
  type TSchema,
  type TString,
  type TUnion,
  Type,
} from '@sinclair/typebox';

export interface SettingMeta<K extends string> {
  /** The Config field it fills; none for a setting only read while loading (API_KEYS). */
  key?: K;
  /** One line of Markdown: the docs table, and as plain text the comment in env.example. */
  description: string;
  /** A shorter line for README's main-settings table; only the main settings have one. */
  summary?: string;
  /** Accepted in any case: lower-cased before validation. */
  lowercase?: true;
  /** Other spellings accepted (after lower-casing), mapped to a value. */
  aliases?: Record<string, string>;
}

/** A setting's schema; `key` is typed so that the Config type can be derived from the schema. */
export type Setting<T, K extends string> = T & SettingMeta<K> & { key: K };

/**
 * Markdown written over several source lines: line breaks and indentation become single spaces.
 * (Not tagged `md`: Prettier would reformat the text as a Markdown document.)
 */
export function prose(parts: TemplateStringsArray, ...values: unknown[]): string {
  return String.raw({ raw: parts }, ...values)
    .replace(/\s+/g, ' ')
    .trim();
}

export const int = <const K extends string = never>(
  def: number,
  min: number,
  max: number | undefined,
  meta: SettingMeta<K>,
) =>
  Type.Integer({ default: def, minimum: min, maximum: max ?? Number.MAX_SAFE_INTEGER, ...meta }) as Setting<
    TInteger,
    K
  >;

export const str = <const K extends string = never>(
  def: string,
  meta: SettingMeta<K>,
  extra: { minLength?: number; pattern?: string } = {},
) => Type.String({ default: def, ...extra, ...meta }) as Setting<TString, K>;

export const bool = <const K extends string = never>(def: boolean, meta: SettingMeta<K>) =>
  Type.Boolean({ default: def, ...meta }) as Setting<TBoolean, K>;

export const oneOf = <const V extends string, const K extends string = never>(
  values: readonly V[],
  def: NoInfer<V>,
  meta: SettingMeta<K>,
) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { default: def, ...meta },
  ) as Setting<TUnion<TLiteral<V>[]>, K>;

/** The Config fields a group of settings fills directly: each setting with a `key`, typed by its schema. */
export type Fields<P> = {
  -readonly [N in keyof P as P[N] extends { key: infer K extends string } ? K : never]: P[N] extends TSchema
    ? Static<P[N]>
    : never;
};
