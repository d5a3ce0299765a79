/**
 * Why a campaign operation was refused: `invalid` (the definition, its file or its filter), `not-found` (no such
 * campaign), `conflict` (not in a state that allows it). The API maps them to 400, 404 and 409.
 */
export type CampaignErrorCode = 'invalid' | 'not-found' | 'conflict';

export class CampaignError extends Error {
  override readonly name = 'CampaignError';
  readonly code: CampaignErrorCode;
  /** The offending input, when one is to blame (`fileId`, `devices.filter[0].op`). */
  readonly field: string | undefined;

  constructor(code: CampaignErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
