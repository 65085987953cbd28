/** A delivery the target refused or did not answer; what it says of the target, for the subscription's Status. */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly details: {
      httpStatus?: number;
      targetStatus?: 'no-permission' | 'topic-not-exist';
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'DeliveryFailure';
  }
}
