/**
 * How messages name a model: by index, which is what `PlacementError.model`
 * carries, and by id where it has one, which is what people know it by.
 */
export function modelLabel(index: number, id: unknown): string {
  return typeof id === "string" && id !== "" ? `model ${index} (${JSON.stringify(id)})` : `model ${index}`;
}

/**
 * A value shown in a message with its type where the type is what is wrong:
 * a string "30" printed bare would read as the number 30.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "bigint") return `the bigint ${value}n`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  return String(value);
}
