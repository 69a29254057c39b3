import { expect, it } from 'vitest';
import committed from '../../../../docs/states.md?raw';
import { renderStateDocs } from '../../src/lifecycle/render-state-docs.ts';

it('docs/states.md is generated from the lifecycle tables', () => {
  expect(committed, 'docs/states.md is out of date: regenerate it with `npm run docs:states`').toBe(renderStateDocs());
});

it('the page shows both tables as Mermaid diagrams and as markdown tables, with state names', () => {
  const page = renderStateDocs();
  expect(page.match(/```mermaid\nstateDiagram-v2/g)).toHaveLength(2);
  expect(page).toContain('| 5 Awaiting Approval | `review_approved` | 1 Pending |');
  expect(page).toContain('| 16 Approved | `source_changed_on_approved` | 24 Approved – Questioned |');
  expect(page).toContain('s8 : 8 Executed');
});
