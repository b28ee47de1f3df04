/**
 * The custom resources' part of the package schema (`resources` entries by type token, in Pulumi's package schema
 * format: description, properties, required, inputProperties, requiredInputs; `secret: true` on every secret). The
 * schema generator adds it to what Pulumi's schema inference reads from the components.
 */

/** A resource of the package schema, as JSON. */
export type ResourceSchema = Record<string, unknown>;

export function customResourceSchemas(): Record<string, ResourceSchema> {
  return {};
}
