/**
 * Usercube-style permission paths (reference spec §9): `/Custom/ProvisioningPolicy/ReviewProvisioning/Person`.
 * A held path grants itself and every path below it; only the exact, full path subscribes its
 * holder to the screen's notifications.
 */

/** True when one of the held paths is `required` or one of its parents (whole segments only). */
export function grants(held: readonly string[], required: string): boolean {
  return held.some((path) => path === required || (required.startsWith(path) && required[path.length] === '/'));
}

/** True when the exact path is held: the holder is notified for this duty (a parent path is not). */
export function notifies(held: readonly string[], required: string): boolean {
  return held.includes(required);
}

/**
 * Fills `{name}` placeholders of a permission template from route parameters. A value with a `/`
 * could climb the path tree, so it is refused (the route then answers 404, not a wider grant).
 */
export function permissionFor(
  template: string,
  params: Readonly<Record<string, string | undefined>>,
): string | undefined {
  let missing = false;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '' || /[/\s]/.test(value)) missing = true;
    return value ?? '';
  });
  return missing ? undefined : path;
}

/** Every permission of a set of profiles, deduplicated. */
export function permissionsOf(profiles: readonly { readonly permissions: readonly string[] }[]): string[] {
  return [...new Set(profiles.flatMap((p) => p.permissions))].sort();
}
