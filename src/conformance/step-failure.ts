/** Why a step of the exchange with the DUT did not complete: a typed value a case's verdict carries. */
export type StepFailureReason =
  | 'timeout'
  | 'dropped'
  | 'malformed'
  | 'unexpected-message'
  | 'http-error'
  | 'no-session'
  | 'local-change';

export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly reason: StepFailureReason,
    message: string,
  ) {
    super(message);
  }
}
