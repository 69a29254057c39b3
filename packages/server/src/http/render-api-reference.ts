import type { RouteEntry } from './access-control.ts';
import { describeField, describeJsonSchema, type JsonSchema } from './describe-json-schema.ts';

interface OpenApiOperation {
  readonly summary?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly {
    readonly in: string;
    readonly name: string;
    readonly required?: boolean;
    readonly schema?: JsonSchema;
  }[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
  readonly responses?: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> }>
  >;
}

interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
}

/**
 * docs/api.md: every route with who may call it, from the route table the server enforces, and
 * what it takes and answers, from the OpenAPI document it serves, so the reference cannot drift
 * from the code.
 */
export function renderApiReference(routes: readonly RouteEntry[], document: OpenApiDocument): string {
  const summaryOf = (route: RouteEntry) => {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    return document.paths[path]?.[route.method.toLowerCase()];
  };
  const groups = new Map<string, RouteEntry[]>();
  for (const route of routes) {
    const tag = summaryOf(route)?.tags?.[0] ?? (route.url.startsWith('/api/') ? 'other' : 'operations');
    groups.set(tag, [...(groups.get(tag) ?? []), route]);
  }
  const who = (route: RouteEntry) => {
    switch (route.access.kind) {
      case 'public':
        return 'anyone';
      case 'agent':
        return 'an agent token';
      case 'signed_in':
        return 'anyone signed in';
      case 'permission':
        return `\`${route.access.permission}\``;
    }
  };
  const lines = [
    '# REST API reference',
    '',
    "<!-- Generated from the server's route table by `ORDO_WRITE_DOCS=1 npx vitest run packages/server/test/api/api-reference.test.ts`; do not edit by hand. -->",
    '',
    'The machine-readable description is served at `GET /api/openapi.json` (OpenAPI 3).',
    '',
    '- **People** sign in with `POST /api/session` `{ login, password }` (or OIDC, `GET /api/session/oidc/start` when configured).',
    '  The answer sets an HttpOnly, SameSite=Strict session cookie and carries a `csrfToken`: send it back in the',
    '  `x-csrf-token` header of every request that changes something.',
    "- **Programs** send an API token: `Authorization: Bearer ordo_pat_…`. A token acts with its account's profiles.",
    '- **Agents** send their agent token on `/api/agent/*` only.',
    '- **Errors** are RFC 9457 `application/problem+json` with a stable `code`; validation errors list every bad field in `errors`.',
    '- **Permissions** are Usercube-style paths held through profiles (configuration `profiles:`); a held path grants every',
    '  path below it. `{entityType}` is filled from the route. Identity-scoped profiles (`scope: self | managed`) further',
    '  limit which identities a permission reaches (403 `OUT_OF_SCOPE`).',
    '',
  ];
  for (const [tag, entries] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${tag}`, '', '| Method | Path | What | Who may call it |', '|---|---|---|---|');
    for (const route of [...entries].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))) {
      lines.push(`| ${route.method} | \`${route.url}\` | ${summaryOf(route)?.summary ?? ''} | ${who(route)} |`);
    }
    lines.push('');
    for (const route of [...entries].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))) {
      const shapes = shapesOf(summaryOf(route));
      if (shapes.length > 0) lines.push(`**${route.method} \`${route.url}\`**`, '', ...shapes, '');
    }
  }
  return lines.join('\n');
}

/** What a route takes (query, body) and answers (each 2xx status), one line each. */
function shapesOf(operation: OpenApiOperation | undefined): string[] {
  if (!operation) return [];
  const lines: string[] = [];
  const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
  if (query.length > 0) {
    const fields = query.map((p) => describeField(p.name, p.schema ?? {}, p.required === true));
    lines.push(`- query: \`${fields.join(', ')}\``);
  }
  const body = operation.requestBody?.content?.['application/json']?.schema;
  if (body) lines.push(`- body: \`${describeJsonSchema(body)}\``);
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const schema = response.content?.['application/json']?.schema;
    if (/^2\d\d$/.test(status) && schema) lines.push(`- ${status}: \`${describeJsonSchema(schema)}\``);
  }
  return lines;
}
