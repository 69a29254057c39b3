import { Button, Group, List, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { homeKey } from '../../api/home.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { QueryState } from '../../ui/page.tsx';
import { createRequest, identityKey, type Requestable, useRequestable } from './api.ts';
import { choiceFor, endInstant, startInstant } from './request-choice.ts';
import { RequestResults, type SubmitResult } from './request-results.tsx';
import { RequestableTable } from './requestable-table.tsx';

interface Line {
  readonly item: Requestable;
  readonly action: 'add' | 'remove';
}

/** Modify Permissions: pick items to add or remove, give dates and a reason, submit, see outcomes. */
export function ModifyTab({
  entityType,
  identityId,
  name,
  onShowRequests,
}: {
  entityType: string;
  identityId: string;
  name: string;
  onShowRequests: () => void;
}) {
  const queries = useQueryClient();
  const requestable = useRequestable(entityType, identityId);
  const [basket, setBasket] = useState<ReadonlyMap<string, Line>>(new Map());
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [comment, setComment] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [results, setResults] = useState<readonly SubmitResult[]>([]);
  const periodError = start && end && end < start ? 'The last day is before the start date' : null;
  const lines = [...basket.values()];
  const removals = lines.filter((l) => l.action === 'remove').length;

  const toggle = (item: Requestable) => {
    const choice = choiceFor(item);
    if (!choice.action) return;
    const next = new Map(basket);
    if (next.has(item.assignmentId)) next.delete(item.assignmentId);
    else next.set(item.assignmentId, { item, action: choice.action });
    setBasket(next);
  };

  // One POST per line, in order: each line gets its own answer, so one refusal does not hide the rest.
  const submit = useMutation({
    mutationFn: async (toSend: readonly Line[]): Promise<SubmitResult[]> => {
      const out: SubmitResult[] = [];
      for (const { item, action } of toSend) {
        const base = { assignmentId: item.assignmentId, displayName: item.displayName, action };
        try {
          const request = await createRequest(entityType, identityId, {
            itemKind: item.kind,
            itemId: item.id,
            action,
            ...(action === 'add' && startInstant(start) ? { startDate: startInstant(start) } : {}),
            ...(action === 'add' && endInstant(end) ? { endDate: endInstant(end) } : {}),
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          });
          out.push({ ...base, request });
        } catch (error) {
          out.push({ ...base, error });
        }
      }
      return out;
    },
    onSuccess: (done) => {
      setResults(done);
      const made = done.filter((r) => r.request);
      // Only what the server accepted leaves the basket; refused lines stay to be fixed or dropped.
      const next = new Map(basket);
      for (const r of made) next.delete(r.assignmentId);
      setBasket(next);
      if (made.length > 0) {
        setComment('');
        void queries.invalidateQueries({ queryKey: identityKey(entityType, identityId) });
        void queries.invalidateQueries({ queryKey: homeKey });
      }
    },
  });

  const count = lines.length;
  const label = `Submit ${count} request${count === 1 ? '' : 's'}`;
  return (
    <Stack gap="md">
      <QueryState query={requestable}>
        {() =>
          (requestable.data ?? []).length === 0 ? (
            <Text>
              Nothing can be requested for {name}: no role or resource type of this entity type is requestable.
            </Text>
          ) : (
            <RequestableTable
              name={name}
              items={requestable.data ?? []}
              selected={new Set(basket.keys())}
              onToggle={toggle}
            />
          )
        }
      </QueryState>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          type="date"
          label="Start date"
          description="Empty: from today"
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label="Last day"
          description="Empty: no end (or the role's maximum)"
          value={end}
          onChange={(e) => setEnd(e.currentTarget.value)}
          error={periodError}
        />
        <Textarea
          label="Comment"
          description="Why: the reviewers read it"
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          autosize
          minRows={1}
          maxRows={4}
        />
      </SimpleGrid>
      <Group>
        <Button
          onClick={() => setConfirming(true)}
          disabled={count === 0 || periodError !== null}
          loading={submit.isPending}
        >
          {count === 0 ? 'Select something to request' : label}
        </Button>
        {count > 0 && (
          <Button variant="subtle" onClick={() => setBasket(new Map())}>
            Clear selection
          </Button>
        )}
      </Group>
      <RequestResults results={results} onShowRequests={onShowRequests} />
      <ConfirmDialog
        opened={confirming}
        title={`${label} for ${name}?`}
        confirmLabel={`Confirm ${count} request${count === 1 ? '' : 's'}`}
        color={removals > 0 ? 'red' : 'indigo'}
        dismissLabel="Go back"
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          submit.mutate(lines);
        }}
      >
        <List size="sm">
          {lines.map((l) => (
            <List.Item key={l.item.assignmentId}>
              {l.action === 'add' ? 'Add' : 'Remove'} {l.item.displayName}
            </List.Item>
          ))}
        </List>
        {removals > 0 && (
          <Text size="sm" c="red">
            {removals} removal{removals === 1 ? '' : 's'}: once approved, the access ends in the systems.
          </Text>
        )}
      </ConfirmDialog>
    </Stack>
  );
}
