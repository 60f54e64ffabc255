/** JSON body helpers: media types we parse and a nesting-depth limit (deep JSON is a cheap DoS). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/fhir+json', 'application/json+fhir'];

/** True when `value` nests objects/arrays deeper than `maxDepth` (iterative: no recursion to blow). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
