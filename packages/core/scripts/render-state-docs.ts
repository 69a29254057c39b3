/**
 * Writes docs/states.md from the lifecycle tables. Run with `npm run docs:states`
 * (`tsx packages/core/scripts/render-state-docs.ts`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderStateDocs } from '../src/lifecycle/render-state-docs.ts';

const target = fileURLToPath(new URL('../../../docs/states.md', import.meta.url));
writeFileSync(target, renderStateDocs());
console.log(`wrote ${target}`);
