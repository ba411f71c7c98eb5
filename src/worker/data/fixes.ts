/** The one-click fixes: each picks findings from the version's audit and becomes a request for a new version. */
import {
  dropExactDuplicates,
  dropFlaggedRows,
  dropToxicRows,
  keepOnePerNearDuplicateCluster,
  relabelFlaggedRows,
  type FixResult,
} from '../../data/audit/fixes.ts';
import type { FullAuditReport } from '../../data/audit/run.ts';
import type { DatasetRow } from '../../data/types.ts';
import { fixRequestOf, type FixRequest } from '../../data/versions.ts';
import { WorkerError } from '../errors.ts';
import type { FixChoice } from './requests.ts';
import { rowFindings } from './views.ts';

function findingIdsFor(
  report: FullAuditReport,
  choice: Extract<FixChoice, { kind: 'drop-flagged' | 'relabel-flagged' }>,
): string[] {
  if (choice.findingIds) return choice.findingIds;
  const result = report.checks.find((c) => c.check === choice.check);
  if (!result) throw new WorkerError('InvalidRequest', `The audit has no check "${choice.check}".`);
  const findings =
    choice.kind === 'drop-flagged'
      ? rowFindings(result)
      : result.findings.filter((f) => typeof f.extra?.suggestedLabel === 'string');
  return findings.map((f) => f.id);
}

function outcomeOf(rows: readonly DatasetRow[], report: FullAuditReport, choice: FixChoice): FixResult {
  switch (choice.kind) {
    case 'drop-exact-duplicates':
      return dropExactDuplicates(rows, report);
    case 'keep-one-per-cluster':
      return keepOnePerNearDuplicateCluster(rows, report);
    case 'drop-toxic-rows':
      return dropToxicRows(rows, report, choice.minSeverity);
    case 'drop-flagged':
      return dropFlaggedRows(rows, report, findingIdsFor(report, choice));
    case 'relabel-flagged':
      return relabelFlaggedRows(rows, report, findingIdsFor(report, choice));
  }
}

/**
 * What the fix would change, as a version request. The audit's fixes throw plain Errors for findings that are
 * not in the report; they reach the UI as a FixRejected error with the fix's own message.
 */
export function fixRequestFor(
  rows: readonly DatasetRow[],
  report: FullAuditReport,
  choice: FixChoice,
): FixRequest {
  let outcome: FixResult;
  try {
    outcome = outcomeOf(rows, report, choice);
  } catch (error) {
    if (error instanceof WorkerError) throw error;
    throw new WorkerError(
      'FixRejected',
      error instanceof Error ? error.message : 'The fix could not be applied.',
    );
  }
  return fixRequestOf(outcome.changeRecord);
}
