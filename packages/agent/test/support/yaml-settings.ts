/** Connection settings as YAML lines under a connection's `settings:` key (10 spaces deep). */
export function yamlSettings(settings: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(settings)
    .map(([name, value]) => `          ${JSON.stringify(name)}: ${JSON.stringify(value)}`)
    .join('\n');
}
