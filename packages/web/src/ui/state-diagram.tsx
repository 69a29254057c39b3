import { Box, Button, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { provisioningLifecycle } from '@ordo/core/src/lifecycle/provisioning-lifecycle.ts';
import { type ProvisioningState, provisioningStateNames } from '@ordo/core/src/states.ts';
import { useId, useMemo, useState } from 'react';
import {
  box,
  type Edge,
  edgeShape,
  lifecycleEdges,
  positionOf,
  positions,
  viewBox,
  visibleEvents,
} from './state-diagram-geometry.ts';

const stateLabel = (s: number | null) =>
  s === null ? 'no assignment' : `${s} ${provisioningStateNames[s as ProvisioningState] ?? 'Unknown'}`;

/** Consecutive pairs of a path: the arrows an order actually travelled. */
function travelled(path: readonly number[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < path.length; i++) pairs.add(`${path[i - 1]}>${path[i]}`);
  return pairs;
}

/**
 * The provisioning lifecycle as a picture: nine states, the transitions of the engine's own table,
 * the current state drawn strongly and the states an order went through drawn as visited. The
 * picture is an image to assistive technology (its label says the current state and path); the
 * same transitions are one click away as a table, which is also what keyboard users can search.
 */
export function StateDiagram({ highlight, path = [] }: { highlight?: number; path?: readonly number[] }) {
  const [showComputation, setShowComputation] = useState(false);
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const summaryId = useId();
  // useId's characters are not safe inside url(#…), which the arrowheads need.
  const markerPrefix = `m${summaryId.replace(/[^\w-]/g, '')}`;
  const edges = useMemo(lifecycleEdges, []);
  const visitedEdges = travelled(path);
  const visitedStates = new Set(path);
  const shown = edges.filter((e) => !e.computation || showComputation || visitedEdges.has(e.key));
  const shownKeys = new Set(shown.map((e) => e.key));
  const next = highlight === undefined ? [] : provisioningLifecycle.transitions.filter(([from]) => from === highlight);
  const label = [
    'Provisioning lifecycle diagram.',
    highlight !== undefined ? `Current state: ${stateLabel(highlight)}.` : 'No current state.',
    path.length > 1 ? `Path taken: ${path.map(stateLabel).join(', then ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <Stack gap="xs">
      <Box style={{ overflowX: 'auto' }}>
        <svg
          role="img"
          aria-label={label}
          aria-describedby={summaryId}
          viewBox={`0 0 ${viewBox.width} ${viewBox.height}`}
          style={{ width: '100%', minWidth: 760, height: 'auto', display: 'block' }}
        >
          <defs>
            {(['plain', 'visited', 'computation'] as const).map((kind) => (
              <marker
                key={kind}
                id={`${markerPrefix}-${kind}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="10"
                markerHeight="10"
                markerUnits="userSpaceOnUse"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" fill={edgeColor(kind)} />
              </marker>
            ))}
          </defs>
          {shown.map((edge) => (
            <Arrow
              key={edge.key}
              edge={edge}
              kind={visitedEdges.has(edge.key) ? 'visited' : edge.computation ? 'computation' : 'plain'}
              reverseShown={shownKeys.has(`${edge.to}>${edge.from ?? 'start'}`)}
              markerPrefix={markerPrefix}
            />
          ))}
          {showComputation && (
            <>
              <circle cx={positions.start.x} cy={positions.start.y} r={7} fill="var(--mantine-color-gray-7)" />
              <text
                x={positions.start.x}
                y={positions.start.y + 24}
                textAnchor="middle"
                fontSize={12}
                fill="var(--mantine-color-gray-7)"
              >
                new
              </text>
            </>
          )}
          {provisioningLifecycle.states.map((s) => (
            <StateBox key={s} state={s} current={s === highlight} visited={visitedStates.has(s)} />
          ))}
        </svg>
      </Box>
      <Text size="sm" id={summaryId}>
        {highlight === undefined
          ? 'Pick a state to see where it can go.'
          : next.length === 0
            ? `Nothing moves an order out of ${stateLabel(highlight)}.`
            : `From ${stateLabel(highlight)}: ${next.map(([, event, to]) => `${event} → ${stateLabel(to)}`).join('; ')}.`}
      </Text>
      <Text size="xs" c="dimmed">
        Dashed arrows are the computation: computed_missing → 1, computed_missing_review → 5, computed_equal → 4,
        evaluation_failed → 7 (and creation from “new”). Thick arrows: the path taken.
      </Text>
      <Group gap="md">
        <Switch
          label="Show computation arrows"
          checked={showComputation}
          onChange={(e) => setShowComputation(e.currentTarget.checked)}
        />
        <Button
          variant="subtle"
          size="xs"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((v) => !v)}
        >
          {showTable ? 'Hide transitions table' : 'Show transitions as a table'}
        </Button>
      </Group>
      <div id={tableId} hidden={!showTable}>
        {showTable && <TransitionsTable highlight={highlight} />}
      </div>
    </Stack>
  );
}

