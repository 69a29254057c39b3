export type { EvaluationError, RemovalEvent } from './change-recorder.ts';
export { certainCorrelationClaims } from './claim-certain-correlations.ts';
export {
  type EvaluateIdentityInput,
  type EvaluateIdentityResult,
  EvaluationInputError,
  evaluateIdentity,
} from './evaluate-identity.ts';
export type { Denial } from './evaluate-roles.ts';
export type { ReviewMode } from './evaluation-context.ts';
export {
  type ComputedValue,
  createTargetDirectory,
  type InMemoryTargetDirectory,
  keysOf,
  type TargetDirectory,
} from './target-directory.ts';
