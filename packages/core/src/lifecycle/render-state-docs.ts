import { provisioningStateNames, workflowStateNames } from '../states.ts';
import { type LifecycleTable, toMermaid } from './lifecycle-table.ts';
import { describeProvisioningState, provisioningLifecycle } from './provisioning-lifecycle.ts';
import { describeWorkflowState, workflowLifecycle } from './workflow-lifecycle.ts';

/**
 * The text of docs/states.md, generated from the lifecycle tables themselves so that the page
 * cannot drift from the code (house rule 2). Regenerate with `npm run docs:states`; a test fails
 * when the committed page differs.
 */
export function renderStateDocs(): string {
  return [
    '# Provisioning and workflow states',
    '',
    '<!-- Generated from packages/core/src/lifecycle by `npm run docs:states`. Do not edit by hand. -->',
    '',
    'Every assignment that is written to a managed system (resource type, scalar, navigation) has a',
    '**provisioning state**; every assignment has a **workflow state**. Both move only through the',
    'transitions below: any other (state, event) pair is refused with `TRANSITION_REFUSED`.',
    '`[*]` and "(none)" stand for "no assignment" (before creation, or after removal).',
    '',
    ...section(
      'Provisioning states',
      provisioningLifecycle,
      (s) => provisioningStateNames[s],
      describeProvisioningState,
    ),
    ...section('Workflow states', workflowLifecycle, (s) => workflowStateNames[s], describeWorkflowState),
  ].join('\n');
}

function section<S extends number, E extends string>(
  title: string,
  table: LifecycleTable<S, E>,
  label: (s: S) => string,
  describe: (s: S | null) => string,
): string[] {
  return [
    `## ${title}`,
    '',
    '```mermaid',
    toMermaid(table, label),
    '```',
    '',
    '| From | Event | To |',
    '|---|---|---|',
    ...table.transitions.map(([from, event, to]) => `| ${describe(from)} | \`${event}\` | ${describe(to)} |`),
    '',
  ];
}