function edgeColor(kind: 'plain' | 'visited' | 'computation'): string {
  if (kind === 'visited') return 'var(--mantine-color-indigo-7)';
  return kind === 'computation' ? 'var(--mantine-color-gray-5)' : 'var(--mantine-color-gray-7)';
}

function Arrow(props: {
  edge: Edge;
  kind: 'plain' | 'visited' | 'computation';
  reverseShown: boolean;
  markerPrefix: string;
}) {
  const { edge, kind } = props;
  const shape = edgeShape(edge, props.reverseShown);
  const lines = visibleEvents(edge);
  return (
    <g data-edge={edge.key}>
      <title>{`${stateLabel(edge.from)} → ${stateLabel(edge.to)}: ${edge.events.join(', ')}`}</title>
      <path
        d={shape.d}
        fill="none"
        stroke={edgeColor(kind)}
        strokeWidth={kind === 'visited' ? 3.5 : kind === 'computation' ? 1 : 1.5}
        strokeDasharray={kind === 'computation' ? '5 4' : undefined}
        markerEnd={`url(#${props.markerPrefix}-${kind})`}
      />
      {lines.length > 0 && (
        <text
          x={shape.label.x}
          y={
            shape.above
              ? shape.label.y - 5 - (lines.length - 1) * 12
              : shape.label.y - ((lines.length - 1) * 12) / 2 + 4
          }
          textAnchor="middle"
          fontSize={11}
          fill="var(--mantine-color-text)"
          stroke="var(--mantine-color-body)"
          strokeWidth={4}
          paintOrder="stroke"
        >
          {lines.map((line, i) => (
            <tspan key={line} x={shape.label.x} dy={i === 0 ? 0 : 12}>
              {line}
            </tspan>
          ))}
        </text>
      )}
    </g>
  );
}

function StateBox({ state, current, visited }: { state: number; current: boolean; visited: boolean }) {
  const { x, y } = positionOf(state);
  const fill = current
    ? 'var(--mantine-color-indigo-7)'
    : visited
      ? 'var(--mantine-color-indigo-0)'
      : 'var(--mantine-color-body)';
  return (
    <g data-state={state} data-current={current || undefined} data-visited={visited || undefined}>
      <rect
        x={x - box.width / 2}
        y={y - box.height / 2}
        width={box.width}
        height={box.height}
        rx={8}
        fill={fill}
        stroke={current || visited ? 'var(--mantine-color-indigo-7)' : 'var(--mantine-color-gray-6)'}
        strokeWidth={current ? 3 : visited ? 2 : 1.2}
      />
      <text
        x={x}
        y={y + 5}
        textAnchor="middle"
        fontSize={13}
        fontWeight={current ? 700 : 500}
        fill={current ? 'white' : 'var(--mantine-color-text)'}
      >
        {stateLabel(state)}
      </text>
    </g>
  );
}

function TransitionsTable({ highlight }: { highlight: number | undefined }) {
  return (
    <Table.ScrollContainer minWidth={480} maxHeight={360}>
      <Table striped withTableBorder>
        <Table.Caption>Every transition of the provisioning lifecycle (from the engine's table)</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">From</Table.Th>
            <Table.Th scope="col">Event</Table.Th>
            <Table.Th scope="col">To</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {provisioningLifecycle.transitions.map(([from, event, to]) => (
            <Table.Tr key={`${from}:${event}`} fw={from === highlight ? 700 : undefined}>
              <Table.Td>{stateLabel(from)}</Table.Td>
              <Table.Td>
                <code>{event}</code>
              </Table.Td>
              <Table.Td>{stateLabel(to)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
