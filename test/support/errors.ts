import { EngagementError } from '../../main/core/errors';

/** The AppError code a call failed with, 'no error', or the text of a non-Engagement error. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof EngagementError ? error.appError.code : String(error);
  }
}
