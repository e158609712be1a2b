/**
 * Names made from paths and project names for places that allow only lower-case letters, digits
 * and dashes (stage names, Go unit ids, inferred project names). Pure.
 */

/** `@shop/Web API` → `shop-web-api`; `root` when nothing is left. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/^@/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'root'
  );
}
